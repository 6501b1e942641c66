import FluentKit
import SQLKit

/// The meetings of each schedule version; a table hosts one meeting per slot.
struct M0005_CreateScheduleMeetings: AsyncMigration {
    var name: String { "M0005_CreateScheduleMeetings" }

    func prepare(on database: any Database) async throws {
        try await database.schema("schedule_meetings")
            .field("version", .int64, .required)
            .field("first_id", .string, .required)
            .field("second_id", .string, .required)
            .field("slot", .string, .required)
            .field("table_id", .string, .required)
            .compositeIdentifier(over: "version", "slot", "table_id")
            .create()
        let sql = try database.sqlDatabase
        try await sql.create(index: "schedule_meetings_first").on("schedule_meetings")
            .column("version").column("first_id").run()
        try await sql.create(index: "schedule_meetings_second").on("schedule_meetings")
            .column("version").column("second_id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("schedule_meetings").delete()
    }
}
