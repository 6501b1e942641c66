import FluentKit
import SQLKit

/// The append-only audit log; `sequence` orders entries.
struct M0006_CreateAuditLog: AsyncMigration {
    var name: String { "M0006_CreateAuditLog" }

    func prepare(on database: any Database) async throws {
        try await database.schema("audit_log")
            .field("sequence", .int64, .identifier(auto: true))
            .field("time", .double, .required)
            .field("actor", .string, .required)
            .field("action", .string, .required)
            .field("subject", .string, .required)
            .field("details", .string, .required)
            .create()
        try await database.sqlDatabase.create(index: "audit_log_subject").on("audit_log")
            .column("subject").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("audit_log").delete()
    }
}
