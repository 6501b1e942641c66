import Foundation

/// How much a participant wants a meeting: 1 is the most wanted.
public enum Priority: Int, Sendable, Codable, CaseIterable, Hashable, Comparable {
    case first = 1
    case second = 2
    case third = 3

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// Where a meeting request stands.
public enum RequestStatus: String, Sendable, Codable, CaseIterable, Hashable {
    /// Sent, not answered yet.
    case pending
    case accepted
    case declined
    /// Taken back by its sender.
    case withdrawn

    /// Whether the request still counts against the sender's cap on open requests.
    public var isOpen: Bool { self == .pending || self == .accepted }
}

/// A wish of one participant to meet another.
public struct MeetingRequest: Sendable, Hashable, Identifiable {
    public var id: RequestID
    public var from: ParticipantID
    public var to: ParticipantID
    public var priority: Priority
    public var message: String
    public var status: RequestStatus
    /// Slots the meeting is restricted to (a morning-only request, say); `nil` means any.
    public var slots: [SlotID]?
    public var createdAt: Date

    public init(
        id: RequestID, from: ParticipantID, to: ParticipantID, priority: Priority, message: String,
        status: RequestStatus, slots: [SlotID]? = nil, createdAt: Date
    ) {
        self.id = id
        self.from = from
        self.to = to
        self.priority = priority
        self.message = message
        self.status = status
        self.slots = slots
        self.createdAt = createdAt
    }

    /// Whether the scheduler should consider this request, given the event's rule.
    public func isSchedulable(acceptanceRequired: Bool) -> Bool {
        acceptanceRequired ? status == .accepted : status.isOpen
    }
}

/// A one-to-one meeting placed in a slot at a table.
public struct Meeting: Sendable, Hashable {
    /// The two participants, in a canonical order (smaller id first).
    public let participants: [ParticipantID]
    public var slot: SlotID
    public var table: TableID

    public init(_ first: ParticipantID, _ second: ParticipantID, slot: SlotID, table: TableID) {
        self.participants = first <= second ? [first, second] : [second, first]
        self.slot = slot
        self.table = table
    }

    /// Whether `participant` is one of the two.
    public func involves(_ participant: ParticipantID) -> Bool { participants.contains(participant) }

    /// The other participant of the meeting, seen from `participant`.
    public func counterpart(of participant: ParticipantID) -> ParticipantID? {
        guard participants.count == 2 else { return nil }
        if participants[0] == participant { return participants[1] }
        if participants[1] == participant { return participants[0] }
        return nil
    }
}
