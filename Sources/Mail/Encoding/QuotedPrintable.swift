/// Quoted-printable (RFC 2045 section 6.7) for UTF-8 text bodies.
///
/// Line breaks of the text, whatever their form, become CRLF hard breaks; encoded lines
/// are at most 76 characters; a soft break never cuts an `=XX` triplet nor a UTF-8 sequence.
/// A `.` or `From ` at the start of a line is encoded too, so that the file survives
/// `sendmail` without `-i` and mbox-style relays unchanged.
enum QuotedPrintable {
    static let lineLimit = 76
    private static let hexDigits: [UInt8] = Array("0123456789ABCDEF".utf8)
    private static let from: [UInt8] = Array("From ".utf8)

    static func encode(_ text: String) -> String {
        var source = Array(text.utf8)
        var output: [UInt8] = []
        output.reserveCapacity(source.count + source.count / 4 + 16)
        source.withUnsafeMutableBufferPointer { bytes in
            var lineStart = 0
            var index = 0
            while index <= bytes.count {
                let atEnd = index == bytes.count
                if atEnd || bytes[index] == 10 || bytes[index] == 13 {
                    encodeLine(bytes, lineStart..<index, into: &output)
                    if atEnd { break }
                    output += [13, 10]
                    if bytes[index] == 13 && index + 1 < bytes.count && bytes[index + 1] == 10 { index += 1 }
                    lineStart = index + 1
                }
                index += 1
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    private static func encodeLine(
        _ bytes: UnsafeMutableBufferPointer<UInt8>, _ line: Range<Int>, into output: inout [UInt8]
    ) {
        var column = 0
        var index = line.lowerBound
        while index < line.upperBound {
            let end = min(index + sequenceLength(bytes[index]), line.upperBound)
            let isLast = end == line.upperBound
            // The encoded width of this character, to decide on a soft break before it.
            var width = 0
            for position in index..<end {
                width +=
                    mustEncode(
                        bytes, position, line: line, atLineStart: column == 0 && position == index, isLast: isLast)
                    ? 3 : 1
            }
            // Keep room for the soft break's "=" unless this character ends the line.
            let room = isLast ? lineLimit : lineLimit - 1
            if column > 0 && column + width > room {
                output += [61, 13, 10]
                column = 0
                continue  // measure again: the character now starts a line
            }
            for position in index..<end {
                let byte = bytes[position]
                if mustEncode(
                    bytes, position, line: line, atLineStart: column == 0 && position == index, isLast: isLast)
                {
                    output += [61, hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0x0F)]]
                } else {
                    output.append(byte)
                }
            }
            column += width
            index = end
        }
    }

    private static func mustEncode(
        _ bytes: UnsafeMutableBufferPointer<UInt8>, _ position: Int, line: Range<Int>, atLineStart: Bool, isLast: Bool
    ) -> Bool {
        switch bytes[position] {
        case 61: return true  // "="
        case 32, 9: return isLast  // trailing white space would be lost in transport
        case 46: return atLineStart  // "." alone on a line ends an SMTP DATA section
        case 70:  // "From " at the start of a line gets mangled by mbox relays
            guard atLineStart, line.upperBound - position >= from.count else { return false }
            return (0..<from.count).allSatisfy { bytes[position + $0] == from[$0] }
        case 33...126: return false
        default: return true
        }
    }

    /// The number of bytes of the UTF-8 sequence that starts with `lead`.
    private static func sequenceLength(_ lead: UInt8) -> Int {
        switch lead {
        case 0xF0...0xF7: 4
        case 0xE0...0xEF: 3
        case 0xC0...0xDF: 2
        default: 1
        }
    }
}
