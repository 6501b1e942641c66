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
/// bound. The multipliers are improved by projected subgradient steps. They are kept
/// on a grid of 2^-20, so every sum is exact in `Double` (below 2^53) and the
/// bound is exact arithmetic, not a floating-point estimate.
struct LagrangianBound {
    let model: SchedulingModel
    private(set) var best: Int
    private var y: [Double]
    private var u: [Double]
    private var v: [Double]
    private var degree: [Int32]
    private var used: [Int32]
    private var slotLoad: [Int32]
    /// Caps tightened to the number of distinct slots a participant could meet in.
    private var capacity: [Int32]

    init(model: SchedulingModel) {
        self.model = model
        y = Array(repeating: 0, count: model.participantCount)
        u = Array(repeating: 0, count: model.participantCount * model.slotCount)
        v = Array(repeating: 0, count: model.slotCount)
        degree = Array(repeating: 0, count: model.participantCount)
        used = Array(repeating: 0, count: model.participantCount * model.slotCount)
        slotLoad = Array(repeating: 0, count: model.slotCount)
        capacity = model.capacity
        var total = 0
        for k in 0..<model.pairCount where model.pairSlotStart[k + 1] > model.pairSlotStart[k] {
            total += Int(model.pairWeight[k])
        }
        best = total
    }

    @inline(__always) private static func grid(_ value: Double) -> Double {
        max(0, (value * 1_048_576).rounded()) / 1_048_576
    }

    /// Evaluates L at the current multipliers, recording the relaxed solution's usage.
    private mutating func evaluate() -> Double {
        let slots = model.slotCount
        let free = Double(model.freeTableCount)
        var value = 0.0
        for i in 0..<model.participantCount { value += Double(capacity[i]) * y[i] }
        for s in 0..<slots { value += free * v[s] }
        for entry in u { value += entry }
        for i in 0..<degree.count { degree[i] = 0 }
        for i in 0..<used.count { used[i] = 0 }
        for s in 0..<slots { slotLoad[s] = 0 }
        for k in 0..<model.pairCount {
            let a = Int(model.pairA[k]), b = Int(model.pairB[k])
            let hostless = model.pairHostTable[k] < 0
            let base = Double(model.pairWeight[k]) - y[a] - y[b]
            var bestSlot = -1
            var bestValue = 0.0
            let pinned = Int(model.pinnedSlot[k])
            if pinned >= 0 {
                bestSlot = pinned
                bestValue = base - u[a * slots + pinned] - u[b * slots + pinned] - (hostless ? v[pinned] : 0)
            } else {
                if base <= 0 { continue }
                for index in Int(model.pairSlotStart[k])..<Int(model.pairSlotStart[k + 1]) {
                    let s = Int(model.pairSlots[index])
                    let reduced = base - u[a * slots + s] - u[b * slots + s] - (hostless ? v[s] : 0)
                    if reduced > bestValue {
                        bestValue = reduced
                        bestSlot = s
                    }
                }
            }
            guard bestSlot >= 0 else { continue }
            value += bestValue
            degree[a] += 1
            degree[b] += 1
            used[a * slots + bestSlot] += 1
            used[b * slots + bestSlot] += 1
            if hostless { slotLoad[bestSlot] += 1 }
        }
        return value
    }

    /// Coordinate descent on the cap multipliers alone (u = v = 0): for fixed others,
    /// L is convex and piecewise linear in y_i, and is minimised by making y_i the
    /// (cap_i + 1)-th largest reduced weight of i's pairs. This reaches the fractional
    /// b-matching (flow) bound region in a few cheap passes; the subgradient refines it.
    private mutating func descendCaps(passes: Int) {
        let slots = model.slotCount
        var tightCap = [Int](repeating: 0, count: model.participantCount)
        var pinnedCount = [Int](repeating: 0, count: model.participantCount)
        var seen = [Bool](repeating: false, count: model.slotCount)
        for i in 0..<model.participantCount {
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
            tightCap[i] = min(Int(model.capacity[i]), distinct)
        }
        capacity = tightCap.map { Int32($0) }
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
                        let price = u[i * slots + s] + u[other * slots + s] + (hostless ? v[s] : 0)
                        cheapest = min(cheapest, price)
                    }
                    let c = Double(model.pairWeight[k]) - y[other] - cheapest
                    if c > 0 { values.append(c) }
                }
                let room = max(0, tightCap[i] - pinnedCount[i])
                var target = 0.0
                if values.count > room {
                    values.sort(by: >)
                    target = Self.grid(values[room])
                }
                if target != y[i] {
                    y[i] = target
                    changed = true
                }
            }
            if !changed { break }
        }
    }

    /// Runs subgradient steps while `keepGoing` allows, aiming at `target` (a known
    /// schedule weight). Returns the best bound proven.
    mutating func improve(target: () -> Int, maxIterations: Int, keepGoing: (Int, Int) -> Bool) -> Int {
        descendCaps(passes: 50)
        var step = 1.0
        var sinceBetter = 0
        var bestValue = Double.infinity
        let slots = model.slotCount
        let free = Int32(model.freeTableCount)
        for iteration in 0..<maxIterations {
            guard iteration == 0 || keepGoing(best, iteration) else { break }
            let value = evaluate()
            best = min(best, Int((value + 1e-9).rounded(.down)))
            let target = target()
            if best <= target { break }
            if iteration % 10 == 9 {
                descendCaps(passes: 1)
                best = min(best, Int((evaluate() + 1e-9).rounded(.down)))
            }
            if value < bestValue - 1e-6 {
                bestValue = value
                sinceBetter = 0
            } else {
                sinceBetter += 1
                if sinceBetter >= 15 {
                    step /= 2
                    sinceBetter = 0
                    if step < 1e-4 { break }
                }
            }
            // Projected subgradient: components that would push a zero multiplier below zero are dropped.
            var norm = 0.0
            for i in 0..<model.participantCount {
                let g = Double(capacity[i] - degree[i])
                if !(y[i] <= 0 && g > 0) { norm += g * g }
            }
            for index in 0..<u.count {
                let g = Double(1 - used[index])
                if !(u[index] <= 0 && g > 0) { norm += g * g }
            }
            for s in 0..<slots {
                let g = Double(free - slotLoad[s])
                if !(v[s] <= 0 && g > 0) { norm += g * g }
            }
            guard norm > 0 else { break }
            let length = step * (value - Double(target)) / norm
            for i in 0..<model.participantCount {
                y[i] = Self.grid(y[i] - length * Double(capacity[i] - degree[i]))
            }
            for index in 0..<u.count where !(u[index] <= 0 && used[index] == 0) {
                u[index] = Self.grid(u[index] - length * Double(1 - used[index]))
            }
            for s in 0..<slots { v[s] = Self.grid(v[s] - length * Double(free - slotLoad[s])) }
        }
        return best
    }
}
