import Foundation
import PartneringCore

extension InMemoryRepositories: RegistrationRepository {
    public func register(
        _ draft: ParticipantDraft, capacity: Int, awaitingApproval: Bool,
        followUp: @escaping @Sendable (RegistrationOutcome) -> FollowUp
    ) async throws -> RegistrationOutcome {
        try atomically {
            let outcome = try storeRegistration(draft, capacity: capacity, awaitingApproval: awaitingApproval)
            try apply(followUp(outcome))
            return outcome
        }
    }

    private func storeRegistration(_ draft: ParticipantDraft, capacity: Int, awaitingApproval: Bool) throws
        -> RegistrationOutcome
    {
        if awaitingApproval {
            return RegistrationOutcome(
                participant: try store(draft, status: .pending).participant, waitlistPosition: nil)
        }
        if confirmedCount(in: draft.category) < capacity {
            return RegistrationOutcome(
                participant: try store(draft, status: .confirmed).participant, waitlistPosition: nil)
        }
        let rank = nextWaitlistRank(in: draft.category)
        let stored = try store(draft, status: .waitlisted, waitlistRank: rank)
        return RegistrationOutcome(
            participant: stored.participant, waitlistPosition: position(of: stored))
    }

    public func approve(
        _ id: ParticipantID, capacity: Int, followUp: @escaping @Sendable (RegistrationOutcome) -> FollowUp
    ) async throws -> RegistrationOutcome {
        try atomically {
            let outcome = try storeApproval(id, capacity: capacity)
            try apply(followUp(outcome))
            return outcome
        }
    }

    private func storeApproval(_ id: ParticipantID, capacity: Int) throws -> RegistrationOutcome {
        guard var stored = participants[id] else { throw RepositoryError.participantNotFound(id) }
        guard stored.participant.status == .pending else {
            throw RepositoryError.invalidTransition(id, from: stored.participant.status, to: .confirmed)
        }
        if confirmedCount(in: stored.participant.category) < capacity {
            stored.participant.status = .confirmed
            participants[id] = stored
            return RegistrationOutcome(participant: stored.participant, waitlistPosition: nil)
        }
        stored.participant.status = .waitlisted
        stored.waitlistRank = nextWaitlistRank(in: stored.participant.category)
        participants[id] = stored
        return RegistrationOutcome(participant: stored.participant, waitlistPosition: position(of: stored))
    }

    public func cancel(
        _ id: ParticipantID, capacity: Int, followUp: @escaping @Sendable (SeatRelease) -> FollowUp
    ) async throws -> SeatRelease {
        try atomically {
            let release = try release(id, to: .cancelled, capacity: capacity)
            try apply(followUp(release))
            return release
        }
    }

    public func reject(
        _ id: ParticipantID, capacity: Int, followUp: @escaping @Sendable (SeatRelease) -> FollowUp
    ) async throws -> SeatRelease {
        try atomically {
            let release = try release(id, to: .rejected, capacity: capacity)
            try apply(followUp(release))
            return release
        }
    }

    public func promoteWaitlisted(
        category: CategoryID, capacity: Int, followUp: @escaping @Sendable ([Participant]) -> FollowUp
    ) async throws -> [Participant] {
        try atomically {
            let promoted = promote(in: category, capacity: capacity)
            try apply(followUp(promoted))
            return promoted
        }
    }

    public func waitlistPosition(of id: ParticipantID) async throws -> Int? {
        guard let stored = participants[id] else { throw RepositoryError.participantNotFound(id) }
        return position(of: stored)
    }

    private func release(_ id: ParticipantID, to status: RegistrationStatus, capacity: Int) throws
        -> SeatRelease
    {
        guard var stored = participants[id] else { throw RepositoryError.participantNotFound(id) }
        let from = stored.participant.status
        guard from == .pending || from == .confirmed || from == .waitlisted else {
            throw RepositoryError.invalidTransition(id, from: from, to: status)
        }
        stored.participant.status = status
        participants[id] = stored
        return SeatRelease(
            participant: stored.participant,
            promoted: promote(in: stored.participant.category, capacity: capacity))
    }

    private func promote(in category: CategoryID, capacity: Int) -> [Participant] {
        let free = capacity - confirmedCount(in: category)
        guard free > 0 else { return [] }
        let line = waitlist(of: category).prefix(free)
        return line.map { stored in
            var promoted = stored
            promoted.participant.status = .confirmed
            participants[stored.participant.id] = promoted
            return promoted.participant
        }
    }

    private func confirmedCount(in category: CategoryID) -> Int {
        participants.values.count {
            $0.participant.category == category && $0.participant.status == .confirmed
        }
    }

    private func waitlist(of category: CategoryID) -> [StoredParticipant] {
        participants.values
            .filter { $0.participant.category == category && $0.participant.status == .waitlisted }
            .sorted { ($0.waitlistRank ?? 0) < ($1.waitlistRank ?? 0) }
    }

    private func nextWaitlistRank(in category: CategoryID) -> Int {
        let ranks = participants.values.filter { $0.participant.category == category }
            .compactMap(\.waitlistRank)
        return (ranks.max() ?? 0) + 1
    }

    private func position(of stored: StoredParticipant) -> Int? {
        guard stored.participant.status == .waitlisted, let rank = stored.waitlistRank else {
            return nil
        }
        return waitlist(of: stored.participant.category).count { ($0.waitlistRank ?? 0) <= rank }
    }
}
