import Foundation
import PartneringCore

/// Phase one: maximise the total weight. A greedy fill in weight order, then a
/// local search that inserts waiting pairs by ejection chains: free slot, one blocking
/// meeting moved elsewhere, or blocking meetings evicted and re-inserted, accepted
/// when the weight does not drop (and, rarely, when it does, to leave plateaus).
final class WeightSearch {
    let state: SearchState
    let model: SchedulingModel
    /// Behind a pointer, like the state's counters, to avoid dynamic exclusivity checks.
    let randomStore: UnsafeMutablePointer<SeededRandom>
    /// How often (per mille) an eviction ignores the cheapest slot and picks any slot it
    /// could use: diversification that lets the search cross plateaus.
    static let randomSlotPermille = 100
    private(set) var bestWeight: Int
    /// Whether the state is the one in which `bestWeight` was first reached. The search
    /// ends there (not wherever a plateau walk left it), so that stopping as soon as the
    /// bound proves `bestWeight` optimal gives the same schedule as running on.
    private var bestIsCurrent = true
    /// Changes (pair, slot before) since the state left the best one, to walk back...
    private var departure: [(pair: Int32, slot: Int32)] = []
    /// ...or, once that log grows long, the best state itself.
    private var bestSnapshot: [Int32]?
    private var evicted: [Int] = []
    /// Keep mode: the previous slot of each kept pair (-1 for others); disturbing one costs.
    private var keptSlot: [Int32]?
    /// Fairness mode: the meetings each participant must not fall below.
    private var floor: [Int32]?

    deinit { randomStore.deallocate() }

    /// What each pair is worth when the search picks what to evict or fill: its weight, or
    /// with guidance its reduced weight; and how much of that worth one move may give up.
    let pairCost: [Int32]
    let costMargin: Int
    let guidance: ReducedWeights?

    init(state: SearchState, seed: UInt64, guidance: ReducedWeights? = nil) {
        self.state = state
        self.model = state.model
        self.guidance = guidance
        self.pairCost = guidance?.cost ?? state.model.pairWeight
        self.costMargin = guidance == nil ? 2 : ReducedWeights.costMargin
        self.randomStore = .allocate(capacity: 1)
        self.randomStore.initialize(to: SeededRandom(seed: seed))
        self.bestWeight = state.weight
    }

    /// Places pairs in decreasing weight (ties in seeded random order) where they fit.
    /// With `priority`, pairs go by decreasing priority instead (then weight).
    func greedyFill(order priority: [Double]? = nil) {
        var order = Array(0..<model.pairCount)
        var keys = [UInt64](repeating: 0, count: model.pairCount)
        for k in 0..<model.pairCount {
            keys[k] = UInt64(UInt32(model.pairWeight[k])) << 32 | (randomStore.pointee.next() >> 32)
        }
        if let priority {
            order.sort { (priority[$0], keys[$0]) > (priority[$1], keys[$1]) }
        } else {
            order.sort { keys[$0] > keys[$1] }
        }
        for k in order where state.slotOf[k] < 0 {
            let a = Int(model.pairA[k]), b = Int(model.pairB[k])
            guard state.hasRoom(a), state.hasRoom(b), let s = bestFreeSlot(k) else { continue }
            state.place(k, s)
        }
        commitMove()
    }

    /// The allowed slot where pair `k` fits now with the fewest added breaks (earliest on ties).
    func bestFreeSlot(_ k: Int, excluding excluded: Int = -1) -> Int? {
        let a = Int(model.pairA[k]), b = Int(model.pairB[k])
        var best = -1, bestCost = Int.max
        let start = Int(model.pairSlotStart[k]), end = Int(model.pairSlotStart[k + 1])
        for index in start..<end {
            let s = Int(model.pairSlots[index])
            guard s != excluded, state.fits(k, s) else { continue }
            let cost = state.breakDelta(a, s, adding: true) + state.breakDelta(b, s, adding: true)
            if cost < bestCost {
                bestCost = cost
                best = s
                if cost < 0 { break }
            }
        }
        return best >= 0 ? best : nil
    }

