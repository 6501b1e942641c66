import Foundation

/// Why the outbox could not write or find a message.
public enum OutboxError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No recorded message has this id (or id prefix).
    case noSuchMessage(String)
    /// Several recorded messages start with this id prefix.
    case ambiguousID(String, matches: Int)

    public var description: String {
        switch self {
        case .noSuchMessage(let id):
            "outbox: no message with id \(id)"
        case .ambiguousID(let id, let matches):
            "outbox: \(matches) messages have an id starting with \(id); give more characters"
        }
    }
}
