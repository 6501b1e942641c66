/// An SVG picture being drawn, with every text escaped. Coordinates are in user units (the
/// picture scales to its container).
struct SVGCanvas {
    private var body = MarkupBuffer()
    let width: Int
    let height: Int
    let title: String

    init(width: Int, height: Int, title: String) {
        self.width = width
        self.height = height
        self.title = title
    }

    /// A rectangle; `tooltip` becomes its `<title>`, shown on hover.
    mutating func rectangle(x: Double, y: Double, width: Double, height: Double, fill: String, tooltip: String? = nil) {
        body.raw("<rect x=\"\(Self.format(x))\" y=\"\(Self.format(y))\" width=\"\(Self.format(width))\" ")
        body.raw("height=\"\(Self.format(height))\" fill=\"\(fill)\"")
        if let tooltip {
            body.raw("><title>")
            body.text(tooltip)
            body.raw("</title></rect>")
        } else {
            body.raw("/>")
        }
    }

    mutating func line(x1: Double, y1: Double, x2: Double, y2: Double, stroke: String = "#6b7280") {
        body.raw(
            "<line x1=\"\(Self.format(x1))\" y1=\"\(Self.format(y1))\" x2=\"\(Self.format(x2))\" y2=\"\(Self.format(y2))\" stroke=\"\(stroke)\"/>"
        )
    }

    enum Anchor: String {
        case start, middle, end
    }

    mutating func text(
        _ content: String, x: Double, y: Double, size: Double = 11, anchor: Anchor = .start, fill: String = "#111827",
        bold: Bool = false
    ) {
        body.raw("<text x=\"\(Self.format(x))\" y=\"\(Self.format(y))\" font-size=\"\(Self.format(size))\" ")
        body.raw("text-anchor=\"\(anchor.rawValue)\" fill=\"\(fill)\"\(bold ? " font-weight=\"bold\"" : "")>")
        body.text(content)
        body.raw("</text>")
    }

    /// The finished `<svg>` element, with its title for screen readers.
    func markup(into html: inout MarkupBuffer) {
        html.raw("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(width) \(height)\" ")
        html.raw("width=\"\(width)\" height=\"\(height)\" role=\"img\" font-family=\"Helvetica, Arial, sans-serif\">")
        html.raw("<title>")
        html.text(title)
        html.raw("</title>")
        html.raw(String(decoding: body.bytes, as: UTF8.self))
        html.raw("</svg>\n")
    }

    /// One decimal at most, so the files stay small.
    static func format(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }
}
