/// A lower bound on the breaks of every schedule at least as heavy as a given weight.
///
/// A schedule of weight at least W leaves out pairs of total weight at most
/// `slack = (weight of every pair that has an allowed slot) - W`. So participant i still
/// meets at least `m_i` partners: its pairs, minus as many of its lightest ones as fit in the
/// slack. Those meetings lie in the slots its pairs may use; on a day where those slots form
/// runs (maximal stretches of consecutive usable slots) of lengths L1 >= L2 >= ..., holding c
/// meetings needs at least the fewest runs whose lengths add up to c, and every run beyond
/// the first costs a break. Spreading `m_i` over the days in the cheapest way gives i's
/// fewest breaks; the sum over participants is the bound. It is exact when every request
/// must be held and each participant's breaks come from its own forbidden slots (the
/// `forum-*` instances); it says 0 where the weight leaves much freedom.
enum BreakBound {
    /// The bound for schedules of weight at least `weight`.
    static func lowerBound(model: SchedulingModel, weight: Int) -> Int {
        var total = 0
        for k in 0..<model.pairCount where model.pairSlotStart[k + 1] > model.pairSlotStart[k] {
            total += Int(model.pairWeight[k])
        }
        let slack = max(0, total - weight)
        var bound = 0
        for i in 0..<model.participantCount {
            bound += fewestBreaks(of: i, model: model, slack: slack)
        }
        return bound
    }

    /// Participant `i`'s fewest breaks when the pairs left out weigh at most `slack`.
    static func fewestBreaks(of i: Int, model: SchedulingModel, slack: Int) -> Int {
        var weights: [Int] = []
        var usable = [Bool](repeating: false, count: model.slotCount)
        for k32 in model.pairs(of: i) {
            let k = Int(k32)
            let allowed = model.allowedSlots(ofPair: k)
            guard !allowed.isEmpty else { continue }
            weights.append(Int(model.pairWeight[k]))
            for slot in allowed { usable[Int(slot)] = true }
        }
        var dropped = 0, left = slack
        for weight in weights.sorted() where weight <= left {
            left -= weight
            dropped += 1
        }
        let meetings = min(weights.count - dropped, Int(model.capacity[i]))
        guard meetings > 1 else { return 0 }
        // Run lengths per day, longest first.
        var runsOfDay = [[Int]](repeating: [], count: max(1, model.dayCount))
        var length = 0
        for slot in 0..<model.slotCount {
            if usable[slot] { length += 1 }
            let ends =
                slot + 1 == model.slotCount || model.slotDay[slot + 1] != model.slotDay[slot] || !usable[slot + 1]
            if ends && length > 0 {
                runsOfDay[Int(model.slotDay[slot])].append(length)
                length = 0
            }
        }
        // fewest[c]: fewest breaks holding c meetings on the days seen so far.
        let impossible = Int.max / 4
        var fewest = [Int](repeating: impossible, count: meetings + 1)
        fewest[0] = 0
        for runs in runsOfDay where !runs.isEmpty {
            let sorted = runs.sorted(by: >)
            // dayCost[c]: breaks of c meetings on this day (runs used - 1).
            var dayCost = [Int](repeating: impossible, count: meetings + 1)
            dayCost[0] = 0
            var held = 0
            var c = 1
            for (used, run) in sorted.enumerated() {
                held += run
                while c <= min(held, meetings) {
                    dayCost[c] = used
                    c += 1
                }
            }
            var next = fewest
            for have in 0...meetings where fewest[have] < impossible {
                for add in stride(from: 1, through: meetings - have, by: 1) where dayCost[add] < impossible {
                    next[have + add] = min(next[have + add], fewest[have] + dayCost[add])
                }
            }
            fewest = next
        }
        // Fewer usable slots than meetings cannot happen for a schedule that exists; 0 is safe.
        return fewest[meetings] < impossible ? fewest[meetings] : 0
    }
}
