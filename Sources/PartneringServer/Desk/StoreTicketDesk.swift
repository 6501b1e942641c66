import CheckIn
import Foundation
import PartneringCore
import Registration
import Storage
import Tickets

/// The registration service's tickets, kept in the store: a confirmed registration gets a
/// ticket signed with the event's Ed25519 key (created on first start), recorded in the
/// store's `tickets` so that desks, the bundle and `partnering ticket issue` see it; a
/// cancelled or rejected one has its tickets revoked there. The revocation list is also
/// written to `revoked.json` of the key folder, the file `partnering ticket verify --revoked`
/// reads.
actor StoreTicketDesk: TicketDesk {
    private let issuance: TicketIssuance
    private let tickets: any TicketRepository
    private let revocationFile: URL

    init(keyFolder: URL, event: EventDefinition, store: PartneringStore, clock: @escaping @Sendable () -> Date)
        throws
    {
        let keys = TicketKeyStore(folder: keyFolder)
        let key = try keys.hasSigningKey ? keys.signingKey() : keys.generate()
        issuance = TicketIssuance(
            issuer: TicketIssuer(key: key, event: event.id), event: event, participants: store.participants,
            tickets: store.tickets, auditLog: store.auditLog, clock: clock)
        tickets = store.tickets
        revocationFile = keyFolder.appendingPathComponent("revoked.json")
    }

    /// The participant's current ticket (the same token when asked again), or a new one
    /// with the derived id, or a random id when the derived one was revoked before.
    func issue(for participant: Participant, ticketID: [UInt8]) async throws -> IssuedTicketText {
        let ticket = try await issuance.currentOrNew(
            for: participant, ticketID: TicketID(bytes: ticketID), actor: "system")
        return IssuedTicketText(ticketID: ticket.claims.ticketID.hex, token: ticket.token)
    }

    /// Revokes every ticket of the participant the id was issued to.
    func revoke(ticketID: [UInt8]) async throws {
        guard let id = TicketID(bytes: ticketID) else { return }
        var list = RevocationList([id])
        if let issued = try await tickets.find(id) {
            try await issuance.revokeAll(of: issued.participant, actor: "system")
        }
        if let data = FileManager.default.contents(atPath: revocationFile.path) {
            list.formUnion(try RevocationList(json: data))
        }
        list.formUnion(RevocationList(try await tickets.revokedIDs()))
        try KeyFolder.writeAtomically(list.json(), to: revocationFile)
    }
}
