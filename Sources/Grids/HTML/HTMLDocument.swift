/// The frame every HTML view shares: head, style, navigation between the views.
struct HTMLDocument {
    let model: GridModel
    let options: GridOptions
    let view: GridView
    let labels: GridLabels
    /// The title of each day, made once (a date formatter is costly to make).
    let dayTitles: [String]

    init(model: GridModel, options: GridOptions, view: GridView) {
        self.model = model
        self.options = options
        self.view = view
        self.labels = GridLabels(options.language)
        self.dayTitles = labels.dayTitles(of: model)
    }

    func begin(_ html: inout MarkupBuffer, title: String) {
        html.raw("<!DOCTYPE html>\n<html lang=\"\(options.language.rawValue)\">\n<head>\n<meta charset=\"utf-8\">\n")
        html.raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>")
        html.text("\(title) — \(model.eventName)")
        html.raw("</title>\n<style>\n")
        html.raw(PageStyle.paper(for: view))
        html.raw("\n")
        html.raw(PageStyle.base)
        html.raw(PageStyle.colourRules(roleCount: model.roles.count))
        html.raw("</style>\n</head>\n<body class=\"\(view.rawValue)\">\n")
    }

    /// Links to the sibling files, for the screen only (hidden in print). Agendas split into
    /// one file per participant live one folder down.
    func navigation(_ html: inout MarkupBuffer, prefix: String = "") {
        let entries: [(GridView, String)] = [
            (.grid, labels.grid), (.tables, labels.tableSheets), (.agendas, labels.agendas),
            (.noMeetings, labels.noMeetings),
        ]
        html.raw("<nav>")
        for (index, entry) in entries.enumerated() {
            if index > 0 { html.raw(" · ") }
            let target = entry.0 == .agendas && options.agendaPerFile ? "agendas/index" : entry.0.rawValue
            html.raw("<a href=\"\(prefix)\(target).html\">")
            html.text(entry.1)
            html.raw("</a>")
        }
        html.raw("</nav>\n")
    }

    func end(_ html: inout MarkupBuffer) {
        html.raw("</body>\n</html>\n")
    }

    /// A participant as a grid cell shows them: name over organisation, coloured by role.
    func person(_ html: inout MarkupBuffer, _ participant: Int) {
        let person = model.participants[participant]
        let colour = options.colouring == .role ? " r\(person.roleIndex)" : ""
        html.raw("<span class=\"person\(colour)\">")
        html.text(person.name)
        if !person.organisation.isEmpty {
            html.raw("<small>")
            html.text(person.organisation)
            html.raw("</small>")
        }
        html.raw("</span>")
    }

    /// The key to the colours of the grid.
    func legend(_ html: inout MarkupBuffer) {
        html.raw("<div class=\"legend\"><strong>")
        html.text(labels.legend)
        html.raw("</strong>")
        switch options.colouring {
        case .role:
            for (index, role) in model.roles.enumerated() {
                html.raw("<span class=\"r\(index)\">")
                html.text(options.roleName(role))
                html.raw("</span>")
            }
        case .priority:
            for priority in 1...3 {
                html.raw("<span class=\"q\(priority)\">")
                html.text(labels.priorityName(priority))
                html.raw("</span>")
            }
        }
        html.raw("<span class=\"pin\">")
        html.text(labels.pinned)
        html.raw("</span></div>\n")
    }

    /// `Table 1`, with the host's name under it for a host table.
    func tableHeading(_ html: inout MarkupBuffer, _ table: Int) {
        html.text(model.tables[table].name)
        if let host = model.tables[table].host {
            html.raw("<span class=\"host\">")
            html.text(model.participants[host].name)
            html.raw("</span>")
        }
    }
}
