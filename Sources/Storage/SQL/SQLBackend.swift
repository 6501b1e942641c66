import FluentKit
import FluentPostgresDriver
import Foundation
import Logging
import PartneringCore
import SQLKit

/// The SQL database behind the repositories, and the few places where SQLite
/// and PostgreSQL need different statements.
struct SQLBackend: Sendable {
    enum Dialect: Sendable {
        case sqlite
        case postgres
    }

    let databases: Databases
    let eventLoopGroup: any EventLoopGroup
    let dialect: Dialect
    let logger: Logger
    /// SQLite: the connection every repository statement goes through (Fluent's own
    /// connection only migrates).
    let sqlite: SQLiteAccess?

    /// A database handle on one of the group's event loops.
    func database() throws -> any Database {
        guard let database = databases.database(logger: logger, on: eventLoopGroup.any()) else {
            throw StorageError.closed
        }
        return database
    }

    /// A handle for single statements.
    func sql() throws -> any SQLDatabase {
        if let sqlite { return sqlite.database }
        return try Self.sql(try database())
    }

    static func sql(_ database: any Database) throws -> any SQLDatabase {
        guard let sql = database as? any SQLDatabase else { throw StorageError.notSQL }
        return sql
    }

    /// Runs `body` in a write transaction on one connection and commits, or rolls back
    /// when `body` throws.
    ///
    /// SQLite: the store's one connection, taken for the whole transaction, which begins
    /// with `BEGIN IMMEDIATE` (see ``SQLiteAccess/transaction(_:)``); a busy timeout makes
    /// other processes wait for the lock. PostgreSQL: READ COMMITTED, with
    /// `SELECT ... FOR UPDATE` row locks where an operation needs to be alone;
    /// serialisation failures and deadlocks are retried.
    func write<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T)
        async throws -> T
    {
        switch dialect {
        case .sqlite:
            guard let sqlite else { throw StorageError.closed }
            return try await sqlite.transaction(body)
        case .postgres:
            return try await retrying {
                try await database().transaction { connection in try await body(try Self.sql(connection)) }
            }
        }
    }

    /// Runs `body`, one write statement that PostgreSQL runs as its own transaction
    /// (autocommit: no `BEGIN` or `COMMIT` round trips, and its locks are released by the
    /// commit that ends it); serialisation failures and deadlocks are retried.
    func alone<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await retrying { try await body(try sql()) }
    }

    /// Runs `attempt` again (five times at most) while PostgreSQL refuses it for a
    /// serialisation failure or a deadlock, which a new attempt may not meet.
    private func retrying<T>(_ attempt: () async throws -> T) async throws -> T {
        var count = 1
        while true {
            do {
                return try await attempt()
            } catch let error as PSQLError where count < 5 && Self.isRetryable(error) {
                count += 1
            }
        }
    }

    private static func isRetryable(_ error: PSQLError) -> Bool {
        // 40001 serialization_failure, 40P01 deadlock_detected.
        guard let state = error.serverInfo?[.sqlState] else { return false }
        return state == "40001" || state == "40P01"
    }

    /// Locks the registration bookkeeping until the transaction ends, so that one
    /// registration operation at a time counts and assigns seats. SQLite's
    /// `BEGIN IMMEDIATE` already made the transaction the only writer.
    func lockRegistrations(_ sql: any SQLDatabase) async throws {
        guard dialect == .postgres else { return }
        try await sql.raw(
            "SELECT value FROM counters WHERE name = \(bind: Counter.participantNumber.rawValue) FOR UPDATE"
        ).run()
    }

    /// Locks one participant's row until the transaction ends (PostgreSQL), so that
    /// checks such as the cap on open requests hold under concurrency.
    func lockParticipant(_ id: ParticipantID, _ sql: any SQLDatabase) async throws {
        guard dialect == .postgres else { return }
        try await sql.raw("SELECT id FROM participants WHERE id = \(bind: id.rawValue) FOR UPDATE").run()
    }

    /// Increments a counter and returns its new value; the row stays locked until
    /// the transaction ends.
    func next(_ counter: Counter, _ sql: any SQLDatabase) async throws -> Int {
        let row = try await sql.raw(
            "UPDATE counters SET value = value + 1 WHERE name = \(bind: counter.rawValue) RETURNING value"
        ).first()
        guard let row else { throw StorageError.missingCounter(counter.rawValue) }
        return try row.decode(column: "value", as: Int.self)
    }

    /// A SQL expression that is true when `column` contains `needle` as a plain
    /// substring (no wildcard characters to escape).
    func contains(_ column: String, _ needle: String) -> any SQLExpression {
        let function = dialect == .sqlite ? "instr" : "strpos"
        return SQLBinaryExpression(
            left: SQLFunction(function, args: SQLColumn(column), SQLBind(needle)),
            op: SQLBinaryOperator.greaterThan, right: SQLLiteral.numeric("0"))
    }

    /// Whether `error` is a violated unique or other constraint.
    static func isConstraintViolation(_ error: any Error) -> Bool {
        (error as? any DatabaseError)?.isConstraintFailure ?? false
    }
}

/// The rows of the `counters` table.
enum Counter: String, Sendable, CaseIterable {
    /// The last participant number given out; its row is also the registration lock.
    case participantNumber = "participant_number"
    /// The last schedule version stored.
    case scheduleVersion = "schedule_version"
}