    /// Places waiting pair `k` (both ends have room) by moving at most one other meeting.
    func placeByRelocation(_ k: Int) -> Bool {
        let a = Int(model.pairA[k]), b = Int(model.pairB[k])
        let start = Int(model.pairSlotStart[k]), count = Int(model.pairSlotStart[k + 1]) - start
        guard count > 0 else { return false }
        let offset = randomStore.pointee.below(count)
        for step in 0..<count {
            let s = Int(model.pairSlots[start + (offset + step) % count])
            let qa = state.occupantOf(a, s), qb = state.occupantOf(b, s)
            if qa >= 0 && qb >= 0 { continue }
            let mark = state.mark
            if qa >= 0 || qb >= 0 {
                let q = max(qa, qb)
                if state.isPinned[q] { continue }
                state.remove(q)
                if state.fits(k, s) {
                    state.place(k, s)
                    if let target = bestFreeSlot(q, excluding: s) {
                        state.place(q, target)
                        return true
                    }
                }
                state.undo(to: mark)
            } else if state.pairHostless[k] && state.load[s] >= state.freeTables && state.freeTables > 0 {
                for _ in 0..<2 {
                    let q = Int(
                        state.slotMembers[s * Int(state.freeTables) + randomStore.pointee.below(Int(state.load[s]))])
                    if state.isPinned[q] { continue }
                    state.remove(q)
                    state.place(k, s)
                    if let target = bestFreeSlot(q, excluding: s) {
                        state.place(q, target)
                        return true
                    }
                    state.undo(to: mark)
                }
            }
        }
        return false
    }

    /// Places waiting pair `k` (both ends have room) in a slot where one end is busy, by
    /// moving that end's meeting to a slot where the other end is free and swapping the two
    /// slots along its Kempe chain (the classic step of edge colouring).
    func placeByKempe(_ k: Int) -> Bool {
        let start = Int(model.pairSlotStart[k]), count = Int(model.pairSlotStart[k + 1]) - start
        guard count > 0 else { return false }
        let a = Int(model.pairA[k]), b = Int(model.pairB[k])
        for _ in 0..<3 {
            let s1 = Int(model.pairSlots[start + randomStore.pointee.below(count)])
            let qa = state.occupantOf(a, s1), qb = state.occupantOf(b, s1)
            guard (qa >= 0) != (qb >= 0) else { continue }
            let busy = qa >= 0 ? a : b, free = qa >= 0 ? b : a
            let q = max(qa, qb)
            if state.isPinned[q] { continue }
            // A slot of q's where the busy end is free: q moves there, the chain follows.
            let qStart = Int(model.pairSlotStart[q]), qCount = Int(model.pairSlotStart[q + 1]) - qStart
            let offset = randomStore.pointee.below(qCount)
            for step in 0..<qCount {
                let s2 = Int(model.pairSlots[qStart + (offset + step) % qCount])
                guard s2 != s1, state.occupantOf(busy, s2) < 0 else { continue }
                let mark = state.mark
                if state.swapChain(
                    from: q, between: s1, s2, limit: 24, fixed: state.isPinned, keepFree: free, freeSlot: s1),
                    state.fits(k, s1)
                {
                    state.place(k, s1)
                    return true
                }
                state.undo(to: mark)
                break
            }
        }
        return false
    }

    /// The meeting to evict from full slot `s` to free a table: the lightest movable one
    /// (all are looked at when there are few tables, a sample otherwise), or -1.
    private func tableVictim(_ s: Int) -> Int {
        let base = s * Int(state.freeTables), count = Int(state.load[s])
        var victim = -1
        let exhaustive = count <= 48
        for draw in 0..<(exhaustive ? count : 6) {
            let q = Int(state.slotMembers[base + (exhaustive ? draw : randomStore.pointee.below(count))])
            if state.isPinned[q] { continue }
            if victim < 0 || pairCost[q] < pairCost[victim]
                || (pairCost[q] == pairCost[victim] && randomStore.pointee.below(2) == 0)
            {
                victim = q
            }
        }
        return victim
    }

