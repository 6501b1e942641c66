import COpenSSL
import Foundation
import PartneringCore

/// Issues tickets for one event with the active signing key. The registration service
/// calls `issue` when a registration is confirmed and `reissue` when a ticket is sent
/// again; both return the token to put in the e-mail and on the QR code.
public struct TicketIssuer: Sendable {
    public let key: TicketSigningKey
    public let event: EventID

    public init(key: TicketSigningKey, event: EventID) {
        self.key = key
        self.event = event
    }

    /// Why a ticket cannot be issued: which field, and what was expected.
    public struct IssueError: Error, Equatable, CustomStringConvertible {
        public var description: String
    }

    /// A ticket just made: its text and what it states.
    public struct SignedTicket: Sendable, Hashable {
        /// The token: `PT1:` and 150 Base45 characters.
        public var token: String
        public var claims: TicketClaims
    }

    /// Issues a ticket with a fresh random 96-bit id. Times are kept to the whole second
    /// (rounded down), as the ticket stores them; `claims` of the result shows them so.
    public func issue(
        participantNumber: Int, role: Role, notBefore: Date, expiry: Date
    ) throws(IssueError) -> SignedTicket {
        try sign(
            TicketClaims(
                ticketID: Self.randomTicketID(), keyID: key.keyID, event: event,
                participantNumber: participantNumber, role: role, notBefore: notBefore,
                expiry: expiry))
    }

    /// Issues a ticket for a participant: their number and role, nothing personal.
    public func issue(for participant: Participant, notBefore: Date, expiry: Date) throws(IssueError)
        -> SignedTicket
    {
        try issue(
            participantNumber: participant.number, role: participant.role, notBefore: notBefore,
            expiry: expiry)
    }

    /// Issues a new ticket for the holder of `previous` and revokes `previous` in
    /// `revocations`, so the old token stops admitting anyone.
    public func reissue(
        replacing previous: TicketID, revocations: inout RevocationList, participantNumber: Int,
        role: Role, notBefore: Date, expiry: Date
    ) throws(IssueError) -> SignedTicket {
        let ticket = try issue(
            participantNumber: participantNumber, role: role, notBefore: notBefore, expiry: expiry)
        revocations.revoke(previous)
        return ticket
    }

    /// Signs exactly these claims (fixed ticket id included): for golden test vectors and
    /// tools. The claims must name this issuer's event and key.
    public func sign(_ claims: TicketClaims) throws(IssueError) -> SignedTicket {
        guard claims.event == event else {
            throw IssueError(description: "claims name event \(claims.event), the issuer \(event)")
        }
        guard claims.keyID == key.keyID else {
            throw IssueError(description: "claims name key \(claims.keyID), the issuer \(key.keyID)")
        }
        guard (0...TicketLayout.maximumParticipantNumber).contains(claims.participantNumber) else {
            throw IssueError(
                description:
                    "participant number \(claims.participantNumber) is outside 0...\(TicketLayout.maximumParticipantNumber)"
            )
        }
        do { _ = try RoleCode.encode(claims.role) } catch {
            throw IssueError(description: "\(error)")
        }
        let notBefore = try Self.seconds(claims.notBefore, field: "not-before")
        let expiry = try Self.seconds(claims.expiry, field: "expiry")
        guard notBefore < expiry else {
            throw IssueError(description: "expiry must come after not-before")
        }
        let token: TicketToken
        do {
            token = try TicketToken(
                keyID: key.keyID, ticketID: claims.ticketID,
                eventTag: TicketLayout.eventTag(of: event),
                participantNumber: claims.participantNumber, role: claims.role,
                notBefore: notBefore, expiry: expiry, signedBy: key)
        } catch {
            throw IssueError(description: "\(error)")
        }
        return SignedTicket(token: token.text, claims: token.claims(event: event))
    }

    /// A random ticket id from OpenSSL's cryptographic generator.
    static func randomTicketID() throws(IssueError) -> TicketID {
        var bytes = [UInt8](repeating: 0, count: TicketID.byteCount)
        guard RAND_bytes(&bytes, Int32(bytes.count)) == 1, let id = TicketID(bytes: bytes) else {
            throw IssueError(description: "no random bytes: \(OpenSSLError.drain())")
        }
        return id
    }

    private static func seconds(_ date: Date, field: String) throws(IssueError) -> UInt32 {
        let seconds = date.timeIntervalSince1970.rounded(.down)
        guard seconds >= 0, seconds <= Double(UInt32.max) else {
            throw IssueError(description: "\(field) must lie between 1970 and 2106")
        }
        return UInt32(seconds)
    }
}
