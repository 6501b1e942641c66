/// Just enough reading of the views' HTML to find what a person sees in a row or a cell.
enum HTMLCells {
    /// The text of each cell (`<td>`) of the first table row whose header cell contains
    /// `rowHeading`, in the page section that contains `section`; tags removed.
    static func row(_ html: String, section: String, rowHeading: String) -> [String]? {
        let sections = html.components(separatedBy: "<section")
        guard let page = sections.first(where: { $0.contains(section) }) else { return nil }
        for row in page.components(separatedBy: "<tr>").dropFirst() {
            let cells = row.components(separatedBy: "<td")
            guard let heading = cells.first, heading.contains(rowHeading) else { continue }
            return cells.dropFirst().map { cell in
                let inner = String(cell.drop { $0 != ">" }.dropFirst())
                return plain(inner.components(separatedBy: "</td>")[0])
            }
        }
        return nil
    }

    /// The text of markup, tags removed, spans of text separated by ` | `.
    static func plain(_ markup: String) -> String {
        var pieces: [String] = []
        var current = ""
        var inTag = false
        for character in markup {
            if character == "<" {
                inTag = true
                if !current.isEmpty { pieces.append(current) }
                current = ""
            } else if character == ">" {
                inTag = false
            } else if !inTag {
                current.append(character)
            }
        }
        if !current.isEmpty { pieces.append(current) }
        return pieces.map(unescape).joined(separator: " | ")
    }

    /// The text an HTML parser makes of the entities the views write.
    static func unescape(_ text: String) -> String {
        text.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&amp;", with: "&")
    }

    /// The page sections (`<section class="page ...">`) of a document.
    static func sections(_ html: String) -> [String] {
        Array(html.components(separatedBy: "<section class=\"page").dropFirst())
    }
}
