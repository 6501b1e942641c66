import Foundation

/// CSV as RFC 4180 writes it, for Excel as much as for programs: UTF-8 with a byte order
/// mark (without it, Excel reads UTF-8 as the local code page), CRLF after every record,
/// fields quoted when they hold the separator, a quote or a line break, quotes doubled.
///
/// A field that starts with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading
/// apostrophe: spreadsheets would otherwise run it as a formula, and names come from
/// registration forms anyone can fill in.
///
/// The grids' CSV files and the organiser's registration export are both written here.
public struct CSVWriter: Sendable {
    /// The file so far, byte order mark first.
    public private(set) var bytes: [UInt8] = [0xEF, 0xBB, 0xBF]
    private let separator: UInt8

    /// An empty file (the byte order mark alone) whose fields are split by `separator`;
    /// `capacity` bytes are reserved up front for a file whose size is known roughly.
    public init(separator: CSVSeparator, capacity: Int = 0) {
        self.separator = separator.byte
        bytes.reserveCapacity(capacity)
    }

    /// Appends one record (a line) of `fields`.
    public mutating func record(_ fields: [String]) {
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

    /// The file as bytes.
    public var data: Data { Data(bytes) }

    private static let quote = UInt8(ascii: "\"")
    private static let formulaStarts: Set<UInt8> = [
        UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@"), 0x09, 0x0D,
    ]
}

/// The field separator of CSV files. French Excel splits on `;` (the comma is the decimal
/// separator there), so the grids default to the semicolon.
public enum CSVSeparator: String, Sendable, CaseIterable {
    case semicolon
    case comma

    var byte: UInt8 { self == .semicolon ? UInt8(ascii: ";") : UInt8(ascii: ",") }
}
