import Foundation
import GRDBSQLite

/// One connection to an SQLite file, driven through the C API on the calling thread.
///
/// A statement runs where it is asked for, from a cache of prepared statements, without a
/// hop to a thread pool and back (three hops per statement made them, not SQLite, the cost
/// of a registration). The library is the system's SQLite (`libsqlite3`, through GRDB's
/// `GRDBSQLite` module map), the only SQLite in the process: two copies of SQLite opening
/// one file would each keep their own POSIX-lock bookkeeping and break the other's locks.
///
/// Not thread-safe by itself: ``SQLiteAccess`` lets one task at a time use it.
final class SQLiteHandle: @unchecked Sendable {
    /// The rows a statement returned, with the column names once for all rows.
    struct Result: Sendable {
        var columns: SQLiteColumnNames
        var rows: [[SQLiteValue]]
    }

    private var handle: OpaquePointer?
    private var statements: [String: OpaquePointer] = [:]
    let path: String

    /// Whether a transaction is open; SQLite ends one by itself after some errors (a full
    /// disk, an I/O error), rolling back everything in it.
    var isInTransaction: Bool { handle.map { sqlite3_get_autocommit($0) == 0 } ?? false }

    /// Prepared statements kept at most; beyond, the cache starts afresh.
    private static let statementCacheLimit = 512

    /// The oldest SQLite the store runs on: 3.35 brought `RETURNING`, which its statements use.
    static let minimumVersionNumber: Int32 = 3_035_000

    /// The version of the SQLite library in use, such as "3.40.1".
    static var libraryVersion: String { String(cString: sqlite3_libversion()) }

    /// Opens (or creates) the database file at `path` with a busy timeout for other processes' writes.
    init(path: String, busyTimeoutMilliseconds: Int32) throws {
        self.path = path
        guard sqlite3_libversion_number() >= Self.minimumVersionNumber else {
            throw SQLiteStatementError(
                code: SQLITE_ERROR,
                message: "SQLite \(Self.libraryVersion) is too old: the store needs 3.35 or later", sql: nil)
        }
        var opened: OpaquePointer?
        let flags = SQLITE_OPEN_CREATE | SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX | SQLITE_OPEN_EXRESCODE
        let status = sqlite3_open_v2(path, &opened, flags, nil)
        guard status == SQLITE_OK, let opened else {
            let message = opened.flatMap { sqlite3_errmsg($0) }.map { String(cString: $0) }
            sqlite3_close(opened)
            throw SQLiteStatementError(
                code: status, message: "cannot open \(path): \(message ?? "error \(status)")", sql: nil)
        }
        handle = opened
        sqlite3_busy_timeout(opened, busyTimeoutMilliseconds)
    }

    deinit { close() }

    /// Finalizes the prepared statements and closes the connection. Further use fails.
    func close() {
        for statement in statements.values { sqlite3_finalize(statement) }
        statements.removeAll()
        if let handle { sqlite3_close(handle) }
        handle = nil
    }

    /// Runs one statement with its bound values and returns every row.
    func run(_ sql: String, binds: [SQLiteValue]) throws -> Result {
        let statement = try prepared(sql)
        defer {
            sqlite3_reset(statement)
            sqlite3_clear_bindings(statement)
        }
        for (offset, value) in binds.enumerated() {
            try check(bind(value, at: Int32(offset + 1), to: statement), sql)
        }
        let columnCount = sqlite3_column_count(statement)
        var rows: [[SQLiteValue]] = []
        while true {
            let status = sqlite3_step(statement)
            if status == SQLITE_DONE { break }
            guard status == SQLITE_ROW else { throw error(status, sql) }
            var row: [SQLiteValue] = []
            row.reserveCapacity(Int(columnCount))
            for column in 0..<columnCount { row.append(value(at: column, of: statement)) }
            rows.append(row)
        }
        var names: [String] = []
        names.reserveCapacity(Int(columnCount))
        for column in 0..<columnCount {
            names.append(sqlite3_column_name(statement, column).map { String(cString: $0) } ?? "")
        }
        return Result(columns: SQLiteColumnNames(names), rows: rows)
    }

