import FluentKit
import SQLKit

/// Participants. Topics and availability are JSON arrays; `search_text` holds the
/// folded name, organisation and profile for accent-insensitive search; times are
/// seconds since 1970 (exact round trip on both databases).
struct M0002_CreateParticipants: AsyncMigration {
    var name: String { "M0002_CreateParticipants" }

    func prepare(on database: any Database) async throws {
        try await database.schema("participants")
            .field("id", .string, .identifier(auto: false))
            .field("number", .int64, .required)
            .field("role", .string, .required)
            .field("category", .string, .required)
            .field("status", .string, .required)
            .field("waitlist_rank", .int64)
            .field("name", .string, .required)
            .field("email", .string, .required)
            .field("email_key", .string, .required)
            .field("organisation", .string, .required)
            .field("job_title", .string, .required)
            .field("country", .string, .required)
            .field("phone", .string)
            .field("topics", .string, .required)
            .field("profile", .string, .required)
            .field("availability", .string)
            .field("max_meetings", .int64)
            .field("language", .string, .required)
            .field("listed_in_directory", .bool, .required)
            .field("host_table", .string)
            .field("registered_at", .double, .required)
            .field("search_text", .string, .required)
            .unique(on: "number", name: "participants_number_key")
            .unique(on: "email_key", name: "participants_email_key")
            .create()
        try await database.sqlDatabase.create(index: "participants_category_status")
            .on("participants").column("category").column("status").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("participants").delete()
    }
}
