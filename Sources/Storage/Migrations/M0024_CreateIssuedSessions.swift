import FluentKit
import SQLKit

/// The sessions signed in with a credential (organiser password, desk passcode), by holder,
/// until they expire: changing the credential revokes them all (`SessionRevocationRepository`).
struct M0024_CreateIssuedSessions: AsyncMigration {
    var name: String { "M0024_CreateIssuedSessions" }

    func prepare(on database: any Database) async throws {
        try await database.schema("issued_sessions")
            .field("token_id", .string, .identifier(auto: false))
            .field("holder", .string, .required)
            .field("expires_at", .double, .required)
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.raw("CREATE INDEX issued_sessions_holder ON issued_sessions (holder)").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("issued_sessions").delete()
    }
}
