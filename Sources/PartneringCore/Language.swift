import Foundation

/// The languages the product speaks to attendees.
public enum Language: String, Sendable, Codable, CaseIterable, Hashable {
    case fr
    case en

    /// The language to use for an `Accept-Language` header value, among `supported`.
    /// Quality values are honoured; unknown tags fall back to `fallback`.
    public static func negotiate(
        acceptLanguage header: String?, supported: [Language] = Language.allCases,
        fallback: Language = .fr
    ) -> Language {
        guard let header, !header.isEmpty else { return fallback }
        var best: (language: Language, quality: Double)?
        for part in header.split(separator: ",") {
            let pieces = part.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let tag = pieces.first?.lowercased() else { continue }
            var quality = 1.0
            for parameter in pieces.dropFirst() where parameter.hasPrefix("q=") {
                quality = Double(parameter.dropFirst(2)) ?? 0
            }
            let primary = String(tag.split(separator: "-").first ?? "")
            guard let language = Language(rawValue: primary), supported.contains(language),
                quality > 0
            else { continue }
            if best == nil || quality > (best?.quality ?? 0) { best = (language, quality) }
        }
        return best?.language ?? fallback
    }
}

/// A text in each of the event's languages.
public struct LocalizedText: Hashable, Sendable, Codable {
    public var fr: String
    public var en: String

    public init(fr: String, en: String) {
        self.fr = fr
        self.en = en
    }

    /// The same text in both languages (a proper name, say).
    public init(_ both: String) {
        self.fr = both
        self.en = both
    }

    public subscript(language: Language) -> String {
        switch language {
        case .fr: fr
        case .en: en
        }
    }
}
