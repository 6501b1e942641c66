import Foundation
import PartneringCore

extension SchedulingModel {
    /// Validates `document` against the spec and compiles it. Every defect is reported
    /// at once with its JSON path; pinned meetings that cannot hold together are defects too.
    public static func compile(_ document: ProblemDocument) throws(InvalidProblem) -> SchedulingModel {
        var compiler = ProblemCompiler(document: document)
        guard let model = compiler.run() else { throw InvalidProblem(issues: compiler.issues) }
        return model
    }
}

/// The validation and compilation pass behind `SchedulingModel.compile`.
private struct ProblemCompiler {
    let document: ProblemDocument
    var issues: [ProblemIssue] = []

    init(document: ProblemDocument) { self.document = document }

    mutating func report(_ path: String, _ message: String) {
        issues.append(ProblemIssue(path: path, message: message))
    }

    mutating func run() -> SchedulingModel? {
        if document.format != ProblemDocument.formatName {
            report("format", "is \"\(document.format)\", expected \"\(ProblemDocument.formatName)\"")
        }
        let timeZone = TimeZone(identifier: document.event.timezone)
        if timeZone == nil {
            report("event.timezone", "\"\(document.event.timezone)\" is not an IANA time zone")
        }
        let (slotIndex, slotDay) = compileSlots(timeZone: timeZone ?? TimeZone(identifier: "UTC") ?? .current)
        let slotCount = document.slots.count
        let slotWords = max(1, (slotCount + 63) / 64)

        var tableIndex: [String: Int] = [:]
        for (t, table) in document.tables.enumerated() {
            if tableIndex[table.id] != nil {
                report("tables[\(t)].id", "duplicate table id \"\(table.id)\"")
            } else {
                tableIndex[table.id] = t
            }
        }

        let defaultCap = document.defaults?.maxMeetings
        if let cap = defaultCap, cap < 0 {
            report("defaults.maxMeetings", "must be 0 or more, got \(cap)")
        }
        var weightOf: [Int: Int] = [1: 3, 2: 2, 3: 1]
        for (key, value) in (document.weights?.priority ?? [:]).sorted(by: { $0.key < $1.key }) {
            guard let priority = Int(key), (1...3).contains(priority) else {
                report("weights.priority.\(key)", "unknown priority \"\(key)\", expected \"1\", \"2\" or \"3\"")
                continue
            }
            if value < 0 {
                report("weights.priority.\(key)", "a weight must be 0 or more, got \(value)")
            }
            weightOf[priority] = value
        }
        var mayMeet = Set<[String]>()
        for (m, roles) in (document.policy?.meet ?? [["company", "expert"]]).enumerated() {
            if roles.count != 2 {
                report("policy.meet[\(m)]", "expected a pair of role names, got \(roles.count) names")
                continue
            }
            mayMeet.insert(roles.sorted())
        }

        // Participants.
        let participantCount = document.participants.count
        var participantIndex: [String: Int] = [:]
        var capacity = [Int32](repeating: 0, count: participantCount)
        var hostTable = [Int32](repeating: -1, count: participantCount)
        var available = [UInt64](repeating: 0, count: participantCount * slotWords)
        var tableOwner: [Int: String] = [:]
        for (i, participant) in document.participants.enumerated() {
            let path = "participants[\(i)]"
            if participantIndex[participant.id] != nil {
                report("\(path).id", "duplicate participant id \"\(participant.id)\"")
            } else {
                participantIndex[participant.id] = i
            }
            if participant.role.isEmpty { report("\(path).role", "must be a non-empty role name") }
            var availableCount = 0
            if let slots = participant.available {
                for (j, slot) in slots.enumerated() {
                    guard let s = slotIndex[slot] else {
                        report("\(path).available[\(j)]", "unknown slot \"\(slot)\"")
                        continue
                    }
                    let word = i * slotWords + s >> 6, bit = UInt64(1) << UInt64(s & 63)
                    if available[word] & bit == 0 { availableCount += 1 }
                    available[word] |= bit
                }
            } else {
                for s in 0..<slotCount { available[i * slotWords + s >> 6] |= UInt64(1) << UInt64(s & 63) }
                availableCount = slotCount
            }
            let cap = participant.maxMeetings ?? defaultCap
            if let own = participant.maxMeetings, own < 0 {
                report("\(path).maxMeetings", "must be 0 or more, got \(own)")
            }
            capacity[i] = Int32(min(max(cap ?? availableCount, 0), availableCount))
            if let table = participant.table {
                if let t = tableIndex[table] {
                    if let owner = tableOwner[t] {
                        report("\(path).table", "host table \"\(table)\" is already the table of \"\(owner)\"")
                    } else {
                        tableOwner[t] = participant.id
                        hostTable[i] = Int32(t)
                    }
                } else {
                    report("\(path).table", "unknown table \"\(table)\"")
                }
            }
        }

        // Requests, folded into pairs.
        struct PairDraft {
            var weight: Int
            var priority: Int
            var restriction: [UInt64]?
        }
        var drafts: [UInt64: PairDraft] = [:]
        var seenDirections = Set<UInt64>()
        var requestKeys: [UInt64] = []
        var requestPriorities: [Int8] = []
        var involved = [Bool](repeating: false, count: participantCount)
        for (r, request) in document.requests.enumerated() {
            let path = "requests[\(r)]"
            var ok = true
            let from = participantIndex[request.from], to = participantIndex[request.to]
            if from == nil { report("\(path).from", "unknown participant \"\(request.from)\""); ok = false }
            if to == nil { report("\(path).to", "unknown participant \"\(request.to)\""); ok = false }
            if !(1...3).contains(request.priority) {
                report("\(path).priority", "must be 1, 2 or 3, got \(request.priority)")
                ok = false
            }
            var restriction: [UInt64]? = nil
            if let slots = request.slots {
                var bits = [UInt64](repeating: 0, count: slotWords)
                for (j, slot) in slots.enumerated() {
                    if let s = slotIndex[slot] {
                        bits[s >> 6] |= UInt64(1) << UInt64(s & 63)
                    } else {
                        report("\(path).slots[\(j)]", "unknown slot \"\(slot)\"")
                        ok = false
                    }
                }
                restriction = bits
            }
            guard ok, let a = from, let b = to else { continue }
            if a == b {
                report(path, "\"\(request.from)\" cannot request a meeting with itself")
                continue
            }
            let roleA = document.participants[a].role, roleB = document.participants[b].role
            if !mayMeet.contains([roleA, roleB].sorted()) {
                report(path, "roles \"\(roleA)\" and \"\(roleB)\" may not meet (policy.meet)")
                continue
            }
            let direction = UInt64(UInt32(a)) << 32 | UInt64(UInt32(b))
            if !seenDirections.insert(direction).inserted {
                report(path, "duplicate request from \"\(request.from)\" to \"\(request.to)\"")
                continue
            }
            let key = UInt64(UInt32(min(a, b))) << 32 | UInt64(UInt32(max(a, b)))
            var draft = drafts[key] ?? PairDraft(weight: 0, priority: 9, restriction: nil)
            draft.weight += weightOf[request.priority] ?? 0
            draft.priority = min(draft.priority, request.priority)
            if let restriction {
                draft.restriction = draft.restriction.map { zip($0, restriction).map { $0 & $1 } } ?? restriction
            }
            drafts[key] = draft
            requestKeys.append(key)
            requestPriorities.append(Int8(request.priority))
            involved[a] = true
            involved[b] = true
        }
        if !issues.isEmpty { return nil }

        var pairs: [(a: Int32, b: Int32, weight: Int32, priority: Int8, slots: [UInt16])] = []
        pairs.reserveCapacity(drafts.count)
        var pairOfKey: [UInt64: Int] = [:]
        for key in drafts.keys.sorted() {
            guard let draft = drafts[key] else { continue }
            let a = Int(key >> 32), b = Int(key & 0xFFFF_FFFF)
            var slots: [UInt16] = []
            if hostTable[a] < 0 || hostTable[b] < 0 {
                for s in 0..<slotCount {
                    let word = s >> 6, bit = UInt64(1) << UInt64(s & 63)
                    let both = available[a * slotWords + word] & available[b * slotWords + word]
                    let allowed = draft.restriction.map { $0[word] } ?? ~0
                    if both & allowed & bit != 0 { slots.append(UInt16(s)) }
                }
            }
            pairOfKey[key] = pairs.count
            pairs.append((Int32(a), Int32(b), Int32(draft.weight), Int8(draft.priority), slots))
        }
        let requestPair = requestKeys.map { Int32(pairOfKey[$0] ?? -1) }

        let pinned = compilePins(
            participantIndex: participantIndex, slotIndex: slotIndex, tableIndex: tableIndex,
            hostTable: hostTable, capacity: capacity, pairOfKey: pairOfKey, pairs: pairs)
        if !issues.isEmpty { return nil }
        return SchedulingModel(
            document: document, slotIDs: document.slots.map(\.id), slotDay: slotDay,
            tableIDs: document.tables.map(\.id), participantIDs: document.participants.map(\.id),
            participantIndex: participantIndex, capacity: capacity, hostTable: hostTable,
            involved: involved, availableBits: available, slotWords: slotWords, pairs: pairs,
            pinned: pinned, requestPair: requestPair, requestPriority: requestPriorities)
    }

