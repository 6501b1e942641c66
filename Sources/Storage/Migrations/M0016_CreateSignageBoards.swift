import FluentKit

/// Hall boards ("now and next" screens): the secret each board's address derives from.
struct M0016_CreateSignageBoards: AsyncMigration {
    var name: String { "M0016_CreateSignageBoards" }

    func prepare(on database: any Database) async throws {
        try await database.schema("signage_boards")
            .field("id", .string, .identifier(auto: false))
            .field("name", .string, .required)
            .field("first_table", .int, .required)
            .field("last_table", .int, .required)
            .field("secret", .string, .required)
            .field("created_at", .double, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("signage_boards").delete()
    }
}
