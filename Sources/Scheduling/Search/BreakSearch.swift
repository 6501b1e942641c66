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

    init(state: SearchState, seed: UInt64, frozen: [Bool]? = nil, swapsPairs: Bool = false, chainLimit: Int = 40) {
        self.swapsPairs = swapsPairs
        self.chainLimit = chainLimit
        self.state = state
        self.model = state.model
        self.randomStore = .allocate(capacity: 1)
        self.randomStore.initialize(to: SeededRandom(seed: seed ^ 0xB4EA_C0DE))
        self.fixed = frozen.map { zip($0, state.isPinned).map { $0 || $1 } } ?? state.isPinned
    }

    /// What the search minimises: breaks above the per-participant limit first (they make
    /// the schedule break a rule the organiser set), then breaks.
    private var cost: Int { state.excessBreaks &* Self.excessWeight &+ state.breaks }
    static let excessWeight = 1 << 30

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

    func improve(iterations: Int, temperature: Double, target: Int = -1, shouldStop: () -> Bool) {
        scheduled = (0..<model.pairCount).filter { state.slotOf[$0] >= 0 && !fixed[$0] }
        guard !scheduled.isEmpty, iterations > 0 else { return }
        var best = cost
        var bestSnapshot: [Int32]? = nil
        let limit = state.breakLimit
        for iteration in 0..<iterations {
            if iteration & 255 == 0 && shouldStop() { break }
            if bestSnapshot == nil && meets(target) { break }
            let heat = temperature * Double(iterations - iteration) / Double(iterations)
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
            let before = cost
            let mark = state.mark
            replacement = nil
            let move = randomStore.pointee.below(6)
            let accepted: Bool
            if move < 2 || (move == 2 && swapsPairs) {
                guard move < 2 ? relocate(k) : swapForEqual(k, at: index) else {
                    state.undo(to: mark)
                    continue
                }
                accepted = accepts(cost - before, heat: heat)
            } else {
                // A Kempe swap is decided before it is made (same test, same draws), so a
                // rejected one changes nothing.
                guard let outcome = kempeSwap(k, heat: heat) else { continue }
                guard outcome else { continue }
                accepted = true
            }
            if accepted {
                let now = cost
                if bestSnapshot == nil && now > best {
                    var previous = state.snapshot()
                    for entry in state.journal.reversed() { previous[Int(entry.pair)] = entry.slot }
                    bestSnapshot = previous
                }
                state.commit()
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

    /// Whether a move that changes the cost by `delta` is kept: a gain always, no change one
    /// time in two, a loss by the temperature `heat`.
    @inline(__always) private func accepts(_ delta: Int, heat: Double) -> Bool {
        delta < 0 || (delta == 0 && randomStore.pointee.below(2) == 0)
            || (delta > 0 && heat > 0 && randomStore.pointee.unit() < exp(-Double(delta) / heat))
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
    /// linked to `k` through shared participants, when `accepts` keeps the change at `heat`:
    /// nil when no swap is possible, else whether it was made.
    private func kempeSwap(_ k: Int, heat: Double) -> Bool? {
        let s1 = Int(state.slotOf[k])
        let start = Int(model.pairSlotStart[k]), count = Int(model.pairSlotStart[k + 1]) - start
        guard count > 1 else { return nil }
        var s2: Int
        if randomStore.pointee.below(2) == 0 {
            let shift = [-2, -1, 1, 2][randomStore.pointee.below(4)]
            s2 = s1 + shift
            guard s2 >= 0, s2 < state.slotCount, model.slotDay[s2] == model.slotDay[s1] else { return nil }
        } else {
            s2 = Int(model.pairSlots[start + randomStore.pointee.below(count)])
        }
        guard s2 != s1 else { return nil }
        guard state.tracksBusySlots else {
            // Beyond 64 slots: make the swap, then judge it.
            let before = cost
            let mark = state.mark
            guard state.swapChain(from: k, between: s1, s2, limit: chainLimit, fixed: fixed) else { return nil }
            if accepts(cost - before, heat: heat) { return true }
            state.undo(to: mark)
            return false
        }
        let before = cost
        var foreseen = 0
        let made = state.swapChain(from: k, between: s1, s2, limit: chainLimit, fixed: fixed) { breaks, excess in
            foreseen = excess &* Self.excessWeight &+ breaks
            return accepts(foreseen, heat: heat)
        }
        assert(made != true || cost - before == foreseen, "a Kempe swap's change of cost was foreseen wrongly")
        return made
    }
}
