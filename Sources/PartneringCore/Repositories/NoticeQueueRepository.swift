import Foundation

/// A notice waiting in the store to become an e-mail: what happened and to whom, by
/// reference (ids, not records), so that queuing it is one small row written in the
/// transaction of the operation that caused it. A dispatcher reads the records when it
/// writes the message.
public struct QueuedNotice: Sendable, Hashable {
    /// What the message is about.
    public enum Kind: String, Sendable, CaseIterable {
        case registrationReceived = "registration-received"
        case registrationConfirmed = "registration-confirmed"
        case accessLink = "access-link"
        case waitlistPromoted = "waitlist-promoted"
        case registrationCancelled = "registration-cancelled"
        /// An organiser refused the registration; `detail` is the reason given, if any.
        case registrationRejected = "registration-rejected"
        case requestReceived = "request-received"
        case requestAccepted = "request-accepted"
        case requestDeclined = "request-declined"
        /// The participant's agenda of a published schedule version (`reference`), with the
        /// changes since the version published before it (`detail`), if any.
        case agenda
        /// After the day: "how did your meetings go?", with the number of meetings the
        /// participant had (`detail`).
        case feedbackInvitation = "feedback-invitation"
    }

    /// Unique; also the cause of messages that have no natural one (access links), so that
    /// writing the same queued notice twice yields one message.
    public var id: String
    public var kind: Kind
    /// Whom the message goes to.
    public var participant: ParticipantID
    /// The meeting request the message is about, for the request kinds; the schedule
    /// version, for agendas.
    public var reference: String?
    /// A free text that goes into the message (a cancellation's reason), the version
    /// published before (agendas), or the page of this site an access link leads back to.
    public var detail: String?
    public var queuedAt: Date

    public init(
        id: String, kind: Kind, participant: ParticipantID, reference: String? = nil, detail: String? = nil,
        queuedAt: Date
    ) {
        self.id = id
        self.kind = kind
        self.participant = participant
        self.reference = reference
        self.detail = detail
        self.queuedAt = queuedAt
    }
}

/// A ticket revocation that commits with an operation; `audit` describes the revoked ids.
public struct TicketRevocation: Sendable {
    public var participant: ParticipantID
    public var time: Date
    public var audit: @Sendable ([TicketID]) -> AuditEntry

    public init(participant: ParticipantID, at time: Date, audit: @escaping @Sendable ([TicketID]) -> AuditEntry) {
        self.participant = participant
        self.time = time
        self.audit = audit
    }
}

/// An idempotency key whose operation completes in the operation's own transaction.
public struct IdempotencyCompletion: Sendable, Hashable {
    public var key: String
    public var scope: String
    public var response: String
    public var entityID: String?

    public init(key: String, scope: String, response: String, entityID: String?) {
        self.key = key
        self.scope = scope
        self.response = response
        self.entityID = entityID
    }
}

/// What must commit in the same transaction as an operation, or not at all: the tickets it
/// issues (the participant holds no other valid ticket) or revokes, its audit entries, the
/// notices it promises and the idempotency key it completes. A seat is then never held
/// without its ticket, and an acknowledged operation never without its e-mail.
public struct FollowUp: Sendable {
    public var tickets: [IssuedTicket]
    public var revocations: [TicketRevocation]
    public var auditEntries: [AuditEntry]
    public var notices: [QueuedNotice]
    public var completion: IdempotencyCompletion?

    public init(
        tickets: [IssuedTicket] = [], revocations: [TicketRevocation] = [], auditEntries: [AuditEntry] = [],
        notices: [QueuedNotice] = [], completion: IdempotencyCompletion? = nil
    ) {
        self.tickets = tickets
        self.revocations = revocations
        self.auditEntries = auditEntries
        self.notices = notices
        self.completion = completion
    }

    /// Nothing to do.
    public static let none = FollowUp()

    /// Adds what `other` does after what this one does.
    public mutating func add(_ other: FollowUp) {
        tickets += other.tickets
        revocations += other.revocations
        auditEntries += other.auditEntries
        notices += other.notices
        completion = other.completion ?? completion
    }
}

/// The store's queue of notices (the transactional outbox): operations add to it in their
/// own transaction (``FollowUp``); dispatchers, in any process, claim due notices for a
/// lease, write them, then mark them sent. A notice whose dispatcher died is due again
/// when its lease ends, so each is written at least once, and the outbox's idempotency per
/// cause makes it exactly once.
public protocol NoticeQueueRepository: Sendable {
    /// Writes, in a transaction of its own, what follows no state change of the store: the
    /// notices of access links, the feedback invitations with their audit entry.
    func record(_ followUp: FollowUp) async throws
    /// Takes up to `limit` due notices, oldest first, and leases them until `leaseEnd`:
    /// nobody else gets them before. Due: never claimed, or their lease ended before `now`.
    func claim(limit: Int, now: Date, leaseEnd: Date) async throws -> [QueuedNotice]
    /// Removes notices that were written.
    func markSent(_ ids: [String]) async throws
    /// Ends the lease of claimed notices that were not written (a dispatcher that stops
    /// mid-batch): they are due again at once, for this process or another.
    func release(_ ids: [String]) async throws
    /// Notices not written yet, claimed or not.
    func pendingCount() async throws -> Int
}

extension NoticeQueueRepository {
    /// Queues notices in a transaction of their own (``record(_:)`` with notices only).
    public func enqueue(_ notices: [QueuedNotice]) async throws {
        try await record(FollowUp(notices: notices))
    }
}
