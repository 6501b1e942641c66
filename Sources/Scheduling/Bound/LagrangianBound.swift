import Foundation

/// A proven upper bound on the best weight, by Lagrangian relaxation of the 0/1 model.
///
/// Model: x[p,s] = 1 when pair p meets in slot s (s allowed for p); each pair meets at
/// most once; per participant and slot at most one meeting (multiplier u[i,s]); per
/// participant at most its cap (y[i]); per slot at most F host-less meetings (v[s]),
/// F the number of free tables. Pinned pairs are fixed to their slot. For any
/// u, y, v >= 0,
///
///   L = sum cap_i y_i + sum u_is + F sum v_s
///       + sum over free pairs of max(0, max_s (w_p - y_a - y_b - u_as - u_bs - h_p v_s))
///       + sum over pinned pairs of (w_p - y_a - y_b - u_as - u_bs - h_p v_s) at the pinned slot
///
/// is at least the weight of every feasible schedule (weak duality), so floor(L) is a
/// bound. Its minimum over the multipliers equals the LP relaxation (the per-pair
/// subproblem is integral), which is the optimum on every day-sized benchmark instance.
///
/// The multipliers start from coordinate descent on the caps (the flow bound region), then
/// `SmoothedDual` minimises an entropy-smoothed L by accelerated gradient steps. They are
/// kept on a grid of 2^-20, so every sum is exact in `Double` (below 2^53) and the bound
/// is exact arithmetic, not a floating-point estimate.
struct LagrangianBound {
    let model: SchedulingModel
    /// All multipliers in one vector: y (participants), then u (participant × slot), then v (slots).
    var multipliers: [Double]
    /// The right-hand side of each relaxed constraint, in the order of `multipliers`.
    let limits: [Double]
    let uOffset: Int
    let vOffset: Int
    /// Caps tightened to the number of distinct slots a participant could meet in.
    private var capacity: [Int32]
    private var pinnedCount: [Int]

    init(model: SchedulingModel) {
        self.model = model
        let n = model.participantCount, slots = model.slotCount
        uOffset = n
        vOffset = n + n * slots
        multipliers = Array(repeating: 0, count: vOffset + slots)
        capacity = model.capacity
        pinnedCount = Array(repeating: 0, count: n)
        var seen = [Bool](repeating: false, count: slots)
        for i in 0..<n {
            var distinct = 0
            for k32 in model.pairs(of: i) {
                let k = Int(k32)
                if model.pinnedSlot[k] >= 0 { pinnedCount[i] += 1 }
                for slot in model.allowedSlots(ofPair: k) where !seen[Int(slot)] {
                    seen[Int(slot)] = true
                    distinct += 1
                }
            }
            for k32 in model.pairs(of: i) {
                for slot in model.allowedSlots(ofPair: Int(k32)) { seen[Int(slot)] = false }
            }
            capacity[i] = min(model.capacity[i], Int32(distinct))
        }
        var limits = [Double](repeating: 1, count: vOffset + slots)
        for i in 0..<n { limits[i] = Double(capacity[i]) }
        for s in 0..<slots { limits[vOffset + s] = Double(model.freeTableCount) }
        self.limits = limits
    }

    /// Rounds to the multiplier grid (and to zero or above).
    @inline(__always) static func grid(_ value: Double) -> Double {
        max(0, (value * 1_048_576).rounded()) / 1_048_576
    }

    /// Coordinate descent on the cap multipliers: for fixed others, L is convex and
    /// piecewise linear in y_i, and is minimised by making y_i the (cap_i + 1)-th largest
    /// reduced weight of i's pairs. This reaches the fractional b-matching (flow) bound
    /// region in a few cheap passes.
    private mutating func descendCaps(passes: Int) {
        let slots = model.slotCount
        var values: [Double] = []
        for _ in 0..<passes {
            var changed = false
            for i in 0..<model.participantCount {
                values.removeAll(keepingCapacity: true)
                for k32 in model.pairs(of: i) {
                    let k = Int(k32)
                    guard model.pinnedSlot[k] < 0, model.pairSlotStart[k + 1] > model.pairSlotStart[k] else { continue }
                    let other = model.partner(in: k, of: i)
                    // The pair's best slot under the current slot and table multipliers.
                    var cheapest = Double.infinity
                    let hostless = model.pairHostTable[k] < 0
                    for slot in model.allowedSlots(ofPair: k) {
                        let s = Int(slot)
                        let price =
                            multipliers[uOffset + i * slots + s] + multipliers[uOffset + other * slots + s]
                            + (hostless ? multipliers[vOffset + s] : 0)
                        cheapest = min(cheapest, price)
                    }
                    let c = Double(model.pairWeight[k]) - multipliers[other] - cheapest
                    if c > 0 { values.append(c) }
                }
                let room = max(0, Int(capacity[i]) - pinnedCount[i])
                var target = 0.0
                if values.count > room {
                    values.sort(by: >)
                    target = Self.grid(values[room])
                }
                if target != multipliers[i] {
                    multipliers[i] = target
                    changed = true
                }
            }
            if !changed { break }
        }
    }

