import Foundation
import PartneringCore

extension InMemoryRepositories: ParticipantRepository {
    public func insert(_ draft: ParticipantDraft, status: RegistrationStatus) async throws -> Participant {
        try store(draft, status: status).participant
    }

    public func update(_ participant: Participant, followUp: FollowUp) async throws -> Participant {
        guard var stored = participants[participant.id] else {
            throw RepositoryError.participantNotFound(participant.id)
        }
        guard stored.participant.status == participant.status else {
            throw RepositoryError.statusChangeRequiresRegistrationOperation(participant.id)
        }
        try checkEmailIsFree(participant.email, for: participant.id)
        var updated = participant
        updated.number = stored.participant.number
        stored.participant = updated
        try atomically {
            participants[participant.id] = stored
            try apply(followUp)
        }
        return updated
    }

    public func find(id: ParticipantID) async throws -> Participant? {
        participants[id]?.participant
    }

    public func find(ids: [ParticipantID]) async throws -> [ParticipantID: Participant] {
        ids.reduce(into: [:]) { found, id in found[id] = participants[id]?.participant }
    }

    public func find(email: String) async throws -> Participant? {
        let key = SearchText.emailKey(email)
        return participants.values.first { SearchText.emailKey($0.participant.email) == key }?
            .participant
    }

    public func find(number: Int) async throws -> Participant? {
        participants.values.first { $0.participant.number == number }?.participant
    }

    public func list(_ filter: ParticipantFilter) async throws -> [Participant] {
        let matching = participants.values.map(\.participant).filter(filter.matches)
            .sorted { $0.number < $1.number }
        let page = matching.dropFirst(max(0, filter.offset))
        if let limit = filter.limit { return Array(page.prefix(max(0, limit))) }
        return Array(page)
    }

    public func count(_ filter: ParticipantFilter) async throws -> Int {
        participants.values.count { filter.matches($0.participant) }
    }

    public func countsByCategory() async throws -> [CategoryID: StatusCounts] {
        var counts: [CategoryID: StatusCounts] = [:]
        for stored in participants.values {
            counts[stored.participant.category, default: [:]][stored.participant.status, default: 0] += 1
        }
        return counts
    }

    public func delete(id: ParticipantID, followUp: FollowUp) async throws {
        guard participants[id] != nil else { throw RepositoryError.participantNotFound(id) }
        // The follow-up first: it is what can fail (a notice id taken), and nothing is erased then.
        try atomically { try apply(followUp) }
        participants[id] = nil
        let erased = requests.values.filter { $0.from == id || $0.to == id }.map(\.id)
        for requestID in erased { requests[requestID] = nil }
        requestOrder.removeAll { requests[$0] == nil }
        calendarFeeds[id] = nil
        absences[id] = nil
        meetingFeedback = meetingFeedback.filter { $0.key.author != id && $0.key.counterpart != id }
    }

    /// Stores a new participant with the next number; the caller decided the status.
    func store(_ draft: ParticipantDraft, status: RegistrationStatus, waitlistRank: Int? = nil) throws
        -> StoredParticipant
    {
        guard participants[draft.id] == nil else {
            throw RepositoryError.duplicateID(draft.id.rawValue)
        }
        try checkEmailIsFree(draft.email, for: draft.id)
        lastParticipantNumber += 1
        let stored = StoredParticipant(
            participant: draft.participant(number: lastParticipantNumber, status: status),
            waitlistRank: waitlistRank)
        participants[draft.id] = stored
        return stored
    }

    private func checkEmailIsFree(_ email: String, for id: ParticipantID) throws {
        let key = SearchText.emailKey(email)
        if let other = participants.values.first(where: {
            $0.participant.id != id && SearchText.emailKey($0.participant.email) == key
        }) {
            throw RepositoryError.duplicateEmail(email, existing: other.participant.id)
        }
    }
}
