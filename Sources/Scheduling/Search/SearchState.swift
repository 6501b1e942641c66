/// The mutable assignment the local search works on: which pair meets in which slot,
/// with every count a constraint needs kept up to date, and a journal to undo moves.
///
/// Table numbers are not part of the state: host-less meetings of a slot only need to
/// fit the free (non-host) tables, and tables are numbered once at the end.
final class SearchState {
    let model: SchedulingModel
    let slotCount: Int
    let dayCount: Int
    let freeTables: Int32
    /// Slot of each pair, or -1.
    let slotOf: UnsafeMutableBufferPointer<Int32>
    /// Pair meeting participant `i` in slot `s` at `i * slotCount + s`, or -1.
    let occupant: UnsafeMutableBufferPointer<Int32>
    let degree: UnsafeMutableBufferPointer<Int32>
    /// Host-less meetings per slot, listed in `slotMembers[s * freeTables ..< + load[s]]`.
    let load: UnsafeMutableBufferPointer<Int32>
    let slotMembers: UnsafeMutableBufferPointer<Int32>
    let memberPosition: UnsafeMutableBufferPointer<Int32>
    /// Maximal runs of back-to-back meetings of participant `i` on day `d` at `i * dayCount + d`.
    let runs: UnsafeMutableBufferPointer<Int32>
    /// Unscheduled pairs that have an allowed slot, for sampling.
    let waiting: UnsafeMutableBufferPointer<Int32>
    let waitingPosition: UnsafeMutableBufferPointer<Int32>
    /// Breaks of each participant (over all days).
    let personBreaks: UnsafeMutableBufferPointer<Int32>
    /// Counters kept behind a pointer: class `var`s would pay for dynamic exclusivity checks
    /// on every move. 0 weight, 1 meetings, 2 breaks, 3 waiting count, 4 breaks above the
    /// limit, 5 the limit of breaks per participant.
    private let counters: UnsafeMutableBufferPointer<Int>
    var waitingCount: Int { counters[3] }
    /// Breaks above `breakLimit`, summed over participants: what `--max-breaks-per-person`
    /// and `--max-break-spread` forbid.
    var excessBreaks: Int { counters[4] }
    /// The most breaks a participant may have (`Int.max`: no limit). Setting it recounts
    /// `excessBreaks`.
    var breakLimit: Int {
        get { counters[5] }
        set {
            counters[5] = newValue
            counters[4] = personBreaks.reduce(0) { $0 + max(0, Int($1) - newValue) }
        }
    }
    var weight: Int { counters[0] }
    var meetings: Int { counters[1] }
    var breaks: Int { counters[2] }
    /// (pair, slot before the change) for every change since the last commit.
    private let journalStore: UnsafeMutablePointer<[(pair: Int32, slot: Int32)]>
    var journal: [(pair: Int32, slot: Int32)] { journalStore.pointee }
    let isPinned: [Bool]
    /// Scratch of `swapChain`: the chain and its membership marks.
    let chainStore: UnsafeMutablePointer<[Int32]>
    let inChain: UnsafeMutableBufferPointer<Bool>
    let pairHostless: [Bool]
    let slotDay: [Int32]
    /// Busy slots of each participant as a bit set, kept when the slots fit in one word
    /// (`tracksBusySlots`): a Kempe swap's change of breaks is then known before it is made.
    let busySlots: UnsafeMutableBufferPointer<UInt64>
    let tracksBusySlots: Bool
    /// The slots of each day, and the slots whose previous slot is on the same day, as bit sets.
    let dayMask: [UInt64]
    let followsSameDay: UInt64
    /// The allowed slots of each pair as a bit set (when `tracksBusySlots`): Kempe chains test
    /// them for every meeting they move.
    let allowedSlots: [UInt64]

