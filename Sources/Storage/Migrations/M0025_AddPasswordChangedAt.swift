import FluentKit
import SQLKit

/// When each organiser account's password last changed (`OrganiserAccount.passwordChangedAt`):
/// sessions and API tokens signed before then are refused, also those issued before
/// M0024 recorded sessions by holder. Empty for existing accounts: nothing is known of them.
struct M0025_AddPasswordChangedAt: AsyncMigration {
    var name: String { "M0025_AddPasswordChangedAt" }

    func prepare(on database: any Database) async throws {
        // Written as SQL: both databases add a nullable column alike (SQLite reads the type
        // as REAL), without depending on how a schema builder spells ALTER TABLE.
        try await database.sqlDatabase.raw(
            "ALTER TABLE organiser_accounts ADD COLUMN password_changed_at DOUBLE PRECISION"
        ).run()
    }

    func revert(on database: any Database) async throws {
        try await database.sqlDatabase.raw("ALTER TABLE organiser_accounts DROP COLUMN password_changed_at").run()
    }
}
