import Scheduling

/// A checker written apart from the solver: it reads the documents as an organiser would
/// and knows nothing of the solver's model. Returns the violations found and the weight.
enum IndependentChecker {
    static func check(_ problem: ProblemDocument, _ schedule: ScheduleDocument) -> (violations: [String], weight: Int) {
        var violations: [String] = []
        let slotIDs = problem.slots.map(\.id)
        let tableIDs = Set(problem.tables.map(\.id))
        let people = Dictionary(uniqueKeysWithValues: problem.participants.map { ($0.id, $0) })
        let hostOf = Dictionary(
            uniqueKeysWithValues: problem.participants.compactMap { p in p.table.map { ($0, p.id) } })
        let weights = [1: 3, 2: 2, 3: 1].merging(
            (problem.weights?.priority ?? [:]).compactMap { key, value in Int(key).map { ($0, value) } },
            uniquingKeysWith: { $1 })
        var weight = 0
        var metPairs = Set<Set<String>>()
        var busy = Set<[String]>()
        var tableBusy = Set<[String]>()
        var count: [String: Int] = [:]
        for meeting in schedule.meetings {
            let names = meeting.participants
            guard names.count == 2, let a = people[names[0]], let b = people[names[1]], a.id != b.id,
                slotIDs.contains(meeting.slot), tableIDs.contains(meeting.table)
            else {
                violations.append("unknown or malformed meeting \(meeting)")
                continue
            }
            let requests = problem.requests.filter { Set([$0.from, $0.to]) == Set(names) }
            if requests.isEmpty { violations.append("no request for \(names)") }
            if !metPairs.insert(Set(names)).inserted { violations.append("\(names) meet twice") }
            for person in [a, b] {
                if !busy.insert([person.id, meeting.slot]).inserted {
                    violations.append("\(person.id) twice in \(meeting.slot)")
                }
                if let available = person.available, !available.contains(meeting.slot) {
                    violations.append("\(person.id) not available in \(meeting.slot)")
                }
                count[person.id, default: 0] += 1
            }
            for request in requests {
                if let allowed = request.slots, !allowed.contains(meeting.slot) {
                    violations.append("\(names) outside request slots")
                }
            }
            if !tableBusy.insert([meeting.table, meeting.slot]).inserted {
                violations.append("table \(meeting.table) twice in \(meeting.slot)")
            }
            let hostTables = [a.table, b.table].compactMap { $0 }
            if hostTables.count == 2 { violations.append("two hosts meet: \(names)") }
            if let host = hostTables.first, host != meeting.table {
                violations.append("host of \(host) meets elsewhere")
            }
            if hostTables.isEmpty, let owner = hostOf[meeting.table] {
                violations.append("host table \(meeting.table) of \(owner) used without its host")
            }
            weight += requests.reduce(0) { $0 + (weights[$1.priority] ?? 0) }
        }
        for person in problem.participants {
            if let cap = person.maxMeetings ?? problem.defaults?.maxMeetings, count[person.id, default: 0] > cap {
                violations.append("\(person.id) over its cap")
            }
        }
        for pin in problem.pinned ?? [] {
            let found = schedule.meetings.contains {
                Set($0.participants) == Set(pin.participants) && $0.slot == pin.slot
                    && (pin.table == nil || pin.table == $0.table)
            }
            if !found { violations.append("pinned \(pin.participants) missing") }
        }
        if schedule.objective != weight { violations.append("objective \(schedule.objective) but weight \(weight)") }
        if let bound = schedule.upperBound, bound < weight { violations.append("bound \(bound) below \(weight)") }
        return (violations, weight)
    }
}
