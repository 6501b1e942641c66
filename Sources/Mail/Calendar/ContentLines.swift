import Foundation
import PartneringCore

/// iCalendar content lines (RFC 5545 section 3.1): `NAME;PARAM="value":value`, folded
/// at 75 octets without cutting a UTF-8 sequence, joined by CRLF.
struct ContentLines {
    static let octetLimit = 75
    private(set) var text = ""

    /// Adds a line; `value` must already be escaped for its type. Parameter values lose
    /// the characters a parameter cannot hold (DQUOTE, controls) and are quoted unless
    /// they are plain tokens.
    mutating func add(_ name: String, _ value: String, parameters: [(String, String)] = []) {
        var line = name
        for (key, parameterValue) in parameters {
            let clean = String(
                parameterValue.unicodeScalars.filter { $0 != "\"" && $0.value >= 0x20 && $0.value != 0x7F }
                    .map(Character.init))
            let isToken =
                !clean.isEmpty
                && clean.unicodeScalars.allSatisfy {
                    $0.isASCII
                        && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-" || $0 == "_"
                            || $0 == "/" || $0 == ".")
                }
            line += isToken ? ";\(key)=\(clean)" : ";\(key)=\"\(clean)\""
        }
        line += ":" + value
        append(folded: line)
    }

    /// Appends lines already folded and terminated.
    mutating func append(raw lines: String) {
        text += lines
    }

    private mutating func append(folded line: String) {
        let bytes = Array(line.utf8)
        var start = 0
        var limit = Self.octetLimit
        while bytes.count - start > limit {
            var end = start + limit
            // Step back to the first byte of a UTF-8 sequence (continuation bytes are 10xxxxxx).
            while end > start + 1 && bytes[end] & 0xC0 == 0x80 { end -= 1 }
            text += String(decoding: bytes[start..<end], as: UTF8.self) + "\r\n "
            start = end
            limit = Self.octetLimit - 1  // the leading space counts
        }
        text += String(decoding: bytes[start...], as: UTF8.self) + "\r\n"
    }

    /// Escapes a TEXT value (section 3.3.11): backslash, semicolon, comma and line breaks;
    /// other control characters are dropped, as TEXT cannot hold them.
    static func escapeText(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "\\": result += "\\\\"
            case ";": result += "\\;"
            case ",": result += "\\,"
            case "\r\n", "\n", "\r": result += "\\n"
            default:
                if let scalar = character.unicodeScalars.first, character.unicodeScalars.count == 1,
                    scalar.value < 0x20 && scalar != "\t" || scalar.value == 0x7F
                {
                    continue
                }
                result.append(character)
            }
        }
        return result
    }
}

/// Local date-times as iCalendar writes them: `20261015T090000`.
struct LocalTimeFormatter {
    static let utc = LocalTimeFormatter(timeZone: TimeZone(identifier: "UTC") ?? .current)
    private let calendar: Calendar

    init(timeZone: TimeZone) {
        self.calendar = .gregorian(in: timeZone)
    }

    func string(_ date: Date) -> String {
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return Self.digits(parts.year ?? 0, 4) + Self.digits(parts.month ?? 0, 2) + Self.digits(parts.day ?? 0, 2) + "T"
            + Self.digits(parts.hour ?? 0, 2) + Self.digits(parts.minute ?? 0, 2) + Self.digits(parts.second ?? 0, 2)
    }

    /// `value` in decimal, left-padded with zeros to `width` digits.
    static func digits(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }
}
