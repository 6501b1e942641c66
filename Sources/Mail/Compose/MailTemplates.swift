import Foundation
import Mustache
import PartneringCore

/// The Mustache templates of every message, in every language, loaded from
/// `<templates>/mail/<language>/`.
///
/// Each kind has `<kind>.text.mustache` (plain text, nothing escaped) and
/// `<kind>.html.mustache` (values HTML-escaped); the calendar wording is in
/// `calendar-summary.text.mustache` and `calendar-description.text.mustache`.
/// Files whose name starts with `_` are partials (`{{> _footer.text}}`).
public struct MailTemplates: Sendable {
    private let libraries: [Language: MustacheLibrary]

    /// The templates every language must have.
    public static var requiredNames: [String] {
        MessageKind.allCases.flatMap { ["\($0.rawValue).text", "\($0.rawValue).html"] }
            + ["calendar-summary.text", "calendar-description.text"]
    }

    /// Loads and checks the templates under `root` (the product's `templates` folder).
    /// - Throws: `MailError.missingTemplate` naming the first missing file,
    ///   `MailError.invalidTemplate` for a parse error or an HTML template that writes a
    ///   value unescaped (`{{{...}}}` or `{{&...}}`).
    public init(directory root: URL) throws {
        var libraries: [Language: MustacheLibrary] = [:]
        for language in Language.allCases {
            let folder = root.appending(path: "mail/\(language.rawValue)", directoryHint: .isDirectory)
            var library = MustacheLibrary()
            for (name, file) in try Self.templateFiles(in: folder) {
                library.register(try Self.template(name: name, file: file), named: name)
            }
            for name in Self.requiredNames where library.getTemplate(named: name) == nil {
                throw MailError.missingTemplate(path: folder.appending(path: name + ".mustache").path)
            }
            for kind in MessageKind.allCases {
                let subject = "{{% CONTENT_TYPE: TEXT}}" + kind.spec.subject[language]
                do {
                    library.register(try MustacheTemplate(string: subject), named: "\(kind.rawValue).subject")
                } catch {
                    throw MailError.invalidTemplate(
                        path: "subject of \(kind.rawValue) (\(language.rawValue))", reason: "\(error)")
                }
            }
            libraries[language] = library
        }
        self.libraries = libraries
    }

    /// Renders the template `name` (such as `access-link.html`) with `values`.
    func render(_ name: String, language: Language, values: [String: Any]) throws -> String {
        guard let text = libraries[language]?.render(values, withTemplate: name) else {
            throw MailError.missingTemplate(path: "mail/\(language.rawValue)/\(name).mustache")
        }
        return text
    }

    private static func templateFiles(in folder: URL) throws -> [(String, URL)] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else {
            throw MailError.missingTemplate(path: folder.path)
        }
        return names.filter { $0.hasSuffix(".mustache") }.sorted().map { file in
            (String(file.dropLast(".mustache".count)), folder.appending(path: file))
        }
    }

    private static func template(name: String, file: URL) throws -> MustacheTemplate {
        let text: String
        do {
            text = try String(contentsOf: file, encoding: .utf8)
        } catch {
            throw MailError.invalidTemplate(
                path: file.path, reason: "cannot be read as UTF-8 (\(error.localizedDescription))")
        }
        if name.hasSuffix(".html"), let line = unescapedTagLine(text) {
            throw MailError.invalidTemplate(
                path: file.path, reason: "line \(line) writes a value unescaped ({{{...}}} or {{&...}}); use {{...}}")
        }
        // The text part must not be HTML-escaped: the pragma switches Mustache's escaping off.
        let source = name.hasSuffix(".text") ? "{{% CONTENT_TYPE: TEXT}}\n" + text : text
        do {
            return try MustacheTemplate(string: source)
        } catch let error as MustacheTemplate.ParserError {
            throw MailError.invalidTemplate(
                path: file.path,
                reason: "line \(error.context.lineNumber), column \(error.context.columnNumber): \(error.error)")
        } catch {
            throw MailError.invalidTemplate(path: file.path, reason: "\(error)")
        }
    }

    private static func unescapedTagLine(_ text: String) -> Int? {
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
        where line.contains("{{{") || line.contains("{{&") {
            return number + 1
        }
        return nil
    }
}
