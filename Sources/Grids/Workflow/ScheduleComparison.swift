import Scheduling

/// The difference between two schedules of one event, pair by pair: what stayed, what
/// moved (slot or table), what was dropped and what was added. Publishing a new version
/// notifies only the participants of moved, dropped and added meetings.
public struct ScheduleComparison: Sendable {
    public struct Move: Sendable, Hashable {
        public var before: ScheduleDocument.Meeting
        public var after: ScheduleDocument.Meeting
    }

    public var kept: [ScheduleDocument.Meeting] = []
    public var moved: [Move] = []
    public var dropped: [ScheduleDocument.Meeting] = []
    public var added: [ScheduleDocument.Meeting] = []

    public init(from before: ScheduleDocument, to after: ScheduleDocument) {
        var earlier: [[String]: ScheduleDocument.Meeting] = [:]
        for meeting in before.meetings { earlier[meeting.participants.sorted()] = meeting }
        for meeting in after.meetings {
            let key = meeting.participants.sorted()
            guard let previous = earlier.removeValue(forKey: key) else {
                added.append(meeting)
                continue
            }
            if previous.slot == meeting.slot && previous.table == meeting.table {
                kept.append(meeting)
            } else {
                moved.append(Move(before: previous, after: meeting))
            }
        }
        dropped = before.meetings.filter { earlier[$0.participants.sorted()] != nil }
    }

    /// The participants whose agenda changed, in id order.
    public var affectedParticipants: [String] {
        var ids = Set<String>()
        for meeting in dropped + added { ids.formUnion(meeting.participants) }
        for move in moved { ids.formUnion(move.after.participants) }
        return ids.sorted()
    }
}
