import FluentKit
import FluentPostgresDriver
import Foundation
import Logging
import NIOCore
import NIOPosix
import PartneringCore
import SQLKit
import Synchronization

/// The product's data: opens a ``StoreLocation``, migrates its schema and hands
/// out the repositories. Call ``shutdown()`` when done.
///
/// ```swift
/// let store = try await PartneringStore.open(.embedded(dataDirectory: "data"))
/// try await store.migrate()
/// let outcome = try await store.registrations.register(draft, capacity: 100)
/// try await store.shutdown()
/// ```
public final class PartneringStore: Sendable {
    public let location: StoreLocation
    public let participants: any ParticipantRepository
    public let registrations: any RegistrationRepository
    public let requests: any MeetingRequestRepository
    public let schedules: any ScheduleRepository
    public let auditLog: any AuditLogRepository
    public let idempotency: any IdempotencyRepository
    public let tickets: any TicketRepository
    public let checkIns: any CheckInRepository
    public let sessions: any SessionRevocationRepository
    public let calendarFeeds: any CalendarFeedRepository
    public let signageBoards: any SignageBoardRepository
    public let meetingFeedback: any MeetingFeedbackRepository
    /// Participants marked absent on the day.
    public let absences: any AbsenceRepository
    public let notices: any NoticeQueueRepository
    /// Sign-in attempts per throttle key, shared by every process on the store.
    public let signInAttempts: any SignInAttemptRepository
    /// Scheduler runs, claimed by the workers of every process on the store.
    public let schedulingRuns: any SchedulingRunRepository
    /// Organiser accounts, the same for every process on the store.
    public let organiserAccounts: any OrganiserAccountRepository
    /// The desks' passcode, the same for every process on the store.
    public let deskPasscodes: any DeskPasscodeRepository

    /// The SQL resources; `nil` for the in-memory store.
    private let sql: SQLResources?
    private let isShutDown = Mutex(false)
    private let logger: Logger

    /// What a SQL store owns and must close.
    private struct SQLResources: Sendable {
        let backend: SQLBackend
        let threadPool: NIOThreadPool
        let eventLoopGroup: MultiThreadedEventLoopGroup
        /// PostgreSQL: how this process's connections are found in `pg_stat_activity`.
        var postgresPool: PostgresPool? = nil
    }

    /// This process's PostgreSQL connection pool: each connection introduces itself with
    /// ``applicationName``, unique to the store, so the server can tell which are ours.
    private struct PostgresPool: Sendable {
        let applicationName: String
        let maximum: Int
    }

    /// How long an operation waits for a free connection before failing.
    private static let connectionTimeout = TimeAmount.seconds(60)

    private init(location: StoreLocation, logger: Logger, sql: SQLResources?) {
        self.location = location
        self.logger = logger
        self.sql = sql
        if let backend = sql?.backend {
            participants = SQLParticipantRepository(backend: backend)
            registrations = SQLRegistrationRepository(backend: backend)
            requests = SQLMeetingRequestRepository(backend: backend)
            schedules = SQLScheduleRepository(backend: backend)
            auditLog = SQLAuditLogRepository(backend: backend)
            idempotency = SQLIdempotencyRepository(backend: backend)
            tickets = SQLTicketRepository(backend: backend)
            checkIns = SQLCheckInRepository(backend: backend)
            sessions = SQLSessionRevocationRepository(backend: backend)
            calendarFeeds = SQLCalendarFeedRepository(backend: backend)
            signageBoards = SQLSignageBoardRepository(backend: backend)
            meetingFeedback = SQLMeetingFeedbackRepository(backend: backend)
            absences = SQLAbsenceRepository(backend: backend)
            notices = SQLNoticeQueueRepository(backend: backend)
            signInAttempts = SQLSignInAttemptRepository(backend: backend)
            schedulingRuns = SQLSchedulingRunRepository(backend: backend)
            organiserAccounts = SQLOrganiserAccountRepository(backend: backend)
            deskPasscodes = SQLDeskPasscodeRepository(backend: backend)
        } else {
            let memory = InMemoryRepositories()
            participants = memory
            registrations = memory
            requests = memory
            schedules = memory
            auditLog = memory
            idempotency = memory
            tickets = memory
            checkIns = memory
            sessions = memory
            calendarFeeds = memory
            signageBoards = memory
            meetingFeedback = memory
            absences = memory
            notices = memory
            signInAttempts = memory
            schedulingRuns = memory
            organiserAccounts = memory
            deskPasscodes = memory
        }
    }

