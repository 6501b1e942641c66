import FluentKit
import FluentSQL
import Logging
import NIOCore
import SQLKit

/// Fluent over the store's own SQLite connections (``SQLiteAccess``), for the schema
/// migrations: FluentSQL turns Fluent's queries and schemas into SQLKit expressions, which
/// run like every repository statement. So the store has one SQLite library and one set of
/// connections, with no SQLite driver of Fluent's.
struct SQLiteFluentDatabase: Database, SQLDatabase {
    let access: SQLiteAccess
    /// Where statements run: ``SQLiteAccess/database``, or a transaction's own connection.
    let session: any SQLDatabase
    let context: DatabaseContext
    let inTransaction: Bool

    // MARK: SQLDatabase

    var logger: Logger { context.logger }
    var eventLoop: any EventLoop { context.eventLoop }
    var dialect: any SQLDialect { session.dialect }
    var queryLogLevel: Logger.Level? { session.queryLogLevel }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        try await session.execute(sql: query, onRow)
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void)
        -> EventLoopFuture<Void>
    {
        eventLoop.makeFutureWithTask { try await execute(sql: query, onRow) }
    }

    // MARK: Database

    func execute(query: DatabaseQuery, onOutput: @escaping @Sendable (any DatabaseOutput) -> Void)
        -> EventLoopFuture<Void>
    {
        var statement = SQLQueryConverter(delegate: SQLiteFluentTypes()).convert(query)
        // An insert returns its key, which Fluent reads back into the model.
        if case .create = query.action {
            statement = SQLKit.SQLList(
                [statement, SQLReturning(SQLColumn((query.customIDKey ?? .id).description))],
                separator: SQLRaw(" "))
        }
        return execute(sql: statement) { onOutput(SQLRowOutput(row: $0, schema: nil)) }
    }

    func execute(schema: DatabaseSchema) -> EventLoopFuture<Void> {
        execute(sql: SQLSchemaConverter(delegate: SQLiteFluentTypes()).convert(schema)) { _ in }
    }

    /// SQLite has no enum types: Fluent's enums are `TEXT` columns.
    func execute(enum: DatabaseEnum) -> EventLoopFuture<Void> {
        eventLoop.makeSucceededVoidFuture()
    }

    func transaction<T>(_ closure: @escaping @Sendable (any Database) -> EventLoopFuture<T>) -> EventLoopFuture<T> {
        guard !inTransaction else { return closure(self) }
        let outcome = eventLoop.makeFutureWithTask { [access, context] in
            try await access.transaction { session in
                try await closure(
                    SQLiteFluentDatabase(access: access, session: session, context: context, inTransaction: true)
                ).map { TransactionOutcome(value: $0) }.get()
            }
        }
        return outcome.map { $0.value }
    }

    /// Every statement already takes its turn on the store's connections.
    func withConnection<T>(_ closure: @escaping @Sendable (any Database) -> EventLoopFuture<T>) -> EventLoopFuture<T> {
        closure(self)
    }
}

/// A transaction's result on its way back to the caller's future: Fluent's future-based
/// API lets `T` be any type, while tasks hand over only `Sendable` values. The value is
/// handed over once, from the transaction to the future's callbacks, never shared.
private struct TransactionOutcome<Value>: @unchecked Sendable {
    let value: Value
}

/// Registers ``SQLiteFluentDatabase`` with Fluent's `Databases`.
struct SQLiteFluentConfiguration: DatabaseConfiguration {
    let access: SQLiteAccess
    var middleware: [any AnyModelMiddleware] = []

    func makeDriver(for databases: Databases) -> any DatabaseDriver { Driver(access: access) }

    private struct Driver: DatabaseDriver {
        let access: SQLiteAccess

        func makeDatabase(with context: DatabaseContext) -> any Database {
            SQLiteFluentDatabase(access: access, session: access.database, context: context, inTransaction: false)
        }

        /// The store closes ``SQLiteAccess`` itself.
        func shutdown() {}
    }
}

/// Fluent's column types as SQLite stores them: text, `REAL` seconds for dates, `INTEGER`.
private struct SQLiteFluentTypes: SQLConverterDelegate {
    func customDataType(_ dataType: DatabaseSchema.DataType) -> (any SQLExpression)? {
        switch dataType {
        case .string, .enum: SQLRaw("TEXT")
        case .datetime: SQLRaw("REAL")
        case .int64: SQLRaw("INTEGER")
        default: nil
        }
    }
}

/// A result row as Fluent reads it: a field of a joined schema is the column `schema_field`.
private struct SQLRowOutput: DatabaseOutput {
    let row: any SQLRow
    let schema: String?

    var description: String { String(describing: row) }

    private func column(_ key: FieldKey) -> String {
        guard let schema else { return key.description }
        return FieldKey.prefix(.prefix(.string(schema), "_"), key).description
    }

    func schema(_ schema: String) -> any DatabaseOutput { SQLRowOutput(row: row, schema: schema) }
    func contains(_ key: FieldKey) -> Bool { row.contains(column: column(key)) }
    func decodeNil(_ key: FieldKey) throws -> Bool { try row.decodeNil(column: column(key)) }
    func decode<T: Decodable>(_ key: FieldKey, as type: T.Type) throws -> T {
        try row.decode(column: column(key), as: T.self)
    }
}
