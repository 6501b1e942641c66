import Foundation
import PartneringCore
import SQLKit

/// Scheduler runs in a SQL database (`scheduling_runs`). The unique `active_event` column
/// keeps one active run per event; a claim is one `UPDATE ... RETURNING` over the due runs,
/// picked `FOR UPDATE SKIP LOCKED` on PostgreSQL so that workers of several processes never
/// take the same run, and made alone by SQLite's single writer. Every change to a held run
/// names its worker, so a worker whose lease was taken over changes nothing.
struct SQLSchedulingRunRepository: SchedulingRunRepository {
    let backend: SQLBackend
    static let table = "scheduling_runs"

    /// The event has an active run already (or the id is taken): the insert failed.
    private struct RunNotQueued: Error {}

    func enqueue(_ run: SchedulingRun, followUp: FollowUp) async throws -> Bool {
        do {
            try await backend.write { [backend] sql in
                do {
                    try await sql.insert(into: Self.table)
                        .columns(
                            "id", "event", "active_event", "state", "inputs", "requested_by", "queued_at", "worker",
                            "lease_until", "attempts", "progress", "cancel_requested", "summary", "version",
                            "finished_at"
                        )
                        .values(
                            SQLBind(run.id), SQLBind(run.event),
                            run.state.isActive ? SQLBind(run.event) : SQLLiteral.null, SQLBind(run.state.rawValue),
                            SQLBind(run.inputs), SQLBind(run.requestedBy),
                            SQLBind(run.queuedAt.timeIntervalSince1970), ParticipantRow.bindOrNull(run.worker),
                            SQLBind(run.leaseUntil.timeIntervalSince1970), SQLBind(run.attempts),
                            ParticipantRow.bindOrNull(run.progress), SQLBind(run.cancelRequested ? 1 : 0),
                            ParticipantRow.bindOrNull(run.summary), ParticipantRow.bindOrNull(run.version),
                            ParticipantRow.bindOrNull(run.finishedAt?.timeIntervalSince1970)
                        )
                        .run()
                } catch  where SQLBackend.isConstraintViolation(error) {
                    // Only the run's own insert counts as "not queued": a follow-up that
                    // fails is an error, and rolls the run back with it.
                    throw RunNotQueued()
                }
                try await backend.apply(followUp, sql)
            }
            return true
        } catch is RunNotQueued {
            return false
        }
    }

    func claim(worker: String, now: Date, leaseEnd: Date) async throws -> SchedulingRun? {
        let locking: SQLQueryString = backend.dialect == .postgres ? " FOR UPDATE SKIP LOCKED" : ""
        return try await backend.write { sql in
            try await sql.raw(
                """
                UPDATE scheduling_runs SET state = \(bind: SchedulingRun.State.running.rawValue), \
                worker = \(bind: worker), lease_until = \(bind: leaseEnd.timeIntervalSince1970), \
                attempts = attempts + 1, progress = NULL \
                WHERE id IN (SELECT id FROM scheduling_runs \
                WHERE finished_at IS NULL AND lease_until < \(bind: now.timeIntervalSince1970) \
                ORDER BY queued_at, id LIMIT 1\(locking)) \
                RETURNING *
                """
            ).first().map(Self.decode)
        }
    }

    func heartbeat(_ id: String, worker: String, progress: String?, leaseEnd: Date) async throws
        -> SchedulingHeartbeat
    {
        let row = try await backend.write { sql in
            try await sql.raw(
                """
                UPDATE scheduling_runs SET progress = \(ParticipantRow.bindOrNull(progress)), \
                lease_until = \(bind: leaseEnd.timeIntervalSince1970) \
                WHERE id = \(bind: id) AND worker = \(bind: worker) AND finished_at IS NULL \
                RETURNING cancel_requested
                """
            ).first()
        }
        guard let row else { return .lost }
        return try row.decode(column: "cancel_requested", as: Int.self) != 0 ? .stop : .proceed
    }

    func finish(
        _ id: String, worker: String, as state: SchedulingRun.State, summary: String?, schedule: ScheduleDraft?,
        at time: Date
    ) async throws -> Bool {
        try await backend.write { [backend] sql in
            let ended = try await sql.raw(
                """
                UPDATE scheduling_runs SET state = \(bind: state.rawValue), active_event = NULL, \
                summary = \(ParticipantRow.bindOrNull(summary)), finished_at = \(bind: time.timeIntervalSince1970) \
                WHERE id = \(bind: id) AND worker = \(bind: worker) AND finished_at IS NULL \
                RETURNING id
                """
            ).first()
            guard ended != nil else { return false }
            if let schedule {
                let saved = try await SQLScheduleRepository.insert(schedule, backend: backend, sql)
                try await sql.update(Self.table).set("version", to: saved.info.version).where("id", .equal, id).run()
            }
            return true
        }
    }

