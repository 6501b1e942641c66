/// `grid.html`: the overview (figures and charts), then the slot × table grid, one printed
/// A3 landscape page per day or per session (a long day runs over several pages, with the
/// slot times repeated at the top of each).
struct GridPage {
    let document: HTMLDocument

    init(model: GridModel, options: GridOptions) {
        document = HTMLDocument(model: model, options: options, view: .grid)
    }

    func render() -> RenderedFile {
        let model = document.model
        let labels = document.labels
        var html = MarkupBuffer(capacity: 400 + model.meetings.count * 260 + model.cell.count * 24)
        document.begin(&html, title: labels.grid)
        document.navigation(&html)
        OverviewSection(model: model, labels: labels, options: document.options).render(&html)
        for day in model.days.indices {
            switch document.options.paging {
            case .day:
                page(&html, day: day, slots: model.days[day].slots, subtitle: nil)
            case .session:
                for session in model.days[day].sessions {
                    page(&html, day: day, slots: session.slots, subtitle: session.label)
                }
            }
        }
        document.end(&html)
        return RenderedFile(path: "grid.html", data: html.data)
    }

    private func page(_ html: inout MarkupBuffer, day: Int, slots: Range<Int>, subtitle: String?) {
        let model = document.model
        let labels = document.labels
        guard let first = slots.first else { return }
        html.raw("<section class=\"page\">\n<p class=\"event\">")
        html.text(model.eventName)
        html.raw("</p>\n<h1>")
        html.text(labels.grid)
        html.raw(" — ")
        html.text(document.dayTitles[day])
        if let subtitle {
            html.raw(" · ")
            html.text(subtitle)
        }
        html.raw("</h1>\n")
        document.legend(&html)
        html.raw("<table class=\"grid\">\n<thead><tr><th class=\"table\">")
        html.text(labels.table)
        html.raw("</th>")
        let sessionStarts = Set(model.days[day].sessions.map(\.slots.lowerBound)).subtracting([first])
        for slot in slots {
            html.raw(sessionStarts.contains(slot) ? "<th class=\"session\">" : "<th>")
            html.text(model.slots[slot].startText)
            html.raw("<br><small>")
            html.text(model.slots[slot].endText)
            html.raw("</small></th>")
        }
        html.raw("</tr></thead>\n<tbody>\n")
        let colourByPriority = document.options.colouring == .priority
        for table in model.tables.indices {
            html.raw("<tr><th class=\"table\" scope=\"row\">")
            document.tableHeading(&html, table)
            html.raw("</th>")
            for slot in slots {
                let session = sessionStarts.contains(slot) ? " session" : ""
                guard let meeting = model.meeting(slot: slot, table: table) else {
                    html.raw("<td class=\"free\(session)\"></td>")
                    continue
                }
                var classes = "m" + session
                if colourByPriority { classes += " q\(min(meeting.priority ?? 4, 4))" }
                if meeting.pinned { classes += " pin" }
                html.raw("<td class=\"\(classes)\">")
                document.person(&html, meeting.first)
                document.person(&html, meeting.second)
                html.raw("</td>")
            }
            html.raw("</tr>\n")
        }
        html.raw("</tbody>\n</table>\n</section>\n")
    }
}