    /// Improves the bound within `work` units (pair-slot evaluations), stopping early
    /// once it reaches `target()` (a known schedule weight) or `shouldStop()` says so.
    /// The sequence of multipliers depends on the model alone, so the returned bound is
    /// the same on every run that is not cut short (or it is at most the target).
    /// `onGuidance` gets a copy of the bound with good multipliers well before the end (see
    /// `SmoothedDual.minimise`), for reduced-cost guidance of the search.
    mutating func improve(
        work: Int, target: () -> Int, shouldStop: (Int) -> Bool,
        onGuidance: (LagrangianBound) -> Void = { _ in }
    ) -> Int {
        descendCaps(passes: 50)
        var dual = SmoothedDual(bound: self)
        let start = self
        let value = dual.minimise(work: work, target: target, shouldStop: shouldStop) { multipliers in
            var guide = start
            guide.multipliers = multipliers
            onGuidance(guide)
        }
        multipliers = dual.best
        return value
    }
}

extension LagrangianBound {
    /// Reduced-cost fixing: the pair-slot entries (the layout of `model.pairSlots`) that a
    /// schedule of weight at least `target` may use at all.
    ///
    /// For a schedule x, weight(x) = L - (sum over pairs of the loss of its choice) - (sum
    /// of multipliers times constraint slacks), where the loss of placing pair p in slot s
    /// is max(0, max_s' r_ps') - r_ps and the loss of leaving p out is max(0, max_s' r_ps').
    /// Every term is non-negative, so weight(x) >= target forces each loss to be at most
    /// L - target: an entry with a larger loss is in no such schedule.
    /// Also returns each pair's best reduced weight max(0, max_s r_ps) (pairs above the
    /// slack are in every such schedule), a good order for a greedy.
    func entries(reaching target: Int) -> (keep: [Bool], pairValue: [Double]) {
        // Exact on the grid; the small margin only keeps more entries than needed.
        entries { bound in bound - Double(target) + 1e-7 }
    }

    /// A heuristic narrowing: the entries whose loss is at most `loss`, whatever the bound
    /// (no schedule outside them is better unless `loss` is at least L minus its weight).
    func entries(withinLoss loss: Double) -> (keep: [Bool], pairValue: [Double]) {
        entries { _ in loss }
    }

    /// The entries whose loss is at most `slack(L)`, and each pair's best reduced weight.
    private func entries(slack: (Double) -> Double) -> (keep: [Bool], pairValue: [Double]) {
        let slots = model.slotCount
        let lambda = multipliers
        var top = [Double](repeating: 0, count: model.pairCount)
        var value = 0.0
        for index in 0..<lambda.count { value += limits[index] * lambda[index] }
        func reduced(_ k: Int, _ s: Int) -> Double {
            let a = Int(model.pairA[k]), b = Int(model.pairB[k])
            return Double(model.pairWeight[k]) - lambda[a] - lambda[b] - lambda[uOffset + a * slots + s]
                - lambda[uOffset + b * slots + s] - (model.pairHostTable[k] < 0 ? lambda[vOffset + s] : 0)
        }
        for k in 0..<model.pairCount {
            if model.pinnedSlot[k] >= 0 {
                value += reduced(k, Int(model.pinnedSlot[k]))
                continue
            }
            var best = 0.0
            for slot in model.allowedSlots(ofPair: k) { best = max(best, reduced(k, Int(slot))) }
            top[k] = best
            value += best
        }
        let slack = slack(value)
        var keep = [Bool](repeating: false, count: model.pairSlots.count)
        guard slack >= 0 else { return (keep, top) }
        for k in 0..<model.pairCount {
            for index in Int(model.pairSlotStart[k])..<Int(model.pairSlotStart[k + 1]) {
                keep[index] = top[k] - reduced(k, Int(model.pairSlots[index])) <= slack
            }
        }
        return (keep, top)
    }
}
