import Foundation

/// A ticket as the store keeps it: what it states, whose it is, and whether it
/// still admits (reissuing or cancelling revokes it).
public struct IssuedTicket: Sendable, Hashable {
    public var claims: TicketClaims
    public var participant: ParticipantID
    public var issuedAt: Date
    public var revokedAt: Date?

    public init(claims: TicketClaims, participant: ParticipantID, issuedAt: Date, revokedAt: Date? = nil) {
        self.claims = claims
        self.participant = participant
        self.issuedAt = issuedAt
        self.revokedAt = revokedAt
    }
}

/// The tickets issued to participants, and the revocation list desks receive.
public protocol TicketRepository: Sendable {
    /// Stores a newly issued ticket and, in the same transaction, revokes every
    /// earlier ticket of the participant and appends `audit(revoked)` to the audit log
    /// (when given); returns the ids it revoked.
    func issue(
        _ claims: TicketClaims, to participant: ParticipantID, at time: Date,
        recording audit: (@Sendable ([TicketID]) -> AuditEntry)?
    ) async throws -> [TicketID]
    /// Revokes the participant's tickets (a cancelled registration) and, when it revoked
    /// any, appends `audit(revoked)` in the same transaction (when given); returns the ids
    /// it revoked.
    func revokeAll(
        of participant: ParticipantID, at time: Date, recording audit: (@Sendable ([TicketID]) -> AuditEntry)?
    ) async throws -> [TicketID]
    /// The participant's ticket that still admits, if any.
    func current(of participant: ParticipantID) async throws -> IssuedTicket?
    /// The tickets that still admit of those of `participants` who hold one, by participant.
    func current(of participants: [ParticipantID]) async throws -> [ParticipantID: IssuedTicket]
    func find(_ id: TicketID) async throws -> IssuedTicket?
    /// Every revoked ticket id, sorted.
    func revokedIDs() async throws -> [TicketID]
}

/// One admission at the door.
public struct CheckIn: Sendable, Hashable {
    public var participant: ParticipantID
    public var ticket: TicketID
    /// The desk that scanned the ticket.
    public var desk: String
    /// The scan's nonce, chosen by the desk.
    public var nonce: String
    public var time: Date

    public init(participant: ParticipantID, ticket: TicketID, desk: String, nonce: String, time: Date) {
        self.participant = participant
        self.ticket = ticket
        self.desk = desk
        self.nonce = nonce
        self.time = time
    }
}

/// What recording a scan did.
public struct AdmissionRecord: Sendable, Hashable {
    /// The admission that counts for the participant: this scan's, or the first one.
    public var checkIn: CheckIn
    /// Whether this scan admitted the participant (`false`: already checked in).
    public var admitted: Bool
    /// Whether this scan's nonce was recorded before (a repeated upload): nothing changed.
    public var repeatedScan: Bool

    public init(checkIn: CheckIn, admitted: Bool, repeatedScan: Bool) {
        self.checkIn = checkIn
        self.admitted = admitted
        self.repeatedScan = repeatedScan
    }
}

/// Admissions at the check-in desks: one per participant, however many desks scan
/// at once, and each scan (by its nonce) counted once, however often it is uploaded.
public protocol CheckInRepository: Sendable {
    /// Records a scan of a verified ticket, atomically per participant, with the follow-up
    /// (the scan's audit entry) of what it recorded, in its transaction. The caller checked
    /// the ticket (signature, revocation, validity) before.
    /// Throws ``RepositoryError/participantNotFound(_:)``.
    func admit(
        participant: ParticipantID, ticket: TicketID, desk: String, nonce: String, at time: Date,
        followUp: @escaping @Sendable (AdmissionRecord) -> FollowUp
    ) async throws -> AdmissionRecord
    /// The participant's admission, if they arrived.
    func checkIn(of participant: ParticipantID) async throws -> CheckIn?
    /// Every admission, in arrival order.
    func checkIns() async throws -> [CheckIn]
}

extension CheckInRepository {
    /// Records a scan with nothing else to write (tests, imports).
    public func admit(
        participant: ParticipantID, ticket: TicketID, desk: String, nonce: String, at time: Date
    ) async throws -> AdmissionRecord {
        try await admit(participant: participant, ticket: ticket, desk: desk, nonce: nonce, at: time) { _ in .none }
    }
}

extension TicketRepository {
    /// Stores a newly issued ticket, revoking the participant's earlier ones; no audit entry.
    public func issue(_ claims: TicketClaims, to participant: ParticipantID, at time: Date) async throws
        -> [TicketID]
    {
        try await issue(claims, to: participant, at: time, recording: nil)
    }

    /// Revokes the participant's tickets; no audit entry.
    public func revokeAll(of participant: ParticipantID, at time: Date) async throws -> [TicketID] {
        try await revokeAll(of: participant, at: time, recording: nil)
    }
}
