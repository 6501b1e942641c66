import CheckIn
import Foundation
import PartneringCore
import Storage
import Testing
import Tickets

@Suite("Offline desks: bundle and upload")
struct OfflineTests {
    @Test(
        "two desks admit the same ticket offline: the second upload reports the conflict", arguments: Backend.testable)
    func conflict(backend: Backend) async throws {
        try await DeskFixture.with(backend) { desk in
            // setup: both desks were offline and admitted the same person.
            let (participant, token) = try await desk.ticketHolder("Raphaël Giraud")
            let (_, other) = try await desk.ticketHolder("Sophie Mercier")
            let atA = OfflineScan(
                text: token, nonce: DeskFixture.nonce(), scannedAt: DeskFixture.morning - 600, localCode: "admitted")
            let atB = OfflineScan(
                text: token, nonce: DeskFixture.nonce(), scannedAt: DeskFixture.morning - 300, localCode: "admitted")
            let otherAtB = OfflineScan(
                text: other, nonce: DeskFixture.nonce(), scannedAt: DeskFixture.morning - 200, localCode: "admitted")

            // MUT
            let reportA = try await desk.service.upload([atA], desk: "Entrée A")
            let reportB = try await desk.service.upload([otherAtB, atB], desk: "Entrée B")
            let again = try await desk.service.upload([atB, otherAtB], desk: "Entrée B")

            // validation
            #expect(reportA.conflicts.isEmpty)
            #expect(reportA.outcomes.map(\.code) == ["admitted"])
            #expect(reportA.outcomes.first?.time == DeskFixture.morning - 600)
            #expect(reportB.outcomes.map(\.code) == ["already_checked_in", "admitted"])
            let conflict = try #require(reportB.conflicts.first)
            #expect(reportB.conflicts.count == 1)
            #expect(conflict.kind == CheckInConflict.admittedTwice)
            #expect(conflict.participant?.participant == participant.id)
            #expect(conflict.firstArrival == Arrival(time: DeskFixture.morning - 600, desk: "Entrée A"))
            #expect(reportB.recorded == 2)
            // The same queue uploaded again records nothing and reports the same conflict.
            #expect(again.recorded == 0 && again.repeated == 2)
            #expect(again.conflicts == reportB.conflicts)
            #expect(try await desk.store.checkIns.checkIns().count == 2)
            #expect(try await desk.store.auditLog.list(AuditFilter(action: "checkin.conflict")).count == 1)
        }
    }

    @Test("an offline admission of a ticket revoked since the bundle is reported")
    func refusedByServer() async throws {
        try await DeskFixture.with(.memory) { desk in
            let (participant, token) = try await desk.ticketHolder("Thomas Caron")
            _ = try await desk.issuance.revokeAll(of: participant.id, actor: "test")
            let scan = OfflineScan(
                text: token, nonce: DeskFixture.nonce(), scannedAt: DeskFixture.morning - 60, localCode: "admitted")

            let report = try await desk.service.upload([scan], desk: "Entrée A")

            #expect(report.conflicts.map(\.kind) == [CheckInConflict.refusedByServer])
            #expect(report.conflicts.first?.serverCode == "revoked")
        }
    }

    @Test("an offline scan is judged at its scan time, never in the future")
    func scanTime() async throws {
        try await DeskFixture.with(.memory) { desk in
            let (_, token) = try await desk.ticketHolder("Ugo Perrin")
            let validity = TicketIssuance.validity(of: desk.event)
            desk.clock.set(validity.expiry + 3_600)
            let beforeExpiry = OfflineScan(
                text: token, nonce: DeskFixture.nonce(), scannedAt: validity.expiry - 60, localCode: "admitted")
            let report = try await desk.service.upload([beforeExpiry], desk: "Entrée A")
            #expect(report.outcomes.map(\.code) == ["admitted"])

            desk.clock.set(DeskFixture.morning)
            let (_, second) = try await desk.ticketHolder("Valérie Noël")
            let future = OfflineScan(
                text: second, nonce: DeskFixture.nonce(), scannedAt: validity.expiry + 86_400, localCode: "admitted")
            let clamped = try await desk.service.upload([future], desk: "Entrée A")
            #expect(clamped.outcomes.first?.time == DeskFixture.morning)
            #expect(clamped.outcomes.map(\.code) == ["admitted"])
        }
    }

    @Test(
        "the bundle carries keys, revocations and roster; it is a key set and a revocation list",
        arguments: Backend.testable)
    func bundle(backend: Backend) async throws {
        try await DeskFixture.with(backend) { desk in
            let (arrived, token) = try await desk.ticketHolder("Wassim Haddad")
            let (reissued, oldToken) = try await desk.ticketHolder("Xavière Colin", role: .expert)
            let newToken = try await desk.issuance.issue(to: reissued, actor: "test").ticket.token
            _ = try await desk.service.scan(token, desk: "Entrée A", nonce: DeskFixture.nonce())

            let data = try await desk.service.bundle().json()
            let bundle = try DeskBundle(json: data)

            #expect(bundle.format == "partnering-desk-bundle/1")
            #expect(bundle.event == desk.event.id)
            #expect(
                bundle.eventTag == TicketLayout.eventTag(of: desk.event.id).map { String(format: "%02x", $0) }.joined())
            #expect(bundle.roster.map(\.card.name) == ["Wassim Haddad", "Xavière Colin"])
            #expect(bundle.roster.first?.arrival?.desk == "Entrée A")
            #expect(bundle.roster.last?.arrival == nil)
            #expect(bundle.roster.first?.card.participant == arrived.id)
            // The same file read as the key set and revocation list of `ticket verify`.
            let verifier = TicketVerifier(
                keys: try TicketKeySet(json: data), revocations: try RevocationList(json: data), event: desk.event.id,
                clock: { DeskFixture.morning })
            #expect(verifier.verify(newToken).code == "valid")
            #expect(verifier.verify(oldToken).code == "revoked")
            #expect(try bundle.keySet() == TicketKeySet([desk.key.publicKey]))
        }
    }
}

@Suite("Ticket issuance in the store")
struct TicketIssuanceTests {
    @Test("issuing again revokes the previous ticket; only confirmed participants get one", arguments: Backend.testable)
    func reissue(backend: Backend) async throws {
        try await DeskFixture.with(backend) { desk in
            let participant = try await desk.participant("Yann Marchand")
            let first = try await desk.issuance.issue(to: participant, actor: "organiser:test")
            let second = try await desk.issuance.issue(to: participant, actor: "organiser:test")
            let same = try await desk.issuance.currentOrNew(for: participant, actor: "system")
            let waiting = try await desk.participant("Zoé Renard", status: .waitlisted)

            #expect(second.revoked == [first.ticket.claims.ticketID])
            #expect(same == second.ticket)
            #expect(try await desk.store.tickets.revokedIDs() == [first.ticket.claims.ticketID])
            #expect(first.ticket.claims.participantNumber == participant.number)
            #expect(try await desk.issuance.participant(String(participant.number)).id == participant.id)
            await #expect(throws: TicketIssuance.IssuanceError.notConfirmed(waiting.id, .waitlisted)) {
                try await desk.issuance.issue(to: waiting, actor: "organiser:test")
            }
            let actions = try await desk.store.auditLog.list(AuditFilter(subject: participant.id.rawValue)).map(
                \.action)
            #expect(actions == ["ticket.reissue", "ticket.issue"])
        }
    }
}
