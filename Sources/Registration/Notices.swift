import Foundation
import PartneringCore

/// Something an attendee must be told by e-mail. The service decides what happened;
/// a ``Notifier`` writes the message (the server's writes it to the mail outbox).
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
    case requestReceived(MeetingRequest, from: Participant, to: Participant, requestsURL: String)
    case requestAccepted(MeetingRequest, from: Participant, to: Participant, requestsURL: String)
    case requestDeclined(MeetingRequest, from: Participant, to: Participant, requestsURL: String)

    /// The participant the message goes to.
    public var recipient: Participant {
        switch self {
        case .registrationReceived(let participant, _), .registrationConfirmed(let participant, _, _),
            .accessLink(let participant, _, _, _), .waitlistPromoted(let participant, _),
            .registrationCancelled(let participant, _):
            participant
        case .requestReceived(_, _, let to, _): to
        case .requestAccepted(_, let from, _, _), .requestDeclined(_, let from, _, _): from
        }
    }
}

/// Sends notices. Implementations must not fail the operation that caused the notice:
/// they report their own errors (to a log) and keep going.
public protocol Notifier: Sendable {
    func send(_ notice: Notice) async
}

/// A notifier that keeps the notices in memory: for tests and for tools that print them.
public actor NoticeLog: Notifier {
    public private(set) var notices: [Notice] = []

    public init() {}

    public func send(_ notice: Notice) async { notices.append(notice) }

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
    /// A ticket for a confirmed participant. The id is derived from the participant
    /// (`ticketID`), so issuing twice gives the same id and revocation needs no lookup.
    func issue(for participant: Participant, ticketID: [UInt8]) async throws -> IssuedTicketText
    /// Revokes the ticket with this id (a cancelled or rejected registration).
    func revoke(ticketID: [UInt8]) async throws
}
