/// The style sheets of the pages: one base for screen and print, and the paper of each view.
enum PageStyle {
    /// Fill and edge colours per role index (cycled), readable in colour and in grey print.
    static let rolePalette: [(fill: String, edge: String)] = [
        ("#dbeafe", "#1d4ed8"), ("#dcfce7", "#15803d"), ("#fef3c7", "#b45309"),
        ("#ede9fe", "#6d28d9"), ("#ffe4e6", "#be123c"), ("#ccfbf1", "#0f766e"),
    ]
    /// Cell fill per priority 1, 2, 3 (most wanted darkest), then for a meeting without request.
    static let priorityFills = ["#fca5a5", "#fdba74", "#fde68a", "#e5e7eb"]

    static func roleColour(_ index: Int) -> (fill: String, edge: String) {
        rolePalette[index % rolePalette.count]
    }

    /// The `@page` rule of a view: A3 landscape for the grid, A4 portrait otherwise.
    static func paper(for view: GridView) -> String {
        view == .grid ? "@page { size: A3 landscape; margin: 9mm; }" : "@page { size: A4 portrait; margin: 12mm; }"
    }

    /// Classes `.r0`, `.r1`... and `.q1`... for the colours of roles and priorities.
    static func colourRules(roleCount: Int) -> String {
        var rules = ""
        for index in 0..<max(roleCount, 1) {
            let colour = roleColour(index)
            rules += ".r\(index) { background: \(colour.fill); border-left: 3px solid \(colour.edge); }\n"
        }
        for (index, fill) in priorityFills.enumerated() {
            rules += ".q\(index + 1) { background: \(fill); }\n"
        }
        return rules
    }

    static let base = """
        :root { font-family: "Helvetica Neue", Arial, "Liberation Sans", sans-serif; color: #111827; }
        * { box-sizing: border-box; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
        body { margin: 0; padding: 16px; font-size: 11pt; }
        h1 { font-size: 16pt; margin: 0 0 4px; }
        h2 { font-size: 13pt; margin: 14px 0 6px; }
        h3 { font-size: 11pt; margin: 10px 0 4px; }
        .event { color: #4b5563; margin: 0 0 2px; font-size: 10pt; }
        .muted, small { color: #4b5563; }
        table { border-collapse: collapse; width: 100%; }
        th, td { border: 1px solid #9ca3af; padding: 3px 5px; text-align: left; vertical-align: top; }
        thead th { background: #f3f4f6; }
        thead { display: table-header-group; }
        tr { break-inside: avoid; page-break-inside: avoid; }
        .page + .page { break-before: page; page-break-before: always; }
        .legend { display: flex; flex-wrap: wrap; gap: 6px 14px; margin: 8px 0; font-size: 9pt; }
        .legend span { padding: 1px 6px; }
        .summary { display: grid; grid-template-columns: repeat(auto-fill, minmax(170px, 1fr)); gap: 8px; margin: 8px 0 12px; }
        .summary div { border: 1px solid #d1d5db; padding: 6px 8px; }
        .summary b { display: block; font-size: 15pt; }
        .charts svg { max-width: 100%; height: auto; margin: 6px 0 14px; display: block; }
        nav { margin-bottom: 10px; font-size: 10pt; }
        @media print { body { padding: 0; } nav { display: none; } }

        /* The grid: tables down, slots across. */
        table.grid { table-layout: fixed; font-size: 8pt; }
        table.grid th.table { width: 9em; }
        table.grid td { padding: 1px; height: 2.8em; }
        table.grid .person { display: block; padding: 1px 3px; margin: 1px 0; line-height: 1.15; overflow-wrap: anywhere; }
        table.grid .person small { display: block; }
        td.free { background: #fff; }
        table.grid .session { border-left: 3px solid #374151; }
        .host { display: block; font-weight: normal; font-size: 7pt; color: #4b5563; }
        .pin { outline: 2px dashed #374151; outline-offset: -2px; }

        /* Agendas and table sheets: A4 portrait, one person or table per page. */
        table.agenda { font-size: 10pt; margin-bottom: 8px; }
        table.agenda td.time { white-space: nowrap; width: 7.5em; }
        table.agenda td.tablecol { white-space: nowrap; width: 6em; }
        table.agenda tr.free td { color: #6b7280; font-style: italic; }
        .none { font-style: italic; color: #4b5563; }
        ul.reasons { margin: 0; padding-left: 1.2em; }

        """
}
