import Foundation

/// Why the outbox could not write or find a message.
public enum OutboxError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A system call failed on a path.
    case io(operation: String, path: String, errno: Int32)
    /// No recorded message has this id (or id prefix).
    case noSuchMessage(String)
    /// Several recorded messages start with this id prefix.
    case ambiguousID(String, matches: Int)

    public var description: String {
        switch self {
        case .io(let operation, let path, let code):
            "outbox: \(operation) \(path) failed: \(String(cString: strerror(code)))"
        case .noSuchMessage(let id):
            "outbox: no message with id \(id)"
        case .ambiguousID(let id, let matches):
            "outbox: \(matches) messages have an id starting with \(id); give more characters"
        }
    }
}
