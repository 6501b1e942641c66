import PartneringCore
import Testing

@Suite("Language negotiation")
struct LanguageTests {
    @Test(
        "Accept-Language picks the best supported language",
        arguments: [
            ("fr-FR,fr;q=0.9,en;q=0.8", Language.fr),
            ("en-GB,en;q=0.9", .en),
            ("de-DE,de;q=0.9,en;q=0.5", .en),
            ("de-DE", .fr),
            ("en;q=0.2, fr;q=0.7", .fr),
            ("", .fr),
        ])
    func negotiation(header: String, expected: Language) {
        #expect(Language.negotiate(acceptLanguage: header) == expected)
    }

    @Test("an unsupported language is never chosen")
    func unsupported() {
        #expect(Language.negotiate(acceptLanguage: "en", supported: [.fr], fallback: .fr) == .fr)
    }
}
