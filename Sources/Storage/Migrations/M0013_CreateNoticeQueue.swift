import FluentKit
import SQLKit

/// The notices still to be written as e-mails (the transactional outbox): queued in the
/// transaction of the operation that caused them, deleted once written. `lease_until` is 0
/// until a dispatcher claims the notice, then the end of its lease; `sequence` keeps the
/// order they were queued in.
struct M0013_CreateNoticeQueue: AsyncMigration {
    var name: String { "M0013_CreateNoticeQueue" }

    func prepare(on database: any Database) async throws {
        try await database.schema("notice_queue")
            .field("sequence", .int64, .identifier(auto: true))
            .field("id", .string, .required)
            .field("kind", .string, .required)
            .field("participant_id", .string, .required)
            .field("reference", .string)
            .field("detail", .string)
            .field("queued_at", .double, .required)
            .field("lease_until", .double, .required)
            .unique(on: "id")
            .create()
        try await database.sqlDatabase.create(index: "notice_queue_due").on("notice_queue")
            .column("lease_until").column("sequence").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("notice_queue").delete()
    }
}
