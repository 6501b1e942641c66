import Foundation
import PartneringCore
import Storage
import Testing

extension RepositorySuite {
    @Test("Hall boards: stored with their tables and secret, listed oldest first, removed", arguments: Backend.testable)
    func signageBoards(backend: Backend) async throws {
        try await TestStore.with(backend) { store in
            let noon = Date(timeIntervalSince1970: 1_800_000_000)
            let hallA = SignageBoard(
                id: "a1b2c3", name: "Salle A — tables", tables: 1...10, secret: "s1", createdAt: noon)
            let hallB = SignageBoard(
                id: "d4e5f6", name: "Hall B", tables: 11...40, secret: "s2", createdAt: noon.addingTimeInterval(60))

            // MUT
            try await store.signageBoards.insertBoard(hallB)
            try await store.signageBoards.insertBoard(hallA)

            // validation
            #expect(try await store.signageBoards.boards() == [hallA, hallB])
            #expect(try await store.signageBoards.board(id: "d4e5f6") == hallB)
            #expect(try await store.signageBoards.board(id: "nope") == nil)
            await #expect(throws: (any Error).self) { try await store.signageBoards.insertBoard(hallA) }
            #expect(try await store.signageBoards.removeBoard(id: "a1b2c3"))
            #expect(try await !store.signageBoards.removeBoard(id: "a1b2c3"))
            #expect(try await store.signageBoards.boards() == [hallB])
        }
    }
}
