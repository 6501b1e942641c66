import PartneringCore

/// An exact search for a schedule whose breaks meet `BreakBound`, for events where every
/// pair is scheduled (every request held) and slots fit in one 64-bit word.
///
/// Each participant must then meet in a *window*: consecutive slots of one day holding as
/// many usable slots as it has meetings, with no more gaps of unusable slots than its own
/// fewest breaks. A schedule where everyone keeps to a window has exactly the bound's breaks,
/// so it is optimal and proven. The search assigns meetings to slots depth first, the meeting
/// with the fewest slots left first (slot-by-participant bit sets: a slot stays possible for
/// a meeting when both participants are free then, the slot has a table left, and both
/// still have a window holding every slot they use plus this one), and fails early when a
/// participant's window has a slot none of its remaining meetings can take. Restarts with
/// growing node limits and shuffled slot orders keep it from sinking into one subtree.
final class CompactSearch {
    let model: SchedulingModel
    private let pairs: [Int]
    private let pairEnds: [(Int, Int)]
    private let allowedMask: [UInt64]
    private let hostless: [Bool]
    /// Windows of each participant as bit sets of slots.
    private let windows: [[UInt64]]
    /// Usable slots of each participant (slots some pair of it may use).
    private let usable: [UInt64]
    private let incident: [[Int]]
    private let freeTables: Int

    private var slotOf: [Int]
    private var busy: [UInt64]
    private var feasible: [UInt64]
    private var load: [Int]
    private var fullSlots: UInt64 = 0
    private var nodes = 0
    private var random: SeededRandom

    /// Nil when the shape does not fit: some pair unscheduled, more than 64 slots, or a
    /// participant without a window.
    init?(state: SearchState, seed: UInt64) {
        let model = state.model
        guard model.slotCount <= 64 else { return nil }
        self.model = model
        var pairs: [Int] = []
        for k in 0..<model.pairCount where model.pairSlotStart[k + 1] > model.pairSlotStart[k] {
            guard state.slotOf[k] >= 0 else { return nil }
            pairs.append(k)
        }
        self.pairs = pairs
        pairEnds = pairs.map { (Int(model.pairA[$0]), Int(model.pairB[$0])) }
        allowedMask = pairs.map { k in model.allowedSlots(ofPair: k).reduce(UInt64(0)) { $0 | 1 << UInt64($1) } }
        hostless = pairs.map { model.pairHostTable[$0] < 0 }
        var incident = [[Int]](repeating: [], count: model.participantCount)
        var usable = [UInt64](repeating: 0, count: model.participantCount)
        for (index, (a, b)) in pairEnds.enumerated() {
            incident[a].append(index)
            incident[b].append(index)
            usable[a] |= allowedMask[index]
            usable[b] |= allowedMask[index]
        }
        self.incident = incident
        self.usable = usable
        var windows: [[UInt64]] = []
        for i in 0..<model.participantCount {
            let meetings = incident[i].count
            let fewest = BreakBound.fewestBreaks(of: i, model: model, slack: 0)
            let list = Self.windows(usable: usable[i], meetings: meetings, breaks: fewest, slotDay: model.slotDay)
            guard meetings == 0 || !list.isEmpty else { return nil }
            windows.append(list)
        }
        self.windows = windows
        freeTables = model.freeTableCount
        slotOf = [Int](repeating: -1, count: pairs.count)
        busy = [UInt64](repeating: 0, count: model.participantCount)
        feasible = windows.map { $0.reduce(UInt64(0), |) }
        load = [Int](repeating: 0, count: model.slotCount)
        random = SeededRandom(seed: seed ^ 0xC0_4AC7)
    }

    /// Stretches of consecutive slots of one day, starting and ending on a usable slot, with
    /// exactly `meetings` usable slots and `breaks` gaps of unusable ones.
    static func windows(usable: UInt64, meetings: Int, breaks: Int, slotDay: [Int32]) -> [UInt64] {
        guard meetings > 0 else { return [] }
        var result: [UInt64] = []
        let slots = slotDay.count
        for first in 0..<slots where usable >> UInt64(first) & 1 == 1 {
            var count = 0, gaps = 0, mask: UInt64 = 0
            var last = first
            while last < slots && slotDay[last] == slotDay[first] {
                let isUsable = usable >> UInt64(last) & 1 == 1
                if isUsable {
                    if last > first && usable >> UInt64(last - 1) & 1 == 0 { gaps += 1 }
                    count += 1
                    mask |= 1 << UInt64(last)
                }
                if count == meetings { break }
                last += 1
            }
            if count == meetings && gaps == breaks { result.append(mask) }
        }
        return result
    }

