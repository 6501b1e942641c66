import Foundation
import PartneringCore
import Tickets

/// Issues, reissues and revokes participants' tickets in the store, so that desks, the
/// revocation list and the bundle all see the same tickets. Used when a registration is
/// confirmed or cancelled, and by `partnering ticket issue`.
public struct TicketIssuance: Sendable {
    public let issuer: TicketIssuer
    public let event: EventDefinition
    public let participants: any ParticipantRepository
    public let tickets: any TicketRepository
    public let clock: @Sendable () -> Date

    public init(
        issuer: TicketIssuer, event: EventDefinition, participants: any ParticipantRepository,
        tickets: any TicketRepository, clock: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.issuer = issuer
        self.event = event
        self.participants = participants
        self.tickets = tickets
        self.clock = clock
    }

    /// Why a ticket cannot be issued.
    public enum IssuanceError: Error, Sendable, Hashable, CustomStringConvertible {
        case participantNotFound(String)
        case notConfirmed(ParticipantID, RegistrationStatus)
        case signing(String)

        public var description: String {
            switch self {
            case .participantNotFound(let id): "no participant \(id) (give a participant id or number)"
            case .notConfirmed(let id, let status):
                "participant \(id) is \(status.rawValue): only confirmed registrations get a ticket"
            case .signing(let reason): "cannot sign the ticket: \(reason)"
            }
        }
    }

    /// A ticket just issued, and the ids it revoked.
    public struct Issued: Sendable, Hashable {
        public var ticket: TicketIssuer.SignedTicket
        public var participant: Participant
        public var revoked: [TicketID]
    }

    /// When tickets admit: from 6 hours before the first session (doors open early) to
    /// 24 hours after the last one.
    public static func validity(of event: EventDefinition) -> (notBefore: Date, expiry: Date) {
        let start = event.sessions.map(\.start).min() ?? Date()
        let end = event.sessions.map(\.end).max() ?? start
        return (start.addingTimeInterval(-6 * 3600), end.addingTimeInterval(24 * 3600))
    }

    /// Finds a participant by id, or by number when `reference` is all digits.
    public func participant(_ reference: String) async throws -> Participant {
        if let number = Int(reference), let found = try await participants.find(number: number) { return found }
        guard let found = try await participants.find(id: ParticipantID(reference)) else {
            throw IssuanceError.participantNotFound(reference)
        }
        return found
    }

    /// Issues a new ticket to a confirmed participant, revoking every earlier one in the
    /// same store transaction. `ticketID` fixes the id (derived ids); `nil`: a random one.
    public func issue(to participant: Participant, ticketID: TicketID? = nil, actor: String) async throws -> Issued {
        guard participant.status == .confirmed else {
            throw IssuanceError.notConfirmed(participant.id, participant.status)
        }
        let validity = Self.validity(of: event)
        let ticket: TicketIssuer.SignedTicket
        do {
            if let ticketID {
                ticket = try issuer.sign(
                    TicketClaims(
                        ticketID: ticketID, keyID: issuer.key.keyID, event: event.id,
                        participantNumber: participant.number, role: participant.role,
                        notBefore: validity.notBefore, expiry: validity.expiry))
            } else {
                ticket = try issuer.issue(for: participant, notBefore: validity.notBefore, expiry: validity.expiry)
            }
        } catch {
            throw IssuanceError.signing(error.description)
        }
        let now = clock()
        let ticketHex = ticket.claims.ticketID.hex
        let subject = participant.id.rawValue
        // The audit entry goes in with the ticket, in one transaction.
        let revoked = try await tickets.issue(ticket.claims, to: participant.id, at: now) { revoked in
            AuditEntry(
                time: now, actor: actor, action: revoked.isEmpty ? "ticket.issue" : "ticket.reissue",
                subject: subject,
                details: CheckInService.json([
                    "ticket": ticketHex, "revoked": revoked.map(\.hex).joined(separator: ","),
                ]))
        }
        return Issued(ticket: ticket, participant: participant, revoked: revoked)
    }

    /// The participant's current ticket, signed again (Ed25519 signatures are
    /// deterministic: the same token), when the active key signed it; otherwise a new one.
    public func currentOrNew(for participant: Participant, ticketID: TicketID? = nil, actor: String) async throws
        -> TicketIssuer.SignedTicket
    {
        if let current = try await tickets.current(of: participant.id), current.claims.keyID == issuer.key.keyID {
            do { return try issuer.sign(current.claims) } catch { throw IssuanceError.signing(error.description) }
        }
        // A fixed id that the store already knows (revoked since) cannot be issued again.
        let freshID = try await ticketID.asyncFilter { try await tickets.find($0) == nil }
        return try await issue(to: participant, ticketID: freshID, actor: actor).ticket
    }

    /// Revokes every ticket of the participant (a cancelled or rejected registration).
    @discardableResult
    public func revokeAll(of participant: ParticipantID, actor: String) async throws -> [TicketID] {
        let now = clock()
        // The audit entry goes in with the revocations, in one transaction.
        return try await tickets.revokeAll(of: participant, at: now) { revoked in
            AuditEntry(
                time: now, actor: actor, action: "ticket.revoke", subject: participant.rawValue,
                details: CheckInService.json(["revoked": revoked.map(\.hex).joined(separator: ",")]))
        }
    }
}

extension Optional {
    /// The value when it passes the asynchronous `predicate`, else `nil`.
    fileprivate func asyncFilter(_ predicate: (Wrapped) async throws -> Bool) async rethrows -> Wrapped? {
        guard let value = self, try await predicate(value) else { return nil }
        return value
    }
}
