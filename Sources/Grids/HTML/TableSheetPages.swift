/// `tables.html`: one A4 sheet per table for its host, every slot of every day with who
/// meets there (free slots included, so the host sees the gaps).
struct TableSheetPages {
    let document: HTMLDocument

    init(model: GridModel, options: GridOptions) {
        document = HTMLDocument(model: model, options: options, view: .tables)
    }

    func render() -> RenderedFile {
        let model = document.model
        let labels = document.labels
        var html = MarkupBuffer(capacity: 2_000 + model.meetings.count * 300 + model.cell.count * 80)
        document.begin(&html, title: labels.tableSheets)
        document.navigation(&html)
        for table in model.tables.indices {
            html.raw("<section class=\"page sheet\">\n<p class=\"event\">")
            html.text(model.eventName)
            html.raw("</p>\n<h1>")
            html.text(model.tables[table].name)
            html.raw("</h1>\n")
            if let host = model.tables[table].host {
                html.raw("<p>")
                html.text("\(labels.host): \(model.participants[host].name)")
                html.raw("</p>\n")
            }
            for (number, day) in model.days.enumerated() where !day.slots.isEmpty {
                html.raw("<h2>")
                html.text(document.dayTitles[number])
                html.raw("</h2>\n<table class=\"agenda\"><thead><tr>")
                for heading in [labels.time, "\(labels.participant) 1", "\(labels.participant) 2"] {
                    html.element("th", heading)
                }
                html.raw("</tr></thead><tbody>\n")
                for slot in day.slots {
                    let meeting = model.meeting(slot: slot, table: table)
                    html.raw(meeting == nil ? "<tr class=\"free\"><td class=\"time\">" : "<tr><td class=\"time\">")
                    html.text("\(model.slots[slot].startText)–\(model.slots[slot].endText)")
                    html.raw("</td>")
                    if let meeting {
                        for participant in [meeting.first, meeting.second] {
                            html.raw("<td>")
                            html.text(model.participants[participant].name)
                            html.raw("<br><small>")
                            html.text(model.participants[participant].organisation)
                            html.raw("</small></td>")
                        }
                    } else {
                        html.raw("<td colspan=\"2\">")
                        html.text(labels.free)
                        html.raw("</td>")
                    }
                    html.raw("</tr>\n")
                }
                html.raw("</tbody></table>\n")
            }
            html.raw("</section>\n")
        }
        document.end(&html)
        return RenderedFile(path: "tables.html", data: html.data)
    }
}
