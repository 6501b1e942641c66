import FluentKit

/// Organiser accounts (`OrganiserAccountRepository`), shared by every process; they were
/// kept in `keys/organisers.json` before, which `partnering serve` imports once.
struct M0018_CreateOrganiserAccounts: AsyncMigration {
    var name: String { "M0018_CreateOrganiserAccounts" }

    func prepare(on database: any Database) async throws {
        try await database.schema("organiser_accounts")
            // The address as compared (trimmed, lower case): one account per address.
            .field("email_key", .string, .identifier(auto: false))
            .field("email", .string, .required)
            .field("password_hash", .string, .required)
            .field("created_at", .double, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("organiser_accounts").delete()
    }
}
