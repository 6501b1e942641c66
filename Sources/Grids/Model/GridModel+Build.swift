import Foundation
import Scheduling

extension GridModel {
    /// Resolves a schedule against its problem (and, when given, the scheduler's explanation
    /// of what it left out).
    ///
    /// - Parameter topics: topics to show per participant id, when the caller knows them
    ///   (the interchange format carries none).
    /// - Throws: the first defect that keeps the views from being drawn: an unknown id, a
    ///   participant or a table twice in one slot, a date that cannot be read.
    public init(
        problem: ProblemDocument, schedule: ScheduleDocument, explanation: ExplanationDocument? = nil,
        topics: [String: [String]] = [:]
    ) throws(GridInputError) {
        guard let timeZone = TimeZone(identifier: problem.event.timezone) else {
            throw GridInputError(.problem, "event.timezone", "unknown time zone \"\(problem.event.timezone)\"")
        }
        let timeline = try SlotTimeline(problem.slots, timeZone: timeZone)
        let index = try ProblemIndex(problem, timeline: timeline)

        var participants = index.participants
        for (number, participant) in participants.enumerated() {
            participants[number].topics = topics[participant.id] ?? []
        }
        let requests = try RequestIndex(problem, index: index)
        for participant in requests.participantsWithRequest { participants[participant].hasRequest = true }

        let placed = try Self.placeMeetings(
            schedule, index: index, requests: requests, slotCount: timeline.slots.count)

        self.eventName = problem.event.name
        self.timeZone = timeZone
        self.slots = timeline.slots
        self.days = timeline.days
        self.tables = index.tables
        self.participants = participants
        self.roles = index.roles
        self.meetings = placed.meetings
        self.cell = placed.cell
        self.meetingsOfParticipant = placed.meetingsOfParticipant
        var breaks = 0, tableChanges = 0
        // Each participant's meetings are in slot order: `meetings` is sorted by slot.
        for numbers in placed.meetingsOfParticipant {
            let gaps = MeetingGaps(
                meetingsInSlotOrder: numbers.map { number in
                    let meeting = placed.meetings[Int(number)]
                    return (slot: meeting.slot, day: timeline.slots[meeting.slot].day, table: meeting.table)
                })
            breaks += gaps.breaks
            tableChanges += gaps.tableChanges
        }
        self.breaks = breaks
        self.tableChanges = tableChanges
        self.participantIndex = index.participantIndex
        self.slotIndex = index.slotIndex
        self.objective = schedule.objective
        self.upperBound = schedule.upperBound
        self.satisfaction = requests.satisfaction(met: Set(placed.meetings.map { PairKey($0.first, $0.second) }))
        self.hasExplanation = explanation != nil
        let reasons = try Self.reasonsByPair(explanation, index: index)
        let lonely = participants.indices.filter {
            participants[$0].hasRequest && placed.meetingsOfParticipant[$0].isEmpty
        }
        let involvements = requests.requests(of: Set(lonely))
        self.withoutMeeting = lonely.map { participant in
            let unmet = (involvements[participant] ?? []).map { request in
                UnmetRequest(
                    counterpart: request.counterpart, sent: request.sent, priority: request.priority,
                    reasons: reasons[PairKey(participant, request.counterpart)] ?? [])
            }
            return NoMeetingEntry(participant: participant, requests: unmet)
        }
    }

    private struct Placement {
        var meetings: [GridMeeting]
        var cell: [Int32]
        var meetingsOfParticipant: [[Int32]]
    }

