/// Per-participant agendas, A4 portrait, each participant starting a new page: time,
/// table, counterpart, organisation (and topics when known), day by day.
struct AgendaPages {
    let document: HTMLDocument

    init(model: GridModel, options: GridOptions) {
        document = HTMLDocument(model: model, options: options, view: .agendas)
    }

    /// `agendas.html`, or `agendas/index.html` with one `agendas/ID.html` per participant.
    func render() -> [RenderedFile] {
        let model = document.model
        guard document.options.agendaPerFile else {
            var html = MarkupBuffer(capacity: 2_000 + model.meetings.count * 500)
            document.begin(&html, title: document.labels.agendas)
            document.navigation(&html)
            for participant in model.participants.indices { agenda(&html, participant) }
            document.end(&html)
            return [RenderedFile(path: "agendas.html", data: html.data)]
        }
        var files: [RenderedFile] = []
        var index = MarkupBuffer()
        document.begin(&index, title: document.labels.agendas)
        document.navigation(&index, prefix: "../")
        index.raw("<h1>")
        index.text(document.labels.agendas)
        index.raw("</h1>\n<ul>\n")
        let names = SafeFileNames(model.participants.map(\.id))
        for participant in model.participants.indices {
            var html = MarkupBuffer(capacity: 4_000)
            document.begin(&html, title: "\(document.labels.agendaOf) \(model.participants[participant].name)")
            document.navigation(&html, prefix: "../")
            agenda(&html, participant)
            document.end(&html)
            let file = names[participant] + ".html"
            files.append(RenderedFile(path: "agendas/" + file, data: html.data))
            index.raw("<li><a href=\"")
            index.text(file)
            index.raw("\">")
            index.text(model.participants[participant].name)
            index.raw("</a> <small>")
            index.text(model.participants[participant].organisation)
            index.raw("</small></li>\n")
        }
        index.raw("</ul>\n")
        document.end(&index)
        files.append(RenderedFile(path: "agendas/index.html", data: index.data))
        return files
    }

    private func agenda(_ html: inout MarkupBuffer, _ participant: Int) {
        let model = document.model
        let labels = document.labels
        let person = model.participants[participant]
        html.raw("<section class=\"page agenda\" id=\"p-")
        html.text(person.id)
        html.raw("\">\n<p class=\"event\">")
        html.text(model.eventName)
        html.raw("</p>\n<h1>")
        html.text(person.name)
        html.raw("</h1>\n<p>")
        var details = [person.organisation, document.options.roleName(person.role)].filter { !$0.isEmpty }
        if let table = person.hostTable { details.append("\(labels.hostTable): \(model.tables[table].name)") }
        html.text(details.joined(separator: " · "))
        html.raw("</p>\n")
        let meetings = model.meetingsOfParticipant[participant].map { model.meetings[Int($0)] }
        if meetings.isEmpty {
            html.raw("<p class=\"none\">")
            html.text(labels.noMeeting)
            html.raw("</p>\n</section>\n")
            return
        }
        let showTopics = meetings.contains {
            !model.participants[model.counterpart(of: participant, in: $0)].topics.isEmpty
        }
        var day = -1
        for meeting in meetings {
            let slot = model.slots[meeting.slot]
            if slot.day != day {
                if day >= 0 { html.raw("</tbody></table>\n") }
                day = slot.day
                html.raw("<h2>")
                html.text(document.dayTitles[slot.day])
                html.raw("</h2>\n<table class=\"agenda\"><thead><tr>")
                var headings = [labels.time, labels.table, labels.counterpart, labels.organisation]
                if showTopics { headings.append(labels.topics) }
                for heading in headings { html.element("th", heading) }
                html.raw("</tr></thead><tbody>\n")
            }
            let other = model.participants[model.counterpart(of: participant, in: meeting)]
            html.raw("<tr><td class=\"time\">")
            html.text("\(slot.startText)–\(slot.endText)")
            html.raw("</td><td class=\"tablecol\">")
            html.text(model.tables[meeting.table].name)
            html.raw("</td><td>")
            html.text(other.name)
            html.raw("</td><td>")
            html.text(other.organisation)
            if showTopics {
                html.raw("</td><td>")
                html.text(other.topics.joined(separator: ", "))
            }
            html.raw("</td></tr>\n")
        }
        html.raw("</tbody></table>\n</section>\n")
    }
}
