import Foundation

/// The ISO 3166-1 alpha-2 codes the forms offer, with their names in a language.
public enum Countries {
    /// Every assigned two-letter code Foundation knows.
    public static let codes: Set<String> = Set(
        Locale.Region.isoRegions.map(\.identifier).filter { code in
            code.count == 2 && code.allSatisfy { $0.isLetter && $0.isUppercase }
        })

    /// The countries as (code, name) in `language`, sorted by name.
    public static func list(languageCode: String) -> [(code: String, name: String)] {
        let locale = Locale(identifier: languageCode)
        return codes.map { code in (code, locale.localizedString(forRegionCode: code) ?? code) }
            .sorted { $0.name.compare($1.name, locale: locale) == .orderedAscending }
    }
}
