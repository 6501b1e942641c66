import Foundation

/// Minimises the Lagrangian dual L of `LagrangianBound` by its entropy-smoothed form
///
///   L_τ = sum limits·λ + sum over pairs of τ log(exp(0) + sum_s exp(r_ps / τ))
///
/// (no zero option for a pinned pair), which is smooth, at least L, and within
/// τ·log(slots + 1) per pair of it. Accelerated projected gradient steps (FISTA with
/// backtracking and restarts) minimise L_τ while τ shrinks stage by stage; the exact L
/// of every point visited is a valid bound, and the least one is kept. Subgradient
/// steps on L itself stall far from the LP value; this reaches it at day scale.
struct SmoothedDual {
    let model: SchedulingModel
    let limits: [Double]
    let uOffset: Int
    let vOffset: Int
    /// Best multipliers seen (on the grid) and floor of their L.
    private(set) var best: [Double]
    private(set) var bestValue: Int
    /// Per allowed pair-slot entry (the layout of `model.pairSlots`): the index of u[a, s],
    /// u[b, s] and v[s] (-1 for a pair at a host table) among the multipliers.
    private let indexA: [Int32]
    private let indexB: [Int32]
    private let indexV: [Int32]
    /// The free (not pinned) pairs with an allowed slot: ends, weight, first entry; then the pinned entries.
    private let freePairs: [FreePair]
    private let pinnedEntries: [(a: Int32, b: Int32, weight: Double, entry: Int32)]

    private struct FreePair {
        var a: Int32
        var b: Int32
        var weight: Double
        var start: Int32
        var end: Int32
    }
    private var reduced: [Double]
    private var work = 0

    /// Smoothing stages: τ and the share of the iterations spent at it.
    static let stages: [(tau: Double, share: Int)] = [
        (1, 30), (0.3, 40), (0.1, 60), (0.03, 100), (0.01, 150), (0.003, 200), (0.001, 200),
    ]

    init(bound: LagrangianBound) {
        model = bound.model
        limits = bound.limits
        uOffset = bound.uOffset
        vOffset = bound.vOffset
        best = bound.multipliers
        bestValue = Int.max
        let slots = model.slotCount
        var indexA = [Int32](repeating: 0, count: model.pairSlots.count)
        var indexB = indexA
        var indexV = indexA
        var longest = 1
        var freePairs: [FreePair] = []
        var pinnedEntries: [(a: Int32, b: Int32, weight: Double, entry: Int32)] = []
        for k in 0..<model.pairCount {
            let a = Int(model.pairA[k]), b = Int(model.pairB[k])
            let start = Int(model.pairSlotStart[k]), end = Int(model.pairSlotStart[k + 1])
            longest = max(longest, end - start)
            for index in start..<end {
                let s = Int(model.pairSlots[index])
                indexA[index] = Int32(uOffset + a * slots + s)
                indexB[index] = Int32(uOffset + b * slots + s)
                indexV[index] = model.pairHostTable[k] < 0 ? Int32(vOffset + s) : -1
            }
            let weight = Double(model.pairWeight[k])
            if model.pinnedSlot[k] >= 0 {
                let pinnedSlot = UInt16(model.pinnedSlot[k])
                let entry = model.pairSlots[start..<end].firstIndex(of: pinnedSlot)
                // A pin is always in an allowed slot of its pair (the compiler checks it).
                if let entry { pinnedEntries.append((Int32(a), Int32(b), weight, Int32(entry))) }
            } else if end > start {
                freePairs.append(
                    FreePair(a: Int32(a), b: Int32(b), weight: weight, start: Int32(start), end: Int32(end)))
            }
        }
        self.indexA = indexA
        self.indexB = indexB
        self.indexV = indexV
        self.freePairs = freePairs
        self.pinnedEntries = pinnedEntries
        reduced = Array(repeating: 0, count: longest)
    }