    init(model: SchedulingModel) {
        self.model = model
        slotCount = model.slotCount
        dayCount = max(1, model.dayCount)
        freeTables = Int32(model.freeTableCount)
        slotOf = .filled(-1, count: model.pairCount)
        occupant = .filled(-1, count: model.participantCount * slotCount)
        degree = .filled(0, count: model.participantCount)
        load = .filled(0, count: slotCount)
        slotMembers = .filled(-1, count: max(1, slotCount * Int(freeTables)))
        memberPosition = .filled(-1, count: model.pairCount)
        runs = .filled(0, count: model.participantCount * dayCount)
        personBreaks = .filled(0, count: max(1, model.participantCount))
        waiting = .filled(-1, count: max(1, model.pairCount))
        waitingPosition = .filled(-1, count: model.pairCount)
        counters = .allocate(capacity: 6)
        counters.initialize(repeating: 0)
        counters[5] = Int.max
        journalStore = .allocate(capacity: 1)
        journalStore.initialize(to: [])
        chainStore = .allocate(capacity: 1)
        chainStore.initialize(to: [])
        inChain = .allocate(capacity: max(1, model.pairCount))
        inChain.initialize(repeating: false)
        isPinned = model.pinnedSlot.map { $0 >= 0 }
        pairHostless = model.pairHostTable.map { $0 < 0 }
        slotDay = model.slotDay
        tracksBusySlots = slotCount <= 64
        busySlots = .allocate(capacity: max(1, model.participantCount))
        busySlots.initialize(repeating: 0)
        var dayMask = [UInt64](repeating: 0, count: dayCount)
        var followsSameDay: UInt64 = 0
        if slotCount <= 64 {
            for (slot, day) in model.slotDay.enumerated() {
                dayMask[Int(day)] |= 1 << UInt64(slot)
                if slot > 0 && model.slotDay[slot - 1] == day { followsSameDay |= 1 << UInt64(slot) }
            }
        }
        self.dayMask = dayMask
        self.followsSameDay = followsSameDay
        allowedSlots =
            slotCount <= 64
            ? (0..<model.pairCount).map { k in
                model.allowedSlots(ofPair: k).reduce(UInt64(0)) { $0 | 1 << UInt64($1) }
            } : []
        for k in 0..<model.pairCount where model.pairSlotStart[k + 1] > model.pairSlotStart[k] {
            addWaiting(k)
        }
        for pin in model.pinned { place(pin.pair, pin.slot) }
        commit()
    }

    deinit {
        counters.deallocate()
        journalStore.deinitialize(count: 1)
        journalStore.deallocate()
        chainStore.deinitialize(count: 1)
        chainStore.deallocate()
        inChain.deallocate()
        busySlots.deallocate()
        for buffer in [
            slotOf, occupant, degree, load, slotMembers, memberPosition, runs, waiting, waitingPosition, personBreaks,
        ] {
            buffer.deallocate()
        }
    }

    @inline(__always) func occupantOf(_ participant: Int, _ slot: Int) -> Int {
        Int(occupant[participant &* slotCount &+ slot])
    }

    @inline(__always) func hasRoom(_ participant: Int) -> Bool {
        degree[participant] < model.capacity[participant]
    }

    /// Whether pair `k` could be placed in `slot` right now without moving anything.
    @inline(__always) func fits(_ k: Int, _ slot: Int) -> Bool {
        let a = Int(model.pairA[k]), b = Int(model.pairB[k])
        return occupant[a &* slotCount &+ slot] < 0 && occupant[b &* slotCount &+ slot] < 0
            && (!pairHostless[k] || load[slot] < freeTables)
    }

    /// Change of participant `i`'s breaks if it gained (`adding`) or lost a meeting in `slot`.
    @inline(__always) func breakDelta(_ i: Int, _ slot: Int, adding: Bool) -> Int {
        let day = slotDay[slot]
        let base = i &* slotCount
        let left = slot > 0 && slotDay[slot - 1] == day && occupant[base + slot - 1] >= 0
        let right = slot + 1 < slotCount && slotDay[slot + 1] == day && occupant[base + slot + 1] >= 0
        let runDelta = adding ? 1 - (left ? 1 : 0) - (right ? 1 : 0) : (left ? 1 : 0) + (right ? 1 : 0) - 1
        let before = Int(runs[i &* dayCount &+ Int(day)])
        return max(0, before + runDelta - 1) - max(0, before - 1)
    }

    /// Breaks on `day` of a participant busy in `busy` (a bit set of slots; `tracksBusySlots`).
    @inline(__always) func breaks(busy: UInt64, day: Int) -> Int {
        let mask = busy & dayMask[day]
        let runStarts = mask & ~(mask << 1 & followsSameDay)
        return max(0, runStarts.nonzeroBitCount - 1)
    }

    func place(_ k: Int, _ slot: Int) {
        let a = Int(model.pairA[k]), b = Int(model.pairB[k])
        if tracksBusySlots {
            busySlots[a] |= 1 << UInt64(slot)
            busySlots[b] |= 1 << UInt64(slot)
        }
        countBreaks(a, breakDelta(a, slot, adding: true))
        updateRuns(a, slot, adding: true)
        occupant[a &* slotCount &+ slot] = Int32(k)
        countBreaks(b, breakDelta(b, slot, adding: true))
        updateRuns(b, slot, adding: true)
        occupant[b &* slotCount &+ slot] = Int32(k)
        degree[a] += 1
        degree[b] += 1
        if pairHostless[k] {
            let position = Int(load[slot])
            slotMembers[slot * Int(freeTables) + position] = Int32(k)
            memberPosition[k] = Int32(position)
            load[slot] += 1
        }
        slotOf[k] = Int32(slot)
        counters[0] += Int(model.pairWeight[k])
        counters[1] += 1
        removeWaiting(k)
        journalStore.pointee.append((Int32(k), -1))
    }

