import Foundation
import PartneringCore

/// Phase two: keep the scheduled pairs (so the weight) and reduce breaks, by moving a
/// meeting to its best slot and by Kempe-chain swaps: the meetings of two slots that
/// are connected through shared participants swap slots together, which keeps every
/// participant at one meeting per slot.
final class BreakSearch {
    let state: SearchState
    let model: SchedulingModel
    /// Behind a pointer, like the state's counters, to avoid dynamic exclusivity checks.
    let randomStore: UnsafeMutablePointer<SeededRandom>
    private var scheduled: [Int] = []

    /// Pairs that must stay in their slot: pinned ones, and kept ones in keep mode.
    private let fixed: [Bool]

    deinit { randomStore.deallocate() }

    /// Whether a meeting may give way to an unscheduled pair of equal weight (not in keep
    /// or fairness modes, where who meets whom is constrained beyond the weight).
    private let swapsPairs: Bool
    /// The replacement made by the last `swapForEqual`: (index in `scheduled`, new pair).
    private var replacement: (index: Int, pair: Int)?

    /// Longest Kempe chain a swap may move.
    private let chainLimit: Int

    init(
        state: SearchState, seed: UInt64, frozen: [Bool]? = nil, swapsPairs: Bool = false, chainLimit: Int = 40,
        breakScale: Int = 1
    ) {
        self.swapsPairs = swapsPairs
        self.breakScale = max(1, breakScale)
        self.idleOf = [Int32](repeating: 0, count: breakScale > 1 ? state.model.participantCount : 0)
        self.touchStamp = [UInt32](repeating: 0, count: breakScale > 1 ? state.model.participantCount : 0)
        self.chainLimit = chainLimit
        self.state = state
        self.model = state.model
        self.randomStore = .allocate(capacity: 1)
        self.randomStore.initialize(to: SeededRandom(seed: seed ^ 0xB4EA_C0DE))
        self.fixed = frozen.map { zip($0, state.isPinned).map { $0 || $1 } } ?? state.isPinned
    }

    /// How much a break weighs against an idle slot in what the search accepts; idle slots
    /// are counted only when `breakScale` > 1 (day scale). A break that shrinks from three
    /// idle slots to one is progress towards removing it: counting idle slots gives the
    /// search a slope where breaks alone are flat.
    private let breakScale: Int
    /// Idle slots of each participant as of the last accepted move (when counted).
    private var idleOf: [Int32]
    private var idleTotal = 0
    /// Scratch: participants touched by the current move, and a stamp per participant.
    private var touched: [Int] = []
    private var touchStamp: [UInt32]
    private var stampValue: UInt32 = 0
    private var touchedIdle: [Int32] = []

    /// What the search accepts moves on: breaks above the per-participant limit first (they
    /// make the schedule break a rule the organiser set), then breaks, then idle slots.
    private func acceptanceCost(idle: Int) -> Int {
        state.excessBreaks &* Self.excessWeight &+ state.breaks &* breakScale &+ idle
    }
    static let excessWeight = 1 << 30

    /// What the search keeps the best of: breaks above the limit, breaks, idle slots, in that order.
    private func rank(idle: Int) -> (Int, Int, Int) { (state.excessBreaks, state.breaks, idle) }

    /// Whether the breaks are down to `target` with no participant above the limit.
    private func meets(_ target: Int) -> Bool { state.excessBreaks == 0 && state.breaks <= target }

    /// Rounds of annealing from the best schedule so far, each of `roundIterations` steps,
    /// until `rounds` are done, the breaks are down to `target` (a proven bound) with none
    /// above the limit, or `shouldStop` says so. Ends in the best state found.
    func minimise(roundIterations: Int, rounds: Int, target: Int, shouldStop: () -> Bool) {
        let temperatures = [0.3, 0.5, 0.2, 0.8]
        var round = 0
        while round < rounds && !meets(target) && !shouldStop() {
            improve(
                iterations: roundIterations, temperature: temperatures[round % temperatures.count], target: target,
                shouldStop: shouldStop)
            round += 1
        }
    }

