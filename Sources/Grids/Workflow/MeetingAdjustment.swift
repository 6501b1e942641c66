import Scheduling

/// A change an organiser makes by hand to a schedule, checked against every hard
/// constraint of the format: a change that breaks one is refused with the rule it breaks.
/// Codable so that a draft of several changes can travel in a form and be stored with
/// the version it makes.
public enum MeetingAdjustment: Sendable, Hashable, Codable {
    /// Move the pair's meeting to a slot and a table.
    case move(participants: [String], slot: String, table: String)
    /// Add a meeting for a pair that has none (booked by hand).
    case book(participants: [String], slot: String, table: String)
    /// Take the pair's meeting out of the schedule.
    case cancel(participants: [String])
    /// Fix the pair's meeting where it is (`withTable`: the table too, else only the time).
    case pin(participants: [String], withTable: Bool)
    case unpin(participants: [String])

    /// The two people the change is about.
    public var participants: [String] {
        switch self {
        case .move(let participants, _, _), .book(let participants, _, _), .cancel(let participants),
            .pin(let participants, _), .unpin(let participants):
            participants
        }
    }

    /// Why an adjustment is refused: the rule it breaks. Slots, tables and pairs are ids
    /// (pages put times and names on them); `participant` and `host` are the person's name.
    /// `description` is the English text of logs and the CLI.
    public enum Refusal: Error, Sendable, Hashable, CustomStringConvertible {
        /// The change needs two different people.
        case notAPair(participants: [String])
        case noMeeting(participants: [String])
        /// A meeting is booked for a pair that already has one.
        case alreadyMeeting(participants: [String], slot: String)
        case pinned(participants: [String], slot: String)
        case notPinned(participants: [String])
        case unknownSlot(String)
        case unknownTable(String)
        case unknownParticipant(String)
        case unavailable(participant: String, slot: String)
        case busy(participant: String, with: [String], slot: String)
        case hostTableOnly(participant: String, table: String)
        case hostTableOfOther(table: String, host: String)
        case tableTaken(table: String, slot: String, by: [String])
        case requestSlots(from: String, to: String, allowed: [String])
        case tablePinned(table: String, slot: String, for: [String])

        public var description: String {
            switch self {
            case .notAPair(let participants): "a meeting needs two different people, not \(participants)"
            case .noMeeting(let pair): "\(pair.joined(separator: " and ")) have no meeting in this version"
            case .alreadyMeeting(let pair, let slot):
                "\(pair.joined(separator: " and ")) already have a meeting in \(slot)"
            case .pinned(_, let slot): "the meeting is pinned in \(slot): unpin it first"
            case .notPinned(let pair): "the meeting of \(pair.joined(separator: " and ")) is not pinned"
            case .unknownSlot(let slot): "unknown slot \"\(slot)\""
            case .unknownTable(let table): "unknown table \"\(table)\""
            case .unknownParticipant(let id): "unknown participant \"\(id)\""
            case .unavailable(let name, let slot): "\(name) is not available in \(slot)"
            case .busy(let name, let others, let slot): "\(name) already meets \(others.joined()) in \(slot)"
            case .hostTableOnly(let name, let table): "\(name) meets only at the host table \(table)"
            case .hostTableOfOther(let table, let host): "table \(table) is the host table of \(host)"
            case .tableTaken(let table, let slot, let pair):
                "table \(table) is taken in \(slot) by \(pair.joined(separator: " and "))"
            case .requestSlots(let from, let to, let allowed):
                "the request of \(from) to \(to) allows only \(allowed.joined(separator: ", "))"
            case .tablePinned(let table, let slot, let pair):
                "table \(table) is pinned in \(slot) for \(pair.joined(separator: " and "))"
            }
        }
    }

