import Foundation
import Logging
import Metrics
import NIOCore
import SQLKit
import Synchronization
import ThreadSupport

/// The SQLite connections of a store and the turn-taking around them: one task at a time
/// writes, statement by statement or as a whole transaction (``transaction(_:)``).
///
/// SQLite has one writer per file anyway; running every statement of a transaction on one
/// dedicated thread, without a hop per statement, and sharing commits between waiting
/// transactions is what lets that single writer keep up. A `SELECT` outside a transaction
/// goes to a reader connection instead, without waiting for the writer: in WAL mode it sees
/// every transaction committed before it starts.
final class SQLiteAccess: Sendable {
    private let handle: SQLiteHandle
    private let readers: [ReaderConnection]
    private let nextReader = Atomic<Int>(0)
    /// Reader connections running a statement now (for ``poolUse``).
    private let busyReaders = Atomic<Int>(0)
    private let checkpointer: SQLiteCheckpointer
    private let lock = AsyncExclusiveLock()
    /// Where transactions run: waiting for the connection there queues only behind other
    /// statements, not behind every request on the shared thread pool, so the connection
    /// never sits idle while its next user waits for a thread.
    private let writer = DedicatedThreadExecutor(name: "partnering-sqlite-writer")
    private let isClosed = Atomic<Bool>(false)
    let eventLoopGroup: any EventLoopGroup
    let logger: Logger

    /// Whether the current task holds the lock, so that a statement issued through
    /// ``database`` inside a transaction joins it instead of waiting for it forever.
    @TaskLocal private static var holder: ObjectIdentifier?

    init(path: String, eventLoopGroup: any EventLoopGroup, logger: Logger) throws {
        handle = try SQLiteHandle(path: path, busyTimeoutMilliseconds: 10_000)
        // Checkpoints run in the background (see `SQLiteCheckpointer`), not in commits.
        _ = try handle.run("PRAGMA wal_autocheckpoint = 0", binds: [])
        // Every commit reaches the disk before the transactions it carries are acknowledged
        // (WAL synced at each commit): an acknowledged action survives a power cut. Group
        // commit (below) shares one sync between the transactions waiting for the writer.
        _ = try handle.run("PRAGMA synchronous = FULL", binds: [])
        checkpointer = try SQLiteCheckpointer(path: path)
        readers = try (0..<Self.readerCount).map { _ in
            let reader = try SQLiteHandle(path: path, busyTimeoutMilliseconds: 10_000)
            _ = try reader.run("PRAGMA query_only = 1", binds: [])
            return ReaderConnection(handle: reader)
        }
        self.eventLoopGroup = eventLoopGroup
        self.logger = logger
    }

    /// Statements outside a transaction: reads beside the writer, writes each taking a turn.
    var database: any SQLDatabase { SQLiteSQLDatabase(access: self, isInTransaction: false) }

