import Foundation
import Grids
import Logging
import PartneringCore
import Registration
import Scheduling
import Storage
import Testing

/// The worker of scheduler runs (`Grids.SchedulingWorker`) on every store: it claims what
/// the scheduling service queued, solves it, and ends it with the version it found or the
/// reason it failed. Beside ``SchedulingServiceTests`` for their sample day and stores;
/// serialized like them, one fresh database at a time.
@Suite("Scheduling worker", .serialized)
struct SchedulingWorkerTests {
    static let logger = Logger(label: "scheduling-worker-tests")

    /// Heartbeats and looks at the queue often, so that a test waits little.
    static let timing = SchedulingWorker.Timing(
        lease: 30, heartbeat: .milliseconds(100), poll: .milliseconds(50), maximumAttempts: 3)

    /// The latest run of `event` once it ended; waits up to 120 s, for a loaded machine.
    static func ended(_ store: PartneringStore, event: String) async throws -> SchedulingRun {
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(120)
        while clock.now < deadline {
            if let run = try await store.schedulingRuns.latest(event: event), !run.state.isActive { return run }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw FixtureError(description: "the run of \(event) did not end within 120 s")
    }

    @Test(
        "a queued run is solved by a worker and saved as a version that says who asked for it",
        arguments: Backend.testable)
    func solvesQueuedRun(_ backend: Backend) async throws {
        try await DeskFixture.with(backend) { desk in
            _ = try await LiveDayTests.day(desk)
            let scheduling = SchedulingServiceTests.service(desk.store, desk: desk)
            let worker = SchedulingWorker(runs: desk.store.schedulingRuns, logger: Self.logger, timing: Self.timing)
            let run = try await scheduling.startRun(timeLimit: 2, keepPublished: false, by: "alice@example.org")

            worker.start()
            let ended = try await Self.ended(desk.store, event: desk.event.id.rawValue)
            await worker.stop()

            #expect(ended.id == run.id && ended.state == .finished, "\(ended.summary ?? "")")
            #expect(ended.worker == worker.id && ended.attempts == 1)
            let loaded = try await scheduling.version(try #require(ended.version))
            #expect(loaded.version.info.version == 2 && !loaded.version.meetings.isEmpty)
            #expect(loaded.record?.origin == .run && loaded.record?.organiser == "alice@example.org")
            #expect(loaded.record?.timeLimit == 2 && loaded.record?.cancelled == false)
            #expect(try await scheduling.published()?.info.version == 1, "a run publishes nothing")
        }
    }

    @Test(
        "a run that keeps losing its workers is given up, and one whose inputs cannot be read fails",
        arguments: Backend.testable)
    func failedRuns(_ backend: Backend) async throws {
        try await DeskFixture.with(backend) { desk in
            let store = desk.store
            let inputs = try SchedulingRunInputs(
                problem: ProblemDocument(
                    event: desk.event, participants: try await store.participants.list(.all), requests: []),
                timeLimit: 1, seed: 1, basedOn: nil, previous: nil, organiser: "alice@example.org"
            ).json()
            // Claimed three times already by workers that died holding it.
            #expect(
                try await store.schedulingRuns.enqueue(
                    SchedulingRun(
                        id: "r-dying", event: "event-a", inputs: inputs, requestedBy: "alice@example.org",
                        queuedAt: desk.clock.now, attempts: 3)))
            #expect(
                try await store.schedulingRuns.enqueue(
                    SchedulingRun(
                        id: "r-unreadable", event: "event-b", inputs: "{\"timeLimit\":",
                        requestedBy: "alice@example.org",
                        queuedAt: desk.clock.now.addingTimeInterval(1))))
            let worker = SchedulingWorker(runs: store.schedulingRuns, logger: Self.logger, timing: Self.timing)

            worker.start()
            let dying = try await Self.ended(store, event: "event-a")
            let unreadable = try await Self.ended(store, event: "event-b")
            await worker.stop()

            #expect(dying.state == .failed && dying.version == nil)
            #expect(dying.summary == "given up after 3 workers stopped while running it")
            #expect(unreadable.state == .failed && unreadable.version == nil)
            #expect(unreadable.summary?.hasPrefix("cannot start: ") == true, "\(unreadable.summary ?? "")")
            #expect(try await store.schedules.versions().isEmpty)
        }
    }
}