    /// The schedule and problem after the change (pins live in the problem).
    public func apply(to schedule: ScheduleDocument, of problem: ProblemDocument) throws(Refusal)
        -> (ScheduleDocument, ProblemDocument)
    {
        let rules = ScheduleRules(problem)
        guard Set(participants).count == 2 else { throw .notAPair(participants: participants) }
        switch self {
        case .move(let participants, let slot, let table):
            let index = try rules.meetingIndex(participants, in: schedule)
            let pair = Set(participants)
            if let pin = problem.pinned?.first(where: { Set($0.participants) == pair }) {
                throw .pinned(participants: participants, slot: pin.slot)
            }
            var moved = schedule.meetings[index]
            moved.slot = slot
            moved.table = table
            let others = schedule.meetings.enumerated().filter { $0.offset != index }.map(\.element)
            try rules.check(moved, against: others)
            var result = schedule
            result.meetings[index] = moved
            return (result, problem)
        case .book(let participants, let slot, let table):
            for id in participants where !rules.knows(id) { throw .unknownParticipant(id) }
            if let existing = schedule.meetings.first(where: { Set($0.participants) == Set(participants) }) {
                throw .alreadyMeeting(participants: participants, slot: existing.slot)
            }
            let booked = ScheduleDocument.Meeting(participants: participants, slot: slot, table: table)
            try rules.check(booked, against: schedule.meetings)
            var result = schedule
            result.meetings.append(booked)
            result.objective += rules.weight(of: participants)
            return (result, problem)
        case .cancel(let participants):
            let index = try rules.meetingIndex(participants, in: schedule)
            var result = schedule
            let removed = result.meetings.remove(at: index)
            result.objective -= rules.weight(of: removed.participants)
            var changed = problem
            changed.pinned = problem.pinned?.filter { Set($0.participants) != Set(participants) }
            if changed.pinned?.isEmpty == true { changed.pinned = nil }
            return (result, changed)
        case .pin(let participants, let withTable):
            let meeting = schedule.meetings[try rules.meetingIndex(participants, in: schedule)]
            var changed = problem
            var pins = (problem.pinned ?? []).filter { Set($0.participants) != Set(participants) }
            pins.append(
                .init(participants: meeting.participants, slot: meeting.slot, table: withTable ? meeting.table : nil))
            changed.pinned = pins
            return (schedule, changed)
        case .unpin(let participants):
            var changed = problem
            let pins = (problem.pinned ?? []).filter { Set($0.participants) != Set(participants) }
            guard pins.count < (problem.pinned ?? []).count else { throw .notPinned(participants: participants) }
            changed.pinned = pins.isEmpty ? nil : pins
            return (schedule, changed)
        }
    }

    /// Applies `adjustments` one after the other (a draft); a refusal names the first one
    /// that breaks a rule.
    public static func apply(
        _ adjustments: [MeetingAdjustment], to schedule: ScheduleDocument, of problem: ProblemDocument
    ) throws(Refusal) -> (ScheduleDocument, ProblemDocument) {
        var result = (schedule, problem)
        for adjustment in adjustments { result = try adjustment.apply(to: result.0, of: result.1) }
        return result
    }

    /// Where the pair's meeting could go without breaking a rule (its current place left
    /// out), in slot order, at most `limit` places and one table per slot: what an organiser
    /// can do instead of a refused move.
    public static func openPlaces(
        for pair: [String], in schedule: ScheduleDocument, of problem: ProblemDocument, limit: Int = 5
    ) -> [ScheduleDocument.Meeting] {
        let rules = ScheduleRules(problem)
        let others = schedule.meetings.filter { Set($0.participants) != Set(pair) }
        let taken = Set(others.map { [$0.slot, $0.table] })
        let busy = Set(others.flatMap { meeting in meeting.participants.map { [$0, meeting.slot] } })
        let current = schedule.meetings.first { Set($0.participants) == Set(pair) }
        var places: [ScheduleDocument.Meeting] = []
        for slot in problem.slots.map(\.id) where places.count < limit {
            guard slot != current?.slot, !pair.contains(where: { busy.contains([$0, slot]) }) else { continue }
            // A few free tables per slot are enough to tell host-table rules apart.
            for table in problem.tables.map(\.id).filter({ !taken.contains([slot, $0]) }).prefix(3) {
                let candidate = ScheduleDocument.Meeting(participants: pair, slot: slot, table: table)
                if (try? rules.check(candidate, against: others)) != nil {
                    places.append(candidate)
                    break
                }
            }
        }
        return places
    }
}