    /// Slot ids, times and days; returns the index of each id and the day of each slot.
    mutating func compileSlots(timeZone: TimeZone) -> ([String: Int], [Int32]) {
        if document.slots.isEmpty { report("slots", "at least one slot is needed") }
        if document.slots.count > Int(UInt16.max) { report("slots", "more than \(UInt16.max) slots") }
        let calendar = Calendar.gregorian(in: timeZone)
        var index: [String: Int] = [:]
        var days: [Int32] = []
        var dayOfDate: [Int: Int32] = [:]
        var previous: (start: Date, end: Date, id: String)? = nil
        for (s, slot) in document.slots.enumerated() {
            let path = "slots[\(s)]"
            if index[slot.id] != nil {
                report("\(path).id", "duplicate slot id \"\(slot.id)\"")
            } else {
                index[slot.id] = s
            }
            let start = InternetTime.parse(slot.start), end = InternetTime.parse(slot.end)
            if start == nil { report("\(path).start", "\"\(slot.start)\" is not an ISO 8601 time with offset") }
            if end == nil { report("\(path).end", "\"\(slot.end)\" is not an ISO 8601 time with offset") }
            guard let start, let end else {
                days.append(days.last ?? 0)
                continue
            }
            if end <= start { report("\(path).end", "is not after its start") }
            if let previous {
                if start <= previous.start {
                    report(
                        "\(path).start",
                        "slots must be ordered by start: \"\(slot.id)\" starts before or with \"\(previous.id)\"")
                } else if start < previous.end {
                    report("\(path).start", "\"\(slot.id)\" overlaps \"\(previous.id)\"")
                }
            }
            previous = (start, end, slot.id)
            let parts = calendar.dateComponents([.year, .month, .day], from: start)
            let dateKey = (parts.year ?? 0) * 10_000 + (parts.month ?? 0) * 100 + (parts.day ?? 0)
            let day = dayOfDate[dateKey] ?? Int32(dayOfDate.count)
            dayOfDate[dateKey] = day
            days.append(day)
        }
        return (index, days)
    }

