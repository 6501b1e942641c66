import Foundation
import Logging
import Metrics
import PartneringCore
import Registration
import Scheduling
import Synchronization

/// Runs the scheduler runs queued in the store, one at a time, in any process that has a
/// worker (`partnering serve` without `--no-worker`, `partnering worker`). It claims a run
/// for a lease, solves it on a thread of its own (``SchedulingJob``), and every heartbeat
/// extends the lease, stores the progress for the pages of every process, and learns
/// whether an organiser cancelled it. A run whose worker was killed is claimed again by
/// any worker once its lease ended, and starts over from its stored inputs.
///
/// The processes only wire it (``init(runs:logger:timing:)``) and start and stop it with
/// their service group; the runs are queued by ``SchedulingService``.
public final class SchedulingWorker: Sendable {
    /// How often the worker reports; the lease covers several missed heartbeats.
    public struct Timing: Sendable {
        /// How long a claim or heartbeat keeps the run from other workers.
        public var lease: TimeInterval
        /// How often a running run's progress is stored and its lease extended.
        public var heartbeat: Duration
        /// How often an idle worker looks for runs queued by other processes.
        public var poll: Duration
        /// Claims after which a run that keeps killing its workers is given up as failed.
        public var maximumAttempts: Int

        public init(
            lease: TimeInterval = 30, heartbeat: Duration = .seconds(1), poll: Duration = .seconds(1),
            maximumAttempts: Int = 3
        ) {
            self.lease = lease
            self.heartbeat = heartbeat
            self.poll = poll
            self.maximumAttempts = maximumAttempts
        }
    }

    private let runs: any SchedulingRunRepository
    private let logger: Logger
    private let timing: Timing
    /// Names this worker in the store: host, process and a random part.
    public let id: String
    /// Raised when this process queued a run (``SchedulingService/runQueued``), so that its
    /// worker starts it at once rather than at its next look at the store.
    public let queued = NoticeSignal()
    private let loop = Mutex<Task<Void, Never>?>(nil)

    /// The swift-metrics timer of scheduler runs, recorded by the worker that ends them.
    public static let runDurationMetric = "partnering_scheduler_run_duration_seconds"

    /// A worker of the runs in `runs`, reporting to `logger`.
    public init(runs: any SchedulingRunRepository, logger: Logger, timing: Timing = Timing()) {
        self.runs = runs
        self.logger = logger
        self.timing = timing
        let host = ProcessInfo.processInfo.hostName
        id = "\(host):\(ProcessInfo.processInfo.processIdentifier):\(UUID().uuidString.prefix(8))"
    }

    /// Starts claiming runs (once).
    public func start() {
        loop.withLock { loop in
            guard loop == nil else { return }
            loop = Task { [self] in await run() }
        }
    }

    /// Stops claiming; the run in progress is stopped and put back in the queue for
    /// another worker (or this one after a restart). Returns once it is.
    public func stop() async {
        let task = loop.withLock { loop in
            defer { loop = nil }
            return loop
        }
        task?.cancel()
        await task?.value
    }

    /// Claims and runs queued runs until the task is cancelled.
    func run() async {
        while !Task.isCancelled {
            do {
                let now = Date()
                if let claimed = try await runs.claim(
                    worker: id, now: now, leaseEnd: now.addingTimeInterval(timing.lease))
                {
                    await execute(claimed, startedAt: .now)
                    continue
                }
            } catch {
                logger.error("cannot claim a scheduler run", metadata: ["error": "\(error)"])
            }
            await queued.wait(upTo: timing.poll)
        }
    }

