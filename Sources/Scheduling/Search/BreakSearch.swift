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

    init(state: SearchState, seed: UInt64, frozen: [Bool]? = nil, swapsPairs: Bool = false) {
        self.swapsPairs = swapsPairs
        self.state = state
        self.model = state.model
        self.randomStore = .allocate(capacity: 1)
        self.randomStore.initialize(to: SeededRandom(seed: seed ^ 0xB4EA_C0DE))
        self.fixed = frozen.map { zip($0, state.isPinned).map { $0 || $1 } } ?? state.isPinned
    }

    func improve(iterations: Int, temperature: Double, shouldStop: () -> Bool) {
        scheduled = (0..<model.pairCount).filter { state.slotOf[$0] >= 0 && !fixed[$0] }
        guard !scheduled.isEmpty else { return }
        var bestBreaks = state.breaks
        var bestSnapshot: [Int32]? = nil
        for iteration in 0..<iterations {
            if iteration & 255 == 0 && shouldStop() { break }
            let heat = temperature * Double(iterations - iteration) / Double(iterations)
            let index = randomStore.pointee.below(scheduled.count)
            let k = scheduled[index]
            let before = state.breaks
            let mark = state.mark
            replacement = nil
            let move = randomStore.pointee.below(6)
            let moved =
                move < 2 ? relocate(k) : move == 2 && swapsPairs ? swapForEqual(k, at: index) : kempeSwap(k)
            guard moved else {
                state.undo(to: mark)
                continue
            }
            let delta = state.breaks - before
            if delta < 0 || (delta == 0 && randomStore.pointee.below(2) == 0)
                || (delta > 0 && heat > 0 && randomStore.pointee.unit() < exp(-Double(delta) / heat))
            {
                if delta > 0 && bestSnapshot == nil && before == bestBreaks {
                    var previous = state.snapshot()
                    for entry in state.journal.reversed() { previous[Int(entry.pair)] = entry.slot }
                    bestSnapshot = previous
                }
                state.commit()
                if let replacement { scheduled[replacement.index] = replacement.pair }
                if state.breaks < bestBreaks || (state.breaks == bestBreaks && bestSnapshot != nil) {
                    bestBreaks = state.breaks
                    bestSnapshot = nil
                }
            } else {
                state.undo(to: mark)
            }
        }
        if let snapshot = bestSnapshot, state.breaks > bestBreaks { state.restore(snapshot) }
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
        return state.swapChain(from: k, between: s1, s2, limit: 40, fixed: fixed)
    }
}
