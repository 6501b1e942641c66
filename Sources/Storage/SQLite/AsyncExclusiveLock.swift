import Synchronization

/// A first-come, first-served lock that waiting tasks await instead of blocking a thread.
///
/// Unlike a `Mutex`, the holder may suspend while holding it. Taking a free lock does not
/// suspend; releasing hands the lock straight to the longest waiter.
final class AsyncExclusiveLock: Sendable {
    private struct State {
        var isHeld = false
        var waiters: [CheckedContinuation<Void, Never>] = []
        /// Index of the next waiter in `waiters`; the array is compacted when it drains.
        var head = 0
    }

    private let state = Mutex(State())

    init() {}

    /// Waits until the lock is free and takes it. Not cancellable: a waiter always gets its turn.
    func acquire() async {
        let acquired = state.withLock { state in
            guard !state.isHeld else { return false }
            state.isHeld = true
            return true
        }
        if acquired { return }
        await withCheckedContinuation { continuation in
            let acquiredMeanwhile = state.withLock { state in
                guard state.isHeld else {
                    state.isHeld = true
                    return true
                }
                state.waiters.append(continuation)
                return false
            }
            if acquiredMeanwhile { continuation.resume() }
        }
    }

    /// Releases the lock, or passes it to the next waiter (who then holds it).
    func release() {
        let next: CheckedContinuation<Void, Never>? = state.withLock { state in
            guard state.head < state.waiters.count else {
                state.isHeld = false
                state.waiters.removeAll(keepingCapacity: true)
                state.head = 0
                return nil
            }
            defer { state.head += 1 }
            return state.waiters[state.head]
        }
        next?.resume()
    }

    /// How many tasks wait for the lock now (for `/metrics`).
    var waitingCount: Int { state.withLock { $0.waiters.count - $0.head } }

    /// Passes the lock to the longest waiter and returns `true`; with nobody waiting,
    /// returns `false` and the caller still holds it.
    func handOver() -> Bool {
        let next: CheckedContinuation<Void, Never>? = state.withLock { state in
            guard state.head < state.waiters.count else { return nil }
            defer { state.head += 1 }
            return state.waiters[state.head]
        }
        next?.resume()
        return next != nil
    }
}