    private func tableVictimWeight(_ s: Int) -> Int {
        let base = s * Int(state.freeTables), count = Int(state.load[s])
        var lightest = Int32.max
        for draw in 0..<min(count, 48) {
            let q = Int(state.slotMembers[base + (count <= 48 ? draw : randomStore.pointee.below(count))])
            if !state.isPinned[q] { lightest = min(lightest, pairCost[q]) }
        }
        return lightest == Int32.max ? 1000 : Int(lightest)
    }

    /// Gives participant `i` (who has room) its heaviest waiting pair that can be placed
    /// directly or by moving one meeting.
    private func fill(_ i: Int) {
        var best = -1, bestSlot = -1
        for k32 in model.pairs(of: i) {
            let k = Int(k32)
            guard state.slotOf[k] < 0, best < 0 || pairCost[k] > pairCost[best],
                state.hasRoom(model.partner(in: k, of: i)), let s = bestFreeSlot(k)
            else { continue }
            best = k
            bestSlot = s
        }
        if best >= 0 {
            state.place(best, bestSlot)
            return
        }
        // Moving meetings is costly: only for the heaviest candidate.
        var heaviest = -1
        for k32 in model.pairs(of: i) where state.slotOf[Int(k32)] < 0 {
            let k = Int(k32)
            if state.hasRoom(model.partner(in: k, of: i))
                && (heaviest < 0 || pairCost[k] > pairCost[heaviest])
            {
                heaviest = k
            }
        }
        if heaviest >= 0 { _ = placeByRelocation(heaviest) }
    }

    /// The lightest movable meeting of participant `i` outside `slot`, or -1.
    private func lightestMeeting(of i: Int, notIn slot: Int) -> Int {
        var best = -1, bestWeight = Int32.max
        for k32 in model.pairs(of: i) {
            let k = Int(k32)
            let s = Int(state.slotOf[k])
            guard s >= 0, s != slot, !state.isPinned[k] else { continue }
            let w = pairCost[k]
            if w < bestWeight || (w == bestWeight && randomStore.pointee.below(2) == 0)
                || randomStore.pointee.below(8) == 0
            {
                bestWeight = w
                best = k
            }
        }
        return best
    }

    /// Inserts waiting pair `k` into a slot by evicting what blocks it, then tries to
    /// re-insert the evicted meetings. Returns the weight change (already applied);
    /// the caller accepts or undoes it.
    func evictAndInsert(_ k: Int) -> Int? {
        let a = Int(model.pairA[k]), b = Int(model.pairB[k])
        let start = Int(model.pairSlotStart[k]), end = Int(model.pairSlotStart[k + 1])
        let weightK = Int(pairCost[k])
        let capA = state.hasRoom(a) ? -1 : lightestMeeting(of: a, notIn: -1)
        let capB = state.hasRoom(b) ? -1 : lightestMeeting(of: b, notIn: -1)
        if (!state.hasRoom(a) && capA < 0) || (!state.hasRoom(b) && capB < 0) { return nil }
        var bestSlot = -1, bestCost = Int.max
        for index in start..<end {
            let s = Int(model.pairSlots[index])
            let qa = state.occupantOf(a, s), qb = state.occupantOf(b, s)
            if (qa >= 0 && state.isPinned[qa]) || (qb >= 0 && state.isPinned[qb]) { continue }
            var cost = 0
            if qa >= 0 { cost += Int(pairCost[qa]) }
            if qb >= 0 && qb != qa { cost += Int(pairCost[qb]) }
            if qa < 0 && capA >= 0 { cost += Int(pairCost[capA]) }
            if qb < 0 && capB >= 0 { cost += Int(pairCost[capB]) }
            if state.pairHostless[k] && state.load[s] >= state.freeTables
                && !(qa >= 0 && state.pairHostless[qa]) && !(qb >= 0 && state.pairHostless[qb])
            {
                if state.freeTables == 0 { continue }
                cost += tableVictimWeight(s)
            }
            if cost > weightK + costMargin { continue }
            cost = cost * 4 + randomStore.pointee.below(4)
            if randomStore.pointee.below(1000) < WeightSearch.randomSlotPermille { cost = randomStore.pointee.below(4) }
            if cost < bestCost {
                bestCost = cost
                bestSlot = s
            }
        }
        guard bestSlot >= 0 else { return nil }
        let s = bestSlot
        let before = state.weight
        evicted.removeAll(keepingCapacity: true)
        let qa = state.occupantOf(a, s), qb = state.occupantOf(b, s)
        for q in [qa, qb] where q >= 0 && state.slotOf[q] >= 0 {
            state.remove(q)
            evicted.append(q)
        }
        if qa < 0 && capA >= 0 && state.slotOf[capA] >= 0 && !state.hasRoom(a) {
            state.remove(capA)
            evicted.append(capA)
        }
        if qb < 0 && capB >= 0 && state.slotOf[capB] >= 0 && !state.hasRoom(b) {
            state.remove(capB)
            evicted.append(capB)
        }
        if state.pairHostless[k] && state.load[s] >= state.freeTables {
            let victim = tableVictim(s)
            guard victim >= 0 else { return nil }
            state.remove(victim)
            evicted.append(victim)
        }
        guard state.fits(k, s), state.hasRoom(a), state.hasRoom(b) else { return nil }
        state.place(k, s)
        evicted.sort { pairCost[$0] > pairCost[$1] }
        for q in evicted {
            let qa = Int(model.pairA[q]), qb = Int(model.pairB[q])
            guard state.hasRoom(qa), state.hasRoom(qb) else { continue }
            if let target = bestFreeSlot(q) {
                state.place(q, target)
            } else {
                _ = placeByRelocation(q)
            }
        }
        // Alternating paths: a partner that lost a meeting may take another waiting pair.
        for q in evicted where state.slotOf[q] < 0 {
            for end in [Int(model.pairA[q]), Int(model.pairB[q])] where end != a && end != b && state.hasRoom(end) {
                fill(end)
            }
        }
        return state.weight - before
    }

