/// Undoes what a keyboard-wedge scanner does to a ticket when the scanner types for a US
/// keyboard and the desk computer is set to French AZERTY (the usual case in Paris).
///
/// A scanner sends key positions, not characters: it presses the US key for each
/// character, with Shift for capitals and for the US shifted symbols. The French layout
/// reads the same positions differently: digits come out as `&é"'(-è_çà` (they need
/// Shift on AZERTY), A and Q swap, Z and W swap, and `PT1:` arrives as `PT&M`.
/// On the 45 characters of a ticket the change is one-to-one, so it can be undone exactly.
public enum ScannedText {
    /// What an AZERTY computer shows for each ticket character typed by a US scanner.
    static let azertyForUS: [Character: Character] = [
        "1": "&", "2": "é", "3": "\"", "4": "'", "5": "(", "6": "-", "7": "è", "8": "_", "9": "ç", "0": "à",
        "A": "Q", "Q": "A", "Z": "W", "W": "Z", "M": "?",
        // Shifted US symbols: the AZERTY key at the same place, shifted.
        "$": "4", "%": "5", "*": "8", ":": "M",
        // Unshifted US symbols.
        "-": ")", ".": ":", "/": "!",
    ]

    private static let usForAZERTY: [Character: Character] = Dictionary(
        uniqueKeysWithValues: azertyForUS.map { ($0.value, $0.key) })

    /// The AZERTY reading of the ticket prefix `PT1:`.
    static let garbledPrefix = "PT&M"

    /// The ticket text the scanner meant: unchanged unless the text starts the way a
    /// ticket typed through the wrong layout does (`PT&M`), in which case every character
    /// is mapped back, or with Caps Lock on (`pt1:`: Shift then gives lower-case letters
    /// and leaves digits and symbols alone), in which case letters are put back in
    /// upper case. A ticket has no lower-case letters, so neither repair can turn one
    /// valid ticket into another.
    public static func repaired(_ text: String) -> String {
        if text.hasPrefix(garbledPrefix) {
            return String(text.map { usForAZERTY[$0] ?? $0 })
        }
        if text.hasPrefix("pt1:") {
            return text.uppercased()
        }
        return text
    }
}
