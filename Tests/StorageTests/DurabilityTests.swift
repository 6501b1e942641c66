import Foundation
import SQLKit
import Testing

@testable import Storage

@Suite("Durability of the SQLite store")
struct DurabilityTests {
    @Test("the writer syncs every commit to disk (WAL, synchronous = FULL): an acknowledged write survives a power cut")
    func everyCommitIsSynced() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("durability-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let store = try await PartneringStore.open(.sqlite(path: folder.appendingPathComponent("store.sqlite").path))
        do {
            let sql = try #require(try store.sqlDatabase())
            let journal = try await sql.raw("PRAGMA journal_mode").first()?
                .decode(column: "journal_mode", as: String.self)
            let synchronous = try await sql.raw("PRAGMA synchronous").first()?
                .decode(column: "synchronous", as: Int.self)
            #expect(journal == "wal")
            #expect(synchronous == 2, "2 is FULL (1 would be NORMAL: commits not synced)")
        } catch {
            try await store.shutdown()
            throw error
        }
        try await store.shutdown()
    }
}
