import Foundation

/// A partnering event as organisers define it: where and when, how the day is
/// cut into slots, who may meet whom, and the rules of registration.
public struct EventDefinition: Sendable, Hashable {
    public var id: EventID
    public var name: LocalizedText
    public var venue: Venue
    public var timeZone: TimeZone { didSet { slots = Self.slots(of: sessions, minutes: slotMinutes, in: timeZone) } }
    /// Length of one meeting slot, in minutes.
    public var slotMinutes: Int { didSet { slots = Self.slots(of: sessions, minutes: slotMinutes, in: timeZone) } }
    /// The sessions in which meetings take place, in time order.
    public var sessions: [Session] { didSet { slots = Self.slots(of: sessions, minutes: slotMinutes, in: timeZone) } }
    public var tables: [Table]
    public var roles: [RoleDefinition]
    public var meetPolicy: MeetPolicy
    public var categories: [RegistrationCategory]
    public var topics: [TopicGroup]
    public var registrationWindow: DateInterval
    public var languages: [Language]
    public var requestRules: RequestRules
    /// On the day: a participant not checked in this many minutes before their first
    /// meeting shows on the organisers' live page as putting it at risk
    /// (`schedule.atRiskMinutes` in the event file).
    public var atRiskMinutes: Int = EventDefinition.defaultAtRiskMinutes

    /// Long enough to find someone in the hall or on the phone before the meeting starts.
    public static let defaultAtRiskMinutes = 15

    public init(
        id: EventID, name: LocalizedText, venue: Venue, timeZone: TimeZone, slotMinutes: Int,
        sessions: [Session], tables: [Table], roles: [RoleDefinition], meetPolicy: MeetPolicy,
        categories: [RegistrationCategory], topics: [TopicGroup], registrationWindow: DateInterval,
        languages: [Language], requestRules: RequestRules
    ) {
        self.id = id
        self.name = name
        self.venue = venue
        self.timeZone = timeZone
        self.slotMinutes = slotMinutes
        self.sessions = sessions
        self.tables = tables
        self.roles = roles
        self.meetPolicy = meetPolicy
        self.categories = categories
        self.topics = topics
        self.registrationWindow = registrationWindow
        self.languages = languages
        self.requestRules = requestRules
        slots = Self.slots(of: sessions, minutes: slotMinutes, in: timeZone)
    }

    /// Every meeting slot of the event, in time order: each session cut into
    /// consecutive slots of `slotMinutes`; a remainder shorter than a slot is dropped.
    /// Slot ids read as the day of the event and the local start time: `d1-0900`.
    /// Kept up to date when the sessions, the slot length or the time zone change.
    public private(set) var slots: [Slot] = []

    private static func slots(of sessions: [Session], minutes slotMinutes: Int, in timeZone: TimeZone) -> [Slot] {
        let calendar = Calendar.gregorian(in: timeZone)
        var dayNumbers: [DateComponents: Int] = [:]
        var result: [Slot] = []
        for session in sessions.sorted(by: { $0.start < $1.start }) {
            var start = session.start
            while let end = calendar.date(byAdding: .minute, value: slotMinutes, to: start),
                end <= session.end
            {
                let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: start)
                let day = DateComponents(year: parts.year, month: parts.month, day: parts.day)
                let dayNumber = dayNumbers[day] ?? (dayNumbers.count + 1)
                dayNumbers[day] = dayNumber
                let id = SlotID(
                    "d\(dayNumber)-" + String(format: "%02d%02d", parts.hour ?? 0, parts.minute ?? 0))
                result.append(Slot(id: id, start: start, end: end, session: session.id))
                start = end
            }
        }
        return result
    }

    /// All topics of the taxonomy, flattened.
    public var allTopics: [Topic] { topics.flatMap(\.topics) }

    /// The role definition for a role name, if the event has it.
    public func role(_ role: Role) -> RoleDefinition? { roles.first { $0.role == role } }

    /// The category with this id, if any.
    public func category(_ id: CategoryID) -> RegistrationCategory? {
        categories.first { $0.id == id }
    }
}

/// Where the event takes place.
public struct Venue: Sendable, Hashable {
    public var name: String
    public var address: String
    public var city: String

    public init(name: String, address: String, city: String) {
        self.name = name
        self.address = address
        self.city = city
    }
}

/// A block of consecutive meeting slots (a morning, an afternoon).
public struct Session: Sendable, Hashable {
    public var id: String
    public var name: LocalizedText
    public var start: Date
    public var end: Date

    public init(id: String, name: LocalizedText, start: Date, end: Date) {
        self.id = id
        self.name = name
        self.start = start
        self.end = end
    }
}

/// One meeting slot.
public struct Slot: Sendable, Hashable, Identifiable {
    public var id: SlotID
    public var start: Date
    public var end: Date
    /// The session the slot belongs to.
    public var session: String

    public init(id: SlotID, start: Date, end: Date, session: String) {
        self.id = id
        self.start = start
        self.end = end
        self.session = session
    }
}

/// A meeting table.
public struct Table: Sendable, Hashable, Identifiable {
    public var id: TableID
    public var name: String

    public init(id: TableID, name: String) {
        self.id = id
        self.name = name
    }
}

/// A role as the event presents it.
public struct RoleDefinition: Sendable, Hashable {
    public var role: Role
    public var name: LocalizedText
    /// Whether registrations of this role wait for an organiser's approval.
    public var requiresApproval: Bool

    public init(role: Role, name: LocalizedText, requiresApproval: Bool) {
        self.role = role
        self.name = name
        self.requiresApproval = requiresApproval
    }
}

/// A registration category with its capacity (seats); full categories keep a waiting list.
public struct RegistrationCategory: Sendable, Hashable, Identifiable {
    public var id: CategoryID
    public var role: Role
    public var name: LocalizedText
    public var capacity: Int

    public init(id: CategoryID, role: Role, name: LocalizedText, capacity: Int) {
        self.id = id
        self.role = role
        self.name = name
        self.capacity = capacity
    }
}

/// A group of the topic taxonomy (diseases, modalities, ...).
public struct TopicGroup: Sendable, Hashable {
    public var id: String
    public var name: LocalizedText
    public var topics: [Topic]

    public init(id: String, name: LocalizedText, topics: [Topic]) {
        self.id = id
        self.name = name
        self.topics = topics
    }
}

/// One topic of the taxonomy.
public struct Topic: Sendable, Hashable, Identifiable {
    public var id: TopicID
    public var name: LocalizedText

    public init(id: TopicID, name: LocalizedText) {
        self.id = id
        self.name = name
    }
}

/// The rules for meeting requests.
public struct RequestRules: Sendable, Hashable {
    /// How many requests one participant may have open at once.
    public var maxOpenRequests: Int
    /// Whether a request must be accepted by its recipient before it is scheduled.
    public var acceptanceRequired: Bool
    /// The meeting cap of a participant who states none.
    public var defaultMaxMeetings: Int
    /// Scheduler weight of each priority (1 = most wanted).
    public var priorityWeights: [Int: Int]

    public init(
        maxOpenRequests: Int, acceptanceRequired: Bool, defaultMaxMeetings: Int,
        priorityWeights: [Int: Int] = [1: 3, 2: 2, 3: 1]
    ) {
        self.maxOpenRequests = maxOpenRequests
        self.acceptanceRequired = acceptanceRequired
        self.defaultMaxMeetings = defaultMaxMeetings
        self.priorityWeights = priorityWeights
    }
}
