import Foundation
import PartneringCore
import Storage
import Testing

extension RepositorySuite {
    @Test(
        "Hall boards: stored with their tables and secret, listed oldest first, removed; audit entries commit with the change only",
        arguments: Backend.testable)
    func signageBoards(backend: Backend) async throws {
        try await TestStore.with(backend) { store in
            let noon = Date(timeIntervalSince1970: 1_800_000_000)
            let hallA = SignageBoard(
                id: "a1b2c3", name: "Salle A — tables", tables: 1...10, secret: "s1", createdAt: noon)
            let hallB = SignageBoard(
                id: "d4e5f6", name: "Hall B", tables: 11...40, secret: "s2", createdAt: noon.addingTimeInterval(60))

            let audit = { (action: String, id: String) in
                FollowUp(auditEntries: [AuditEntry(time: noon, actor: "organiser:o", action: action, subject: id)])
            }

            // MUT
            try await store.signageBoards.insertBoard(hallB, followUp: audit("board.create", hallB.id))
            try await store.signageBoards.insertBoard(hallA, followUp: audit("board.create", hallA.id))

            // validation
            #expect(try await store.signageBoards.boards() == [hallA, hallB])
            #expect(try await store.signageBoards.board(id: "d4e5f6") == hallB)
            #expect(try await store.signageBoards.board(id: "nope") == nil)
            await #expect(throws: (any Error).self) {
                try await store.signageBoards.insertBoard(hallA, followUp: audit("board.create", "duplicate"))
            }
            #expect(try await store.signageBoards.removeBoard(id: "a1b2c3", followUp: audit("board.revoke", "a1b2c3")))
            #expect(try await !store.signageBoards.removeBoard(id: "a1b2c3", followUp: audit("board.revoke", "again")))
            #expect(try await store.signageBoards.boards() == [hallB])
            let entries = try await store.auditLog.list(AuditFilter()).map { "\($0.action) \($0.subject)" }
            #expect(entries.sorted() == ["board.create a1b2c3", "board.create d4e5f6", "board.revoke a1b2c3"])
        }
    }
}
