import Foundation
import PartneringCore

/// The answer to a scanned ticket.
public enum TicketVerdict: Sendable, Hashable {
    /// The ticket admits its holder (unless the desk finds it already checked in).
    case valid(TicketClaims)
    /// The ticket does not admit its holder. The claims are given when the signature and
    /// the event were good (revoked, not yet valid, expired), so the desk can say whose
    /// ticket it is; they are `nil` when the content cannot be trusted.
    case refused(TicketRefusal, TicketClaims?)

    /// `"valid"`, or the refusal's stable code.
    public var code: String {
        switch self {
        case .valid: "valid"
        case .refused(let refusal, _): refusal.code
        }
    }

    /// The refusal, or `nil` for a valid ticket.
    public var refusal: TicketRefusal? {
        if case .refused(let refusal, _) = self { refusal } else { nil }
    }

    /// What the ticket states, when it can be trusted.
    public var claims: TicketClaims? {
        switch self {
        case .valid(let claims): claims
        case .refused(_, let claims): claims
        }
    }
}

/// Checks tickets offline for one event: format, key, signature, event, revocation and
/// validity period, in that order. Cheap to copy and safe to share between tasks; the
/// desk makes a new one when it receives a new key set or revocation list.
public struct TicketVerifier: Sendable {
    public let keys: TicketKeySet
    public let revocations: RevocationList
    public let event: EventID
    /// The current time; injected so tests and replays of offline scans can fix it.
    public let clock: @Sendable () -> Date
    private let eventTag: [UInt8]

    public init(
        keys: TicketKeySet, revocations: RevocationList, event: EventID,
        clock: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.keys = keys
        self.revocations = revocations
        self.event = event
        self.clock = clock
        self.eventTag = TicketLayout.eventTag(of: event)
    }

    /// The verdict on a ticket text. The text must be the ticket as issued (line breaks
    /// around it aside): desks undo keyboard-layout mix-ups first (`CheckIn.ScannedText`).
    public func verify(_ text: String) -> TicketVerdict {
        do {
            return verify(try TicketToken(text: text))
        } catch {
            return .refused(error.refusal, nil)
        }
    }

    /// The verdict on a ticket already taken apart.
    public func verify(_ token: TicketToken) -> TicketVerdict {
        guard let key = keys.key(token.keyID) else { return .refused(.unknownKey, nil) }
        guard key.isValidSignature(token.signature, of: token.signedMessage) else {
            return .refused(.badSignature, nil)
        }
        guard token.eventTag == eventTag else { return .refused(.otherEvent, nil) }
        let claims = token.claims(event: event)
        if revocations.contains(token.ticketID) { return .refused(.revoked, claims) }
        let now = clock()
        if now < claims.notBefore { return .refused(.notYetValid, claims) }
        if now >= claims.expiry { return .refused(.expired, claims) }
        return .valid(claims)
    }
}
