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

    init(state: SearchState, seed: UInt64, frozen: [Bool]? = nil) {
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
            let k = scheduled[randomStore.pointee.below(scheduled.count)]
            let before = state.breaks
            let mark = state.mark
            let moved = randomStore.pointee.below(3) == 0 ? relocate(k) : kempeSwap(k)
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