    /// Runs `body` as a write transaction: its statements all take effect, after a commit
    /// to the database file, or none does (it throws).
    ///
    /// Group commit: while other transactions wait for the connection, the SQLite
    /// transaction (`BEGIN IMMEDIATE`) stays open and they run in it one after the other,
    /// each inside a savepoint that a failure rolls back; the last one commits for all, and
    /// each returns only once that commit succeeded. One commit then writes each changed
    /// page once for many registrations, instead of once per registration. Taking the write
    /// lock up front means a transaction never has to upgrade a read lock, the source of
    /// SQLITE_BUSY under contention.
    func transaction<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T)
        async throws -> T
    {
        let session = SQLiteSQLDatabase(access: self, isInTransaction: true)
        // Inside a transaction already (a statement that itself writes): join it.
        if Self.holder == ObjectIdentifier(self) { return try await body(session) }
        guard !isClosed.load(ordering: .acquiring) else { throw StorageError.closed }
        return try await withTaskExecutorPreference(writer) {
            await lock.acquire()
            let outcome: Result<T, any Error>
            do {
                if openGroup == nil {
                    _ = try run("BEGIN IMMEDIATE", binds: [])
                    openGroup = []
                }
                _ = try run("SAVEPOINT turn", binds: [])
                do {
                    let value = try await Self.$holder.withValue(ObjectIdentifier(self)) { try await body(session) }
                    _ = try run("RELEASE turn", binds: [])
                    outcome = .success(value)
                } catch {
                    _ = try? run("ROLLBACK TO turn", binds: [])
                    _ = try? run("RELEASE turn", binds: [])
                    // SQLite may have rolled back the whole transaction: the group's earlier
                    // turns are lost with it and must not hear of a commit.
                    if !handle.isInTransaction { failGroup(error) }
                    outcome = .failure(error)
                }
            } catch {
                outcome = .failure(error)
            }
            switch outcome {
            case .failure(let error):
                endTurn()
                throw error
            case .success(let value):
                // Transactions that reached the writer thread while this one ran wait in its
                // queue of jobs, not yet for the lock: a body that never suspends (every
                // statement runs inline) would find nobody waiting and commit alone, one
                // sync per transaction. Going to the back of that queue lets them line up for
                // the lock first, so that the turns below hand over to them and one commit
                // carries them all.
                await Task.yield()
                try await withCheckedThrowingContinuation { (committed: CheckedContinuation<Void, any Error>) in
                    openGroup?.append(committed)
                    endTurn()
                }
                return value
            }
        }
    }

    /// Runs `body` holding the connection outside any transaction (statements that cannot
    /// run in one, such as most `PRAGMA`s): an open group is committed first.
    func exclusively<T>(_ body: () throws -> T) async throws -> T {
        if Self.holder == ObjectIdentifier(self) { return try body() }
        guard !isClosed.load(ordering: .acquiring) else { throw StorageError.closed }
        return try await withTaskExecutorPreference(writer) {
            await lock.acquire()
            defer { lock.release() }
            commitGroup()
            return try body()
        }
    }

    /// The transactions waiting for the open group's commit; `nil` when no SQLite
    /// transaction is open. Only the holder of `lock` touches it.
    private nonisolated(unsafe) var openGroup: [CheckedContinuation<Void, any Error>]?

    /// The most transactions one commit carries, which bounds the wait of the first.
    static let groupLimit = 64

    /// Commits of write transactions so far (each syncs the WAL once).
    private let commits = Atomic<Int>(0)

    /// How many commits of write transactions this connection has made (each one sync).
    var commitCount: Int { commits.load(ordering: .relaxed) }

    /// Jobs waiting for the writer thread while it runs another (tests: whether
    /// transactions have reached the thread).
    var writerQueueLength: Int { writer.queuedJobCount }

    /// Ends the holder's turn: passes the connection, with the open transaction, to the
    /// next waiting turn, or commits and releases it.
    private func endTurn() {
        if let group = openGroup, group.count < Self.groupLimit, lock.handOver() { return }
        commitGroup()
        lock.release()
    }

    /// Commits the open group and tells its transactions the outcome.
    private func commitGroup() {
        guard let members = openGroup else { return }
        openGroup = nil
        Recorder(label: StorePoolUse.commitGroupSizeLabel).record(members.count)
        commits.add(1, ordering: .relaxed)
        do {
            _ = try run("COMMIT", binds: [])
            for member in members { member.resume() }
        } catch {
            _ = try? run("ROLLBACK", binds: [])
            for member in members { member.resume(throwing: error) }
        }
    }

    /// Tells the open group's transactions that `error` undid them, and closes the group.
    private func failGroup(_ error: any Error) {
        guard let members = openGroup else { return }
        openGroup = nil
        if handle.isInTransaction { _ = try? run("ROLLBACK", binds: []) }
        for member in members { member.resume(throwing: error) }
    }

    /// Runs one statement; the caller holds the connection.
    fileprivate func run(_ sql: String, binds: [SQLiteValue]) throws -> SQLiteHandle.Result {
        try handle.run(sql, binds: binds)
    }

    /// Reader connections: as many as cores, since a statement occupies its thread.
    private static let readerCount = max(1, min(4, ProcessInfo.processInfo.activeProcessorCount))

    /// Whether a statement outside any transaction may go to a reader connection.
    fileprivate func canRead(_ sql: String) -> Bool {
        Self.holder != ObjectIdentifier(self) && sql.utf8.prefix(6).elementsEqual("SELECT".utf8)
    }

    /// Runs a read-only statement on a free reader connection, or waits for one (briefly:
    /// a reader is held only while a statement runs, never across a suspension).
    fileprivate func read(_ sql: String, binds: [SQLiteValue]) throws -> SQLiteHandle.Result {
        busyReaders.add(1, ordering: .relaxed)
        defer { busyReaders.subtract(1, ordering: .relaxed) }
        for reader in readers {
            if let result = try reader.handle.withLockIfAvailable({ try $0.run(sql, binds: binds) }) {
                return result
            }
        }
        let index = nextReader.add(1, ordering: .relaxed).newValue % readers.count
        return try readers[index].handle.withLock { try $0.run(sql, binds: binds) }
    }

    /// The connections in use now: reader connections running a statement, tasks waiting
    /// for the writer.
    var poolUse: StorePoolUse {
        let busy = min(readers.count, busyReaders.load(ordering: .relaxed))
        return StorePoolUse(
            maximum: readers.count, inUse: busy, idle: readers.count - busy, writerQueue: lock.waitingCount)
    }

    /// Closes the connection once every waiting task had its turn.
    func close() async {
        isClosed.store(true, ordering: .releasing)
        await lock.acquire()
        commitGroup()
        handle.close()
        lock.release()
        for reader in readers { reader.handle.withLock { $0.close() } }
        checkpointer.stop()
        writer.shutdown()
    }
}

/// A reader connection, used by one thread at a time.
private final class ReaderConnection: Sendable {
    let handle: Mutex<SQLiteHandle>

    init(handle: SQLiteHandle) { self.handle = Mutex(handle) }
}

/// ``SQLDatabase`` over ``SQLiteAccess``: SQLKit builders serialize, this runs.
private struct SQLiteSQLDatabase: SQLDatabase {
    let access: SQLiteAccess
    /// Inside a transaction: the connection is already this task's.
    let isInTransaction: Bool

    var logger: Logger { access.logger }
    var eventLoop: any EventLoop { access.eventLoopGroup.any() }
    var dialect: any SQLDialect { SQLiteSQLDialect() }
    var queryLogLevel: Logger.Level? { .trace }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        let (text, values) = serialize(query)
        let encoder = SQLiteValueEncoder()
        let binds = try values.map { try encoder.encode($0) }
        logger.trace("SQLite", metadata: ["sql": .string(text)])
        let result =
            if isInTransaction {
                try access.run(text, binds: binds)
            } else if access.canRead(text) {
                try access.read(text, binds: binds)
            } else if text.utf8.prefix(6).elementsEqual("PRAGMA".utf8) {
                try await access.exclusively { try access.run(text, binds: binds) }
            } else {
                // A write on its own is a transaction of one statement (and may share a commit).
                try await access.transaction { _ in try access.run(text, binds: binds) }
            }
        let decoder = SQLiteValueDecoder()
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
    let values: [SQLiteValue]
    let decoder: SQLiteValueDecoder

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
