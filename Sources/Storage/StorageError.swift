/// Why the store itself (not a repository rule) failed.
public enum StorageError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The store location is not a SQLite path, a `postgres://` URL or `memory`.
    case invalidLocation(String, reason: String)
    /// The store was shut down.
    case closed
    /// The database driver does not speak SQL (an internal error).
    case notSQL
    /// A row of the `counters` table is missing: the migrations did not run.
    case missingCounter(String)
    /// A stored value cannot be read back (a row written by another program, say).
    case corruptValue(table: String, column: String, value: String)

    public var description: String {
        switch self {
        case .invalidLocation(let location, let reason):
            "invalid database location \"\(location)\": \(reason)"
        case .closed: "the store is shut down"
        case .notSQL: "the database driver does not support SQL"
        case .missingCounter(let name):
            "the counter \"\(name)\" is missing; run `partnering migrate` first"
        case .corruptValue(let table, let column, let value):
            "unreadable value \"\(value)\" in \(table).\(column)"
        }
    }
}
