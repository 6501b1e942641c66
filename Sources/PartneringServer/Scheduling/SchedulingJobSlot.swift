import Grids
import Storage
import Synchronization

/// The scheduler run of a store: at most one at a time per event. Held per store (the
/// server environment is a value, rebuilt per test), so runs outlive the requests that
/// start and watch them.
final class SchedulingJobSlot: Sendable {
    private let job = Mutex<SchedulingJob?>(nil)

    var current: SchedulingJob? { job.withLock { $0 } }

    /// Starts the job `make` returns unless one is running (checked and set under one lock,
    /// so two quick clicks start one run). Returns whether it started.
    func startIfIdle(_ make: () throws -> SchedulingJob) throws -> Bool {
        try job.withLock { current in
            if current?.isRunning == true { return false }
            current = try make()
            return true
        }
    }

    private static let slots = Mutex<[ObjectIdentifier: SchedulingJobSlot]>([:])

    static func slot(for store: PartneringStore) -> SchedulingJobSlot {
        slots.withLock { slots in
            if let slot = slots[ObjectIdentifier(store)] { return slot }
            let slot = SchedulingJobSlot()
            slots[ObjectIdentifier(store)] = slot
            return slot
        }
    }
}
