import Foundation
import PartneringCore
import Storage
import Testing

extension RepositorySuite {
    private static func run(_ id: String, event: String = "onco-paris-2026", at offset: TimeInterval = 0)
        -> SchedulingRun
    {
        SchedulingRun(
            id: id, event: event, inputs: "{\"timeLimit\":1}", requestedBy: "org@example.org",
            queuedAt: Fixtures.start.addingTimeInterval(offset))
    }

    /// Two stores on one database, as two processes have; the in-memory store lives in one
    /// process, so both are the same store there.
    private static func withTwoProcesses(
        _ backend: Backend, _ body: (PartneringStore, PartneringStore) async throws -> Void
    ) async throws {
        if backend == .memory {
            try await TestStore.with(backend) { store in try await body(store, store) }
        } else {
            try await TestStore.withTwo(backend, body)
        }
    }

    @Test(
        "A scheduler run is queued once per event, claimed, heartbeats, and finishes with its version",
        arguments: Backend.testable)
    func schedulingRunLifecycle(backend: Backend) async throws {
        try await TestStore.with(backend) { store in
            let runs = store.schedulingRuns
            let now = Fixtures.start
            #expect(try await runs.enqueue(Self.run("r-1")))
            // One active run per event: a second click queues nothing; another event may run.
            #expect(try await !runs.enqueue(Self.run("r-2", at: 1)))
            #expect(try await runs.enqueue(Self.run("r-other", event: "other-event", at: 2)))

            let claimed = try #require(try await runs.claim(worker: "w-a", now: now, leaseEnd: now + 30))
            #expect(claimed.id == "r-1" && claimed.state == .running && claimed.attempts == 1)
            #expect(claimed.inputs == "{\"timeLimit\":1}" && claimed.requestedBy == "org@example.org")
            // Held: the next claim takes the other event's run, then nothing.
            #expect(try await runs.claim(worker: "w-b", now: now, leaseEnd: now + 30)?.id == "r-other")
            #expect(try await runs.claim(worker: "w-b", now: now + 29, leaseEnd: now + 60) == nil)

            #expect(
                try await runs.heartbeat("r-1", worker: "w-a", progress: "{\"objective\":3}", leaseEnd: now + 40)
                    == .proceed)
            #expect(try await runs.latest(event: "onco-paris-2026")?.progress == "{\"objective\":3}")
            // Another worker's heartbeat or finish changes nothing.
            #expect(try await runs.heartbeat("r-1", worker: "w-b", progress: nil, leaseEnd: now + 90) == .lost)

            let draft = ScheduleDraft(meetings: [], objective: 7, label: "run", createdAt: now)
            #expect(
                try await !runs.finish("r-1", worker: "w-b", as: .finished, summary: "{}", schedule: draft, at: now))
            #expect(try await store.schedules.versions().isEmpty)
            #expect(
                try await runs.finish(
                    "r-1", worker: "w-a", as: .finished, summary: "{\"ok\":1}", schedule: draft, at: now + 5))
            let finished = try #require(try await runs.latest(event: "onco-paris-2026"))
            #expect(finished.state == .finished && finished.summary == "{\"ok\":1}" && finished.finishedAt != nil)
            let version = try #require(finished.version)
            #expect(try await store.schedules.version(version)?.info.objective == 7)
            // Finished runs are kept, and free the event for the next.
            #expect(try await runs.enqueue(Self.run("r-3", at: 10)))
            let counts = try await runs.countsByState()
            #expect(counts[.finished] == 1 && counts[.queued] == 1 && counts[.running] == 1)
        }
    }

    @Test("A run whose worker stopped heartbeating is taken over after its lease", arguments: Backend.testable)
    func schedulingRunLeaseExpiry(backend: Backend) async throws {
        try await Self.withTwoProcesses(backend) { one, two in
            let now = Fixtures.start
            #expect(try await one.schedulingRuns.enqueue(Self.run("r-1")))
            _ = try #require(try await one.schedulingRuns.claim(worker: "w-a", now: now, leaseEnd: now + 10))
            // Within the lease, the other process finds nothing to do.
            #expect(try await two.schedulingRuns.claim(worker: "w-b", now: now + 9, leaseEnd: now + 20) == nil)
            // After it, the other process takes the run over and the dead worker's writes are refused.
            let takenOver = try #require(
                try await two.schedulingRuns.claim(worker: "w-b", now: now + 11, leaseEnd: now + 21))
            #expect(takenOver.id == "r-1" && takenOver.attempts == 2 && takenOver.worker == "w-b")
            #expect(
                try await one.schedulingRuns.heartbeat("r-1", worker: "w-a", progress: nil, leaseEnd: now + 30) == .lost
            )
            #expect(
                try await !one.schedulingRuns.finish(
                    "r-1", worker: "w-a", as: .finished, summary: nil, schedule: nil, at: now))
            #expect(
                try await two.schedulingRuns.finish(
                    "r-1", worker: "w-b", as: .finished, summary: nil, schedule: nil, at: now + 12))
            #expect(try await one.schedulingRuns.latest(event: "onco-paris-2026")?.state == .finished)
        }
    }

    @Test("Cancelling ends a queued run at once and asks a running one to stop", arguments: Backend.testable)
    func schedulingRunCancellation(backend: Backend) async throws {
        try await Self.withTwoProcesses(backend) { one, two in
            let now = Fixtures.start
            let event = "onco-paris-2026"
            #expect(try await one.schedulingRuns.cancel(event: event, at: now) == nil)
            #expect(try await one.schedulingRuns.enqueue(Self.run("r-1")))
            let cancelledQueued = try #require(try await two.schedulingRuns.cancel(event: event, at: now + 1))
            #expect(cancelledQueued.state == .cancelled && cancelledQueued.finishedAt != nil)
            #expect(try await one.schedulingRuns.claim(worker: "w-a", now: now + 2, leaseEnd: now + 30) == nil)

            #expect(try await one.schedulingRuns.enqueue(Self.run("r-2", at: 3)))
            _ = try #require(try await one.schedulingRuns.claim(worker: "w-a", now: now + 3, leaseEnd: now + 30))
            let asked = try #require(try await two.schedulingRuns.cancel(event: event, at: now + 4))
            #expect(asked.state == .running && asked.cancelRequested)
            #expect(
                try await one.schedulingRuns.heartbeat("r-2", worker: "w-a", progress: nil, leaseEnd: now + 30) == .stop
            )
            #expect(
                try await one.schedulingRuns.finish(
                    "r-2", worker: "w-a", as: .cancelled, summary: nil, schedule: nil, at: now + 5))

            // A worker shutting down puts its run back for another one at once.
            #expect(try await one.schedulingRuns.enqueue(Self.run("r-3", at: 6)))
            _ = try #require(try await one.schedulingRuns.claim(worker: "w-a", now: now + 6, leaseEnd: now + 60))
            try await one.schedulingRuns.release("r-3", worker: "w-a")
            let reclaimed = try await two.schedulingRuns.claim(worker: "w-b", now: now + 7, leaseEnd: now + 60)
            #expect(reclaimed?.id == "r-3" && reclaimed?.attempts == 1)
        }
    }

    @Test("Workers of two processes never claim the same run", arguments: Backend.testable)
    func schedulingRunConcurrentClaims(backend: Backend) async throws {
        try await Self.withTwoProcesses(backend) { one, two in
            let now = Fixtures.start
            for index in 1...12 {
                #expect(
                    try await one.schedulingRuns.enqueue(Self.run("r-\(index)", event: "e-\(index)", at: Double(index)))
                )
            }
            let claimed = try await withThrowingTaskGroup(of: [String].self) { group in
                for (index, store) in [one, two, one, two].enumerated() {
                    group.addTask {
                        var mine: [String] = []
                        while let run = try await store.schedulingRuns.claim(
                            worker: "w-\(index)", now: now, leaseEnd: now + 60)
                        {
                            mine.append(run.id)
                        }
                        return mine
                    }
                }
                return try await group.reduce(into: [String]()) { $0 += $1 }
            }
            #expect(claimed.count == 12 && Set(claimed).count == 12)
        }
    }
}