    /// Runs one claimed run to its end, unless this worker stops or loses it first.
    private func execute(_ claimed: SchedulingRun, startedAt: ContinuousClock.Instant) async {
        if claimed.cancelRequested {
            await end(claimed, startedAt: startedAt, as: .cancelled, summary: nil, schedule: nil)
            return
        }
        guard claimed.attempts <= timing.maximumAttempts else {
            await end(
                claimed, startedAt: startedAt, as: .failed,
                summary: "given up after \(claimed.attempts - 1) workers stopped while running it", schedule: nil)
            return
        }
        let inputs: SchedulingRunInputs
        let job: SchedulingJob
        do {
            inputs = try SchedulingRunInputs.decode(claimed.inputs)
            job = try SchedulingJob(id: claimed.id, problem: inputs.problem, options: inputs.options)
        } catch {
            await end(claimed, startedAt: startedAt, as: .failed, summary: "cannot start: \(error)", schedule: nil)
            return
        }
        logger.info("scheduler run started", metadata: ["run": "\(claimed.id)", "attempt": "\(claimed.attempts)"])
        let clock = ContinuousClock()
        var nextHeartbeat = clock.now + timing.heartbeat
        while true {
            switch job.current {
            case .finished(let outcome):
                await record(outcome, of: claimed, inputs: inputs, startedAt: startedAt)
                return
            case .failed(let reason):
                await end(claimed, startedAt: startedAt, as: .failed, summary: reason, schedule: nil)
                return
            case .running(let progress):
                if Task.isCancelled {
                    // Shutting down: the search stops, and the run goes back to the queue.
                    job.cancel()
                    await job.finished()
                    do { try await runs.release(claimed.id, worker: id) } catch {
                        logger.error("cannot release a scheduler run", metadata: ["error": "\(error)"])
                    }
                    return
                }
                guard clock.now >= nextHeartbeat else {
                    try? await Task.sleep(for: .milliseconds(50))
                    continue
                }
                nextHeartbeat = clock.now + timing.heartbeat
                let answer: SchedulingHeartbeat
                do {
                    answer = try await runs.heartbeat(
                        claimed.id, worker: id, progress: try progress.map { try SchedulingRunProgress($0).json() },
                        leaseEnd: Date().addingTimeInterval(timing.lease))
                } catch {
                    // The store is out of reach: keep solving; the lease covers a few misses.
                    logger.warning("cannot record a scheduler heartbeat", metadata: ["error": "\(error)"])
                    continue
                }
                switch answer {
                case .proceed: break
                case .stop: job.cancel()
                case .lost:
                    logger.warning("scheduler run taken over by another worker", metadata: ["run": "\(claimed.id)"])
                    job.cancel()
                    return
                }
            }
        }
    }

    /// Ends the run with the schedule it found, saved as a new version in the same transaction.
    private func record(
        _ outcome: SchedulingOutcome, of claimed: SchedulingRun, inputs: SchedulingRunInputs,
        startedAt: ContinuousClock.Instant
    ) async {
        let record = RunRecord(
            origin: inputs.basedOn == nil ? .run : .replan, problem: outcome.problem, summary: outcome.result.summary,
            timeLimit: inputs.timeLimit, cancelled: outcome.cancelled, basedOn: inputs.basedOn,
            note: "by \(inputs.organiser)", organiser: inputs.organiser)
        do {
            let schedule = outcome.result.schedule
            let draft = ScheduleDraft(
                meetings: schedule.meetings.map(StoredSchedule.meeting), objective: schedule.objective,
                upperBound: schedule.upperBound, label: record.origin.rawValue, summaryJSON: try record.json(),
                createdAt: Date())
            let summary = try SchedulingRunInputs.compactJSON(outcome.result.summary)
            await end(
                claimed, startedAt: startedAt, as: outcome.cancelled ? .cancelled : .finished, summary: summary,
                schedule: draft)
        } catch {
            await end(
                claimed, startedAt: startedAt, as: .failed, summary: "cannot store the schedule: \(error)",
                schedule: nil)
        }
    }

    /// Records the run's end in the store and, once recorded, for `/metrics`: the runs this
    /// process ended by state and how long they ran here (from the claim).
    private func end(
        _ claimed: SchedulingRun, startedAt: ContinuousClock.Instant, as state: SchedulingRun.State,
        summary: String?, schedule: ScheduleDraft?
    )
        async
    {
        do {
            let ended = try await runs.finish(
                claimed.id, worker: id, as: state, summary: summary, schedule: schedule, at: Date())
            if ended {
                let dimensions = [("state", state.rawValue)]
                Counter(label: "partnering_scheduler_runs_ended_total", dimensions: dimensions).increment()
                Timer(label: Self.runDurationMetric, dimensions: dimensions)
                    .record(duration: ContinuousClock.now - startedAt)
                logger.info("scheduler run ended", metadata: ["run": "\(claimed.id)", "state": "\(state.rawValue)"])
            } else {
                logger.warning("scheduler run taken over before it ended", metadata: ["run": "\(claimed.id)"])
            }
        } catch {
            // Unrecorded: the lease ends and another worker runs it again.
            logger.error("cannot record the end of a scheduler run", metadata: ["error": "\(error)"])
        }
    }
}
