import FluentKit

/// Signed-out session tokens, until they expire.
struct M0012_CreateRevokedSessions: AsyncMigration {
    var name: String { "M0012_CreateRevokedSessions" }

    func prepare(on database: any Database) async throws {
        try await database.schema("revoked_sessions")
            .field("token_id", .string, .identifier(auto: false))
            .field("expires_at", .double, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("revoked_sessions").delete()
    }
}