    /// Copies this whole database into `destination` with SQLite's online backup API, in
    /// one step: the copy reads one snapshot (in WAL mode other connections, in this
    /// process or another, keep writing meanwhile), so it holds every transaction committed
    /// before it began and none after. Blocks the calling thread for the copy.
    func backup(into destination: SQLiteHandle) throws {
        guard let handle, let target = destination.handle else { throw SQLiteStatementError.closed(path) }
        guard let backup = sqlite3_backup_init(target, "main", handle, "main") else {
            throw destination.error(sqlite3_errcode(target), "backup of \(path)")
        }
        var status = SQLITE_OK
        repeat {
            status = sqlite3_backup_step(backup, -1)
            // Busy or locked: another connection holds a lock for a moment; try again.
            if status == SQLITE_BUSY || status == SQLITE_LOCKED { sqlite3_sleep(20) }
        } while status == SQLITE_OK || status == SQLITE_BUSY || status == SQLITE_LOCKED
        let finished = sqlite3_backup_finish(backup)
        guard status == SQLITE_DONE, finished == SQLITE_OK else {
            throw destination.error(status == SQLITE_DONE ? finished : status, "backup of \(path)")
        }
    }

    /// `PRAGMA integrity_check`'s findings: `["ok"]` for a sound database.
    func integrityCheck() throws -> [String] {
        try run("PRAGMA integrity_check", binds: []).rows.map { row in
            if case .text(let text) = row.first { return text }
            return "\(row)"
        }
    }

    private func prepared(_ sql: String) throws -> OpaquePointer {
        if let statement = statements[sql] { return statement }
        guard let handle else { throw SQLiteStatementError.closed(path) }
        var statement: OpaquePointer?
        let status = sqlite3_prepare_v3(
            handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
        guard status == SQLITE_OK, let statement else { throw error(status, sql) }
        if statements.count >= Self.statementCacheLimit {
            for cached in statements.values { sqlite3_finalize(cached) }
            statements.removeAll()
        }
        statements[sql] = statement
        return statement
    }

    private func bind(_ value: SQLiteValue, at index: Int32, to statement: OpaquePointer) -> Int32 {
        switch value {
        case .integer(let integer): sqlite3_bind_int64(statement, index, integer)
        case .real(let double): sqlite3_bind_double(statement, index, double)
        case .text(let text):
            sqlite3_bind_text64(
                statement, index, text, UInt64(text.utf8.count), Self.transient, UInt8(SQLITE_UTF8))
        // An empty blob, not NULL (a buffer without bytes has no address to bind).
        case .blob(let buffer) where buffer.isEmpty: sqlite3_bind_zeroblob(statement, index, 0)
        case .blob(let buffer):
            buffer.withUnsafeBytes { bytes in
                sqlite3_bind_blob64(
                    statement, index, bytes.baseAddress, UInt64(bytes.count), Self.transient)
            }
        case .null: sqlite3_bind_null(statement, index)
        }
    }

    private func value(at column: Int32, of statement: OpaquePointer) -> SQLiteValue {
        switch sqlite3_column_type(statement, column) {
        case SQLITE_INTEGER: return .integer(sqlite3_column_int64(statement, column))
        case SQLITE_FLOAT: return .real(sqlite3_column_double(statement, column))
        case SQLITE_TEXT:
            guard let text = sqlite3_column_text(statement, column) else { return .text("") }
            let count = Int(sqlite3_column_bytes(statement, column))
            return .text(String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self))
        case SQLITE_BLOB:
            let count = Int(sqlite3_column_bytes(statement, column))
            guard count > 0, let bytes = sqlite3_column_blob(statement, column) else { return .blob([]) }
            return .blob(Array(UnsafeRawBufferPointer(start: bytes, count: count)))
        default: return .null
        }
    }

    private func check(_ status: Int32, _ sql: String) throws {
        guard status == SQLITE_OK else { throw error(status, sql) }
    }

    private func error(_ status: Int32, _ sql: String) -> SQLiteStatementError {
        let message = handle.flatMap { sqlite3_errmsg($0) }.map { String(cString: $0) }
        return SQLiteStatementError(code: status, message: message ?? "SQLite error \(status)", sql: sql)
    }

    /// `SQLITE_TRANSIENT`: SQLite copies the bound bytes before the call returns.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
}

/// Column names of a result, shared by its rows, with a lookup by name.
final class SQLiteColumnNames: Sendable {
    let names: [String]
    private let indexByName: [String: Int]

    init(_ names: [String]) {
        self.names = names
        var index: [String: Int] = [:]
        for (offset, name) in names.enumerated() where index[name] == nil { index[name] = offset }
        indexByName = index
    }

    func index(of name: String) -> Int? { indexByName[name] }
}
