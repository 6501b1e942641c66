import Foundation
import Mustache
import PartneringCore

/// Renders the pages of `templates/pages/<lang>/` with HTML escaping.
public struct PageRenderer: Sendable {
    private let library: MustacheLibrary

    /// Loads every template below `directory` (the repository's `templates/`).
    public init(directory: String) async throws {
        guard FileManager.default.fileExists(atPath: directory + "/pages") else {
            throw PageRendererError.missingTemplates(directory: directory)
        }
        do {
            var library = try await MustacheLibrary(directory: directory)
            // A template closes an inherited partial by its name, and names may not hold "/":
            // pages inherit from `layout-fr` / `layout-en`, aliases of `pages/<lang>/layout`.
            for language in Language.allCases {
                if let layout = library.getTemplate(named: "pages/\(language.rawValue)/layout") {
                    library.register(layout, named: "layout-\(language.rawValue)")
                }
            }
            self.library = library
        } catch let error as MustacheLibrary.ParserError {
            throw PageRendererError.invalidTemplate(
                file: "\(directory)/\(error.filename)", line: error.context.lineNumber,
                column: error.context.columnNumber, reason: "\(error.error)")
        }
    }

    /// Renders the page `name` in `language` with `context` as its data.
    func render(_ name: String, language: Language, context: Any) throws -> String {
        let templateName = "pages/\(language.rawValue)/\(name)"
        guard let html = library.render(context, withTemplate: templateName) else {
            throw PageRendererError.missingTemplate(name: templateName)
        }
        return html
    }
}

/// Why pages cannot be rendered.
public enum PageRendererError: Error, CustomStringConvertible {
    case missingTemplates(directory: String)
    case missingTemplate(name: String)
    case invalidTemplate(file: String, line: Int, column: Int, reason: String)

    public var description: String {
        switch self {
        case .missingTemplates(let directory):
            "no page templates in \(directory)/pages: run from the repository root or set templatesDir"
        case .missingTemplate(let name): "the template \(name).mustache is missing"
        case .invalidTemplate(let file, let line, let column, let reason):
            "\(file):\(line):\(column): invalid Mustache template (\(reason))"
        }
    }
}
