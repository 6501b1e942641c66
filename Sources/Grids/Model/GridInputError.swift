/// Which of the input documents a defect is in.
public enum GridDocument: String, Sendable, Hashable {
    case problem
    case schedule
    case explanation
}

/// A defect that keeps the views from being built: the document, the JSON path of the
/// offending value and what is wrong (`meetings[3].slot: unknown slot "d9-0900"`).
public struct GridInputError: Error, Sendable, Hashable, CustomStringConvertible {
    public var document: GridDocument
    public var path: String
    public var message: String

    public init(_ document: GridDocument, _ path: String, _ message: String) {
        self.document = document
        self.path = path
        self.message = message
    }

    public var description: String { path.isEmpty ? message : "\(path): \(message)" }
}
