import Foundation

/// What the desk had to undo in a scanned text before verifying it.
public enum ScanRepair: String, Sendable, Codable, Hashable {
    /// The text was a ticket as scanned (line breaks and spaces around it aside).
    case none
    /// Letters came in lower case (Caps Lock, or a scanner set to lower case).
    case lowerCase = "lower_case"
    /// A scanner typing for a US QWERTY keyboard on a desk set to French AZERTY.
    case azerty
    /// Both: AZERTY mix-ups and lower-case letters.
    case azertyLowerCase = "azerty_lower_case"
}

/// A scanned text made ready for the verifier.
///
/// A USB barcode scanner is a keyboard: it sends the *keys* that type the code on the
/// layout it was configured for. Configured for US QWERTY and plugged into a computer set
/// to French AZERTY, it sends the key of `1` and the computer reads `&`. The mapping is
/// one character to one character and one-to-one on the ticket alphabet, so it can be
/// undone exactly. A ticket always starts with `PT<digit>:`, which the mix-up turns into
/// `PT&M` (for `PT1:`): the repair is applied only when it yields that prefix, so a
/// genuine ticket is never altered. See docs/checkin.md for the table.
public struct ScannedText: Sendable, Hashable {
    /// The text to verify.
    public var text: String
    /// What was undone.
    public var repair: ScanRepair

    /// Normalises `raw`: trims white space and control characters at both ends, then
    /// undoes lower case and AZERTY mix-ups when that makes the text start like a ticket.
    public init(_ raw: String) {
        let trimmed = raw.trimmingCharacters(in: .whitespacesAndNewlines.union(.controlCharacters))
        let candidates: [(String, ScanRepair)] = [
            (trimmed, .none),
            (Self.upperCasingASCII(trimmed), .lowerCase),
            (Self.undoingAZERTY(trimmed), .azerty),
            (Self.undoingAZERTY(Self.upperCasingASCII(trimmed)), .azertyLowerCase),
        ]
        let repaired = candidates.first { Self.startsLikeATicket($0.0) }
        text = repaired?.0 ?? trimmed
        repair = repaired?.1 ?? .none
    }

    /// What a US-QWERTY scanner's keys type on a French AZERTY keyboard, for every
    /// character of the ticket alphabet (`0-9 A-Z`, space, `$%*+-./:`) that changes.
    /// Upper-case letters are typed with Shift; so are `$ % * + :` on QWERTY.
    public static let qwertyToAZERTY: [Character: Character] = [
        "1": "&", "2": "é", "3": "\"", "4": "'", "5": "(", "6": "-", "7": "è", "8": "_", "9": "ç", "0": "à",
        "A": "Q", "Q": "A", "W": "Z", "Z": "W", "M": "?",
        "$": "4", "%": "5", "*": "8", "-": ")", ".": ":", "/": "!", ":": "M",
    ]

    /// The inverse of ``qwertyToAZERTY``: what the desk received, to what the ticket says.
    public static let azertyToQWERTY: [Character: Character] = Dictionary(
        uniqueKeysWithValues: qwertyToAZERTY.map { ($0.value, $0.key) })

    static func undoingAZERTY(_ text: String) -> String {
        String(text.map { azertyToQWERTY[$0] ?? $0 })
    }

    static func upperCasingASCII(_ text: String) -> String {
        String(
            String.UnicodeScalarView(
                text.unicodeScalars.map { scalar in
                    ("a"..."z").contains(scalar) ? Unicode.Scalar(scalar.value - 32) ?? scalar : scalar
                }))
    }

    /// `PT`, one digit, `:`: the start of every ticket format version.
    static func startsLikeATicket(_ text: String) -> Bool {
        let start = Array(text.utf8.prefix(4))
        return start.count == 4 && start[0] == UInt8(ascii: "P") && start[1] == UInt8(ascii: "T")
            && (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(start[2]) && start[3] == UInt8(ascii: ":")
    }
}
