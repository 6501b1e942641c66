import Foundation

/// Where a registration stands.
public enum RegistrationStatus: String, Sendable, Codable, CaseIterable, Hashable {
    /// Waiting for an organiser's approval.
    case pending
    /// Has a seat (and a ticket).
    case confirmed
    /// The category was full: in line for a freed seat.
    case waitlisted
    /// Refused by an organiser.
    case rejected
    /// Cancelled by the attendee or an organiser; the seat is free again.
    case cancelled

    /// Whether the participant takes part in meetings.
    public var isActive: Bool { self == .confirmed }
}

/// An attendee: a company delegate or an academic expert.
public struct Participant: Sendable, Hashable, Identifiable {
    public var id: ParticipantID
    /// A short sequential number, printed on badges and carried by tickets.
    public var number: Int
    public var role: Role
    public var category: CategoryID
    public var status: RegistrationStatus
    public var name: String
    public var email: String
    public var organisation: String
    public var jobTitle: String
    /// ISO 3166-1 alpha-2 country code.
    public var country: String
    public var phone: String?
    public var topics: [TopicID]
    public var profile: String
    /// The slots the participant can meet in; `nil` means all of them.
    public var availability: [SlotID]?
    /// The most meetings the participant wishes; `nil` means the event's default.
    public var maxMeetings: Int?
    public var language: Language
    /// Whether the participant agreed to be listed in the directory.
    public var listedInDirectory: Bool
    /// A host table (own booth): all of the participant's meetings take place there.
    public var hostTable: TableID?
    public var registeredAt: Date

    public init(
        id: ParticipantID, number: Int, role: Role, category: CategoryID,
        status: RegistrationStatus, name: String, email: String, organisation: String,
        jobTitle: String, country: String, phone: String? = nil, topics: [TopicID],
        profile: String, availability: [SlotID]? = nil, maxMeetings: Int? = nil,
        language: Language, listedInDirectory: Bool, hostTable: TableID? = nil, registeredAt: Date
    ) {
        self.id = id
        self.number = number
        self.role = role
        self.category = category
        self.status = status
        self.name = name
        self.email = email
        self.organisation = organisation
        self.jobTitle = jobTitle
        self.country = country
        self.phone = phone
        self.topics = topics
        self.profile = profile
        self.availability = availability
        self.maxMeetings = maxMeetings
        self.language = language
        self.listedInDirectory = listedInDirectory
        self.hostTable = hostTable
        self.registeredAt = registeredAt
    }
}
