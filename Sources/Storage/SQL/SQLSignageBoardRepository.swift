import Foundation
import PartneringCore
import SQLKit

/// Hall boards in a SQL database.
struct SQLSignageBoardRepository: SignageBoardRepository {
    let backend: SQLBackend

    private struct Row: Decodable {
        let id: String
        let name: String
        let first_table: Int
        let last_table: Int
        let secret: String
        let created_at: Double

        var board: SignageBoard? {
            guard first_table <= last_table else { return nil }
            return SignageBoard(
                id: id, name: name, tables: first_table...last_table, secret: secret,
                createdAt: Date(timeIntervalSince1970: created_at))
        }
    }

    func boards() async throws -> [SignageBoard] {
        try await backend.sql().raw("SELECT * FROM signage_boards ORDER BY created_at, id").all(decoding: Row.self)
            .compactMap(\.board)
    }

    func board(id: String) async throws -> SignageBoard? {
        try await backend.sql().raw("SELECT * FROM signage_boards WHERE id = \(bind: id)").first(decoding: Row.self)?
            .board
    }

    func insertBoard(_ board: SignageBoard, followUp: FollowUp) async throws {
        try await backend.write { [backend] sql in
            try await sql.raw(
                """
                INSERT INTO signage_boards (id, name, first_table, last_table, secret, created_at) \
                VALUES (\(bind: board.id), \(bind: board.name), \(bind: board.tables.lowerBound), \
                \(bind: board.tables.upperBound), \(bind: board.secret), \(bind: board.createdAt.timeIntervalSince1970))
                """
            ).run()
            try await backend.apply(followUp, sql)
        }
    }

    func removeBoard(id: String, followUp: FollowUp) async throws -> Bool {
        try await backend.write { [backend] sql in
            let removed = try await !sql.raw("DELETE FROM signage_boards WHERE id = \(bind: id) RETURNING id").all()
                .isEmpty
            if removed { try await backend.apply(followUp, sql) }
            return removed
        }
    }
}
