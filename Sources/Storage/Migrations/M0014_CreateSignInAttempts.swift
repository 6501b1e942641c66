import FluentKit
import SQLKit

/// Sign-in attempts per throttle key (`SignInAttemptRepository`), shared by every process.
struct M0014_CreateSignInAttempts: AsyncMigration {
    var name: String { "M0014_CreateSignInAttempts" }

    func prepare(on database: any Database) async throws {
        try await database.schema("sign_in_attempts")
            .field("throttle_key", .string, .required)
            .field("attempted_at", .double, .required)
            .create()
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.raw("CREATE INDEX sign_in_attempts_key ON sign_in_attempts (throttle_key, attempted_at)").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("sign_in_attempts").delete()
    }
}
