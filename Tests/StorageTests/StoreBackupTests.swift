import FileSupport
import Foundation
import PartneringCore
import Storage
import Testing

@Suite("Backup and restore of the SQLite store with its key folder")
struct StoreBackupTests {
    /// A data folder with a migrated SQLite store and a key folder like the service's.
    struct DataFolder {
        let root: String
        var database: String { root + "/partnering.sqlite" }
        var keys: String { root + "/keys" }

        init() throws {
            root = FileManager.default.temporaryDirectory.appendingPathComponent("backup-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        }

        func writeKeys() throws {
            try AtomicFile.writeSecret(
                Array("signing key stand-in\n".utf8), to: keys + "/signing-key.pem")
            try FileManager.default.createDirectory(atPath: keys + "/public", withIntermediateDirectories: true)
            try AtomicFile.write(Array("public key".utf8), to: keys + "/public/k1.pem", mode: 0o644)
        }

        func remove() { try? FileManager.default.removeItem(atPath: root) }
    }

    /// Runs `body` with a source and a target data folder, removed after.
    func withFolders(_ body: (DataFolder, DataFolder) async throws -> Void) async throws {
        let source = try DataFolder()
        let target = try DataFolder()
        defer {
            source.remove()
            target.remove()
        }
        try await body(source, target)
    }

    @Test("a backup taken while registrations are written holds every one committed before it, and restores")
    func backupWhileWriting() async throws {
        try await withFolders { source, target in
            try source.writeKeys()
            let store = try await PartneringStore.open(.sqlite(path: source.database))
            try await store.migrate()
            var acknowledged: [ParticipantID] = []
            for index in 0..<20 {
                acknowledged.append(
                    try await store.registrations.register(Fixtures.draft(index), capacity: 1_000).participant.id)
            }
            // Registrations keep coming while the backup copies the store.
            let writer = Task {
                for index in 20..<120 {
                    _ = try await store.registrations.register(Fixtures.draft(index), capacity: 1_000)
                }
            }
            let archive = source.root + "/backup.tar"
            let manifest = try await StoreBackup.create(
                database: source.database, keyFolder: source.keys, archive: archive)
            try await writer.value
            try await store.shutdown()
            #expect(manifest.format == "partnering-backup/1")
            #expect(manifest.keyFiles == ["public/k1.pem", "signing-key.pem"])
            let mode = try FileManager.default.attributesOfItem(atPath: archive)[.posixPermissions] as? Int
            #expect(mode == 0o600)

            try await StoreBackup.restore(
                archive: archive, database: target.database, keyFolder: target.keys, force: false)
            let restored = try await PartneringStore.open(.sqlite(path: target.database))
            for id in acknowledged { #expect(try await restored.participants.find(id: id) != nil) }
            let count = try await restored.participants.count(ParticipantFilter())
            #expect(count >= 20 && count <= 120)
            #expect(try await restored.pendingMigrations().isEmpty)
            try await restored.shutdown()
            #expect(
                try Data(contentsOf: URL(fileURLWithPath: target.keys + "/signing-key.pem"))
                    == Data("signing key stand-in\n".utf8))
            let keyMode =
                try FileManager.default.attributesOfItem(atPath: target.keys + "/signing-key.pem")[.posixPermissions]
                as? Int
            #expect(keyMode == 0o600)
            #expect(FileManager.default.fileExists(atPath: target.keys + "/public/k1.pem"))
        }
    }

    @Test("restore refuses a folder that holds a store unless forced, and then replaces it")
    func refusesNonEmptyTarget() async throws {
        try await withFolders { source, target in
            let store = try await PartneringStore.open(.sqlite(path: source.database))
            try await store.migrate()
            let kept = try await store.registrations.register(Fixtures.draft(1), capacity: 10).participant.id
            let archive = source.root + "/backup.tar"
            try await StoreBackup.create(database: source.database, keyFolder: source.keys, archive: archive)
            try await store.shutdown()

            let other = try await PartneringStore.open(.sqlite(path: target.database))
            try await other.migrate()
            let replaced = try await other.registrations.register(Fixtures.draft(2), capacity: 10).participant.id
            try await other.shutdown()
            await #expect(throws: StoreBackup.Failure.targetNotEmpty(target.database)) {
                try await StoreBackup.restore(
                    archive: archive, database: target.database, keyFolder: target.keys, force: false)
            }
            let untouched = try await PartneringStore.open(.sqlite(path: target.database))
            #expect(try await untouched.participants.find(id: replaced) != nil)
            try await untouched.shutdown()

            try await StoreBackup.restore(
                archive: archive, database: target.database, keyFolder: target.keys, force: true)
            let restored = try await PartneringStore.open(.sqlite(path: target.database))
            #expect(try await restored.participants.find(id: kept) != nil)
            #expect(try await restored.participants.find(id: replaced) == nil)
            try await restored.shutdown()
        }
    }

    @Test("a damaged, cut or foreign file is refused by name, and nothing is written")
    func refusesBadFiles() async throws {
        try await withFolders { source, target in
            try source.writeKeys()
            let store = try await PartneringStore.open(.sqlite(path: source.database))
            try await store.migrate()
            try await store.shutdown()
            let archive = source.root + "/backup.tar"
            try await StoreBackup.create(database: source.database, keyFolder: source.keys, archive: archive)
            let good = Array(try Data(contentsOf: URL(fileURLWithPath: archive)))

            // One bit of the database's pages changed: the archive's structure is intact.
            var flipped = good
            let database = try #require(good.firstRange(of: Array("SQLite format 3".utf8)))
            flipped[database.lowerBound + 1_000] ^= 0x01
            let cut = "the archive ends without its end marker (cut short?)"
            let cases: [(String, [UInt8], String)] = [
                ("flipped", flipped, "partnering.sqlite differs from its manifest"),
                ("cut", Array(good.prefix(database.lowerBound + 700)), "cut short"),
                ("foreign", Array("name,email\nAda,ada@example.org\n".utf8), cut),
                ("empty", [], cut),
                (
                    "other tar", try TarArchive.write([TarArchive.Entry(path: "notes.txt", contents: [65])]),
                    "manifest.json"
                ),
            ]
            for (name, bytes, reason) in cases {
                let path = source.root + "/\(name).tar"
                try Data(bytes).write(to: URL(fileURLWithPath: path))
                do {
                    try await StoreBackup.restore(
                        archive: path, database: target.database, keyFolder: target.keys, force: true)
                    Issue.record("\(name): restored")
                } catch let failure as StoreBackup.Failure {
                    guard case .notABackup(let refused, let why) = failure else {
                        Issue.record("\(name): \(failure)")
                        continue
                    }
                    #expect(refused == path)
                    #expect(why.contains(reason), "\(name): \(why)")
                }
                #expect(!FileManager.default.fileExists(atPath: target.database), "\(name)")
                #expect(!FileManager.default.fileExists(atPath: target.keys), "\(name)")
            }
            await #expect(throws: StoreBackup.Failure.noStore(target.database)) {
                try await StoreBackup.create(
                    database: target.database, keyFolder: target.keys, archive: target.root + "/b.tar")
            }
        }
    }
}