    /// Keep mode: from now on a move that changes a kept meeting must pay for it with weight.
    func protect(_ keptSlot: [Int32]) { self.keptSlot = keptSlot }

    /// Fairness mode: the meetings each participant must keep (set by `guaranteeMinimum`).
    var fairnessFloor: [Int32]? { floor }

    /// Fairness mode for a search that continues another's: no participant may fall below `floor`.
    func require(_ floor: [Int32]) { self.floor = floor }

    /// Fairness mode: gives every participant with a request up to `minimum` meetings
    /// first (fewest options first), then forbids moves that take any of them away.
    func guaranteeMinimum(_ minimum: Int) {
        let people = (0..<model.participantCount).filter { model.involved[$0] }
        for round in 1...minimum {
            let needy = people.filter { state.degree[$0] < round }.sorted {
                (model.incidentStart[$0 + 1] - model.incidentStart[$0], $0)
                    < (model.incidentStart[$1 + 1] - model.incidentStart[$1], $1)
            }
            for i in needy where state.degree[i] < round && state.hasRoom(i) {
                var choice = -1, choiceSlot = -1
                for k32 in model.pairs(of: i) {
                    let k = Int(k32)
                    let other = model.partner(in: k, of: i)
                    guard state.slotOf[k] < 0, state.hasRoom(other) else { continue }
                    // Prefer partners that are themselves short of meetings, then weight.
                    if choice >= 0 {
                        let otherChoice = model.partner(in: choice, of: i)
                        let better =
                            (state.degree[other] < round ? 1 : 0, model.pairWeight[k])
                            > (state.degree[otherChoice] < round ? 1 : 0, model.pairWeight[choice])
                        if !better { continue }
                    }
                    if let s = bestFreeSlot(k) {
                        choice = k
                        choiceSlot = s
                    }
                }
                if choice >= 0 {
                    state.place(choice, choiceSlot)
                } else {
                    for k32 in model.pairs(of: i) where state.slotOf[Int(k32)] < 0 {
                        let other = model.partner(in: Int(k32), of: i)
                        if state.hasRoom(other), placeByRelocation(Int(k32)) { break }
                    }
                }
            }
        }
        state.commit()
        floor = (0..<model.participantCount).map { min(Int32(minimum), state.degree[$0]) }
        bestWeight = state.weight
        bestIsCurrent = true
    }

