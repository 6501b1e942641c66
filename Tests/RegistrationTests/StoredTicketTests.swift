import Foundation
import PartneringCore
import Registration
import Testing

@Suite("The ticket a confirmed participant holds")
struct StoredTicketTests {
    @Test("confirmed outside the registration flow (demo data): the first view stores the ticket, later views read it")
    func ticketStoredOnFirstView() async throws {
        let fixture = try await Fixture.make()
        let participant = try await fixture.store.participants.insert(
            ParticipantDraft(
                id: "p-demo", role: .company, category: "company-delegate", name: "Ada Lovelace",
                email: "ada@example.org", organisation: "Analytical SAS", jobTitle: "", country: "FR", topics: [],
                profile: "", language: .en, listedInDirectory: true, registeredAt: Fixture.start),
            status: .confirmed)
        #expect(try await fixture.store.tickets.current(of: participant.id) == nil)

        let first = try #require(try await fixture.service.ticket(of: participant))
        let stored = try #require(try await fixture.store.tickets.current(of: participant.id))
        #expect(stored.claims.ticketID.hex == first.ticketID)
        #expect(try await fixture.service.ticket(of: participant) == first)
        let audit = try await fixture.store.auditLog.list(AuditFilter(action: "ticket.issue", subject: "p-demo"))
        #expect(audit.count == 1)
    }
}
