import Foundation

/// CSV as RFC 4180 writes it, for Excel as much as for programs: UTF-8 with a byte order
/// mark (without it, Excel reads UTF-8 as the local code page), CRLF after every record,
/// fields quoted when they hold the separator, a quote or a line break, quotes doubled.
///
/// A field that starts with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading
/// apostrophe: spreadsheets would otherwise run it as a formula, and names come from
/// registration forms anyone can fill in.
struct CSVWriter {
    private(set) var bytes: [UInt8] = [0xEF, 0xBB, 0xBF]
    let separator: UInt8

    init(separator: CSVSeparator, capacity: Int = 0) {
        self.separator = separator.byte
        bytes.reserveCapacity(capacity)
    }

    mutating func record(_ fields: [String]) {
        for (index, field) in fields.enumerated() {
            if index > 0 { bytes.append(separator) }
            append(field)
        }
        bytes.append(UInt8(ascii: "\r"))
        bytes.append(UInt8(ascii: "\n"))
    }

    private mutating func append(_ field: String) {
        let utf8 = field.utf8
        let guarded = utf8.first.map(Self.formulaStarts.contains) ?? false
        let needsQuotes = utf8.contains { $0 == separator || $0 == Self.quote || $0 == 0x0A || $0 == 0x0D }
        if needsQuotes { bytes.append(Self.quote) }
        if guarded { bytes.append(UInt8(ascii: "'")) }
        for byte in utf8 {
            bytes.append(byte)
            if byte == Self.quote { bytes.append(Self.quote) }
        }
        if needsQuotes { bytes.append(Self.quote) }
    }

    var data: Data { Data(bytes) }

    private static let quote = UInt8(ascii: "\"")
    private static let formulaStarts: Set<UInt8> = [
        UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@"), 0x09, 0x0D,
    ]
}
