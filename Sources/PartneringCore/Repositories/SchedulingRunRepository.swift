import Foundation

/// One scheduler run as the store keeps it, from the organiser's click to its end: what it
/// solves, which process holds it and until when, how far it got, and what it produced.
public struct SchedulingRun: Sendable, Hashable {
    /// Where a run stands. `queued` and `running` are active: at most one active run per event.
    public enum State: String, Sendable, CaseIterable {
        case queued, running, finished, cancelled, failed

        /// Still to run or running.
        public var isActive: Bool { self == .queued || self == .running }
    }

    public var id: String
    /// The event it schedules; one active run per event.
    public var event: String
    public var state: State
    /// What the run solves and how (JSON written by the scheduling workflow), kept for every run.
    public var inputs: String
    /// Who asked for it (an organiser's e-mail address).
    public var requestedBy: String
    public var queuedAt: Date
    /// The worker that holds (or last held) the run.
    public var worker: String?
    /// The end of the holder's lease; a running run whose lease ended is taken over.
    public var leaseUntil: Date
    /// How many times a worker claimed it (more than one: a worker died holding it).
    public var attempts: Int
    /// The last progress its worker reported (JSON).
    public var progress: String?
    /// An organiser asked to stop it; its worker sees it at its next heartbeat.
    public var cancelRequested: Bool
    /// What it produced (JSON), or why it failed.
    public var summary: String?
    /// The schedule version it saved.
    public var version: Int?
    public var finishedAt: Date?

    public init(
        id: String, event: String, inputs: String, requestedBy: String, queuedAt: Date, state: State = .queued,
        worker: String? = nil, leaseUntil: Date = Date(timeIntervalSince1970: 0), attempts: Int = 0,
        progress: String? = nil, cancelRequested: Bool = false, summary: String? = nil, version: Int? = nil,
        finishedAt: Date? = nil
    ) {
        self.id = id
        self.event = event
        self.state = state
        self.inputs = inputs
        self.requestedBy = requestedBy
        self.queuedAt = queuedAt
        self.worker = worker
        self.leaseUntil = leaseUntil
        self.attempts = attempts
        self.progress = progress
        self.cancelRequested = cancelRequested
        self.summary = summary
        self.version = version
        self.finishedAt = finishedAt
    }
}

/// What a heartbeat tells the worker that holds a run.
public enum SchedulingHeartbeat: Sendable, Hashable {
    /// Go on; the lease was extended.
    case proceed
    /// An organiser cancelled the run: stop and finish it with what was found so far.
    case stop
    /// The run is no longer this worker's (its lease ended and another took it, or it
    /// ended): drop it without writing anything.
    case lost
}

/// Scheduler runs in the store, shared by every process on it. Workers in any process claim
/// queued runs for a lease and extend it with heartbeats that also record progress and
/// bring back cancellation; a run whose worker died is claimed again once its lease ended.
public protocol SchedulingRunRepository: Sendable {
    /// Queues `run` unless a run of its event is queued or running; returns whether it did.
    func enqueue(_ run: SchedulingRun) async throws -> Bool
    /// Takes the oldest run that is queued, or running with a lease that ended before `now`,
    /// for `worker` until `leaseEnd`, and counts the attempt. `nil` when there is none.
    func claim(worker: String, now: Date, leaseEnd: Date) async throws -> SchedulingRun?
    /// Records `progress` and extends the lease of a run `worker` holds.
    func heartbeat(_ id: String, worker: String, progress: String?, leaseEnd: Date) async throws
        -> SchedulingHeartbeat
    /// Ends a run `worker` holds as `state` with its summary and, in the same transaction,
    /// saves the schedule it produced as a new version. Returns false, saving nothing, when
    /// the run is no longer the worker's.
    func finish(
        _ id: String, worker: String, as state: SchedulingRun.State, summary: String?, schedule: ScheduleDraft?,
        at time: Date
    ) async throws -> Bool
    /// Puts a run `worker` holds back in the queue at once (a worker shutting down); the
    /// claim does not count as an attempt.
    func release(_ id: String, worker: String) async throws
    /// Cancels the active run of `event`: a queued one ends now, a running one is asked to
    /// stop. Returns the event's latest run as it is after, active or not (`nil` when the
    /// event has none).
    func cancel(event: String, at time: Date) async throws -> SchedulingRun?
    /// The latest run of `event`, active or not.
    func latest(event: String) async throws -> SchedulingRun?
    /// How many runs are in each state.
    func countsByState() async throws -> [SchedulingRun.State: Int]
}
