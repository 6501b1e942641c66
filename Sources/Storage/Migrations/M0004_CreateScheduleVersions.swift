import FluentKit

/// Schedule versions: one row per stored scheduler result.
struct M0004_CreateScheduleVersions: AsyncMigration {
    var name: String { "M0004_CreateScheduleVersions" }

    func prepare(on database: any Database) async throws {
        try await database.schema("schedule_versions")
            .field("version", .int64, .identifier(auto: false))
            .field("objective", .int64, .required)
            .field("upper_bound", .int64)
            .field("label", .string)
            .field("summary_json", .string)
            .field("meeting_count", .int64, .required)
            .field("created_at", .double, .required)
            .field("published_at", .double)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("schedule_versions").delete()
    }
}
