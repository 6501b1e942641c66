/// One defect of a JSON document, said for a person: the path of the offending value
/// (`meetings[3].slot`) and what is wrong there. Problem files, command-line files and
/// API bodies all report their decoding failures this way (``init(decoding:)``).
public struct DocumentIssue: Error, Sendable, Hashable, CustomStringConvertible {
    /// Where the defect is, as a JSON path from the document root; empty for the whole document.
    public var path: String
    /// What is wrong, in words an organiser understands: `expected a string`, `required field is missing`.
    public var message: String

    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    /// The defect a decoding error reports.
    public init(decoding error: DecodingError) {
        switch error {
        case .typeMismatch(let type, let context):
            self.init(path: Self.path(context.codingPath), message: "expected \(Self.describe(type))")
        case .valueNotFound(let type, let context):
            self.init(path: Self.path(context.codingPath), message: "expected \(Self.describe(type)), found null")
        case .keyNotFound(let key, let context):
            self.init(path: Self.path(context.codingPath + [key]), message: "required field is missing")
        case .dataCorrupted(let context):
            let underlying = context.underlyingError.map { " (\($0.localizedDescription))" } ?? ""
            self.init(
                path: Self.path(context.codingPath),
                message: "not valid JSON: \(context.debugDescription)\(underlying)")
        @unknown default:
            self.init(path: "", message: "cannot decode: \(error)")
        }
    }

    /// The defect `error` reports: located by ``init(decoding:)`` when it is a decoding error,
    /// its description at the top otherwise.
    public init(describing error: any Error) {
        if let decoding = error as? DecodingError {
            self.init(decoding: decoding)
        } else {
            self.init(path: "", message: "\(error)")
        }
    }

    /// `participants[1].role: required field is missing`, or the message alone at the top.
    public var description: String { path.isEmpty ? message : "\(path): \(message)" }

    /// `meetings[3].slot` from a coding path.
    public static func path(_ codingPath: [any CodingKey]) -> String {
        var text = ""
        for key in codingPath {
            if let index = key.intValue {
                text += "[\(index)]"
            } else {
                text += text.isEmpty ? key.stringValue : ".\(key.stringValue)"
            }
        }
        return text
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "a string"
        case is Int.Type: return "a whole number"
        case is Double.Type: return "a number"
        case is Bool.Type: return "true or false"
        case is [String].Type: return "a list of strings"
        default:
            let name = String(describing: type)
            if name.hasPrefix("Array") { return "a list" }
            if name.hasPrefix("Dictionary") { return "an object" }
            return "a value of type \(name)"
        }
    }
}
