import CheckIn
import FileSupport
import Foundation
import PartneringCore
import Registration
import Storage
import ThreadSupport
import Tickets

/// The registration service's tickets, kept in the store: a confirmed registration gets a
/// ticket signed with the event's Ed25519 key (created on first start), recorded in the
/// store's `tickets` so that desks, the bundle and `partnering ticket issue` see it; a
/// cancelled or rejected one has its tickets revoked there. With the key in the key folder, the
/// revocation list is also written to its `revoked.json`, the file `partnering ticket verify
/// --revoked` reads; a key given by the deployment leaves the folder alone (it may be a
/// read-only secret), and `partnering checkin bundle` gives the list from the store.
actor StoreTicketDesk: TicketDesk {
    private let issuance: TicketIssuance
    private let tickets: any TicketRepository
    private let revocationFile: URL?

    init(keys: TicketKeySource, event: EventDefinition, store: PartneringStore, clock: @escaping @Sendable () -> Date)
        throws
    {
        let key = try keys.signingKey(createsMissing: true)
        issuance = TicketIssuance(
            issuer: TicketIssuer(key: key, event: event.id), event: event, participants: store.participants,
            tickets: store.tickets, clock: clock)
        tickets = store.tickets
        revocationFile = keys.isGiven ? nil : keys.folder.folder.appendingPathComponent("revoked.json")
    }

    /// The id of the key that signs tickets.
    nonisolated var keyID: TicketKeyID { issuance.issuer.key.keyID }

    /// The claims of the participant's ticket, signed by the active key, valid from 6 hours
    /// before the first session to 24 hours after the last one (``TicketIssuance/validity(of:)``).
    nonisolated func claims(for participant: Participant, ticketID: TicketID) -> TicketClaims {
        let validity = TicketIssuance.validity(of: issuance.event)
        return TicketClaims(
            ticketID: ticketID, keyID: issuance.issuer.key.keyID, event: issuance.event.id,
            participantNumber: participant.number, role: participant.role, notBefore: validity.notBefore,
            expiry: validity.expiry)
    }

    /// The token of stored claims (Ed25519 signatures are deterministic: the same token each time).
    nonisolated func token(for claims: TicketClaims) throws -> String {
        try issuance.issuer.sign(claims).token
    }

    /// Revokes every ticket of the participant the id was issued to.
    func revoke(ticketID: [UInt8]) async throws {
        guard let id = TicketID(bytes: ticketID) else { return }
        if let issued = try await tickets.find(id) {
            try await issuance.revokeAll(of: issued.participant, actor: "system")
        }
        guard let revocationFile else { return }
        var list = RevocationList([id])
        list.formUnion(RevocationList(try await tickets.revokedIDs()))
        // Read, merged and written back on the file-sync thread: the fsyncs block.
        try await FileSyncThread.run { [list] in
            var merged = list
            if let data = FileManager.default.contents(atPath: revocationFile.path) {
                merged.formUnion(try RevocationList(json: data))
            }
            try AtomicFile.writeSecret(merged.json(), to: revocationFile.path)
        }
    }
}
