import Foundation
import PartneringCore
import Synchronization

/// Something an attendee must be told by e-mail, with the records the message needs. The
/// service queues a ``QueuedNotice`` (ids only) with the operation that caused it; the
/// ``NoticeDispatcher`` turns it into this value when it is time to write it.
public enum Notice: Sendable, Hashable {
    /// The registration waits for an organiser's approval.
    case registrationReceived(Participant, accessURL: String)
    /// The registration is confirmed; the ticket goes with it.
    case registrationConfirmed(Participant, ticket: IssuedTicketText, accessURL: String)
    /// A personal access link (magic link).
    case accessLink(Participant, url: String, linkID: String, expiresAt: Date)
    /// A seat was freed and the participant moved up from the waiting list.
    case waitlistPromoted(Participant, accessURL: String)
    /// The registration was cancelled (by the attendee or an organiser).
    case registrationCancelled(Participant, reason: String?)
    /// An organiser refused the registration, with the reason they gave (if any).
    case registrationRejected(Participant, reason: String?)
    case requestReceived(MeetingRequest, from: Participant, to: Participant, requestsURL: String)
    case requestAccepted(MeetingRequest, from: Participant, to: Participant, requestsURL: String)
    case requestDeclined(MeetingRequest, from: Participant, to: Participant, requestsURL: String)
    /// The participant's agenda of a published schedule version, with the changes since
    /// the version published before (`previous`), if any.
    case agenda(Participant, version: Int, previous: Int?)
    /// After the day: a link to the participant's feedback page (signing them in), and how
    /// many meetings they had.
    case feedbackInvitation(Participant, feedbackURL: String, meetingCount: Int)

    /// The participant the message goes to.
    public var recipient: Participant {
        switch self {
        case .registrationReceived(let participant, _), .registrationConfirmed(let participant, _, _),
            .accessLink(let participant, _, _, _), .waitlistPromoted(let participant, _),
            .registrationCancelled(let participant, _), .registrationRejected(let participant, _),
            .agenda(let participant, _, _), .feedbackInvitation(let participant, _, _):
            participant
        case .requestReceived(_, _, let to, _): to
        case .requestAccepted(_, let from, _, _), .requestDeclined(_, let from, _, _): from
        }
    }
}

/// Writes notices (the server's writes e-mails into the mail outbox).
public protocol Notifier: Sendable {
    /// Writes `notices`, returning once they are durable; throws when they could not be
    /// written (they are tried again). Writing the same notice twice must yield one
    /// message. A notice that can never be written (an address the mail layer refuses) is
    /// reported by the notifier and skipped, not thrown.
    func deliver(_ notices: [Notice]) async throws
}

/// A notifier that keeps the notices in memory: for tests and for tools that print them.
public actor NoticeLog: Notifier {
    public private(set) var notices: [Notice] = []

    public init() {}

    public func deliver(_ notices: [Notice]) async throws { self.notices += notices }

    /// The most recent access URL sent to `email`, from any kind of notice that carries one.
    public func lastAccessURL(for email: String) -> String? {
        for notice in notices.reversed() where notice.recipient.email.lowercased() == email.lowercased() {
            switch notice {
            case .accessLink(_, let url, _, _), .registrationReceived(_, let url),
                .registrationConfirmed(_, _, let url), .waitlistPromoted(_, let url):
                return url
            default: continue
            }
        }
        return nil
    }
}

/// Tells a waiting dispatcher that notices were queued, so that it need not wait for its
/// next look at the queue. Cheap to signal: one atomic store.
public final class NoticeSignal: Sendable {
    private let raised = Atomic<Bool>(false)

    public init() {}

    /// Notices were queued.
    public func notify() { raised.store(true, ordering: .releasing) }

    /// Returns when notices were queued since the last call, or after `interval`, or when
    /// the task is cancelled.
    public func wait(upTo interval: Duration) async {
        let clock = ContinuousClock()
        let deadline = clock.now + interval
        while clock.now < deadline, !Task.isCancelled {
            if raised.exchange(false, ordering: .acquiringAndReleasing) { return }
            try? await Task.sleep(for: .milliseconds(20))
        }
    }
}

/// A ticket as the service hands it on: the token to print and its id.
public struct IssuedTicketText: Sendable, Hashable {
    public var ticketID: String
    public var token: String

    public init(ticketID: String, token: String) {
        self.ticketID = ticketID
        self.token = token
    }
}

/// Issues and revokes tickets. The server's implementation signs with the event's
/// Ed25519 key (the Tickets module) and keeps the revocation list in the key folder.
public protocol TicketDesk: Sendable {
    /// What the ticket of a confirmed participant states; the service stores it in the
    /// transaction that confirms the participant. The id is derived from the participant
    /// (``RegistrationService/ticketID(of:)``), so revocation needs no lookup.
    func claims(for participant: Participant, ticketID: TicketID) -> TicketClaims
    /// The printable token of a stored ticket (signing again gives the same token).
    func token(for claims: TicketClaims) throws -> String
    /// The store revoked the ticket with this id (a cancelled or rejected registration):
    /// updates what is kept beside the store (the revocation file).
    func revoke(ticketID: [UInt8]) async throws
}