    /// L_τ and the exact L at `point` (on the grid, non-negative); the gradient of L_τ goes to `gradient`.
    private mutating func evaluate(_ point: [Double], tau: Double, gradient: inout [Double]) -> (
        smooth: Double, exact: Double
    ) {
        var linear = 0.0
        for index in 0..<point.count {
            linear += limits[index] * point[index]
            gradient[index] = limits[index]
        }
        var exact = linear, smooth = linear
        let inverseTau = 1 / tau
        // Unsafe buffers: this loop is the whole cost of the bound.
        point.withUnsafeBufferPointer { lambda in
            gradient.withUnsafeMutableBufferPointer { g in
                reduced.withUnsafeMutableBufferPointer { r in
                    indexA.withUnsafeBufferPointer { ia in
                        indexB.withUnsafeBufferPointer { ib in
                            indexV.withUnsafeBufferPointer { iv in
                                for pin in pinnedEntries {
                                    let a = Int(pin.a), b = Int(pin.b), e = Int(pin.entry)
                                    let v = Int(iv[e])
                                    let value =
                                        pin.weight - lambda[a] - lambda[b] - lambda[Int(ia[e])] - lambda[Int(ib[e])]
                                        - (v >= 0 ? lambda[v] : 0)
                                    exact += value
                                    smooth += value
                                    g[a] -= 1
                                    g[b] -= 1
                                    g[Int(ia[e])] -= 1
                                    g[Int(ib[e])] -= 1
                                    if v >= 0 { g[v] -= 1 }
                                }
                                freePairs.withUnsafeBufferPointer { pairs in
                                    for pair in pairs {
                                        let a = Int(pair.a), b = Int(pair.b)
                                        let start = Int(pair.start), end = Int(pair.end)
                                        let base = pair.weight - lambda[a] - lambda[b]
                                        // Every reduced weight is at most `base` (multipliers are
                                        // non-negative): so far below zero, the pair adds exactly
                                        // nothing to L, L_τ or the gradient, and is skipped.
                                        if base * inverseTau < -40 { continue }
                                        var top = 0.0
                                        for index in start..<end {
                                            let v = Int(iv[index])
                                            let value =
                                                base - lambda[Int(ia[index])] - lambda[Int(ib[index])]
                                                - (v >= 0 ? lambda[v] : 0)
                                            r[index &- start] = value
                                            if value > top { top = value }
                                        }
                                        exact += top
                                        // Softmax over {not scheduled, each slot}, shifted by the top value.
                                        var total = exp(-top * inverseTau)
                                        for offset in 0..<(end &- start) {
                                            let shifted = (r[offset] - top) * inverseTau
                                            let e = shifted < -40 ? 0 : exp(shifted)
                                            r[offset] = e
                                            total += e
                                        }
                                        smooth += top + tau * log(total)
                                        let scale = 1 / total
                                        var sum = 0.0
                                        for index in start..<end {
                                            let p = r[index &- start] * scale
                                            if p == 0 { continue }
                                            sum += p
                                            g[Int(ia[index])] -= p
                                            g[Int(ib[index])] -= p
                                            let v = Int(iv[index])
                                            if v >= 0 { g[v] -= p }
                                        }
                                        g[a] -= sum
                                        g[b] -= sum
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        work += model.pairSlots.count + point.count
        return (smooth, exact)
    }

    private mutating func record(_ exact: Double, _ point: [Double]) {
        // Exact arithmetic on the grid: the floor is proven.
        let value = Int(exact.rounded(.down))
        if value < bestValue {
            bestValue = value
            best = point
        }
    }

    /// The stages down to this τ bring the multipliers close enough to the LP dual to guide
    /// the search (reduced weights); the finer stages that follow are needed for the proof.
    static let guidingTau = 0.03

    /// Runs the stages within `work` units, stopping early once the bound is at most
    /// `target()` or when `shouldStop()`. Returns the least floor(L) seen. `onGuidance` gets
    /// the best multipliers once the stages down to `guidingTau` are done (or at the end,
    /// whichever comes first): at a fixed point of the work, so they do not depend on timing.
    mutating func minimise(
        work budget: Int, target: () -> Int, shouldStop: (Int) -> Bool,
        onGuidance: ([Double]) -> Void = { _ in }
    ) -> Int {
        var guided = false
        defer { if !guided { onGuidance(best) } }
        let count = best.count
        var x = best.map(Self.grid)
        var gradient = [Double](repeating: 0, count: count)
        var trialGradient = gradient
        var trial = x
        var momentumPoint = x
        let perEvaluation = model.pairSlots.count + count
        // About 2.3 evaluations per iteration; scale the stages to the budget.
        let affordable = budget / max(1, perEvaluation) * 10 / 23
        let planned = Self.stages.reduce(0) { $0 + $1.share }
        let scale = min(1, Double(affordable) / Double(planned))
        var lipschitz = 1.0
        let (_, exact0) = evaluate(x, tau: 1, gradient: &gradient)
        record(exact0, x)
        for stage in Self.stages {
            let tau = stage.tau
            if !guided && tau < Self.guidingTau {
                guided = true
                onGuidance(best)
            }
            let iterations = Int((Double(stage.share) * scale).rounded(.up))
            momentumPoint = x
            var t = 1.0
            var (smoothAtMomentum, exactAtMomentum) = evaluate(momentumPoint, tau: tau, gradient: &gradient)
            record(exactAtMomentum, momentumPoint)
            for _ in 0..<iterations {
                if work >= budget || bestValue <= target() || shouldStop(bestValue) { return bestValue }
                var smoothAtTrial = 0.0, exactAtTrial = 0.0
                while true {
                    var slope = 0.0, distance = 0.0
                    for index in 0..<count {
                        let next = Self.grid(momentumPoint[index] - gradient[index] / lipschitz)
                        trial[index] = next
                        let d = next - momentumPoint[index]
                        slope += gradient[index] * d
                        distance += d * d
                    }
                    (smoothAtTrial, exactAtTrial) = evaluate(trial, tau: tau, gradient: &trialGradient)
                    if smoothAtTrial <= smoothAtMomentum + slope + lipschitz / 2 * distance + 1e-9 || work >= budget {
                        break
                    }
                    lipschitz *= 2
                }
                record(exactAtTrial, trial)
                let nextT = (1 + (1 + 4 * t * t).squareRoot()) / 2
                let factor = (t - 1) / nextT
                for index in 0..<count {
                    momentumPoint[index] = Self.grid(trial[index] + factor * (trial[index] - x[index]))
                }
                swap(&x, &trial)
                t = nextT
                (smoothAtMomentum, exactAtMomentum) = evaluate(momentumPoint, tau: tau, gradient: &gradient)
                record(exactAtMomentum, momentumPoint)
                if smoothAtMomentum > smoothAtTrial {
                    // Momentum overshot: restart from the last step's point.
                    momentumPoint = x
                    smoothAtMomentum = smoothAtTrial
                    swap(&gradient, &trialGradient)
                    t = 1
                }
                lipschitz *= 0.9
            }
        }
        return bestValue
    }

    @inline(__always) static func grid(_ value: Double) -> Double { LagrangianBound.grid(value) }
}
