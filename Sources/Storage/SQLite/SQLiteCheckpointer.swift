import Foundation
import ThreadSupport

/// Copies the write-ahead log back into the database file from a thread of its own, at a
/// lower CPU priority, instead of in whichever request's commit crosses SQLite's threshold.
///
/// Each checkpoint writes every page changed since the last one once, however often it
/// changed; checkpointing about once a second during a burst of registrations writes
/// far fewer pages than SQLite's default (every 1,000 log pages), and never makes a request
/// wait for the copy and its `fsync`. `PASSIVE` checkpoints never block readers or writers.
final class SQLiteCheckpointer: @unchecked Sendable {
    private let condition = NSCondition()
    private var isStopping = false
    private var hasStopped = false
    private let handle: SQLiteHandle
    private let interval: TimeInterval

    /// Opens a second connection to `path` and starts checkpointing every `interval` seconds.
    init(path: String, interval: TimeInterval = 1) throws {
        handle = try SQLiteHandle(path: path, busyTimeoutMilliseconds: 1_000)
        self.interval = interval
        let thread = Thread { [self] in run() }
        thread.name = "partnering-sqlite-checkpoint"
        thread.start()
    }

    /// Runs a last checkpoint, stops the thread and closes its connection.
    func stop() {
        condition.lock()
        isStopping = true
        condition.broadcast()
        while !hasStopped { condition.wait() }
        condition.unlock()
    }

    private func run() {
        ThreadPriority.lowerCurrentThread(niceness: 10)
        condition.lock()
        while !isStopping {
            _ = condition.wait(until: Date().addingTimeInterval(interval))
            condition.unlock()
            // A busy or failed checkpoint is retried at the next tick; the log only grows meanwhile.
            _ = try? handle.run("PRAGMA wal_checkpoint(PASSIVE)", binds: [])
            condition.lock()
        }
        handle.close()
        hasStopped = true
        condition.broadcast()
        condition.unlock()
    }
}
