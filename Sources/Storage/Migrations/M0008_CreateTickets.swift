import FluentKit
import SQLKit

/// Issued tickets; `revoked_at` is set when a ticket is reissued or cancelled.
struct M0008_CreateTickets: AsyncMigration {
    var name: String { "M0008_CreateTickets" }

    func prepare(on database: any Database) async throws {
        try await database.schema("tickets")
            .field("ticket_id", .string, .identifier(auto: false))
            .field("participant_id", .string, .required)
            .field("key_id", .string, .required)
            .field("event_id", .string, .required)
            .field("participant_number", .int64, .required)
            .field("role", .string, .required)
            .field("not_before", .double, .required)
            .field("expiry", .double, .required)
            .field("issued_at", .double, .required)
            .field("revoked_at", .double)
            .create()
        try await database.sqlDatabase.create(index: "tickets_participant").on("tickets")
            .column("participant_id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("tickets").delete()
    }
}
