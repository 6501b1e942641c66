import CSystemCalls
import Foundation

/// A task executor on one thread of its own.
///
/// Tasks that prefer it (`Task(executorPreference:)`, `withTaskExecutorPreference`) run
/// their code, and that of the default actors they call, on its thread (SE-0417). Two uses:
/// work that must not queue behind every request on the shared thread pool (the SQLite
/// writer), and work nobody waits for, run at a lower CPU priority (`niceness`) so that
/// under load the kernel gives requests the cores first (composing e-mails).
public final class DedicatedThreadExecutor: TaskExecutor, @unchecked Sendable {
    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []
    private var isShuttingDown = false
    private let niceness: Int32
    private let name: String

    /// Starts the thread. `niceness` (0…19) is added to the thread's: higher yields more.
    /// `name` shows in `top -H` and debuggers; Linux keeps its first 15 bytes.
    public init(name: String, niceness: Int32 = 0) {
        self.niceness = niceness
        self.name = name
        let thread = Thread { [self] in run() }
        thread.start()
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    /// Jobs enqueued and not yet started: those that wait while the thread runs another.
    public var queuedJobCount: Int {
        condition.lock()
        defer { condition.unlock() }
        return jobs.count
    }

    /// Runs `work` on this executor's thread and returns its result (or its error).
    public func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await Task(executorPreference: self) { try work() }.value
    }

    /// Runs `work`, which cannot fail, on this executor's thread and returns its result.
    public func run<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await Task(executorPreference: self) { work() }.value
    }

    /// Lets the thread end once the jobs already queued have run. Nothing may be enqueued after.
    public func shutdown() {
        condition.lock()
        isShuttingDown = true
        condition.signal()
        condition.unlock()
    }

    private func run() {
        // Named from inside, by the system call: Foundation's Thread.name may not reach the
        // kernel when set around start() (it races with the thread's creation), and a name
        // over the kernel's 15 bytes would be refused whole rather than cut.
        _ = partnering_name_current_thread(name)
        if niceness > 0 { ThreadPriority.lowerCurrentThread(niceness: niceness) }
        var batch: [UnownedJob] = []
        while true {
            condition.lock()
            while jobs.isEmpty && !isShuttingDown { condition.wait() }
            if jobs.isEmpty {
                condition.unlock()
                return
            }
            swap(&batch, &jobs)
            condition.unlock()
            for job in batch { job.runSynchronously(on: asUnownedTaskExecutor()) }
            batch.removeAll(keepingCapacity: true)
        }
    }
}
