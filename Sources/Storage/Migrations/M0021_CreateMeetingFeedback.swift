import FluentKit

/// Participants' answers about their meetings: one per author and counterpart.
struct M0021_CreateMeetingFeedback: AsyncMigration {
    var name: String { "M0021_CreateMeetingFeedback" }

    func prepare(on database: any Database) async throws {
        try await database.schema("meeting_feedback")
            .field("author_id", .string, .required)
            .field("counterpart_id", .string, .required)
            .field("attendance", .string, .required)
            .field("usefulness", .int)
            .field("follow_up", .string, .required)
            .field("comment", .string, .required)
            .field("recorded_at", .double, .required)
            .compositeIdentifier(over: "author_id", "counterpart_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("meeting_feedback").delete()
    }
}