    /// Checks that the pinned meetings are well formed and can all hold together.
    mutating func compilePins(
        participantIndex: [String: Int], slotIndex: [String: Int], tableIndex: [String: Int],
        hostTable: [Int32], capacity: [Int32], pairOfKey: [UInt64: Int],
        pairs: [(a: Int32, b: Int32, weight: Int32, priority: Int8, slots: [UInt16])]
    ) -> [SchedulingModel.PinnedMeeting] {
        var result: [SchedulingModel.PinnedMeeting] = []
        var participantSlot: [Int: Int] = [:]
        var tableSlot: [Int: Int] = [:]
        var pinnedPairs: [Int: Int] = [:]
        var pinCount = [Int32](repeating: 0, count: capacity.count)
        var freeTableUse: [Int: Int] = [:]
        let freeTableCount = document.tables.count - Set(hostTable.filter { $0 >= 0 }).count
        for (m, pin) in (document.pinned ?? []).enumerated() {
            let path = "pinned[\(m)]"
            guard pin.participants.count == 2 else {
                report("\(path).participants", "expected two participants, got \(pin.participants.count)")
                continue
            }
            var ends: [Int] = []
            for (j, id) in pin.participants.enumerated() {
                if let i = participantIndex[id] {
                    ends.append(i)
                } else {
                    report("\(path).participants[\(j)]", "unknown participant \"\(id)\"")
                }
            }
            let slot = slotIndex[pin.slot]
            if slot == nil { report("\(path).slot", "unknown slot \"\(pin.slot)\"") }
            var table = -1
            if let id = pin.table {
                if let t = tableIndex[id] { table = t } else { report("\(path).table", "unknown table \"\(id)\"") }
            }
            guard ends.count == 2, let s = slot, pin.table == nil || table >= 0 else { continue }
            let (a, b) = (ends[0], ends[1])
            let names = "\"\(pin.participants[0])\" and \"\(pin.participants[1])\""
            if a == b {
                report("\(path).participants", "a participant cannot meet itself")
                continue
            }
            let key = UInt64(UInt32(min(a, b))) << 32 | UInt64(UInt32(max(a, b)))
            guard let k = pairOfKey[key] else {
                report(path, "\(names) have no request between them")
                continue
            }
            if let other = pinnedPairs[k] {
                report(path, "\(names) are already pinned by pinned[\(other)]")
                continue
            }
            pinnedPairs[k] = m
            if hostTable[a] >= 0 && hostTable[b] >= 0 {
                report(path, "\(names) both have a host table, so they can never meet")
                continue
            }
            if !pairs[k].slots.contains(UInt16(s)) {
                report(
                    "\(path).slot",
                    "\(names) cannot meet in \"\(pin.slot)\" (not available to both, or outside the request's slots)")
            }
            let host = hostTable[a] >= 0 ? Int(hostTable[a]) : Int(hostTable[b])
            if table >= 0 {
                if host >= 0 && table != host {
                    report("\(path).table", "must be the host table \"\(document.tables[host].id)\"")
                } else if host < 0 && hostTable.contains(Int32(table)) {
                    report("\(path).table", "\"\(document.tables[table].id)\" is another participant's host table")
                }
            }
            let usedTable = host >= 0 ? host : table
            for i in [a, b] {
                let slotKey = i * 65_536 + s
                if let other = participantSlot[slotKey] {
                    report(
                        path,
                        "\"\(document.participants[i].id)\" is already pinned in \"\(pin.slot)\" by pinned[\(other)]")
                }
                participantSlot[slotKey] = m
                pinCount[i] += 1
                if pinCount[i] == capacity[i] + 1 {
                    report(
                        path,
                        "\"\(document.participants[i].id)\" has more pinned meetings than its maxMeetings (or available slots) allow"
                    )
                }
            }
            if usedTable >= 0 {
                let slotKey = usedTable * 65_536 + s
                if let other = tableSlot[slotKey] {
                    report(
                        path,
                        "table \"\(document.tables[usedTable].id)\" is already pinned in \"\(pin.slot)\" by pinned[\(other)]"
                    )
                }
                tableSlot[slotKey] = m
            }
            if host < 0 {
                freeTableUse[s, default: 0] += 1
                if freeTableUse[s] == freeTableCount + 1 {
                    report(
                        path,
                        "more pinned meetings without a host in \"\(pin.slot)\" than tables that are not host tables (\(freeTableCount))"
                    )
                }
            }
            result.append(.init(pair: k, slot: s, table: table))
        }
        return result
    }
}
