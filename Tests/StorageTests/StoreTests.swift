import Foundation
import PartneringCore
import Storage
import Testing

extension RepositorySuite {
    @Test("Data survives reopening; migrating again changes nothing", arguments: Backend.testableSQL)
    func persistence(backend: Backend) async throws {
        let test = try await TestStore.make(backend)
        var store = try await test.open()
        let outcome = try await store.registrations.register(Fixtures.draft(1), capacity: 10)

        store = try await test.reopen(store)

        #expect(try await store.migrate() == [])
        #expect(try await store.pendingMigrations() == [])
        #expect(try await store.participants.find(id: outcome.participant.id) == outcome.participant)
        #expect(try await store.registrations.register(Fixtures.draft(2), capacity: 10).participant.number == 2)
        try await store.shutdown()
        try await store.shutdown()
    }
}

@Suite("Store")
struct StoreTests {
    @Test("A fresh SQLite database gets every migration, in order")
    func freshMigration() async throws {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("partnering-migrate-\(UUID().uuidString)/nested")
        defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
        let store = try await PartneringStore.open(.embedded(dataDirectory: folder.path))

        #expect(try await store.pendingMigrations() == PartneringStore.migrationNames)
        #expect(try await store.migrate() == PartneringStore.migrationNames)
        #expect(PartneringStore.migrationNames.first == "M0001_CreateCounters")
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("partnering.sqlite").path))
        try await store.shutdown()
    }
}

extension RepositorySuite {
    @Test("Pool use counts the store's own connections, within their maximum", arguments: Backend.testableSQL)
    func poolUse(backend: Backend) async throws {
        try await TestStore.withTwo(backend) { store, other in
            _ = try await store.registrations.register(Fixtures.draft(1), capacity: 10)
            let use = try #require(try await store.poolUse())
            #expect(use.maximum >= 1)
            #expect(use.inUse + use.idle <= use.maximum)
            switch backend {
            case .sqlite:
                // Nothing runs now: every reader is idle, nobody waits for the writer.
                #expect(use.inUse == 0 && use.idle == use.maximum && use.writerQueue == 0)
            case .postgres, .memory:
                // The connection asking the server is in use; there is no single writer.
                #expect(use.inUse >= 1 && use.writerQueue == nil)
                // The other store (another process) sees only its own: the one it migrated
                // with and the one asking, not those of the first.
                let others = try #require(try await other.poolUse())
                #expect(others.inUse >= 1 && others.inUse + others.idle <= 2)
            }
        }
    }
}