    private static func placeMeetings(
        _ schedule: ScheduleDocument, index: ProblemIndex, requests: RequestIndex, slotCount: Int
    ) throws(GridInputError) -> Placement {
        var meetings: [GridMeeting] = []
        meetings.reserveCapacity(schedule.meetings.count)
        var origin: [Int] = []
        for (number, meeting) in schedule.meetings.enumerated() {
            let path = "meetings[\(number)]"
            guard meeting.participants.count == 2 else {
                throw GridInputError(
                    .schedule, "\(path).participants", "expected two participants, found \(meeting.participants.count)")
            }
            var people: [Int] = []
            for (position, id) in meeting.participants.enumerated() {
                guard let participant = index.participantIndex[id] else {
                    throw GridInputError(
                        .schedule, "\(path).participants[\(position)]", "unknown participant \"\(id)\"")
                }
                people.append(participant)
            }
            guard people[0] != people[1] else {
                throw GridInputError(.schedule, "\(path).participants", "a participant cannot meet itself")
            }
            guard let slot = index.slotIndex[meeting.slot] else {
                throw GridInputError(.schedule, "\(path).slot", "unknown slot \"\(meeting.slot)\"")
            }
            guard let table = index.tableIndex[meeting.table] else {
                throw GridInputError(.schedule, "\(path).table", "unknown table \"\(meeting.table)\"")
            }
            let ordered = people.sorted {
                (index.participants[$0].roleIndex, $0) < (index.participants[$1].roleIndex, $1)
            }
            let key = PairKey(ordered[0], ordered[1])
            let pair = requests.pairs[key]
            meetings.append(
                GridMeeting(
                    slot: slot, table: table, first: ordered[0], second: ordered[1], priority: pair?.priority,
                    mutual: pair?.mutual ?? false, pinned: index.pinned.contains(PinKey(pair: key, slot: slot))))
            origin.append(number)
        }
        let order = meetings.indices.sorted {
            (meetings[$0].slot, meetings[$0].table, $0) < (meetings[$1].slot, meetings[$1].table, $1)
        }
        meetings = order.map { meetings[$0] }
        origin = order.map { origin[$0] }

        let tableCount = index.tables.count
        var cell = [Int32](repeating: -1, count: slotCount * tableCount)
        var busy = [Int32](repeating: -1, count: slotCount * index.participants.count)
        var meetingsOfParticipant = [[Int32]](repeating: [], count: index.participants.count)
        for (number, meeting) in meetings.enumerated() {
            let path = "meetings[\(origin[number])]"
            let place = meeting.slot * tableCount + meeting.table
            if cell[place] >= 0 {
                throw GridInputError(
                    .schedule, "\(path).table",
                    "table \"\(index.tables[meeting.table].id)\" already holds meetings[\(origin[Int(cell[place])])] in this slot"
                )
            }
            cell[place] = Int32(number)
            for participant in [meeting.first, meeting.second] {
                let seat = meeting.slot * index.participants.count + participant
                if busy[seat] >= 0 {
                    throw GridInputError(
                        .schedule, "\(path).slot",
                        "\"\(index.participants[participant].id)\" already meets in this slot (meetings[\(origin[Int(busy[seat])])])"
                    )
                }
                busy[seat] = Int32(number)
                meetingsOfParticipant[participant].append(Int32(number))
            }
        }
        return Placement(meetings: meetings, cell: cell, meetingsOfParticipant: meetingsOfParticipant)
    }

    private static func reasonsByPair(
        _ explanation: ExplanationDocument?, index: ProblemIndex
    ) throws(GridInputError) -> [PairKey: [UnscheduledPair.Reason]] {
        guard let explanation else { return [:] }
        var reasons: [PairKey: [UnscheduledPair.Reason]] = [:]
        for (number, pair) in explanation.unscheduled.enumerated() {
            let path = "unscheduled[\(number)].participants"
            guard pair.participants.count == 2 else {
                throw GridInputError(.explanation, path, "expected two participants, found \(pair.participants.count)")
            }
            var people: [Int] = []
            for (position, id) in pair.participants.enumerated() {
                guard let participant = index.participantIndex[id] else {
                    throw GridInputError(.explanation, "\(path)[\(position)]", "unknown participant \"\(id)\"")
                }
                people.append(participant)
            }
            reasons[PairKey(people[0], people[1]), default: []].append(contentsOf: pair.reasons)
        }
        return reasons
    }
}

/// An unordered pair of participant indices.
struct PairKey: Hashable {
    let low: Int32
    let high: Int32

    init(_ a: Int, _ b: Int) {
        low = Int32(min(a, b))
        high = Int32(max(a, b))
    }
}

/// A pinned pair in its slot.
struct PinKey: Hashable {
    let pair: PairKey
    let slot: Int
}
