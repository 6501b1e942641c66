import FluentKit

/// Private calendar subscriptions: the secret each participant's feed address derives from.
struct M0015_CreateCalendarFeeds: AsyncMigration {
    var name: String { "M0015_CreateCalendarFeeds" }

    func prepare(on database: any Database) async throws {
        try await database.schema("calendar_feeds")
            .field("participant_id", .string, .identifier(auto: false))
            .field("secret", .string, .required)
            .field("created_at", .double, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("calendar_feeds").delete()
    }
}