    func remove(_ k: Int) {
        let slot = Int(slotOf[k])
        let a = Int(model.pairA[k]), b = Int(model.pairB[k])
        if tracksBusySlots {
            busySlots[a] &= ~(1 << UInt64(slot))
            busySlots[b] &= ~(1 << UInt64(slot))
        }
        occupant[a &* slotCount &+ slot] = -1
        countBreaks(a, breakDelta(a, slot, adding: false))
        updateRuns(a, slot, adding: false)
        occupant[b &* slotCount &+ slot] = -1
        countBreaks(b, breakDelta(b, slot, adding: false))
        updateRuns(b, slot, adding: false)
        degree[a] -= 1
        degree[b] -= 1
        if pairHostless[k] {
            let base = slot * Int(freeTables)
            let position = Int(memberPosition[k])
            let last = Int(load[slot]) - 1
            let moved = slotMembers[base + last]
            slotMembers[base + position] = moved
            memberPosition[Int(moved)] = Int32(position)
            load[slot] -= 1
            memberPosition[k] = -1
        }
        slotOf[k] = -1
        counters[0] -= Int(model.pairWeight[k])
        counters[1] -= 1
        addWaiting(k)
        journalStore.pointee.append((Int32(k), Int32(slot)))
    }

    /// Adds `delta` to participant `i`'s breaks, to the total and to the excess over the limit.
    @inline(__always) private func countBreaks(_ i: Int, _ delta: Int) {
        guard delta != 0 else { return }
        let before = Int(personBreaks[i])
        personBreaks[i] = Int32(before + delta)
        counters[2] += delta
        let limit = counters[5]
        if limit != Int.max {
            counters[4] += max(0, before + delta - limit) - max(0, before - limit)
        }
    }

    /// Occupancy of `slot` for participant `i` is about to change (it is still the old value).
    @inline(__always) private func updateRuns(_ i: Int, _ slot: Int, adding: Bool) {
        let day = slotDay[slot]
        let base = i &* slotCount
        let left = slot > 0 && slotDay[slot - 1] == day && occupant[base + slot - 1] >= 0
        let right = slot + 1 < slotCount && slotDay[slot + 1] == day && occupant[base + slot + 1] >= 0
        let runDelta = 1 - (left ? 1 : 0) - (right ? 1 : 0)
        runs[i &* dayCount &+ Int(day)] += Int32(adding ? runDelta : -runDelta)
    }

    private func addWaiting(_ k: Int) {
        waiting[counters[3]] = Int32(k)
        waitingPosition[k] = Int32(counters[3])
        counters[3] += 1
    }

    private func removeWaiting(_ k: Int) {
        let position = Int(waitingPosition[k])
        guard position >= 0 else { return }
        counters[3] -= 1
        let last = waiting[counters[3]]
        waiting[position] = last
        waitingPosition[Int(last)] = Int32(position)
        waitingPosition[k] = -1
    }

    /// A point to come back to with `undo(to:)`.
    var mark: Int { journalStore.pointee.count }

    func undo(to mark: Int) {
        while journalStore.pointee.count > mark {
            guard let (pair, slot) = journalStore.pointee.popLast() else { break }
            let k = Int(pair)
            if slotOf[k] >= 0 { remove(k) } else { place(k, Int(slot)) }
            journalStore.pointee.removeLast()
        }
    }

    /// Forgets the journal (the moves so far are final).
    func commit() { journalStore.pointee.removeAll(keepingCapacity: true) }

    /// The current assignment as (pair, slot) per scheduled pair.
    func snapshot() -> [Int32] { Array(slotOf) }

    /// Replaces the assignment by `slots` (a snapshot), without journaling.
    func restore(_ slots: [Int32]) {
        for k in 0..<model.pairCount where slotOf[k] >= 0 && slotOf[k] != slots[k] { remove(k) }
        for k in 0..<model.pairCount where slots[k] >= 0 && slotOf[k] < 0 { place(k, Int(slots[k])) }
        commit()
    }
}

extension UnsafeMutableBufferPointer where Element == Int32 {
    /// A new buffer of `count` copies of `value` (the owner deallocates it).
    static func filled(_ value: Int32, count: Int) -> Self {
        let buffer = Self.allocate(capacity: count)
        buffer.initialize(repeating: value)
        return buffer
    }
}
