import Foundation

/// The folded form of text used for directory search: lower case, without
/// diacritics, so that "Hélène" is found by "helene" and "HELENE" alike.
/// Stores keep the folded text next to the original and compare folded forms.
public enum SearchText {
    /// `text` in lower case, without diacritics and with runs of white space collapsed.
    public static func fold(_ text: String) -> String {
        let folded = text.folding(
            options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive],
            locale: Locale(identifier: "en_US_POSIX")
        ).lowercased()
        return folded.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// The folded text a participant is searched by: name, organisation and profile.
    public static func of(_ participant: Participant) -> String {
        fold([participant.name, participant.organisation, participant.profile].joined(separator: " "))
    }

    /// The normalised form of an e-mail address under which duplicates are detected.
    public static func emailKey(_ email: String) -> String {
        email.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
    }
}
