import Foundation

/// A scheduling problem in the public interchange format `partnering-problem/1`
/// (`spec/schedule-format.md`). Field names and optionality follow the spec exactly.
public struct ProblemDocument: Codable, Sendable, Hashable {
    public static let formatName = "partnering-problem/1"

    public var format: String
    public var event: Event
    public var slots: [Slot]
    public var tables: [Table]
    public var policy: Policy?
    public var defaults: Defaults?
    public var weights: Weights?
    public var participants: [Participant]
    public var requests: [Request]
    public var pinned: [Pinned]?

    public init(
        event: Event, slots: [Slot], tables: [Table], policy: Policy? = nil,
        defaults: Defaults? = nil, weights: Weights? = nil, participants: [Participant],
        requests: [Request], pinned: [Pinned]? = nil
    ) {
        self.format = Self.formatName
        self.event = event
        self.slots = slots
        self.tables = tables
        self.policy = policy
        self.defaults = defaults
        self.weights = weights
        self.participants = participants
        self.requests = requests
        self.pinned = pinned
    }

    public struct Event: Codable, Sendable, Hashable {
        public var name: String
        /// An IANA time zone name, e.g. `Europe/Paris`.
        public var timezone: String

        public init(name: String, timezone: String) {
            self.name = name
            self.timezone = timezone
        }
    }

    public struct Slot: Codable, Sendable, Hashable {
        public var id: String
        /// ISO 8601 with offset, e.g. `2026-11-13T09:00:00+01:00`.
        public var start: String
        public var end: String

        public init(id: String, start: String, end: String) {
            self.id = id
            self.start = start
            self.end = end
        }
    }

    public struct Table: Codable, Sendable, Hashable {
        public var id: String
        public var name: String?

        public init(id: String, name: String? = nil) {
            self.id = id
            self.name = name
        }
    }

    public struct Policy: Codable, Sendable, Hashable {
        /// Pairs of roles that may meet; order inside a pair does not matter.
        public var meet: [[String]]

        public init(meet: [[String]]) { self.meet = meet }
    }

    public struct Defaults: Codable, Sendable, Hashable {
        public var maxMeetings: Int?

        public init(maxMeetings: Int?) { self.maxMeetings = maxMeetings }
    }

    public struct Weights: Codable, Sendable, Hashable {
        /// Weight per priority, keyed by `"1"`, `"2"`, `"3"`.
        public var priority: [String: Int]?

        public init(priority: [String: Int]?) { self.priority = priority }
    }

    public struct Participant: Codable, Sendable, Hashable {
        public var id: String
        public var role: String
        public var name: String?
        public var organisation: String?
        /// Slots the participant can meet in; absent means every slot.
        public var available: [String]?
        public var maxMeetings: Int?
        /// A host table: exclusive to this participant.
        public var table: String?

        public init(
            id: String, role: String, name: String? = nil, organisation: String? = nil,
            available: [String]? = nil, maxMeetings: Int? = nil, table: String? = nil
        ) {
            self.id = id
            self.role = role
            self.name = name
            self.organisation = organisation
            self.available = available
            self.maxMeetings = maxMeetings
            self.table = table
        }
    }

    public struct Request: Codable, Sendable, Hashable {
        public var from: String
        public var to: String
        public var priority: Int
        /// Slots the meeting is restricted to; absent means any.
        public var slots: [String]?

        public init(from: String, to: String, priority: Int, slots: [String]? = nil) {
            self.from = from
            self.to = to
            self.priority = priority
            self.slots = slots
        }
    }

    public struct Pinned: Codable, Sendable, Hashable {
        public var participants: [String]
        public var slot: String
        /// Without a table, the scheduler picks one.
        public var table: String?

        public init(participants: [String], slot: String, table: String? = nil) {
            self.participants = participants
            self.slot = slot
            self.table = table
        }
    }
}