    func release(_ id: String, worker: String) async throws {
        try await backend.write { sql in
            // A release is no failed attempt: it does not count towards giving the run up.
            try await sql.raw(
                """
                UPDATE scheduling_runs SET state = \(bind: SchedulingRun.State.queued.rawValue), lease_until = 0, \
                progress = NULL, attempts = attempts - 1 \
                WHERE id = \(bind: id) AND worker = \(bind: worker) AND finished_at IS NULL
                """
            ).run()
        }
    }

    func cancel(event: String, at time: Date, followUp: @escaping @Sendable (SchedulingRun) -> FollowUp)
        async throws -> SchedulingRun?
    {
        try await backend.write { [backend] sql in
            // Two conditional updates, each evaluated on the row as it is when locked: a run
            // claimed meanwhile is asked to stop rather than ended under its worker.
            let ended = try await sql.raw(
                """
                UPDATE scheduling_runs SET state = \(bind: SchedulingRun.State.cancelled.rawValue), \
                active_event = NULL, finished_at = \(bind: time.timeIntervalSince1970) \
                WHERE active_event = \(bind: event) AND state = \(bind: SchedulingRun.State.queued.rawValue) \
                RETURNING *
                """
            ).first().map(Self.decode)
            let cancelled: SchedulingRun?
            if let ended {
                cancelled = ended
            } else {
                cancelled = try await sql.raw(
                    """
                    UPDATE scheduling_runs SET cancel_requested = 1 \
                    WHERE active_event = \(bind: event) AND state = \(bind: SchedulingRun.State.running.rawValue) \
                    RETURNING *
                    """
                ).first().map(Self.decode)
            }
            guard let cancelled else { return nil }
            try await backend.apply(followUp(cancelled), sql)
            return cancelled
        }
    }

    func latest(event: String) async throws -> SchedulingRun? {
        try await backend.sql().select().column("*").from(Self.table).where("event", .equal, event)
            .orderBy("queued_at", .descending).orderBy("id", .descending).limit(1)
            .first().map(Self.decode)
    }

    func countsByState() async throws -> [SchedulingRun.State: Int] {
        let rows = try await backend.sql().select().column("state")
            .column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .from(Self.table).groupBy("state").all()
        var counts: [SchedulingRun.State: Int] = [:]
        for row in rows {
            let text = try row.decode(column: "state", as: String.self)
            guard let state = SchedulingRun.State(rawValue: text) else {
                throw StorageError.corruptValue(table: Self.table, column: "state", value: text)
            }
            counts[state] = try row.decode(column: "n", as: Int.self)
        }
        return counts
    }

    private static func decode(_ row: any SQLRow) throws -> SchedulingRun {
        func optional<Value: Decodable>(_ column: String, _ type: Value.Type) throws -> Value? {
            try row.decodeNil(column: column) ? nil : row.decode(column: column, as: type)
        }
        let stateText = try row.decode(column: "state", as: String.self)
        guard let state = SchedulingRun.State(rawValue: stateText) else {
            throw StorageError.corruptValue(table: table, column: "state", value: stateText)
        }
        return SchedulingRun(
            id: try row.decode(column: "id", as: String.self), event: try row.decode(column: "event", as: String.self),
            inputs: try row.decode(column: "inputs", as: String.self),
            requestedBy: try row.decode(column: "requested_by", as: String.self),
            queuedAt: Date(timeIntervalSince1970: try row.decode(column: "queued_at", as: Double.self)), state: state,
            worker: try optional("worker", String.self),
            leaseUntil: Date(timeIntervalSince1970: try row.decode(column: "lease_until", as: Double.self)),
            attempts: try row.decode(column: "attempts", as: Int.self), progress: try optional("progress", String.self),
            cancelRequested: try row.decode(column: "cancel_requested", as: Int.self) != 0,
            summary: try optional("summary", String.self), version: try optional("version", Int.self),
            finishedAt: try optional("finished_at", Double.self).map(Date.init(timeIntervalSince1970:)))
    }
}
