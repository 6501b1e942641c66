import Foundation
import Testing

@Suite("Pages in French and English")
struct TemplateParityTests {
    /// The skeleton of a template: its HTML tags with their attribute names and ids, and
    /// its Mustache tags, in order; the words between them are left out.
    static func skeleton(_ text: String) -> [String] {
        let expression = try? NSRegularExpression(pattern: #"<(/?[a-zA-Z0-9]+)([^>]*)>|\{\{[^}]*\}\}"#)
        let range = NSRange(text.startIndex..., in: text)
        return (expression?.matches(in: text, range: range) ?? []).compactMap { match in
            guard let whole = Range(match.range, in: text) else { return nil }
            let tag = String(text[whole])
            if tag.hasPrefix("{{") {
                return ["pages/fr/", "pages/en/", "layout-fr", "layout-en"].reduce(tag) { text, language in
                    text.replacingOccurrences(
                        of: language, with: language.hasPrefix("pages") ? "pages/LANG/" : "layout-LANG")
                }
            }
            let name = Range(match.range(at: 1), in: text).map { String(text[$0]) } ?? ""
            let ids =
                (try? NSRegularExpression(pattern: #"(id|name|for|href|action|type)="[^"]*""#))?
                .matches(in: tag, range: NSRange(tag.startIndex..., in: tag))
                .compactMap { Range($0.range, in: tag).map { String(tag[$0]) } } ?? []
            return ([name] + ids.filter { !$0.hasPrefix("href=\"?lang") }).joined(separator: " ")
        }
    }

    @Test("every page exists in both languages with the same structure")
    func sameStructure() throws {
        let pages = TestEnvironment.repositoryRoot.appendingPathComponent("templates/pages")
        let english = try FileManager.default.contentsOfDirectory(atPath: pages.appendingPathComponent("en").path)
        let french = try FileManager.default.contentsOfDirectory(atPath: pages.appendingPathComponent("fr").path)
        #expect(Set(english) == Set(french))
        for name in english where name != "home.mustache" {
            let en = try String(contentsOf: pages.appendingPathComponent("en/\(name)"), encoding: .utf8)
            let fr = try String(contentsOf: pages.appendingPathComponent("fr/\(name)"), encoding: .utf8)
            #expect(Self.skeleton(en) == Self.skeleton(fr), "\(name) differs between en and fr")
        }
    }
}