    /// Searches with up to `nodeLimit` nodes in all; the slot of every model pair (-1 for
    /// pairs without an allowed slot) when a schedule meeting the bound is found.
    func solve(nodeLimit: Int, pinnedSlot: [Int32], shouldStop: () -> Bool) -> [Int32]? {
        var limit = 2_000
        while nodes < nodeLimit && !shouldStop() {
            reset()
            var ok = true
            for (index, k) in pairs.enumerated() where pinnedSlot[k] >= 0 {
                let slot = Int(pinnedSlot[k])
                guard domain(index) >> UInt64(slot) & 1 == 1 else {
                    ok = false
                    break
                }
                assign(index, slot)
            }
            guard ok else { return nil }
            let budget = min(nodeLimit, nodes + limit)
            if search(budget: budget, shouldStop: shouldStop) {
                var result = [Int32](repeating: -1, count: model.pairCount)
                for (index, k) in pairs.enumerated() { result[k] = Int32(slotOf[index]) }
                return result
            }
            // The whole tree was searched within the budget: no schedule meets the bound.
            if nodes < budget && !shouldStop() { return nil }
            limit = min(limit * 2, 1 << 40)
        }
        return nil
    }

    private func reset() {
        for index in slotOf.indices { slotOf[index] = -1 }
        for i in busy.indices { busy[i] = 0 }
        for i in feasible.indices { feasible[i] = windows[i].reduce(UInt64(0), |) }
        for s in load.indices { load[s] = 0 }
        fullSlots = 0
    }

    @inline(__always) private func domain(_ index: Int) -> UInt64 {
        let (a, b) = pairEnds[index]
        var mask = allowedMask[index] & feasible[a] & feasible[b] & ~busy[a] & ~busy[b]
        if hostless[index] { mask &= ~fullSlots }
        return mask
    }

    private func refreshFeasible(_ i: Int) {
        var union: UInt64 = 0
        for window in windows[i] where window & busy[i] == busy[i] { union |= window }
        feasible[i] = union
    }

    private func assign(_ index: Int, _ slot: Int) {
        let (a, b) = pairEnds[index]
        slotOf[index] = slot
        busy[a] |= 1 << UInt64(slot)
        busy[b] |= 1 << UInt64(slot)
        refreshFeasible(a)
        refreshFeasible(b)
        if hostless[index] {
            load[slot] += 1
            if load[slot] >= freeTables { fullSlots |= 1 << UInt64(slot) }
        }
    }

    private func unassign(_ index: Int) {
        let (a, b) = pairEnds[index]
        let slot = slotOf[index]
        slotOf[index] = -1
        busy[a] &= ~(1 << UInt64(slot))
        busy[b] &= ~(1 << UInt64(slot))
        refreshFeasible(a)
        refreshFeasible(b)
        if hostless[index] {
            load[slot] -= 1
            fullSlots &= ~(1 << UInt64(slot))
        }
    }

    /// Whether participant `i` can still fill its window: while a single window remains,
    /// every free slot of it must be in the domain of one of its unassigned meetings.
    private func canFill(_ i: Int) -> Bool {
        let open = feasible[i] & ~busy[i]
        guard feasible[i].nonzeroBitCount == incident[i].count else { return feasible[i] != 0 }
        var covered: UInt64 = 0
        for index in incident[i] where slotOf[index] < 0 { covered |= domain(index) }
        return covered & open == open
    }

    private func search(budget: Int, shouldStop: () -> Bool) -> Bool {
        nodes += 1
        if nodes >= budget || (nodes & 1023 == 0 && shouldStop()) { return false }
        var chosen = -1, fewest = Int.max, chosenMask: UInt64 = 0
        for index in slotOf.indices where slotOf[index] < 0 {
            let mask = domain(index)
            let size = mask.nonzeroBitCount
            if size == 0 { return false }
            if size < fewest {
                fewest = size
                chosen = index
                chosenMask = mask
                if size == 1 { break }
            }
        }
        if chosen < 0 { return true }
        var options: [Int] = []
        var mask = chosenMask
        while mask != 0 {
            options.append(mask.trailingZeroBitCount)
            mask &= mask - 1
        }
        if options.count > 1 {
            for position in stride(from: options.count - 1, to: 0, by: -1) {
                options.swapAt(position, random.below(position + 1))
            }
        }
        let (a, b) = pairEnds[chosen]
        for slot in options {
            assign(chosen, slot)
            if canFill(a) && canFill(b) && search(budget: budget, shouldStop: shouldStop) { return true }
            unassign(chosen)
            if nodes >= budget { return false }
        }
        return false
    }
}
