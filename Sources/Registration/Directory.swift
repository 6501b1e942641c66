import Foundation
import PartneringCore

/// A search of the directory: words, and filters by topic, country and role.
public struct DirectoryQuery: Sendable, Hashable {
    public var text: String
    public var topic: String
    public var country: String
    public var role: String
    public var page: Int

    public init(text: String = "", topic: String = "", country: String = "", role: String = "", page: Int = 1) {
        self.text = text
        self.topic = topic
        self.country = country
        self.role = role
        self.page = min(max(Self.pages.lowerBound, page), Self.pages.upperBound)
    }

    public static let pageSize = 25

    /// The pages a query may ask for: far beyond any event (25 million entries), small
    /// enough that the offset `(page - 1) * pageSize` never overflows. Callers refuse a page
    /// outside this range with a field error; the initialiser clamps as a last guard.
    public static let pages = 1...1_000_000
}

/// One page of directory results.
public struct DirectoryPage: Sendable, Hashable {
    public var participants: [Participant]
    public var total: Int
    public var page: Int
    public var pageCount: Int
}

extension RegistrationService {
    /// The directory `viewer` may browse: confirmed participants of the roles they may
    /// meet who agreed to be listed, matching `query`, in number order.
    /// - Throws: `Refusal.registrationNotActive` unless `viewer` is confirmed: pending,
    ///   waiting, rejected and cancelled registrations see no one's profile.
    public func directory(for viewer: Participant, query: DirectoryQuery) async throws -> DirectoryPage {
        guard viewer.status == .confirmed else { throw Refusal.registrationNotActive }
        let counterparts = event.meetPolicy.counterparts(of: viewer.role)
        var roles = counterparts.sorted()
        if !query.role.isEmpty { roles = roles.filter { $0.rawValue == query.role } }
        var filter = ParticipantFilter(
            statuses: [.confirmed], text: query.text.isEmpty ? nil : query.text,
            topic: query.topic.isEmpty ? nil : TopicID(query.topic),
            country: query.country.isEmpty ? nil : query.country, listedInDirectory: true)
        // One role (the usual case: companies see experts) is filtered and paged by the store.
        guard roles.count == 1, let role = roles.first else {
            var all: [Participant] = []
            for role in roles {
                filter.role = role
                all += try await repositories.participants.list(filter)
            }
            all.removeAll { $0.id == viewer.id }
            all.sort { $0.number < $1.number }
            let start = (query.page - 1) * DirectoryQuery.pageSize
            let slice = start < all.count ? Array(all[start..<min(all.count, start + DirectoryQuery.pageSize)]) : []
            return DirectoryPage(
                participants: slice, total: all.count, page: query.page,
                pageCount: max(1, (all.count + DirectoryQuery.pageSize - 1) / DirectoryQuery.pageSize))
        }
        filter.role = role
        let total = try await repositories.participants.count(filter)
        filter.limit = DirectoryQuery.pageSize
        filter.offset = (query.page - 1) * DirectoryQuery.pageSize
        let found = try await repositories.participants.list(filter).filter { $0.id != viewer.id }
        return DirectoryPage(
            participants: found, total: total, page: query.page,
            pageCount: max(1, (total + DirectoryQuery.pageSize - 1) / DirectoryQuery.pageSize))
    }

    /// A directory entry `viewer` may see: listed, confirmed, of a role they may meet.
    public func directoryEntry(_ id: ParticipantID, for viewer: Participant) async throws -> Participant {
        guard viewer.status == .confirmed else { throw Refusal.registrationNotActive }
        guard let participant = try await repositories.participants.find(id: id), participant.id != viewer.id,
            participant.status == .confirmed, participant.listedInDirectory,
            event.meetPolicy.allows(viewer.role, participant.role)
        else { throw Refusal.participantNotFound }
        return participant
    }
}
