import CheckIn
import Foundation
import PartneringCore
import Storage
import Testing
import Tickets

@Suite("Check-in service")
struct CheckInServiceTests {
    @Test(
        "a valid ticket admits its holder with name, organisation, role; a second scan is already checked in",
        arguments: Backend.testable)
    func admitThenAlreadyCheckedIn(backend: Backend) async throws {
        try await DeskFixture.with(backend) { desk in
            // setup
            let (participant, token) = try await desk.ticketHolder("Amélie Durand")

            // MUT
            let first = try await desk.service.scan(token, desk: "Entrée A", nonce: DeskFixture.nonce())
            desk.clock.set(DeskFixture.morning + 95)
            let second = try await desk.service.scan(token, desk: "Entrée B", nonce: DeskFixture.nonce())

            // validation
            #expect(first.code == "admitted")
            #expect(first.isAdmitted)
            #expect(first.participant?.name == "Amélie Durand")
            #expect(first.participant?.organisation == "Lymphocyte Therapeutics")
            #expect(first.participant?.roleName.en == "Company")
            #expect(second.refusal == .alreadyCheckedIn)
            #expect(second.firstArrival == Arrival(time: DeskFixture.morning, desk: "Entrée A"))
            #expect(second.participant?.participant == participant.id)
            #expect(try await desk.store.checkIns.checkIns().count == 1)
        }
    }

