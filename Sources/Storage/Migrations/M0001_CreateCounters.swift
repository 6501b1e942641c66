import FluentKit
import SQLKit

/// Named counters (participant numbers, schedule versions), incremented inside
/// transactions; the participant-number row doubles as the registration lock.
struct M0001_CreateCounters: AsyncMigration {
    var name: String { "M0001_CreateCounters" }

    func prepare(on database: any Database) async throws {
        try await database.schema("counters")
            .field("name", .string, .identifier(auto: false))
            .field("value", .int64, .required)
            .create()
        try await database.sqlDatabase.insert(into: "counters")
            .columns("name", "value")
            .values(SQLBind("participant_number"), SQLBind(0))
            .values(SQLBind("schedule_version"), SQLBind(0))
            .run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("counters").delete()
    }
}