    /// Opens the store at `location`. A SQLite file and its folder are created when
    /// missing; nothing is migrated until ``migrate()``.
    public static func open(
        _ location: StoreLocation, logger: Logger = Logger(label: "partnering.storage")
    ) async throws -> PartneringStore {
        switch location {
        case .memory:
            return PartneringStore(location: location, logger: logger, sql: nil)
        case .sqlite(let path):
            // Personal data: a new folder is the owner's only (0700) and the database file,
            // created here before SQLite opens it, is 0600; SQLite gives its -wal and -shm
            // files the database file's mode.
            let folder = (path as NSString).deletingLastPathComponent
            if !folder.isEmpty, !FileManager.default.fileExists(atPath: folder) {
                try FileManager.default.createDirectory(
                    atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            }
            if !FileManager.default.fileExists(atPath: path) {
                guard
                    FileManager.default.createFile(
                        atPath: path, contents: nil, attributes: [.posixPermissions: 0o600])
                else {
                    throw StorageError.invalidLocation(location.description, reason: "cannot create the database file")
                }
            }
            // Every statement, the repositories' and the migrations' (through Fluent, see
            // `SQLiteFluentDatabase`), goes through the store's own connections, which run a
            // whole transaction on the writer's thread (see `SQLiteAccess`).
            let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
            let direct: SQLiteAccess
            do {
                direct = try SQLiteAccess(path: path, eventLoopGroup: group, logger: logger)
            } catch {
                try? await group.shutdownGracefully()
                throw error
            }
            let resources = makeResources(group: group, logger: logger, dialect: .sqlite, sqlite: direct) {
                DatabaseConfigurationFactory { SQLiteFluentConfiguration(access: direct) }
            }
            let store = PartneringStore(location: location, logger: logger, sql: resources)
            do {
                let sql = try resources.backend.sql()
                // WAL lets readers of other processes work during a write; the busy
                // timeout (set on open) makes another process wait for the lock instead of failing.
                // The writer syncs every commit (`synchronous = FULL`, set by `SQLiteAccess`).
                try await sql.raw("PRAGMA journal_mode = WAL").run()
                try await sql.raw("PRAGMA foreign_keys = ON").run()
            } catch {
                try? await store.shutdown()
                throw error
            }
            return store
        case .postgres(let url):
            var configuration: SQLPostgresConfiguration
            do {
                configuration = try SQLPostgresConfiguration(url: url)
            } catch {
                throw StorageError.invalidLocation(
                    location.description, reason: "expected postgres://user[:password]@host[:port]/database")
            }
            // PostgreSQL keeps application names to 63 bytes: "partnering-" and 32 hex digits.
            let pool = PostgresPool(
                applicationName: "partnering-" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased(),
                maximum: maxConnectionsPerEventLoop * System.coreCount)
            configuration.coreConfiguration.options.additionalStartupParameters.append(
                ("application_name", pool.applicationName))
            var resources = makeResources(
                group: MultiThreadedEventLoopGroup(numberOfThreads: System.coreCount), logger: logger,
                dialect: .postgres, sqlite: nil
            ) { [configuration] in
                .postgres(
                    configuration: configuration, maxConnectionsPerEventLoop: maxConnectionsPerEventLoop,
                    connectionPoolTimeout: connectionTimeout, sqlLogLevel: .trace)
            }
            resources.postgresPool = pool
            return PartneringStore(location: location, logger: logger, sql: resources)
        }
    }

    private static func makeResources(
        group: MultiThreadedEventLoopGroup, logger: Logger, dialect: SQLBackend.Dialect, sqlite: SQLiteAccess?,
        configuration: () -> DatabaseConfigurationFactory
    ) -> SQLResources {
        let threadPool = NIOThreadPool(numberOfThreads: 1)
        threadPool.start()
        let databases = Databases(threadPool: threadPool, on: group)
        databases.use(configuration(), as: .init(string: "partnering"), isDefault: true)
        let backend = SQLBackend(
            databases: databases, eventLoopGroup: group, dialect: dialect, logger: logger, sqlite: sqlite)
        return SQLResources(backend: backend, threadPool: threadPool, eventLoopGroup: group)
    }

    /// The SQLite store's own connections (tests: its commits); `nil` for other stores.
    var sqliteConnections: SQLiteAccess? { sql?.backend.sqlite }

    /// How busy the store's connections are now; `nil` for the in-memory store.
    ///
    /// SQLite: counted by the store. PostgreSQL: the pool keeps its figures to itself, so the
    /// server is asked which of this process's connections run a statement or hold a
    /// transaction (the connection asking counts as one in use).
    public func poolUse() async throws -> StorePoolUse? {
        guard let sql else { return nil }
        if let sqlite = sql.backend.sqlite { return sqlite.poolUse }
        guard let pool = sql.postgresPool else { return nil }
        let row = try await sql.backend.sql().raw(
            """
            SELECT count(*) FILTER (WHERE state = 'idle') AS idle, count(*) AS open
            FROM pg_stat_activity WHERE application_name = \(bind: pool.applicationName)
            """
        ).first()
        let idle = try row?.decode(column: "idle", as: Int.self) ?? 0
        let open = try row?.decode(column: "open", as: Int.self) ?? 0
        return StorePoolUse(maximum: pool.maximum, inUse: max(0, open - idle), idle: idle, writerQueue: nil)
    }

    /// PostgreSQL connections each event loop of the store opens at most.
    private static let maxConnectionsPerEventLoop = 4

    /// Applies the migrations the database has not seen yet, in order, and returns
    /// their names. Safe when several processes start at once: the migration runs in
    /// one transaction that holds a database-wide lock.
    @discardableResult
    public func migrate() async throws -> [String] {
        guard let backend = sql?.backend else { return [] }
        let migrations = Migrations()
        for migration in SchemaMigrations.all { migrations.add(migration) }
        if let sqlite = backend.sqlite {
            // One write transaction (`BEGIN IMMEDIATE`): another process waits for it.
            let context = try backend.database().context
            return try await sqlite.transaction { session in
                try await Self.migrate(
                    SQLiteFluentDatabase(access: sqlite, session: session, context: context, inTransaction: true),
                    migrations)
            }
        }
        return try await backend.database().withConnection { connection in
            let sql = try SQLBackend.sql(connection)
            try await sql.raw("BEGIN").run()
            try await sql.raw("SELECT pg_advisory_xact_lock(\(literal: Self.migrationLockKey))").run()
            do {
                let pending = try await Self.migrate(connection, migrations)
                try await sql.raw("COMMIT").run()
                return pending
            } catch {
                try? await sql.raw("ROLLBACK").run()
                throw error
            }
        }
    }

    /// Applies `migrations` not yet recorded in `database`, inside the caller's transaction.
    private static func migrate(_ database: any Database, _ migrations: Migrations) async throws -> [String] {
        let migrator = Migrator(
            databaseFactory: { _ in database }, migrations: migrations, on: database.eventLoop,
            migrationLogLevel: .debug)
        try await migrator.setupIfNeeded().get()
        let pending = try await migrator.previewPrepareBatch().get().map { $0.0.name }
        try await migrator.prepareBatch().get()
        return pending
    }

    /// The advisory lock that keeps two processes from migrating at once ("PRTN").
    private static let migrationLockKey = 0x5052_544E

    /// The migrations not applied yet.
    /// The store's SQL connection (the writer, for SQLite); `nil` for the in-memory store.
    /// For checks of the connection's settings; repositories have their own.
    func sqlDatabase() throws -> (any SQLDatabase)? {
        try sql?.backend.sql()
    }

    public func pendingMigrations() async throws -> [String] {
        guard let backend = sql?.backend else { return [] }
        let migrations = Migrations()
        for migration in SchemaMigrations.all { migrations.add(migration) }
        let migrator = Migrator(
            databases: backend.databases, migrations: migrations, logger: logger,
            on: backend.eventLoopGroup.any(), migrationLogLevel: .debug)
        try await migrator.setupIfNeeded().get()
        return try await migrator.previewPrepareBatch().get().map { $0.0.name }
    }

    /// The names of every migration the product knows, in order.
    public static var migrationNames: [String] { SchemaMigrations.all.map(\.name) }

    /// Closes connections and stops the store's threads. Further calls do nothing.
    public func shutdown() async throws {
        let alreadyShutDown = isShutDown.withLock { value in
            defer { value = true }
            return value
        }
        guard !alreadyShutDown, let sql else { return }
        await sql.backend.sqlite?.close()
        await sql.backend.databases.shutdownAsync()
        try await sql.threadPool.shutdownGracefully()
        try await sql.eventLoopGroup.shutdownGracefully()
    }
}
