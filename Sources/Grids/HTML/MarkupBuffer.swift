import Foundation

/// HTML or SVG being written: markup the code wrote goes in as it is, every text that came
/// from the documents goes through `text(_:)`, which escapes it for both element content and
/// quoted attribute values.
struct MarkupBuffer {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int = 0) { bytes.reserveCapacity(capacity) }

    /// Markup written by this code; never pass document text here.
    mutating func raw(_ markup: String) {
        bytes.append(contentsOf: markup.utf8)
    }

    /// Text from the documents (names, organisations, ids...), escaped.
    mutating func text(_ value: String) {
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "&"): bytes.append(contentsOf: Self.ampersand)
            case UInt8(ascii: "<"): bytes.append(contentsOf: Self.lessThan)
            case UInt8(ascii: ">"): bytes.append(contentsOf: Self.greaterThan)
            case UInt8(ascii: "\""): bytes.append(contentsOf: Self.quote)
            case UInt8(ascii: "'"): bytes.append(contentsOf: Self.apostrophe)
            // Controls other than tab and line breaks are not allowed in XML: drop them.
            case 0x00...0x08, 0x0B, 0x0C, 0x0E...0x1F: continue
            default: bytes.append(byte)
            }
        }
    }

    /// A number written by this code.
    mutating func number(_ value: Int) {
        bytes.append(contentsOf: String(value).utf8)
    }

    /// `<tag class="...">text</tag>` with the text escaped.
    mutating func element(_ tag: String, class className: String? = nil, _ content: String) {
        raw(className.map { "<\(tag) class=\"\($0)\">" } ?? "<\(tag)>")
        text(content)
        raw("</\(tag)>")
    }

    var data: Data { Data(bytes) }

    private static let ampersand = Array("&amp;".utf8)
    private static let lessThan = Array("&lt;".utf8)
    private static let greaterThan = Array("&gt;".utf8)
    private static let quote = Array("&quot;".utf8)
    private static let apostrophe = Array("&#39;".utf8)
}
