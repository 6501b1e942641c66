/// What free text from outside (names, organisations, messages) may contain.
///
/// Refused everywhere: control characters (C0, DEL, C1, NUL among them), the Unicode line
/// and paragraph separators, and the bidirectional embedding, override and isolate controls
/// that make a name display as something else (U+202A–U+202E, U+2066–U+2069). Multi-line
/// fields (a profile, a message) keep tab, line feed and carriage return.
public enum TextRules {
    /// How many code points a field may hold per character of its limit: accented letters
    /// written decomposed take two, emoji sequences a few more; a wall of combining marks
    /// stacked on a few letters (one "character" of hundreds of code points) is refused.
    public static let codePointsPerCharacter = 4

    /// Whether `scalar` may appear in text of a field (`multiline` for profiles and messages).
    public static func isAllowed(_ scalar: Unicode.Scalar, multiline: Bool) -> Bool {
        switch scalar.value {
        case 0x09, 0x0A, 0x0D: multiline
        case 0x00...0x1F, 0x7F...0x9F: false
        case 0x2028, 0x2029: false
        case 0x202A...0x202E, 0x2066...0x2069: false
        default: true
        }
    }

    /// The problem of a text field's trimmed value, if any: a refused character, or more than
    /// `max` characters or `max × codePointsPerCharacter` code points.
    public static func problem(of text: String, max: Int, multiline: Bool = false) -> FieldIssue.Problem? {
        if !text.unicodeScalars.allSatisfy({ isAllowed($0, multiline: multiline) }) { return .controlCharacter }
        if text.count > max || text.unicodeScalars.count > max * codePointsPerCharacter { return .tooLong(max: max) }
        return nil
    }
}
