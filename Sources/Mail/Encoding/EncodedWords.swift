import Foundation

/// RFC 2047 encoded-words in the "Q" encoding: `=?UTF-8?Q?H=C3=A9l=C3=A8ne_Dupr=C3=A9?=`.
///
/// Words are cut between Unicode scalars, so that each one decodes to valid UTF-8 on its own,
/// and each is at most 75 characters long (RFC 2047 section 2).
enum EncodedWords {
    static let maxWordLength = 75
    private static let prefix = "=?UTF-8?Q?"
    private static let suffix = "?="
    private static let hexDigits = Array("0123456789ABCDEF")

    /// Whether a header text must be encoded: it has non-ASCII characters, or it contains
    /// `=?`, which a reader would otherwise take for the start of an encoded-word.
    static func needsEncoding(_ text: String) -> Bool {
        text.unicodeScalars.contains { !$0.isASCII } || text.contains("=?")
    }

    /// Encodes `text` as a run of encoded-words; the first is kept within `firstLimit`
    /// characters (the room left on the header's first line), the others within 75.
    static func encode(_ text: String, firstLimit: Int) -> [String] {
        let overhead = prefix.count + suffix.count
        var words: [String] = []
        var payload = ""
        var limit = max(firstLimit, overhead + 12) - overhead
        for scalar in text.unicodeScalars {
            let piece = encodedScalar(scalar)
            if !payload.isEmpty && payload.utf8.count + piece.utf8.count > limit {
                words.append(prefix + payload + suffix)
                payload = ""
                limit = maxWordLength - overhead
            }
            payload += piece
        }
        if !payload.isEmpty || words.isEmpty { words.append(prefix + payload + suffix) }
        return words
    }

    /// The whole text as one "B" (base64) encoded-word, if it fits in 75 characters.
    ///
    /// Display names use it: some readers (Python's `email` among them) keep the space
    /// between two encoded-words of a phrase, which RFC 2047 section 6.2 says to drop, so a
    /// name in a single word reads the same everywhere.
    static func singleBase64Word(_ text: String) -> String? {
        let word = "=?UTF-8?B?" + Data(text.utf8).base64EncodedString() + suffix
        return word.utf8.count <= maxWordLength ? word : nil
    }

    /// One scalar in the Q encoding, restricted to the characters RFC 2047 section 5 (3)
    /// allows inside a phrase, so the same words serve subjects and display names.
    private static func encodedScalar(_ scalar: Unicode.Scalar) -> String {
        switch scalar {
        case " ": return "_"
        case "A"..."Z", "a"..."z", "0"..."9", "!", "*", "+", "-", "/": return String(Character(scalar))
        default:
            var result = ""
            for byte in String(Character(scalar)).utf8 {
                result.append("=")
                result.append(hexDigits[Int(byte >> 4)])
                result.append(hexDigits[Int(byte & 0x0F)])
            }
            return result
        }
    }
}
