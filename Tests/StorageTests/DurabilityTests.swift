import Foundation
import SQLKit
import Testing

@testable import Storage

@Suite("Durability of the SQLite store")
struct DurabilityTests {
    @Test("the writer syncs every commit to disk (WAL, synchronous = FULL): an acknowledged write survives a power cut")
    func everyCommitIsSynced() async throws {
        try await TestStore.with(.sqlite) { store in
            let sql = try #require(try store.sqlDatabase())
            let journal = try await sql.raw("PRAGMA journal_mode").first()?
                .decode(column: "journal_mode", as: String.self)
            let synchronous = try await sql.raw("PRAGMA synchronous").first()?
                .decode(column: "synchronous", as: Int.self)
            #expect(journal == "wal")
            #expect(synchronous == 2, "2 is FULL (1 would be NORMAL: commits not synced)")
        }
    }

    @Test("transactions reaching the busy writer share one commit (one sync), even when none of them suspends")
    func transactionsQueuedBehindTheWriterShareOneCommit() async throws {
        try await TestStore.with(.sqlite) { store in
            let access = try #require(store.sqliteConnections)
            try await access.transaction { sql in try await sql.raw("CREATE TABLE marks (n INTEGER)").run() }
            let commitsBefore = access.commitCount
            let others = SQLiteAccess.groupLimit - 1
            let (firstIsRunning, running) = AsyncStream<Void>.makeStream()
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    try await access.transaction { sql in
                        try await sql.raw("INSERT INTO marks VALUES (0)").run()
                        running.yield()
                        // Holds the writer's thread, as a long statement would, until the other
                        // transactions wait for it; then ends without ever suspending.
                        blockThisThread(untilAtMost: .seconds(60)) { access.writerQueueLength >= others }
                    }
                }
                for await _ in firstIsRunning { break }
                for number in 1...others {
                    group.addTask {
                        try await access.transaction { sql in
                            try await sql.raw("INSERT INTO marks VALUES (\(bind: number))").run()
                        }
                    }
                }
                try await group.waitForAll()
            }
            let rows = try await access.database.raw("SELECT count(*) AS n FROM marks").first()?
                .decode(column: "n", as: Int.self)
            #expect(rows == others + 1)
            #expect(access.commitCount - commitsBefore == 1, "one commit for the \(others + 1) transactions")
        }
    }
}

/// Blocks the calling thread (not just the task) until `condition` holds or `limit` has passed.
private func blockThisThread(untilAtMost limit: Duration, _ condition: () -> Bool) {
    let deadline = ContinuousClock.now + limit
    while !condition() && ContinuousClock.now < deadline { Thread.sleep(forTimeInterval: 0.001) }
}
