import Foundation
import PartneringCore

extension InMemoryRepositories: SignageBoardRepository {
    public func boards() async throws -> [SignageBoard] {
        signageBoards.sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
    }

    public func board(id: String) async throws -> SignageBoard? { signageBoards.first { $0.id == id } }

    public func insertBoard(_ board: SignageBoard, followUp: FollowUp) async throws {
        guard !signageBoards.contains(where: { $0.id == board.id }) else { throw RepositoryError.duplicateID(board.id) }
        try atomically { try apply(followUp) }
        signageBoards.append(board)
    }

    public func removeBoard(id: String, followUp: FollowUp) async throws -> Bool {
        guard let index = signageBoards.firstIndex(where: { $0.id == id }) else { return false }
        try atomically { try apply(followUp) }
        signageBoards.remove(at: index)
        return true
    }
}
