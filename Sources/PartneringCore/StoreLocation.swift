import Foundation

/// Where the store keeps its data. A value of its own (here rather than in Storage) so
/// that configuration can read and check it without depending on the storage adapters.
public enum StoreLocation: Sendable, Hashable, CustomStringConvertible {
    /// A SQLite database file, created when missing: the embedded default.
    case sqlite(path: String)
    /// A PostgreSQL database, as `postgres://user[:password]@host[:port]/database`.
    case postgres(url: String)
    /// Nothing on disk: the in-memory repositories, gone when the process ends.
    case memory

    /// The file name of the embedded database in the data folder.
    public static let embeddedFileName = "partnering.sqlite"

    /// The embedded default: a SQLite file in the data folder.
    public static func embedded(dataDirectory: String) -> StoreLocation {
        .sqlite(path: (dataDirectory as NSString).appendingPathComponent(embeddedFileName))
    }

    /// A location text that names no store.
    public struct Invalid: Error, Sendable, Hashable, CustomStringConvertible {
        /// The text as given.
        public var text: String
        /// What is wrong with it.
        public var reason: String

        public init(_ text: String, reason: String) {
            self.text = text
            self.reason = reason
        }

        public var description: String { "invalid database location \"\(text)\": \(reason)" }
    }

    /// Reads a location as configuration writes it: `memory`; a `postgres://` or
    /// `postgresql://` URL; `sqlite:PATH` or `sqlite://PATH`; or a plain file path.
    public init(parsing text: String) throws(Invalid) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else {
            throw Invalid(text, reason: "it is empty")
        }
        let lowered = trimmed.lowercased()
        if lowered == "memory" || lowered == ":memory:" {
            self = .memory
        } else if lowered.hasPrefix("postgres://") || lowered.hasPrefix("postgresql://") {
            guard let components = URLComponents(string: trimmed), components.user != nil,
                let host = components.host, !host.isEmpty
            else {
                throw Invalid(
                    text, reason: "expected postgres://user[:password]@host[:port]/database")
            }
            guard components.path.count > 1 else {
                throw Invalid(text, reason: "the database name is missing")
            }
            self = .postgres(url: trimmed)
        } else if lowered.hasPrefix("sqlite:") {
            var path = String(trimmed.dropFirst("sqlite:".count))
            if path.hasPrefix("//") { path.removeFirst(2) }
            guard !path.isEmpty else {
                throw Invalid(text, reason: "the SQLite file path is missing")
            }
            self = .sqlite(path: path)
        } else if trimmed.contains("://") {
            throw Invalid(
                text, reason: "unsupported scheme; use a file path, sqlite:PATH or postgres://")
        } else {
            self = .sqlite(path: trimmed)
        }
    }

    /// The location for logs and messages, without any password.
    public var description: String {
        switch self {
        case .sqlite(let path): return "sqlite:\(path)"
        case .memory: return "memory"
        case .postgres(let url):
            guard var components = URLComponents(string: url) else { return "postgres://…" }
            if components.password != nil { components.password = "redacted" }
            return components.string ?? "postgres://…"
        }
    }
}