extension RepositorySuite {
    /// A follow-up that fails inside the transaction: its audit entry, then a notice whose id
    /// is taken (`n-taken`, queued by the test beforehand).
    private static func failingFollowUp(_ action: String, subject: String) -> FollowUp {
        FollowUp(
            auditEntries: [
                AuditEntry(time: Fixtures.start, actor: "organiser:org@example.org", action: action, subject: subject)
            ],
            notices: [QueuedNotice(id: "n-taken", kind: .agenda, participant: "p-1", queuedAt: Fixtures.start)])
    }

    @Test(
        "A run queued, a run cancelled and a version saved commit with their audit entry, or neither does",
        arguments: Backend.testable)
    func schedulingActionsCommitWithTheirAudit(backend: Backend) async throws {
        try await TestStore.with(backend) { store in
            let event = "onco-paris-2026"
            try await store.notices.enqueue([
                QueuedNotice(id: "n-taken", kind: .accessLink, participant: "p-9", queuedAt: Fixtures.start)
            ])

            // Each action fails whole when its follow-up does.
            await #expect(throws: (any Error).self) {
                try await store.schedulingRuns.enqueue(
                    Self.run("r-1"), followUp: Self.failingFollowUp("schedule.run", subject: "r-1"))
            }
            #expect(try await store.schedulingRuns.latest(event: event) == nil)
            #expect(try await store.schedulingRuns.enqueue(Self.run("r-1")))
            await #expect(throws: (any Error).self) {
                try await store.schedulingRuns.cancel(event: event, at: Fixtures.start) { run in
                    Self.failingFollowUp("schedule.cancel", subject: run.id)
                }
            }
            #expect(try await store.schedulingRuns.latest(event: event)?.state == .queued)
            let draft = ScheduleDraft(meetings: [], objective: 1, createdAt: Fixtures.start)
            await #expect(throws: (any Error).self) {
                try await store.schedules.save(draft) { saved in
                    Self.failingFollowUp("schedule.adjust", subject: String(saved.version))
                }
            }
            #expect(try await store.schedules.versions().isEmpty)
            #expect(try await store.auditLog.list(.all).isEmpty)
            #expect(try await store.notices.pendingCount() == 1)

            // With a follow-up that holds, each is stored with its entry, which names what
            // the transaction assigned (the run, the version number).
            @Sendable func audit(_ action: String, _ subject: String) -> FollowUp {
                FollowUp(auditEntries: [
                    AuditEntry(
                        time: Fixtures.start, actor: "organiser:org@example.org", action: action, subject: subject)
                ])
            }
            let cancelled = try #require(
                try await store.schedulingRuns.cancel(event: event, at: Fixtures.start) { run in
                    audit("schedule.cancel", run.id)
                })
            #expect(cancelled.id == "r-1" && cancelled.state == .cancelled)
            // Nothing active: nothing cancelled, nothing audited.
            #expect(
                try await store.schedulingRuns.cancel(event: event, at: Fixtures.start) { run in
                    audit("schedule.cancel", run.id)
                } == nil)
            #expect(
                try await store.schedulingRuns.enqueue(Self.run("r-2", at: 1), followUp: audit("schedule.run", "r-2")))
            // Refused (a run is active): its entry is not written either.
            #expect(
                try await !store.schedulingRuns.enqueue(Self.run("r-3", at: 2), followUp: audit("schedule.run", "r-3")))
            let saved = try await store.schedules.save(draft) { saved in
                audit("schedule.adjust", String(saved.version))
            }
            #expect(saved.info.version == 1)
            let entries = try await store.auditLog.list(.all)
            #expect(entries.map(\.action) == ["schedule.adjust", "schedule.run", "schedule.cancel"])
            #expect(entries.map(\.subject) == ["1", "r-2", "r-1"])
        }
    }
}
