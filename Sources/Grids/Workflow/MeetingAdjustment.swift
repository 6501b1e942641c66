import Scheduling

/// A change an organiser makes by hand to a schedule, checked against every hard
/// constraint of the format: a move that breaks one is refused with the reason.
public enum MeetingAdjustment: Sendable, Hashable {
    /// Move the pair's meeting to a slot and a table.
    case move(participants: [String], slot: String, table: String)
    /// Take the pair's meeting out of the schedule.
    case cancel(participants: [String])
    /// Fix the pair's meeting where it is (`withTable`: the table too, else only the time).
    case pin(participants: [String], withTable: Bool)
    case unpin(participants: [String])

    /// Why an adjustment is refused, in words an organiser understands.
    public struct Refusal: Error, Sendable, Hashable, CustomStringConvertible {
        public var description: String
    }

    /// The schedule and problem after the change (pins live in the problem).
    public func apply(to schedule: ScheduleDocument, of problem: ProblemDocument) throws(Refusal)
        -> (ScheduleDocument, ProblemDocument)
    {
        let rules = ScheduleRules(problem)
        switch self {
        case .move(let participants, let slot, let table):
            let index = try rules.meetingIndex(participants, in: schedule)
            let pair = Set(participants)
            if let pin = problem.pinned?.first(where: { Set($0.participants) == pair }) {
                throw Refusal(description: "the meeting is pinned in \(pin.slot): unpin it first")
            }
            var moved = schedule.meetings[index]
            moved.slot = slot
            moved.table = table
            let others = schedule.meetings.enumerated().filter { $0.offset != index }.map(\.element)
            try rules.check(moved, against: others)
            var result = schedule
            result.meetings[index] = moved
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
            guard pins.count < (problem.pinned ?? []).count else {
                throw Refusal(description: "the meeting of \(participants.joined(separator: " and ")) is not pinned")
            }
            changed.pinned = pins.isEmpty ? nil : pins
            return (schedule, changed)
        }
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

    func meetingIndex(_ pair: [String], in schedule: ScheduleDocument) throws(MeetingAdjustment.Refusal) -> Int {
        guard let index = schedule.meetings.firstIndex(where: { Set($0.participants) == Set(pair) }) else {
            throw .init(description: "\(pair.joined(separator: " and ")) have no meeting in this version")
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
        func refuse(_ reason: String) -> MeetingAdjustment.Refusal { .init(description: reason) }
        guard slotIDs.contains(meeting.slot) else { throw refuse("unknown slot \"\(meeting.slot)\"") }
        guard tableIDs.contains(meeting.table) else { throw refuse("unknown table \"\(meeting.table)\"") }
        for id in meeting.participants {
            guard let participant = participants[id] else { throw refuse("unknown participant \"\(id)\"") }
            let name = participant.name ?? id
            if let available = participant.available, !available.contains(meeting.slot) {
                throw refuse("\(name) is not available in \(meeting.slot)")
            }
            if let busy = others.first(where: { $0.slot == meeting.slot && $0.participants.contains(id) }) {
                throw refuse(
                    "\(name) already meets \(busy.participants.filter { $0 != id }.joined()) in \(meeting.slot)")
            }
            if let host = participant.table, host != meeting.table {
                throw refuse("\(name) meets only at the host table \(host)")
            }
        }
        if let host = hostOf[meeting.table], !meeting.participants.contains(host) {
            throw refuse("table \(meeting.table) is the host table of \(participants[host]?.name ?? host)")
        }
        if let taken = others.first(where: { $0.slot == meeting.slot && $0.table == meeting.table }) {
            throw refuse(
                "table \(meeting.table) is taken in \(meeting.slot) by \(taken.participants.joined(separator: " and "))"
            )
        }
        for request in problem.requests where Set([request.from, request.to]) == Set(meeting.participants) {
            if let allowed = request.slots, !allowed.contains(meeting.slot) {
                throw refuse(
                    "the request of \(request.from) to \(request.to) allows only \(allowed.joined(separator: ", "))")
            }
        }
        for pin in problem.pinned ?? [] where pin.slot == meeting.slot && pin.table == meeting.table {
            if Set(pin.participants) != Set(meeting.participants) {
                throw refuse(
                    "table \(meeting.table) is pinned in \(meeting.slot) for \(pin.participants.joined(separator: " and "))"
                )
            }
        }
    }
}
