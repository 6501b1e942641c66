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

    @Test(
        "Locations parse from configuration text",
        arguments: [
            ("memory", StoreLocation.memory),
            ("data/partnering.sqlite", .sqlite(path: "data/partnering.sqlite")),
            ("sqlite:///var/lib/partnering/db.sqlite", .sqlite(path: "/var/lib/partnering/db.sqlite")),
            ("sqlite:db.sqlite", .sqlite(path: "db.sqlite")),
            (
                "postgres://partnering@127.0.0.1:5432/partnering",
                .postgres(url: "postgres://partnering@127.0.0.1:5432/partnering")
            ),
            ("postgresql://u:secret@db/app", .postgres(url: "postgresql://u:secret@db/app")),
        ])
    func parseLocation(text: String, expected: StoreLocation) throws {
        #expect(try StoreLocation(parsing: text) == expected)
    }

    @Test(
        "Bad locations are refused with the reason",
        arguments: ["", "mysql://x@y/z", "postgres://db/app", "postgres://u@db", "sqlite:"])
    func badLocation(text: String) {
        #expect(throws: StorageError.self) { try StoreLocation(parsing: text) }
    }

    @Test("A location prints without its password")
    func locationDescription() throws {
        let location = try StoreLocation(parsing: "postgres://u:secret@db:5432/app")
        #expect(location.description == "postgres://u:redacted@db:5432/app")
        #expect(StoreLocation.embedded(dataDirectory: "data").description == "sqlite:data/partnering.sqlite")
    }
}
