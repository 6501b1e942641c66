import Foundation

/// Everything about a new participant except what the store assigns: the
/// sequential number and, for registrations, the status.
public struct ParticipantDraft: Sendable, Hashable {
    public var id: ParticipantID
    public var role: Role
    public var category: CategoryID
    public var name: String
    public var email: String
    public var organisation: String
    public var jobTitle: String
    public var country: String
    public var phone: String?
    public var topics: [TopicID]
    public var profile: String
    public var availability: [SlotID]?
    public var maxMeetings: Int?
    public var language: Language
    public var listedInDirectory: Bool
    public var hostTable: TableID?
    public var registeredAt: Date

    public init(
        id: ParticipantID, role: Role, category: CategoryID, name: String, email: String,
        organisation: String, jobTitle: String, country: String, phone: String? = nil,
        topics: [TopicID], profile: String, availability: [SlotID]? = nil, maxMeetings: Int? = nil,
        language: Language, listedInDirectory: Bool, hostTable: TableID? = nil, registeredAt: Date
    ) {
        self.id = id
        self.role = role
        self.category = category
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

    /// The participant this draft becomes once the store assigned number and status.
    public func participant(number: Int, status: RegistrationStatus) -> Participant {
        Participant(
            id: id, number: number, role: role, category: category, status: status, name: name,
            email: email, organisation: organisation, jobTitle: jobTitle, country: country,
            phone: phone, topics: topics, profile: profile, availability: availability,
            maxMeetings: maxMeetings, language: language, listedInDirectory: listedInDirectory,
            hostTable: hostTable, registeredAt: registeredAt)
    }
}

/// Which participants to list. Every criterion that is set must hold; results
/// come in participant-number order, `offset` and `limit` page through them.
public struct ParticipantFilter: Sendable, Hashable {
    public var role: Role?
    /// Any of these statuses; `nil` means every status.
    public var statuses: Set<RegistrationStatus>?
    public var category: CategoryID?
    /// Words searched, case- and accent-insensitively, in name, organisation and profile;
    /// every word must occur.
    public var text: String?
    public var topic: TopicID?
    /// ISO 3166-1 alpha-2 code, compared case-insensitively.
    public var country: String?
    public var listedInDirectory: Bool?
    public var limit: Int?
    public var offset: Int

    public init(
        role: Role? = nil, statuses: Set<RegistrationStatus>? = nil, category: CategoryID? = nil,
        text: String? = nil, topic: TopicID? = nil, country: String? = nil,
        listedInDirectory: Bool? = nil, limit: Int? = nil, offset: Int = 0
    ) {
        self.role = role
        self.statuses = statuses
        self.category = category
        self.text = text
        self.topic = topic
        self.country = country
        self.listedInDirectory = listedInDirectory
        self.limit = limit
        self.offset = offset
    }

    /// Every participant.
    public static let all = ParticipantFilter()

    /// The folded search words of `text`.
    public var searchWords: [String] {
        guard let text else { return [] }
        return SearchText.fold(text).split(separator: " ").map(String.init)
    }

    /// Whether `participant` meets every criterion (paging aside).
    public func matches(_ participant: Participant) -> Bool {
        if let role, participant.role != role { return false }
        if let statuses, !statuses.contains(participant.status) { return false }
        if let category, participant.category != category { return false }
        if let topic, !participant.topics.contains(topic) { return false }
        if let country, participant.country.uppercased() != country.uppercased() { return false }
        if let listedInDirectory, participant.listedInDirectory != listedInDirectory { return false }
        let words = searchWords
        if !words.isEmpty {
            let haystack = SearchText.of(participant)
            if !words.allSatisfy({ haystack.contains($0) }) { return false }
        }
        return true
    }
}

/// Registration counts of one category, per status.
public typealias StatusCounts = [RegistrationStatus: Int]

/// The participants of the event.
///
/// Statuses that take or free a seat change only through ``RegistrationRepository``;
/// this repository stores everything else about a participant.
public protocol ParticipantRepository: Sendable {
    /// Stores a participant with the next sequential number and the given status,
    /// without any capacity check (imports, demo data). Registrations go through
    /// ``RegistrationRepository/register(_:capacity:awaitingApproval:)``.
    /// Throws ``RepositoryError/duplicateEmail(_:existing:)`` or ``RepositoryError/duplicateID(_:)``.
    func insert(_ draft: ParticipantDraft, status: RegistrationStatus) async throws -> Participant

    /// Replaces the stored participant's details (all but number and status) and
    /// returns what is stored. Throws ``RepositoryError/participantNotFound(_:)``,
    /// ``RepositoryError/duplicateEmail(_:existing:)`` or
    /// ``RepositoryError/statusChangeRequiresRegistrationOperation(_:)``. `followUp` (the
    /// change's audit entry) commits with it, in its transaction.
    func update(_ participant: Participant, followUp: FollowUp) async throws -> Participant

    func find(id: ParticipantID) async throws -> Participant?
    /// Those of `ids` that exist, by id (one statement for a batch, such as the notices a
    /// dispatcher writes at once).
    func find(ids: [ParticipantID]) async throws -> [ParticipantID: Participant]
    /// Finds by e-mail address, case-insensitively.
    func find(email: String) async throws -> Participant?
    func find(number: Int) async throws -> Participant?

    /// The participants matching `filter`, in number order.
    func list(_ filter: ParticipantFilter) async throws -> [Participant]
    /// How many participants match `filter` (paging ignored).
    func count(_ filter: ParticipantFilter) async throws -> Int
    /// How many participants each category has in each status; statuses without
    /// anyone are absent.
    func countsByCategory() async throws -> [CategoryID: StatusCounts]

    /// Erases a participant and the meeting requests sent or received (GDPR erasure).
    /// Cancel the registration first so that the seat goes to the waiting list. `followUp`
    /// (the erasure's audit entry) commits with it, in its transaction.
    func delete(id: ParticipantID, followUp: FollowUp) async throws
}

extension ParticipantRepository {
    /// Replaces the stored participant's details with nothing else to write (imports, tests).
    public func update(_ participant: Participant) async throws -> Participant {
        try await update(participant, followUp: .none)
    }

    /// Erases a participant with nothing else to write (tests).
    public func delete(id: ParticipantID) async throws {
        try await delete(id: id, followUp: .none)
    }
}
