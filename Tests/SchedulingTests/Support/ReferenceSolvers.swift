import Scheduling

/// Reference solutions computed the slow, obvious way, to compare the solver against.
enum ReferenceSolvers {
    struct Pair {
        var a: String
        var b: String
        var weight: Int
        var slots: [String]
        var hostTable: String?
    }

    static func pairs(_ problem: ProblemDocument) -> [Pair] {
        let weights = [1: 3, 2: 2, 3: 1].merging(
            (problem.weights?.priority ?? [:]).compactMap { key, value in Int(key).map { ($0, value) } },
            uniquingKeysWith: { $1 })
        let people = Dictionary(uniqueKeysWithValues: problem.participants.map { ($0.id, $0) })
        var byPair: [[String]: [ProblemDocument.Request]] = [:]
        for request in problem.requests { byPair[[request.from, request.to].sorted(), default: []].append(request) }
        return byPair.keys.sorted { $0.joined(separator: " ") < $1.joined(separator: " ") }.compactMap { key in
            guard let a = people[key[0]], let b = people[key[1]], let requests = byPair[key] else { return nil }
            let slots = problem.slots.map(\.id).filter { slot in
                (a.available ?? [slot]).contains(slot) && (b.available ?? [slot]).contains(slot)
                    && requests.allSatisfy { $0.slots?.contains(slot) ?? true } && (a.table == nil || b.table == nil)
            }
            return Pair(
                a: a.id, b: b.id, weight: requests.reduce(0) { $0 + (weights[$1.priority] ?? 0) }, slots: slots,
                hostTable: a.table ?? b.table)
        }
    }

    /// Whether choosing `slot` for each pair (nil = not met) is feasible.
    static func feasible(_ problem: ProblemDocument, _ pairs: [Pair], _ choice: [String?]) -> Bool {
        let hostTables = Set(problem.participants.compactMap(\.table))
        let freeTables = problem.tables.filter { !hostTables.contains($0.id) }.count
        var busy = Set<[String]>()
        var count: [String: Int] = [:]
        var hostless: [String: Int] = [:]
        for (pair, slot) in zip(pairs, choice) {
            guard let slot else { continue }
            for person in [pair.a, pair.b] {
                guard busy.insert([person, slot]).inserted else { return false }
                count[person, default: 0] += 1
            }
            if pair.hostTable == nil { hostless[slot, default: 0] += 1 }
        }
        if hostless.values.contains(where: { $0 > freeTables }) { return false }
        for person in problem.participants {
            if let cap = person.maxMeetings ?? problem.defaults?.maxMeetings, count[person.id, default: 0] > cap {
                return false
            }
        }
        for pin in problem.pinned ?? [] {
            guard let index = pairs.firstIndex(where: { Set([$0.a, $0.b]) == Set(pin.participants) }),
                choice[index] == pin.slot
            else { return false }
        }
        return true
    }

    /// Calls `visit` with every feasible schedule (a slot or nil per pair) and its weight
    /// (exponential: tiny problems only).
    static func everySchedule(_ problem: ProblemDocument, visit: ([Pair], [String?], Int) -> Void) {
        let pairs = pairs(problem)
        var choice = [String?](repeating: nil, count: pairs.count)
        func explore(_ index: Int, _ weight: Int) {
            if index == pairs.count {
                if feasible(problem, pairs, choice) { visit(pairs, choice, weight) }
                return
            }
            for slot in [nil] + pairs[index].slots.map(Optional.some) {
                choice[index] = slot
                explore(index + 1, weight + (slot == nil ? 0 : pairs[index].weight))
            }
            choice[index] = nil
        }
        explore(0, 0)
    }

    /// The best weight over every schedule.
    static func bruteForceOptimum(_ problem: ProblemDocument) -> Int {
        var best = -1
        everySchedule(problem) { _, _, weight in best = max(best, weight) }
        return best
    }

    /// What a simple tool does: pins first, then pairs by weight, each in its first feasible slot.
    static func greedy(_ problem: ProblemDocument) -> Int {
        let pairs = pairs(problem)
        var choice = [String?](repeating: nil, count: pairs.count)
        for pin in problem.pinned ?? [] {
            if let index = pairs.firstIndex(where: { Set([$0.a, $0.b]) == Set(pin.participants) }) {
                choice[index] = pin.slot
            }
        }
        for index in pairs.indices.sorted(by: { pairs[$0].weight > pairs[$1].weight }) where choice[index] == nil {
            for slot in pairs[index].slots {
                choice[index] = slot
                if feasible(problem, pairs, choice) { break }
                choice[index] = nil
            }
        }
        return zip(pairs, choice).reduce(0) { $0 + ($1.1 == nil ? 0 : $1.0.weight) }
    }

    /// Breaks of a schedule given as a slot per pair: consecutive meetings of a participant on
    /// one day (the `dD-` prefix of the slot ids) with a slot of the problem between them.
    static func breaks(_ problem: ProblemDocument, _ pairs: [Pair], _ choice: [String?]) -> Int {
        let order = Dictionary(uniqueKeysWithValues: problem.slots.map(\.id).enumerated().map { ($1, $0) })
        var slotsOf: [String: [Int]] = [:]
        for (pair, slot) in zip(pairs, choice) {
            guard let slot, let index = order[slot] else { continue }
            slotsOf[pair.a, default: []].append(index)
            slotsOf[pair.b, default: []].append(index)
        }
        let ids = problem.slots.map(\.id)
        var count = 0
        for slots in slotsOf.values {
            let sorted = slots.sorted()
            for (previous, next) in zip(sorted, sorted.dropFirst())
            where next > previous + 1 && ids[previous].prefix(3) == ids[next].prefix(3) {
                count += 1
            }
        }
        return count
    }

    /// The best weight and, among the schedules of that weight, the fewest breaks
    /// (exponential: tiny problems only).
    static func bruteForceFewestBreaks(_ problem: ProblemDocument) -> (weight: Int, breaks: Int) {
        var best = (weight: -1, breaks: Int.max)
        everySchedule(problem) { pairs, choice, weight in
            guard weight >= best.weight else { return }
            let breaks = breaks(problem, pairs, choice)
            if weight > best.weight || breaks < best.breaks { best = (weight, breaks) }
        }
        return best
    }
}
