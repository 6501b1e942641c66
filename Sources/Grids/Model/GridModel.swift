import Foundation
import Scheduling

/// Everything the grids, agendas, table sheets and the no-meeting list show, resolved once
/// from a schedule and its problem: names instead of ids, times in the event's zone, slots
/// grouped by day and session. Participants, slots, tables and meetings are referred to by
/// their index in the arrays below.
public struct GridModel: Sendable {
    public var eventName: String
    public var timeZone: TimeZone
    /// In the order of their start.
    public var slots: [GridSlot]
    public var days: [GridDay]
    public var tables: [GridTable]
    public var participants: [GridParticipant]
    /// Roles in display order (the order of `policy.meet`, then of first appearance).
    public var roles: [String]
    /// Sorted by slot, then table.
    public var meetings: [GridMeeting]
    /// The participants who sent or received a request and have no meeting.
    public var withoutMeeting: [NoMeetingEntry]
    /// Whether an explanation file was given (so an empty reason list means "none known").
    public var hasExplanation: Bool
    public var objective: Int
    public var upperBound: Int?
    /// Per priority, most wanted first: requests whose pair met, and all requests.
    public var satisfaction: [PrioritySatisfaction]
    /// Breaks in the participants' days and table changes between their consecutive
    /// meetings, summed over participants, counted as the scheduler counts them (`MeetingGaps`).
    public var breaks: Int
    public var tableChanges: Int

    /// Meeting index per (slot, table): `cell[slot * tables.count + table]`, -1 when free.
    public var cell: [Int32]
    /// Meeting indices of each participant, by slot.
    public var meetingsOfParticipant: [[Int32]]
    /// Index of each participant id.
    public var participantIndex: [String: Int]
    /// Index of each slot id.
    public var slotIndex: [String: Int]

    /// The meeting at a table in a slot, if any.
    public func meeting(slot: Int, table: Int) -> GridMeeting? {
        let index = Int(cell[slot * tables.count + table])
        return index >= 0 ? meetings[index] : nil
    }

    /// The other participant of a meeting.
    public func counterpart(of participant: Int, in meeting: GridMeeting) -> Int {
        meeting.first == participant ? meeting.second : meeting.first
    }
}

/// One slot of the event.
public struct GridSlot: Sendable, Hashable {
    public var id: String
    public var start: Date
    public var end: Date
    /// `09:00` in the event's zone.
    public var startText: String
    public var endText: String
    public var day: Int
    public var session: Int
}

/// A calendar day of the event (in its zone) and its sessions.
public struct GridDay: Sendable, Hashable {
    /// `2026-11-13`.
    public var date: String
    public var sessions: [GridSession]
    /// The indices of the day's slots.
    public var slots: Range<Int> { (sessions.first?.slots.lowerBound ?? 0)..<(sessions.last?.slots.upperBound ?? 0) }
}

/// A run of slots without a long pause (a morning, an afternoon).
public struct GridSession: Sendable, Hashable {
    public var slots: Range<Int>
    /// `09:00–12:20`.
    public var label: String
}

public struct GridTable: Sendable, Hashable {
    public var id: String
    public var name: String
    /// The participant whose host table this is.
    public var host: Int?
}

public struct GridParticipant: Sendable, Hashable {
    public var id: String
    public var name: String
    public var organisation: String
    public var role: String
    /// Index into `GridModel.roles`.
    public var roleIndex: Int
    public var topics: [String]
    public var hostTable: Int?
    /// Sent or received at least one request.
    public var hasRequest: Bool
}

public struct GridMeeting: Sendable, Hashable {
    public var slot: Int
    public var table: Int
    /// The two participants, the one whose role comes first in `GridModel.roles` first.
    public var first: Int
    public var second: Int
    /// The most wanted priority among the pair's requests (1 is most wanted); nil when the
    /// schedule holds a meeting no request asked for.
    public var priority: Int?
    /// Both asked to meet the other.
    public var mutual: Bool
    /// Pinned in the problem.
    public var pinned: Bool
}

/// A participant without any meeting, with the requests that did not become one.
public struct NoMeetingEntry: Sendable, Hashable {
    public var participant: Int
    public var requests: [UnmetRequest]
}

/// A request of a participant without meetings, and why it is not in the schedule.
public struct UnmetRequest: Sendable, Hashable {
    public var counterpart: Int
    /// The participant asked (rather than was asked).
    public var sent: Bool
    public var priority: Int
    /// The scheduler's reasons; empty when no explanation was given or it lists none.
    public var reasons: [UnscheduledPair.Reason]
}

/// How many requests of one priority became meetings.
public struct PrioritySatisfaction: Sendable, Hashable {
    public var priority: Int
    public var met: Int
    public var requested: Int
}