    /// Whether the move in the journal respects keep and fairness modes, given its weight change.
    private func respectsModes(_ delta: Int) -> Bool {
        if let floor {
            for entry in state.journal {
                let k = Int(entry.pair)
                for i in [Int(model.pairA[k]), Int(model.pairB[k])] where state.degree[i] < floor[i] {
                    return false
                }
            }
        }
        if let keptSlot {
            var disturbed = 0
            var seen = Set<Int32>()
            for entry in state.journal where keptSlot[Int(entry.pair)] >= 0 && seen.insert(entry.pair).inserted {
                if state.slotOf[Int(entry.pair)] != keptSlot[Int(entry.pair)] { disturbed += 1 }
            }
            if disturbed > 0 && delta < max(1, disturbed) { return false }
        }
        return true
    }

    /// A waiting pair, drawn with a bias toward heavy ones (tournament of three).
    private func drawWaiting() -> Int {
        var best = Int(state.waiting[randomStore.pointee.below(state.waitingCount)])
        if let guidance {
            // Guided: the pairs whose absence costs the bound most first (tournament of five).
            for _ in 0..<4 {
                let k = Int(state.waiting[randomStore.pointee.below(state.waitingCount)])
                if guidance.value[k] > guidance.value[best] { best = k }
            }
            return best
        }
        for _ in 0..<2 {
            let k = Int(state.waiting[randomStore.pointee.below(state.waitingCount)])
            if model.pairWeight[k] > model.pairWeight[best] { best = k }
        }
        return best
    }

    /// Makes the move in the journal final, keeping track of the best state.
    private func commitMove() {
        if state.weight > bestWeight {
            bestWeight = state.weight
            bestIsCurrent = true
            departure.removeAll(keepingCapacity: true)
            bestSnapshot = nil
        } else if !state.journal.isEmpty {
            if bestIsCurrent {
                bestIsCurrent = false
                departure.removeAll(keepingCapacity: true)
            }
            if bestSnapshot == nil {
                departure.append(contentsOf: state.journal)
                if departure.count > 2 * model.pairCount + 64 {
                    bestSnapshot = departedState()
                    departure.removeAll(keepingCapacity: true)
                }
            }
        }
        state.commit()
    }

    /// The best state, rebuilt from the current one and the departure log.
    private func departedState() -> [Int32] {
        var slots = state.snapshot()
        for entry in departure.reversed() { slots[Int(entry.pair)] = entry.slot }
        return slots
    }

    /// Runs the local search for `iterations` steps, or until `shouldStop` says so.
    /// Ends on the best assignment found (in the state where its weight was first reached).
    func improve(iterations: Int, temperature: Double, shouldStop: () -> Bool) {
        var iteration = 0
        while iteration < iterations && state.waitingCount > 0 {
            iteration += 1
            if iteration & 255 == 0 && shouldStop() { break }
            let k = drawWaiting()
            let a = Int(model.pairA[k]), b = Int(model.pairB[k])
            if state.hasRoom(a) && state.hasRoom(b) {
                if let s = bestFreeSlot(k) {
                    state.place(k, s)
                    commitMove()
                    continue
                }
                let mark = state.mark
                if placeByRelocation(k) || placeByKempe(k) {
                    if respectsModes(Int(model.pairWeight[k])) {
                        commitMove()
                        continue
                    }
                    state.undo(to: mark)
                }
            }
            let mark = state.mark
            guard let delta = evictAndInsert(k) else {
                state.undo(to: mark)
                continue
            }
            let heat = temperature * Double(iterations - iteration) / Double(iterations)
            let accept = delta >= 0 || (heat > 0 && randomStore.pointee.unit() < exp(Double(delta) / heat))
            if !accept || !respectsModes(delta) {
                state.undo(to: mark)
                continue
            }
            commitMove()
        }
        finish()
    }

    /// Returns the state to the best assignment seen (where its weight was first reached).
    func finish() {
        if !bestIsCurrent {
            state.restore(bestSnapshot ?? departedState())
        }
        bestIsCurrent = true
        departure.removeAll(keepingCapacity: true)
        bestSnapshot = nil
    }
}
