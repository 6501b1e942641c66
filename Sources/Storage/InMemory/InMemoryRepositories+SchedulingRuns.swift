import Foundation
import PartneringCore

extension InMemoryRepositories: SchedulingRunRepository {
    public func enqueue(_ run: SchedulingRun, followUp: FollowUp) async throws -> Bool {
        guard !schedulingRuns.contains(where: { $0.id == run.id || ($0.event == run.event && $0.state.isActive) })
        else { return false }
        // Fails before it writes anything, so a failing follow-up queues no run.
        try apply(followUp)
        schedulingRuns.append(run)
        return true
    }

    public func claim(worker: String, now: Date, leaseEnd: Date) async throws -> SchedulingRun? {
        guard
            let index = schedulingRuns.indices.filter({
                schedulingRuns[$0].finishedAt == nil && schedulingRuns[$0].leaseUntil < now
            }).min(by: {
                (schedulingRuns[$0].queuedAt, schedulingRuns[$0].id) < (
                    schedulingRuns[$1].queuedAt, schedulingRuns[$1].id
                )
            })
        else { return nil }
        schedulingRuns[index].state = .running
        schedulingRuns[index].worker = worker
        schedulingRuns[index].leaseUntil = leaseEnd
        schedulingRuns[index].attempts += 1
        schedulingRuns[index].progress = nil
        return schedulingRuns[index]
    }

    public func heartbeat(_ id: String, worker: String, progress: String?, leaseEnd: Date) async throws
        -> SchedulingHeartbeat
    {
        guard let index = heldRun(id, worker: worker) else { return .lost }
        schedulingRuns[index].progress = progress
        schedulingRuns[index].leaseUntil = leaseEnd
        return schedulingRuns[index].cancelRequested ? .stop : .proceed
    }

    public func finish(
        _ id: String, worker: String, as state: SchedulingRun.State, summary: String?, schedule: ScheduleDraft?,
        at time: Date
    ) async throws -> Bool {
        guard let index = heldRun(id, worker: worker) else { return false }
        if let schedule { schedulingRuns[index].version = try await save(schedule).info.version }
        schedulingRuns[index].state = state
        schedulingRuns[index].summary = summary
        schedulingRuns[index].finishedAt = time
        return true
    }

    public func release(_ id: String, worker: String) async throws {
        guard let index = heldRun(id, worker: worker) else { return }
        schedulingRuns[index].state = .queued
        schedulingRuns[index].leaseUntil = Date(timeIntervalSince1970: 0)
        schedulingRuns[index].progress = nil
        schedulingRuns[index].attempts -= 1
    }

    public func cancel(event: String, at time: Date, followUp: @escaping @Sendable (SchedulingRun) -> FollowUp)
        async throws -> SchedulingRun?
    {
        guard let index = schedulingRuns.firstIndex(where: { $0.event == event && $0.state.isActive }) else {
            return nil
        }
        var run = schedulingRuns[index]
        if run.state == .queued {
            run.state = .cancelled
            run.finishedAt = time
        } else {
            run.cancelRequested = true
        }
        // Fails before it writes anything, so a failing follow-up cancels nothing.
        try apply(followUp(run))
        schedulingRuns[index] = run
        return run
    }

    public func latest(event: String) async throws -> SchedulingRun? {
        schedulingRuns.filter { $0.event == event }.max { ($0.queuedAt, $0.id) < ($1.queuedAt, $1.id) }
    }

    public func countsByState() async throws -> [SchedulingRun.State: Int] {
        schedulingRuns.reduce(into: [:]) { counts, run in counts[run.state, default: 0] += 1 }
    }

    /// The unfinished run `id` if `worker` holds it.
    private func heldRun(_ id: String, worker: String) -> Int? {
        schedulingRuns.firstIndex { $0.id == id && $0.worker == worker && $0.finishedAt == nil }
    }
}