    @Test("every refusal of a ticket, with its stable code", arguments: Backend.testable)
    func everyVerdict(backend: Backend) async throws {
        try await DeskFixture.with(backend) { desk in
            let event = desk.event
            let validity = TicketIssuance.validity(of: event)
            let (_, token) = try await desk.ticketHolder("Bruno Martin")
            var codes: [String: String] = [:]
            func scan(_ label: String, _ text: String) async throws {
                codes[label] = try await desk.service.scan(text, desk: "Entrée A", nonce: DeskFixture.nonce()).code
            }

            // Altered: the participant number changed, the signature kept.
            var bytes = try Base45.decode(token.dropFirst(4))
            bytes[21] ^= 0x01
            try await scan("tampered", "PT1:" + Base45.encode(bytes))
            // Signed by a key the desk does not have.
            let stranger = TicketIssuer(key: try TicketSigningKey.generate(), event: event.id)
            try await scan(
                "stranger",
                try stranger.issue(participantNumber: 1, role: .company, notBefore: validity.0, expiry: validity.1)
                    .token)
            // Genuine, but for another event.
            let otherEvent = TicketIssuer(key: desk.key, event: "onco-lyon-2027")
            try await scan(
                "other event",
                try otherEvent.issue(participantNumber: 1, role: .company, notBefore: validity.0, expiry: validity.1)
                    .token)
            try await scan("malformed", "hello")
            try await scan("version", "PT2:" + token.dropFirst(4))
            // Genuine, for a number nobody has.
            let issuer = TicketIssuer(key: desk.key, event: event.id)
            try await scan(
                "nobody",
                try issuer.issue(participantNumber: 9_999, role: .company, notBefore: validity.0, expiry: validity.1)
                    .token)
            // Reissued: the old token is revoked.
            let (reissued, oldToken) = try await desk.ticketHolder("Chloé Petit")
            _ = try await desk.issuance.issue(to: reissued, actor: "test")
            try await scan("revoked", oldToken)
            // Cancelled registration: its tickets are revoked too, and a ticket signed
            // outside the store for that number is refused as cancelled.
            let (cancelled, cancelledToken) = try await desk.ticketHolder("Denis Roux")
            _ = try await desk.store.registrations.cancel(cancelled.id, capacity: 140)
            try await scan(
                "cancelled",
                try issuer.issue(
                    participantNumber: cancelled.number, role: .company, notBefore: validity.0, expiry: validity.1
                ).token)
            _ = try await desk.issuance.revokeAll(of: cancelled.id, actor: "test")
            try await scan("cancelled and revoked", cancelledToken)
            // Too early, too late.
            desk.clock.set(validity.notBefore - 1)
            try await scan("early", token)
            desk.clock.set(validity.expiry)
            try await scan("late", token)

            #expect(
                codes == [
                    "tampered": "bad_signature", "stranger": "unknown_key", "other event": "other_event",
                    "malformed": "malformed", "version": "unsupported_version", "nobody": "unknown_participant",
                    "revoked": "revoked", "cancelled": "cancelled", "cancelled and revoked": "revoked",
                    "early": "not_yet_valid", "late": "expired",
                ])
            // Every scan, refused ones too, is in the audit log; nobody was admitted.
            let refusals = try await desk.store.auditLog.list(AuditFilter(action: "checkin.refuse"))
            #expect(refusals.count == codes.count)
            #expect(refusals.allSatisfy { $0.actor == "desk:Entrée A" })
            #expect(try await desk.store.checkIns.checkIns().isEmpty)
        }
    }

    @Test("a scan sent twice with its nonce is recorded once and answered the same", arguments: Backend.testable)
    func repeatedNonce(backend: Backend) async throws {
        try await DeskFixture.with(backend) { desk in
            let (_, token) = try await desk.ticketHolder("Élise Bernard")
            let nonce = DeskFixture.nonce()

            let first = try await desk.service.scan(token, desk: "Entrée A", nonce: nonce)
            let again = try await desk.service.scan(token, desk: "Entrée A", nonce: nonce)

            #expect(first.isAdmitted && !first.repeatedScan)
            #expect(again.isAdmitted && again.repeatedScan)
            #expect(again.participant == first.participant)
            #expect(try await desk.store.auditLog.list(AuditFilter(action: "checkin.admit")).count == 1)
            await #expect(throws: CheckInError.nonceReused(nonce)) {
                try await desk.service.scan("PT1:OTHER", desk: "Entrée A", nonce: nonce)
            }
            await #expect(throws: CheckInError.invalidNonce("short")) {
                try await desk.service.scan(token, desk: "Entrée A", nonce: "short")
            }
        }
    }

    @Test("an AZERTY desk's scan admits like the genuine text", arguments: [Backend.memory])
    func azertyScan(backend: Backend) async throws {
        try await DeskFixture.with(backend) { desk in
            let (_, token) = try await desk.ticketHolder("François Lefèvre")
            let typed = String(token.map { ScannedText.qwertyToAZERTY[$0] ?? $0 })

            let outcome = try await desk.service.scan(typed + "\n", desk: "Entrée A", nonce: DeskFixture.nonce())

            #expect(outcome.isAdmitted)
            #expect(outcome.repair == .azerty)
            let entry = try #require(try await desk.store.auditLog.list(AuditFilter(action: "checkin.admit")).first)
            #expect(entry.details.contains("\"repair\":\"azerty\""))
        }
    }

    @Test(
        "two desks scanning one ticket at the same moment give exactly one admission",
        arguments: Backend.testable)
    func concurrentDesks(backend: Backend) async throws {
        try await DeskFixture.withStores(backend, count: 2) { stores in
            // Two server processes, each with its own store instance on the same database.
            let key = try TicketSigningKey.generate()
            let shared = try stores.map { try DeskFixture(store: $0, key: key) }
            var tokens: [String] = []
            for index in 0..<5 { tokens.append(try await shared[0].ticketHolder("Participant \(index)").1) }

            let outcomes = try await withThrowingTaskGroup(of: ScanOutcome.self) { group in
                for token in tokens {
                    for round in 0..<4 {
                        let fixture = shared[round % shared.count]
                        group.addTask {
                            try await fixture.service.scan(token, desk: "Desk \(round)", nonce: DeskFixture.nonce())
                        }
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }

            #expect(outcomes.count == 20)
            #expect(outcomes.count(where: \.isAdmitted) == 5)
            #expect(outcomes.count { $0.refusal == .alreadyCheckedIn } == 15)
            #expect(try await stores[0].checkIns.checkIns().count == 5)
            #expect(Set(outcomes.filter(\.isAdmitted).compactMap(\.participant?.participant)).count == 5)
        }
    }

    @Test("a participant who lost their ticket is found by name and admitted once", arguments: Backend.testable)
    func searchAndAdmitByName(backend: Backend) async throws {
        try await DeskFixture.with(backend) { desk in
            let (helene, _) = try await desk.ticketHolder("Hélène Moreau")
            _ = try await desk.participant("Henri Morel", role: .expert, organisation: "Institut Curie")

            let found = try await desk.service.search("helene mor")
            let nobody = try await desk.service.search("h")
            let admitted = try await desk.service.admitWithoutTicket(
                helene.id, desk: "Accueil", nonce: DeskFixture.nonce())
            let twice = try await desk.service.admitWithoutTicket(
                helene.id, desk: "Accueil", nonce: DeskFixture.nonce())
            let afterwards = try await desk.service.search("Moreau")

            #expect(found.map(\.card.name) == ["Hélène Moreau"])
            #expect(nobody.isEmpty)
            #expect(admitted.isAdmitted)
            #expect(admitted.ticket == (try await desk.store.tickets.current(of: helene.id))?.claims.ticketID)
            #expect(twice.refusal == .alreadyCheckedIn)
            #expect(afterwards.first?.arrival?.desk == "Accueil")
        }
    }

    @Test("counters: arrived and expected per role", arguments: Backend.testable)
    func counters(backend: Backend) async throws {
        try await DeskFixture.with(backend) { desk in
            let (_, companyToken) = try await desk.ticketHolder("Isabelle Garnier")
            _ = try await desk.ticketHolder("Jacques Faure")
            let (_, expertToken) = try await desk.ticketHolder("Karim Benali", role: .expert)
            _ = try await desk.participant("Léa Fontaine", status: .waitlisted)

            for token in [companyToken, expertToken, companyToken] {
                _ = try await desk.service.scan(token, desk: "Entrée A", nonce: DeskFixture.nonce())
            }
            let counters = try await desk.service.counters()

            #expect(counters.roles.map(\.role) == [.company, .expert])
            #expect(counters.roles.map(\.arrived) == [1, 1])
            #expect(counters.roles.map(\.expected) == [2, 1])
            #expect(counters.arrived == 2)
            #expect(counters.expected == 3)
        }
    }

    @Test("the arrival card lists the first meetings of the day from the published schedule")
    func meetingsOnTheCard() async throws {
        try await DeskFixture.with(.memory) { desk in
            let (company, token) = try await desk.ticketHolder("Marc Lambert")
            var experts: [Participant] = []
            for name in ["Nadia Rey", "Olivier Roy", "Pauline Brun", "Quentin Blanc"] {
                experts.append(try await desk.participant(name, role: .expert, organisation: "Hôpital Saint-Louis"))
            }
            let slots = desk.event.slots
            let meetings = experts.enumerated().map { index, expert in
                Meeting(company.id, expert.id, slot: slots[index * 2].id, table: desk.event.tables[index].id)
            }
            let version = try await desk.store.schedules.save(
                ScheduleDraft(meetings: meetings, objective: 4, createdAt: DeskFixture.morning))
            _ = try await desk.store.schedules.publish(version.info.version, at: DeskFixture.morning)

            let outcome = try await desk.service.scan(token, desk: "Entrée A", nonce: DeskFixture.nonce())

            let lines = try #require(outcome.participant?.meetings)
            #expect(lines.map(\.counterpart) == ["Nadia Rey", "Olivier Roy", "Pauline Brun"])
            #expect(lines.map(\.time) == ["09:00", "09:50", "10:40"])
            #expect(lines.first?.table == desk.event.tables[0].name)
            #expect(lines.first?.counterpartOrganisation == "Hôpital Saint-Louis")
        }
    }
}