    /// Idle slots of participant `i` in the current state: slots between its first and last
    /// meeting of a day without a meeting.
    private func idleSlots(of i: Int) -> Int {
        let slots = state.slotCount
        var idle = 0, first = -1, last = -1, count = 0, day: Int32 = -1
        for s in 0..<slots {
            if model.slotDay[s] != day {
                if count > 0 { idle += last - first + 1 - count }
                day = model.slotDay[s]
                first = -1
                count = 0
            }
            if state.occupantOf(i, s) >= 0 {
                if first < 0 { first = s }
                last = s
                count += 1
            }
        }
        if count > 0 { idle += last - first + 1 - count }
        return idle
    }

    /// The change of idle slots made by the moves journaled since the last commit; fills
    /// `touched` and `touchedIdle` so an accepted move can store the new figures.
    private func idleDelta() -> Int {
        touched.removeAll(keepingCapacity: true)
        touchedIdle.removeAll(keepingCapacity: true)
        stampValue &+= 1
        var delta = 0
        for entry in state.journal {
            let k = Int(entry.pair)
            for end in [Int(model.pairA[k]), Int(model.pairB[k])] where touchStamp[end] != stampValue {
                touchStamp[end] = stampValue
                let now = idleSlots(of: end)
                touched.append(end)
                touchedIdle.append(Int32(now))
                delta += now - Int(idleOf[end])
            }
        }
        return delta
    }

    func improve(iterations: Int, temperature: Double, target: Int = -1, shouldStop: () -> Bool) {
        scheduled = (0..<model.pairCount).filter { state.slotOf[$0] >= 0 && !fixed[$0] }
        guard !scheduled.isEmpty, iterations > 0 else { return }
        let countsIdle = breakScale > 1
        if countsIdle {
            idleTotal = 0
            for i in 0..<model.participantCount {
                idleOf[i] = Int32(idleSlots(of: i))
                idleTotal += Int(idleOf[i])
            }
        }
        var best = rank(idle: idleTotal)
        var bestSnapshot: [Int32]? = nil
        let limit = state.breakLimit
        for iteration in 0..<iterations {
            if iteration & 255 == 0 && shouldStop() { break }
            if bestSnapshot == nil && meets(target) { break }
            let heat = temperature * Double(breakScale) * Double(iterations - iteration) / Double(iterations)
            var index = randomStore.pointee.below(scheduled.count)
            // Mostly work on the meetings of someone with a break (above the limit when
            // some are): a random meeting rarely is one once few breaks remain.
            if randomStore.pointee.below(4) != 0 {
                let floor = state.excessBreaks > 0 ? limit : 0
                for _ in 0..<24 {
                    let k = scheduled[index]
                    if Int(state.personBreaks[Int(model.pairA[k])]) > floor
                        || Int(state.personBreaks[Int(model.pairB[k])]) > floor
                    {
                        break
                    }
                    index = randomStore.pointee.below(scheduled.count)
                }
            }
            let k = scheduled[index]
            let before = acceptanceCost(idle: idleTotal)
            let mark = state.mark
            replacement = nil
            let move = randomStore.pointee.below(6)
            let moved =
                move < 2 ? relocate(k) : move == 2 && swapsPairs ? swapForEqual(k, at: index) : kempeSwap(k)
            guard moved else {
                state.undo(to: mark)
                continue
            }
            let idleAfter = countsIdle ? idleTotal + idleDelta() : 0
            let delta = acceptanceCost(idle: idleAfter) - before
            if delta < 0 || (delta == 0 && randomStore.pointee.below(2) == 0)
                || (delta > 0 && heat > 0 && randomStore.pointee.unit() < exp(-Double(delta) / heat))
            {
                let now = rank(idle: idleAfter)
                if bestSnapshot == nil && now > best {
                    var previous = state.snapshot()
                    for entry in state.journal.reversed() { previous[Int(entry.pair)] = entry.slot }
                    bestSnapshot = previous
                }
                state.commit()
                if countsIdle {
                    for (i, idle) in zip(touched, touchedIdle) { idleOf[i] = idle }
                    idleTotal = idleAfter
                }
                if let replacement { scheduled[replacement.index] = replacement.pair }
                if now <= best {
                    best = now
                    bestSnapshot = nil
                }
            } else {
                state.undo(to: mark)
            }
        }
        if let snapshot = bestSnapshot { state.restore(snapshot) }
    }

