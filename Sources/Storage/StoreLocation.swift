import Foundation

/// Where a ``PartneringStore`` keeps its data.
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

    /// Reads a location as configuration writes it: `memory`; a `postgres://` or
    /// `postgresql://` URL; `sqlite:PATH` or `sqlite://PATH`; or a plain file path.
    public init(parsing text: String) throws {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else {
            throw StorageError.invalidLocation(text, reason: "it is empty")
        }
        let lowered = trimmed.lowercased()
        if lowered == "memory" || lowered == ":memory:" {
            self = .memory
        } else if lowered.hasPrefix("postgres://") || lowered.hasPrefix("postgresql://") {
            guard let components = URLComponents(string: trimmed), components.user != nil,
                let host = components.host, !host.isEmpty
            else {
                throw StorageError.invalidLocation(
                    text, reason: "expected postgres://user[:password]@host[:port]/database")
            }
            guard components.path.count > 1 else {
                throw StorageError.invalidLocation(text, reason: "the database name is missing")
            }
            self = .postgres(url: trimmed)
        } else if lowered.hasPrefix("sqlite:") {
            var path = String(trimmed.dropFirst("sqlite:".count))
            if path.hasPrefix("//") { path.removeFirst(2) }
            guard !path.isEmpty else {
                throw StorageError.invalidLocation(text, reason: "the SQLite file path is missing")
            }
            self = .sqlite(path: path)
        } else if trimmed.contains("://") {
            throw StorageError.invalidLocation(
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
