import Foundation
import Logging
import PartneringCore
import Storage
import Testing

/// The storage backends the repository suite runs against.
enum Backend: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case memory
    case sqlite
    case postgres

    var testDescription: String {
        switch self {
        case .memory: "in-memory"
        case .sqlite: "SQLite"
        case .postgres: "PostgreSQL"
        }
    }

    /// The backends to test here: PostgreSQL when a server is configured, and
    /// also when CI demands it (the tests then fail with a clear message).
    static var testable: [Backend] {
        PostgresTestServer.url != nil || PostgresTestServer.isCI ? allCases : [.memory, .sqlite]
    }

    /// Backends that keep data in a database, where two store instances can share it.
    static var testableSQL: [Backend] { testable.filter { $0 != .memory } }
}

/// The PostgreSQL server given by the environment.
enum PostgresTestServer {
    static let variable = "PARTNERING_TEST_POSTGRES_URL"
    static var url: String? {
        ProcessInfo.processInfo.environment[variable].flatMap { $0.isEmpty ? nil : $0 }
    }
    static var isCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }

    struct NotConfigured: Error, CustomStringConvertible {
        var description: String {
            "\(PostgresTestServer.variable) is not set, and CI=true requires the PostgreSQL storage tests: run them through scripts/with-postgres.sh"
        }
    }
}

/// A store opened for one test on a fresh, empty, migrated database.
struct TestStore {
    let backend: Backend
    private let location: StoreLocation
    private let cleanUp: @Sendable () async throws -> Void

    static let logger = Logger(label: "partnering.storage.tests")

    private init(backend: Backend, location: StoreLocation, cleanUp: @escaping @Sendable () async throws -> Void) {
        self.backend = backend
        self.location = location
        self.cleanUp = cleanUp
    }

    /// Creates a fresh database for `backend`.
    static func make(_ backend: Backend) async throws -> TestStore {
        switch backend {
        case .memory:
            return TestStore(backend: backend, location: .memory, cleanUp: {})
        case .sqlite:
            let folder = FileManager.default.temporaryDirectory
                .appendingPathComponent("partnering-storage-\(UUID().uuidString)")
            let path = folder.appendingPathComponent("test.sqlite").path
            return TestStore(backend: backend, location: .sqlite(path: path)) {
                try? FileManager.default.removeItem(at: folder)
            }
        case .postgres:
            guard let serverURL = PostgresTestServer.url else { throw PostgresTestServer.NotConfigured() }
            let name =
                "partnering_test_"
                + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
                .prefix(16)
            let url = try await PostgresDatabases.create(
                named: String(name), onServerOf: serverURL, logger: logger)
            return TestStore(backend: backend, location: .postgres(url: url)) {
                try await PostgresDatabases.drop(named: String(name), onServerOf: serverURL, logger: logger)
            }
        }
    }

    /// Opens a store on this test's database; the first open migrates it. For the
    /// in-memory backend every open would be a new, empty store, so there is one.
    func open() async throws -> PartneringStore {
        let store = try await PartneringStore.open(location, logger: Self.logger)
        try await store.migrate()
        return store
    }

    /// Runs `body` with a migrated store, then shuts it down and removes the database.
    static func with<T>(
        _ backend: Backend, _ body: (PartneringStore) async throws -> T
    ) async throws -> T {
        let test: TestStore
        do { test = try await make(backend) } catch { throw PostgresErrorDetail.revealing(error) }
        let store: PartneringStore
        do {
            store = try await test.open()
        } catch {
            try? await test.cleanUp()
            throw PostgresErrorDetail.revealing(error)
        }
        do {
            let result = try await body(store)
            try await store.shutdown()
            try await test.cleanUp()
            return result
        } catch {
            try? await store.shutdown()
            try? await test.cleanUp()
            throw PostgresErrorDetail.revealing(error)
        }
    }

    /// Runs `body` with two store instances on the same database (as two server
    /// processes would have), then shuts both down and removes the database.
    static func withTwo<T>(
        _ backend: Backend, _ body: (PartneringStore, PartneringStore) async throws -> T
    ) async throws -> T {
        let test: TestStore
        do { test = try await make(backend) } catch { throw PostgresErrorDetail.revealing(error) }
        var stores: [PartneringStore] = []
        do {
            stores.append(try await test.open())
            stores.append(try await test.open())
            let result = try await body(stores[0], stores[1])
            for store in stores { try await store.shutdown() }
            try await test.cleanUp()
            return result
        } catch {
            for store in stores { try? await store.shutdown() }
            try? await test.cleanUp()
            throw PostgresErrorDetail.revealing(error)
        }
    }

    /// Closes the store and opens the same database again, for persistence checks.
    func reopen(_ store: PartneringStore) async throws -> PartneringStore {
        try await store.shutdown()
        return try await open()
    }
}

/// postgres-nio's errors describe themselves as "Generic description to prevent accidental
/// leakage of sensitive data": a failing test shows what the server said instead.
struct PostgresErrorDetail: Error, CustomStringConvertible {
    let description: String

    static func revealing(_ error: any Error) -> any Error {
        "\(type(of: error))" == "PSQLError" ? PostgresErrorDetail(description: String(reflecting: error)) : error
    }
}
