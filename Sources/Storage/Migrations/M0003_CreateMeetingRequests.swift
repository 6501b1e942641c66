import FluentKit
import SQLKit

/// Meeting requests between participants; `slots` is a JSON array or NULL.
struct M0003_CreateMeetingRequests: AsyncMigration {
    var name: String { "M0003_CreateMeetingRequests" }

    func prepare(on database: any Database) async throws {
        try await database.schema("meeting_requests")
            .field("id", .string, .identifier(auto: false))
            .field("from_id", .string, .required)
            .field("to_id", .string, .required)
            .field("priority", .int64, .required)
            .field("message", .string, .required)
            .field("status", .string, .required)
            .field("slots", .string)
            .field("created_at", .double, .required)
            .create()
        let sql = try database.sqlDatabase
        try await sql.create(index: "meeting_requests_from").on("meeting_requests").column("from_id")
            .run()
        try await sql.create(index: "meeting_requests_to").on("meeting_requests").column("to_id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("meeting_requests").delete()
    }
}