/// The hard constraints of `spec/schedule-format.md` for one meeting against the others.
struct ScheduleRules {
    let problem: ProblemDocument
    private let participants: [String: ProblemDocument.Participant]
    private let slotIDs: Set<String>
    private let tableIDs: Set<String>
    private let hostOf: [String: String]

    init(_ problem: ProblemDocument) {
        self.problem = problem
        participants = Dictionary(problem.participants.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        slotIDs = Set(problem.slots.map(\.id))
        tableIDs = Set(problem.tables.map(\.id))
        hostOf = Dictionary(
            problem.participants.compactMap { participant in participant.table.map { ($0, participant.id) } },
            uniquingKeysWith: { first, _ in first })
    }

    func knows(_ participant: String) -> Bool { participants[participant] != nil }

    func meetingIndex(_ pair: [String], in schedule: ScheduleDocument) throws(MeetingAdjustment.Refusal) -> Int {
        guard let index = schedule.meetings.firstIndex(where: { Set($0.participants) == Set(pair) }) else {
            throw .noMeeting(participants: pair)
        }
        return index
    }

    /// The pair's weight: the weights of its requests, both directions.
    func weight(of pair: [String]) -> Int {
        let weights = problem.weights?.priority ?? [:]
        let defaults = [1: 3, 2: 2, 3: 1]
        return problem.requests.filter { Set([$0.from, $0.to]) == Set(pair) }.reduce(0) { total, request in
            total + (weights[String(request.priority)] ?? defaults[request.priority] ?? 0)
        }
    }

    func check(_ meeting: ScheduleDocument.Meeting, against others: [ScheduleDocument.Meeting])
        throws(MeetingAdjustment.Refusal)
    {
        guard slotIDs.contains(meeting.slot) else { throw .unknownSlot(meeting.slot) }
        guard tableIDs.contains(meeting.table) else { throw .unknownTable(meeting.table) }
        for id in meeting.participants {
            guard let participant = participants[id] else { throw .unknownParticipant(id) }
            let name = participant.name ?? id
            if let available = participant.available, !available.contains(meeting.slot) {
                throw .unavailable(participant: name, slot: meeting.slot)
            }
            if let busy = others.first(where: { $0.slot == meeting.slot && $0.participants.contains(id) }) {
                throw .busy(participant: name, with: busy.participants.filter { $0 != id }, slot: meeting.slot)
            }
            if let host = participant.table, host != meeting.table {
                throw .hostTableOnly(participant: name, table: host)
            }
        }
        if let host = hostOf[meeting.table], !meeting.participants.contains(host) {
            throw .hostTableOfOther(table: meeting.table, host: participants[host]?.name ?? host)
        }
        if let taken = others.first(where: { $0.slot == meeting.slot && $0.table == meeting.table }) {
            throw .tableTaken(table: meeting.table, slot: meeting.slot, by: taken.participants)
        }
        for request in problem.requests where Set([request.from, request.to]) == Set(meeting.participants) {
            if let allowed = request.slots, !allowed.contains(meeting.slot) {
                throw .requestSlots(from: request.from, to: request.to, allowed: allowed)
            }
        }
        for pin in problem.pinned ?? [] where pin.slot == meeting.slot && pin.table == meeting.table {
            if Set(pin.participants) != Set(meeting.participants) {
                throw .tablePinned(table: meeting.table, slot: meeting.slot, for: pin.participants)
            }
        }
    }
}

extension MeetingAdjustment {
    /// The change in the English of logs and version notes.
    public var logText: String {
        let pair = participants.joined(separator: "–")
        switch self {
        case .move(_, let slot, let table): return "move \(pair) to \(slot) \(table)"
        case .book(_, let slot, let table): return "book \(pair) at \(slot) \(table)"
        case .cancel: return "cancel \(pair)"
        case .pin(_, let withTable): return withTable ? "pin \(pair)" : "pin the time of \(pair)"
        case .unpin: return "unpin \(pair)"
        }
    }
}
