import FluentKit
import SQLKit

/// Scheduler runs, every one kept with its inputs and summary. `active_event` holds the
/// event while the run is queued or running and is NULL after: its unique key lets one run
/// at a time be active per event. `lease_until` is 0 until a worker claims the run, then
/// the end of that worker's lease.
struct M0017_CreateSchedulingRuns: AsyncMigration {
    var name: String { "M0017_CreateSchedulingRuns" }

    func prepare(on database: any Database) async throws {
        try await database.schema("scheduling_runs")
            .field("id", .string, .identifier(auto: false))
            .field("event", .string, .required)
            .field("active_event", .string)
            .field("state", .string, .required)
            .field("inputs", .string, .required)
            .field("requested_by", .string, .required)
            .field("queued_at", .double, .required)
            .field("worker", .string)
            .field("lease_until", .double, .required)
            .field("attempts", .int64, .required)
            .field("progress", .string)
            .field("cancel_requested", .int64, .required)
            .field("summary", .string)
            .field("version", .int64)
            .field("finished_at", .double)
            .unique(on: "active_event")
            .create()
        try await database.sqlDatabase.create(index: "scheduling_runs_due").on("scheduling_runs")
            .column("finished_at").column("lease_until").run()
        try await database.sqlDatabase.create(index: "scheduling_runs_by_event").on("scheduling_runs")
            .column("event").column("queued_at").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("scheduling_runs").delete()
    }
}
