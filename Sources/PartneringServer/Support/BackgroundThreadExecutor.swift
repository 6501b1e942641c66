import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A task executor on one thread of its own, running at a lower CPU priority than the
/// threads that answer requests (Linux `nice`), for work nobody is waiting for, such as
/// composing and writing e-mails. Under load the kernel gives requests the cores first;
/// the background work catches up as soon as they are idle.
///
/// Tasks started with this executor as their preference run their code, and that of the
/// default actors they call, on its thread (SE-0417).
final class BackgroundThreadExecutor: TaskExecutor, @unchecked Sendable {
    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []
    private let niceness: Int32

    /// Starts the thread. `niceness` is added to the process's (0…19; higher yields more).
    init(name: String, niceness: Int32 = 10) {
        self.niceness = niceness
        let thread = Thread { [self] in run() }
        thread.name = name
        thread.start()
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    private func run() {
        #if canImport(Glibc)
            // On Linux, `setpriority(PRIO_PROCESS, 0, …)` changes the calling thread only.
            _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, niceness)
        #endif
        while true {
            condition.lock()
            while jobs.isEmpty { condition.wait() }
            let batch = jobs
            jobs.removeAll(keepingCapacity: true)
            condition.unlock()
            for job in batch { job.runSynchronously(on: asUnownedTaskExecutor()) }
        }
    }
}
