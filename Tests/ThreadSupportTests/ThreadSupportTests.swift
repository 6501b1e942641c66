import Foundation
import Synchronization
import Testing
import ThreadSupport

#if canImport(Glibc)
    import Glibc
#endif

private func currentThreadName() -> String? { CurrentThread.name }
private func currentThreadID() -> pthread_t { pthread_self() }

/// A gate a thread blocks on until the test opens it.
private final class Gate: Sendable {
    private let opened = Mutex(false)
    private let condition = NSCondition()

    func wait() {
        condition.lock()
        while !opened.withLock({ $0 }) { condition.wait() }
        condition.unlock()
    }

    func open() {
        condition.lock()
        opened.withLock { $0 = true }
        condition.broadcast()
        condition.unlock()
    }
}

/// A count that threads share.
private final class Counter: Sendable {
    let value = Atomic<Int>(0)
}

@Suite("A dedicated thread executor")
struct DedicatedThreadExecutorTests {
    @Test("tasks that prefer it run on its one named thread, other tasks do not")
    func runsOnItsOwnThread() async {
        let executor = DedicatedThreadExecutor(name: "test-dedicated")
        defer { executor.shutdown() }
        let first = await withTaskExecutorPreference(executor) { (currentThreadName(), currentThreadID()) }
        let second = await Task(executorPreference: executor) { (currentThreadName(), currentThreadID()) }.value
        #expect(first.0 == "test-dedicated")
        #expect(first.1 == second.1, "one thread for every job")
        let elsewhere = await Task.detached { (currentThreadName(), currentThreadID()) }.value
        let longName = DedicatedThreadExecutor(name: "a-name-longer-than-linux-keeps")
        defer { longName.shutdown() }
        #expect(await withTaskExecutorPreference(longName) { currentThreadName() } == "a-name-longer-t")
        #expect(elsewhere.0 != "test-dedicated")
        #expect(elsewhere.1 != first.1)
    }

    @Test(
        "jobs blocking as many dedicated threads as there are cores leave the cooperative pool free",
        .timeLimit(.minutes(1)))
    func blockingStaysOffThePool() async throws {
        // The pool has one thread per core: were these jobs on it, nothing else could run.
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let executors = (0..<cores).map { DedicatedThreadExecutor(name: "test-blocking-\($0)") }
        defer { for executor in executors { executor.shutdown() } }
        let gate = Gate()
        let entered = Counter()
        let blocked = executors.map { executor in
            Task(executorPreference: executor) {
                entered.value.add(1, ordering: .sequentiallyConsistent)
                gate.wait()
                return currentThreadName()
            }
        }
        while entered.value.load(ordering: .sequentiallyConsistent) < cores {
            try await Task.sleep(for: .milliseconds(5))
        }
        let finished = await withTaskGroup(of: Int.self) { group in
            for index in 0..<(cores * 4) { group.addTask { (0...1_000).reduce(index, +) } }
            return await group.reduce(0) { total, _ in total + 1 }
        }
        #expect(finished == cores * 4)
        gate.open()
        var names: [String?] = []
        for task in blocked { names.append(await task.value) }
        #expect(names == (0..<cores).map { "test-blocking-\($0)" })
    }

    @Test("after shutdown the jobs already queued still run")
    func shutdownDrainsTheQueue() async {
        let executor = DedicatedThreadExecutor(name: "test-shutdown")
        let gate = Gate()
        let first = Task(executorPreference: executor) { gate.wait() }
        let second = Task(executorPreference: executor) { currentThreadName() }
        executor.shutdown()
        gate.open()
        await first.value
        #expect(await second.value == "test-shutdown")
    }

    #if os(Linux)
        @Test("niceness lowers the priority of its thread only")
        func niceness() async {
            let base = getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0)
            let executor = DedicatedThreadExecutor(name: "test-nice", niceness: 7)
            defer { executor.shutdown() }
            let inside = await withTaskExecutorPreference(executor) {
                getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0)
            }
            #expect(inside == min(19, base + 7))
            #expect(getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0) == base)
        }
    #endif
}

@Suite("Thread priority")
struct ThreadPriorityTests {
    #if os(Linux)
        @Test("lowering a thread's priority leaves the other threads as they were")
        func lowersTheCallingThreadOnly() async {
            let which = __priority_which_t(PRIO_PROCESS.rawValue)
            let base = getpriority(which, 0)
            let seen = Mutex<Int32?>(nil)
            let done = Gate()
            let thread = Thread {
                ThreadPriority.lowerCurrentThread(niceness: 5)
                seen.withLock { $0 = getpriority(which, 0) }
                done.open()
            }
            thread.start()
            await withCheckedContinuation { continuation in
                Thread {
                    done.wait()
                    continuation.resume()
                }.start()
            }
            #expect(seen.withLock { $0 } == min(19, base + 5))
            #expect(getpriority(which, 0) == base)
        }
    #endif
}

@Suite("The password-hashing thread")
struct PasswordHashingThreadTests {
    @Test("password work runs on its one named thread, whichever task asks, and returns its result")
    func runsOnItsOwnThread() async {
        let seen = await withTaskGroup(of: (String?, UInt, Int).self) { group in
            for number in 0..<8 {
                group.addTask {
                    await PasswordHashingThread.run { (currentThreadName(), UInt(currentThreadID()), number * 2) }
                }
            }
            var seen: [(String?, UInt, Int)] = []
            for await result in group { seen.append(result) }
            return seen
        }
        // Linux keeps the first 15 bytes of a thread's name.
        #expect(Set(seen.map(\.0)) == ["partnering-bcry"])
        #expect(Set(seen.map(\.1)).count == 1)
        #expect(seen.map(\.2).sorted() == Array(0..<8).map { $0 * 2 })
        #expect(UInt(currentThreadID()) != seen.first?.1)
    }
}

@Suite("The file-sync thread")
struct FileSyncThreadTests {
    private struct WriteFailed: Error, Equatable {}

    @Test("durable writes run on its one named thread, off the caller's, and their errors come back")
    func runsOnItsOwnThread() async throws {
        let (name, thread) = try await FileSyncThread.run { (currentThreadName(), UInt(currentThreadID())) }
        #expect(name == "partnering-fsyn")
        #expect(thread != UInt(currentThreadID()))
        await #expect(throws: WriteFailed()) {
            try await FileSyncThread.run { () throws -> Int in throw WriteFailed() }
        }
    }
}