    /// Replaces meeting `k` by an unscheduled pair of the same weight that shares one of
    /// its participants, in the slot where that pair adds the fewest breaks: same weight,
    /// possibly fewer breaks.
    private func swapForEqual(_ k: Int, at index: Int) -> Bool {
        let end = randomStore.pointee.below(2) == 0 ? Int(model.pairA[k]) : Int(model.pairB[k])
        let weight = model.pairWeight[k]
        state.remove(k)
        var best = -1, bestSlot = -1, bestCost = Int.max
        for q32 in model.pairs(of: end) {
            let q = Int(q32)
            guard q != k, state.slotOf[q] < 0, model.pairWeight[q] == weight else { continue }
            let other = model.partner(in: q, of: end)
            guard state.hasRoom(other) else { continue }
            for slot in model.allowedSlots(ofPair: q) {
                let s = Int(slot)
                guard state.fits(q, s) else { continue }
                let cost = state.breakDelta(end, s, adding: true) + state.breakDelta(other, s, adding: true)
                if cost < bestCost || (cost == bestCost && randomStore.pointee.below(2) == 0) {
                    best = q
                    bestSlot = s
                    bestCost = cost
                }
            }
        }
        guard best >= 0 else { return false }
        state.place(best, bestSlot)
        replacement = (index, best)
        return true
    }

    /// Moves meeting `k` to the allowed slot where it adds the fewest breaks.
    private func relocate(_ k: Int) -> Bool {
        let a = Int(model.pairA[k]), b = Int(model.pairB[k])
        let current = Int(state.slotOf[k])
        state.remove(k)
        var best = current
        var bestCost = state.breakDelta(a, current, adding: true) + state.breakDelta(b, current, adding: true)
        for index in Int(model.pairSlotStart[k])..<Int(model.pairSlotStart[k + 1]) {
            let s = Int(model.pairSlots[index])
            guard s != current, state.fits(k, s) else { continue }
            let cost = state.breakDelta(a, s, adding: true) + state.breakDelta(b, s, adding: true)
            if cost < bestCost || (cost == bestCost && randomStore.pointee.below(3) == 0) {
                bestCost = cost
                best = s
            }
        }
        state.place(k, best)
        return best != current
    }

    /// Swaps slots `s1` (of meeting `k`) and a second slot for the chain of meetings
    /// linked to `k` through shared participants.
    private func kempeSwap(_ k: Int) -> Bool {
        let s1 = Int(state.slotOf[k])
        let start = Int(model.pairSlotStart[k]), count = Int(model.pairSlotStart[k + 1]) - start
        guard count > 1 else { return false }
        var s2: Int
        if randomStore.pointee.below(2) == 0 {
            let shift = [-2, -1, 1, 2][randomStore.pointee.below(4)]
            s2 = s1 + shift
            guard s2 >= 0, s2 < state.slotCount, model.slotDay[s2] == model.slotDay[s1] else { return false }
        } else {
            s2 = Int(model.pairSlots[start + randomStore.pointee.below(count)])
        }
        guard s2 != s1 else { return false }
        return state.swapChain(from: k, between: s1, s2, limit: chainLimit, fixed: fixed)
    }
}
