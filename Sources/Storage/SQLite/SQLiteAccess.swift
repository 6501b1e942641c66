import Foundation
import Logging
import NIOCore
import SQLKit
import SQLiteKit

/// The SQLite connection of a store and the turn-taking around it: one task at a time runs
/// statements, either one by one (``database``) or as a whole transaction (``transaction(_:)``).
///
/// SQLite has one writer per file anyway; running every statement of a transaction on the
/// caller's thread, without a hop per statement, is what lets that single writer keep up.
final class SQLiteAccess: Sendable {
    private let handle: SQLiteHandle
    private let checkpointer: SQLiteCheckpointer
    private let lock = AsyncExclusiveLock()
    let eventLoopGroup: any EventLoopGroup
    let logger: Logger

    /// Whether the current task holds the lock, so that a statement issued through
    /// ``database`` inside a transaction joins it instead of waiting for it forever.
    @TaskLocal private static var holder: ObjectIdentifier?

    init(path: String, eventLoopGroup: any EventLoopGroup, logger: Logger) throws {
        handle = try SQLiteHandle(path: path, busyTimeoutMilliseconds: 10_000)
        // Checkpoints run in the background (see `SQLiteCheckpointer`), not in commits.
        _ = try handle.run("PRAGMA wal_autocheckpoint = 0", binds: [])
        checkpointer = try SQLiteCheckpointer(path: path)
        self.eventLoopGroup = eventLoopGroup
        self.logger = logger
    }

    /// Statements outside a transaction, each taking its turn.
    var database: any SQLDatabase { SQLiteSQLDatabase(access: self, session: nil) }

    /// Runs `body` alone on the connection, between `BEGIN IMMEDIATE` and `COMMIT`
    /// (`ROLLBACK` when it throws). Taking the write lock up front means a transaction
    /// never has to upgrade a read lock, the source of SQLITE_BUSY under contention.
    func transaction<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T)
        async throws -> T
    {
        try await exclusively {
            let session = SQLiteSQLDatabase(access: self, session: ObjectIdentifier(self))
            _ = try self.run("BEGIN IMMEDIATE", binds: [])
            do {
                let result = try await body(session)
                _ = try self.run("COMMIT", binds: [])
                return result
            } catch {
                _ = try? self.run("ROLLBACK", binds: [])
                throw error
            }
        }
    }

    /// Runs `body` holding the connection (re-entrant within one task).
    func exclusively<T>(_ body: () async throws -> T) async throws -> T {
        if Self.holder == ObjectIdentifier(self) { return try await body() }
        await lock.acquire()
        defer { lock.release() }
        return try await Self.$holder.withValue(ObjectIdentifier(self)) { try await body() }
    }

    /// Runs one statement; the caller holds the connection.
    fileprivate func run(_ sql: String, binds: [SQLiteData]) throws -> SQLiteHandle.Result {
        try handle.run(sql, binds: binds)
    }

    /// Closes the connection once every waiting task had its turn.
    func close() async {
        await lock.acquire()
        handle.close()
        lock.release()
        checkpointer.stop()
    }
}

/// ``SQLDatabase`` over ``SQLiteAccess``: SQLKit builders serialize, this runs.
private struct SQLiteSQLDatabase: SQLDatabase {
    let access: SQLiteAccess
    /// Set inside a transaction: the lock is already held.
    let session: ObjectIdentifier?

    var logger: Logger { access.logger }
    var eventLoop: any EventLoop { access.eventLoopGroup.any() }
    var dialect: any SQLDialect { SQLiteDialect() }
    var queryLogLevel: Logger.Level? { .trace }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        let (text, values) = serialize(query)
        let encoder = SQLiteDataEncoder()
        let binds = try values.map { try encoder.encode($0) }
        logger.trace("SQLite", metadata: ["sql": .string(text)])
        let result =
            if session != nil {
                try access.run(text, binds: binds)
            } else {
                try await access.exclusively { try access.run(text, binds: binds) }
            }
        let decoder = SQLiteDataDecoder()
        for values in result.rows {
            onRow(SQLiteResultRow(columns: result.columns, values: values, decoder: decoder))
        }
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void)
        -> EventLoopFuture<Void>
    {
        eventLoop.makeFutureWithTask { try await execute(sql: query, onRow) }
    }
}

/// One row of a result.
private struct SQLiteResultRow: SQLRow {
    let columns: SQLiteColumnNames
    let values: [SQLiteData]
    let decoder: SQLiteDataDecoder

    var allColumns: [String] { columns.names }

    func contains(column: String) -> Bool { columns.index(of: column) != nil }

    func decodeNil(column: String) throws -> Bool {
        guard let index = columns.index(of: column) else { return true }
        return values[index] == .null
    }

    func decode<D: Decodable>(column: String, as type: D.Type) throws -> D {
        guard let index = columns.index(of: column) else {
            throw SQLiteStatementError(code: 1, message: "no column \(column) in the result", sql: nil)
        }
        return try decoder.decode(D.self, from: values[index])
    }
}
