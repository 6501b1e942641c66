import Foundation
import PartneringCore

extension InMemoryRepositories: TicketRepository {
    public func issue(
        _ claims: TicketClaims, to participant: ParticipantID, at time: Date,
        recording audit: (@Sendable ([TicketID]) -> AuditEntry)?
    ) async throws -> [TicketID] {
        guard participants[participant] != nil else { throw RepositoryError.participantNotFound(participant) }
        guard tickets[claims.ticketID] == nil else { throw RepositoryError.duplicateID(claims.ticketID.hex) }
        let revoked = revokeTickets(of: participant, at: time)
        tickets[claims.ticketID] = IssuedTicket(claims: claims, participant: participant, issuedAt: time)
        if let audit { _ = try await append(audit(revoked)) }
        return revoked
    }

    public func revokeAll(
        of participant: ParticipantID, at time: Date, recording audit: (@Sendable ([TicketID]) -> AuditEntry)?
    ) async throws -> [TicketID] {
        let revoked = revokeTickets(of: participant, at: time)
        if let audit, !revoked.isEmpty { _ = try await append(audit(revoked)) }
        return revoked
    }

    public func current(of participant: ParticipantID) async throws -> IssuedTicket? {
        tickets.values.first { $0.participant == participant && $0.revokedAt == nil }
    }

    public func current(of participants: [ParticipantID]) async throws -> [ParticipantID: IssuedTicket] {
        let wanted = Set(participants)
        return tickets.values.filter { wanted.contains($0.participant) && $0.revokedAt == nil }
            .reduce(into: [:]) { found, ticket in found[ticket.participant] = ticket }
    }

    public func find(_ id: TicketID) async throws -> IssuedTicket? { tickets[id] }

    public func revokedIDs() async throws -> [TicketID] {
        tickets.values.filter { $0.revokedAt != nil }.map(\.claims.ticketID).sorted()
    }

    func revokeTickets(of participant: ParticipantID, at time: Date) -> [TicketID] {
        let valid = tickets.values.filter { $0.participant == participant && $0.revokedAt == nil }
        for ticket in valid { tickets[ticket.claims.ticketID]?.revokedAt = time }
        return valid.map(\.claims.ticketID).sorted()
    }
}

extension InMemoryRepositories: CheckInRepository {
    public func admit(
        participant: ParticipantID, ticket: TicketID, desk: String, nonce: String, at time: Date,
        followUp: @escaping @Sendable (AdmissionRecord) -> FollowUp
    ) async throws -> AdmissionRecord {
        guard participants[participant] != nil else { throw RepositoryError.participantNotFound(participant) }
        let repeated = scanNonces.contains(nonce)
        let record =
            arrivals[participant].map {
                AdmissionRecord(checkIn: $0, admitted: $0.nonce == nonce, repeatedScan: repeated)
            }
            ?? AdmissionRecord(
                checkIn: CheckIn(participant: participant, ticket: ticket, desk: desk, nonce: nonce, time: time),
                admitted: true, repeatedScan: repeated)
        // The follow-up first: it is what can fail, and nothing is recorded then.
        try atomically { try apply(followUp(record)) }
        scanNonces.insert(nonce)
        if arrivals[participant] == nil {
            arrivals[participant] = record.checkIn
            arrivalOrder.append(participant)
        }
        return record
    }

    public func checkIn(of participant: ParticipantID) async throws -> CheckIn? { arrivals[participant] }

    public func checkIns() async throws -> [CheckIn] { arrivalOrder.compactMap { arrivals[$0] } }
}
