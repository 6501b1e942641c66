import Grids
import Storage
import Synchronization

/// The scheduler run of a store: at most one at a time per event. Held per store (the
/// server environment is a value, rebuilt per test), so runs outlive the requests that
/// start and watch them.
final class SchedulingJobSlot: Sendable {
    private let job = Mutex<SchedulingJob?>(nil)

    var current: SchedulingJob? {
        get { job.withLock { $0 } }
        set { job.withLock { $0 = newValue } }
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
