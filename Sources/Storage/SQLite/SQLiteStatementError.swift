import FluentKit
import GRDBSQLite

/// A statement SQLite refused, with its result code and message.
struct SQLiteStatementError: Error, CustomStringConvertible, DatabaseError {
    /// The extended result code.
    var code: Int32
    var message: String
    /// The statement, for the logs (values are bound, so it holds no data).
    var sql: String?

    static func closed(_ path: String) -> SQLiteStatementError {
        SQLiteStatementError(code: SQLITE_MISUSE, message: "the database \(path) is closed", sql: nil)
    }

    var description: String { "SQLite: \(message)" + (sql.map { " (in \($0))" } ?? "") }

    private var primaryCode: Int32 { code & 0xFF }

    var isSyntaxError: Bool { primaryCode == SQLITE_ERROR && message.contains("syntax error") }
    var isConnectionClosed: Bool { primaryCode == SQLITE_MISUSE }
    var isConstraintFailure: Bool { primaryCode == SQLITE_CONSTRAINT }
}
