import Foundation
import Scheduling
import Synchronization
import ThreadSupport

/// A scheduler run in the background, for the organiser area: live progress (objective,
/// bound, elapsed), cancel (the best schedule found so far is kept), and the result.
public final class SchedulingJob: Sendable {
    /// Where a run stands.
    public enum State: Sendable {
        case running(SolverProgress?)
        case finished(SchedulingOutcome)
        case failed(String)
    }

    public let id: String
    public let startedAt: Date
    public let problem: ProblemDocument
    public let options: SchedulerOptions
    private let control: SolverControl
    private let shared: Shared

    /// The state the run's thread and the web requests share.
    private final class Shared: Sendable {
        let state = Mutex<State>(.running(nil))
        let cancelled = Atomic<Bool>(false)
        /// Who waits for the end (``finished()``), and whether it came.
        let ending = Mutex<(ended: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))

        func end(_ outcome: SchedulingOutcome) {
            state.withLock { $0 = .finished(outcome) }
            let waiters = ending.withLock { ending in
                ending.ended = true
                defer { ending.waiters = [] }
                return ending.waiters
            }
            for waiter in waiters { waiter.resume() }
        }
    }

    /// Starts the run on a thread of its own: the solver is CPU-bound and synchronous for up
    /// to its time limit, and on the cooperative pool it would hold one of its few threads
    /// (half of them on two cores) away from every request for that long.
    /// - Parameter onFinish: called once with the outcome, on the run's thread, which ends after it.
    public init(
        id: String, problem: ProblemDocument, options: SchedulerOptions,
        onFinish: @escaping @Sendable (SchedulingOutcome) async -> Void = { _ in }
    ) throws(InvalidProblem) {
        let model = try SchedulingModel.compile(problem)
        self.id = id
        self.startedAt = Date()
        self.problem = problem
        self.options = options
        let shared = Shared()
        self.shared = shared
        let control = SolverControl(onProgress: { progress in
            shared.state.withLock { current in
                if case .running = current { current = .running(progress) }
            }
        })
        self.control = control
        let thread = DedicatedThreadExecutor(name: "scheduler")
        Task(executorPreference: thread, priority: .userInitiated) {
            defer { thread.shutdown() }
            let result = Scheduler.solve(model, options: options, control: control)
            let outcome = SchedulingOutcome(
                problem: problem, result: result,
                explanation: Explanation.explain(model: model, slotOfPair: result.slotOfPair),
                cancelled: shared.cancelled.load(ordering: .relaxed) && result.summary.stoppedEarly)
            shared.end(outcome)
            await onFinish(outcome)
        }
    }

    public var current: State { shared.state.withLock { $0 } }

    public var isRunning: Bool {
        if case .running = current { return true }
        return false
    }

    /// Returns once the run ended (its outcome is then in ``current``), even in a cancelled task.
    public func finished() async {
        await withCheckedContinuation { (waiter: CheckedContinuation<Void, Never>) in
            let ended = shared.ending.withLock { ending in
                if !ending.ended { ending.waiters.append(waiter) }
                return ending.ended
            }
            if ended { waiter.resume() }
        }
    }

    /// Asks the run to stop now; it finishes with the best schedule found so far.
    public func cancel() {
        shared.cancelled.store(true, ordering: .relaxed)
        control.requestStop()
    }
}

/// What a finished run produced.
public struct SchedulingOutcome: Sendable {
    public var problem: ProblemDocument
    public var result: SolveResult
    public var explanation: [UnscheduledPair]
    /// Stopped by the organiser before the search was done.
    public var cancelled: Bool
}
