import FluentKit

/// Admissions: at most one per participant, whatever the number of desks.
struct M0009_CreateCheckIns: AsyncMigration {
    var name: String { "M0009_CreateCheckIns" }

    func prepare(on database: any Database) async throws {
        try await database.schema("check_ins")
            .field("participant_id", .string, .identifier(auto: false))
            .field("ticket_id", .string, .required)
            .field("desk", .string, .required)
            .field("nonce", .string, .required)
            .field("time", .double, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("check_ins").delete()
    }
}
