import Foundation
import Logging
import PartneringCore
import Storage
import Testing

/// The stores the service tests that depend on storage run on: in memory and SQLite always,
/// PostgreSQL when `PARTNERING_TEST_POSTGRES_URL` names a server (scripts/with-postgres.sh)
/// or CI demands it (the test then fails, saying so).
enum StoreBackend: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case memory, sqlite, postgres

    var testDescription: String { rawValue }

    private static var postgresURL: String? {
        ProcessInfo.processInfo.environment["PARTNERING_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    static var testable: [StoreBackend] {
        postgresURL != nil || ProcessInfo.processInfo.environment["CI"] == "true" ? allCases : [.memory, .sqlite]
    }

    /// Runs `body` on a fresh migrated store of this kind, then shuts it down and removes it.
    func withStore(_ body: (PartneringStore) async throws -> Void) async throws {
        let logger = Logger(label: "partnering.registration.tests")
        var dropDatabase: (@Sendable () async throws -> Void)?
        let location: StoreLocation
        switch self {
        case .memory: location = .memory
        case .sqlite:
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("partnering-\(UUID())")
            location = .sqlite(path: folder.appendingPathComponent("test.sqlite").path)
            dropDatabase = { try? FileManager.default.removeItem(at: folder) }
        case .postgres:
            guard let server = Self.postgresURL else {
                throw StoreBackendError(
                    description: "PARTNERING_TEST_POSTGRES_URL is not set: run scripts/with-postgres.sh")
            }
            let name =
                "partnering_test_"
                + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
                .prefix(16)
            location = .postgres(
                url: try await PostgresDatabases.create(named: String(name), onServerOf: server, logger: logger))
            dropDatabase = { try await PostgresDatabases.drop(named: String(name), onServerOf: server, logger: logger) }
        }
        let store = try await PartneringStore.open(location, logger: logger)
        do {
            try await store.migrate()
            try await body(store)
        } catch {
            try? await store.shutdown()
            try? await dropDatabase?()
            throw error
        }
        try await store.shutdown()
        try await dropDatabase?()
    }
}

struct StoreBackendError: Error, CustomStringConvertible {
    var description: String
}
