import FluentKit

/// Participants an organiser marked absent on the day: at most one mark each.
struct M0022_CreateAbsences: AsyncMigration {
    var name: String { "M0022_CreateAbsences" }

    func prepare(on database: any Database) async throws {
        try await database.schema("absences")
            .field("participant_id", .string, .identifier(auto: false))
            .field("marked_at", .double, .required)
            .field("marked_by", .string, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("absences").delete()
    }
}
