import Foundation
import PartneringCore
import Registration
import Testing

@Suite("Registering")
struct RegistrationServiceTests {
    @Test("a company registers, is confirmed, gets a ticket and a session")
    func registersAndConfirms() async throws {
        // setup
        let fixture = try await Fixture.make()
        // MUT
        let receipt = try await fixture.service.register(role: "company", form: Fixture.form(), idempotencyKey: nil)
        // validation
        #expect(receipt.participant.status == .confirmed)
        #expect(receipt.participant.name == "Hélène Dupré")
        #expect(receipt.participant.availability == nil)
        #expect(receipt.participant.maxMeetings == 8)
        let signedIn = try await fixture.service.attendee(sessionToken: receipt.sessionToken)
        #expect(signedIn.id == receipt.participant.id)
        let notices = await fixture.notices.notices
        guard case .registrationConfirmed(_, let ticket, let url) = notices.last else {
            Issue.record("expected a confirmation, got \(notices)")
            return
        }
        #expect(ticket.token.hasPrefix("TICKET:\(receipt.participant.number):"))
        #expect(url.hasPrefix("https://partnering.example.org/access/v1."))
    }

    @Test("every invalid field is reported, with its own problem")
    func validation() async throws {
        let fixture = try await Fixture.make()
        var form = Fixture.form()
        form.name = "  "
        form.email = "not-an-address"
        form.country = "XX"
        form.phone = "call me"
        form.topics = ["aml", "astrology"]
        form.sessions = []
        form.maxMeetings = "99"
        form.acceptPrivacy = false
        form.profile = String(repeating: "a", count: 2001)

        await #expect(
            throws: Refusal.invalidInput([
                FieldIssue("name", .required), FieldIssue("email", .invalidEmail),
                FieldIssue("country", .invalidCountry),
                FieldIssue("phone", .invalidPhone), FieldIssue("topics", .unknownChoice),
                FieldIssue("profile", .tooLong(max: 2000)), FieldIssue("sessions", .required),
                FieldIssue("maxMeetings", .outOfRange(min: 1, max: 17)), FieldIssue("acceptPrivacy", .consentRequired),
            ])
        ) {
            try await fixture.service.register(role: "company", form: form, idempotencyKey: nil)
        }
        #expect(try await fixture.store.participants.count(.all) == 0)
    }

    @Test("a morning-only attendee is available in the morning slots only")
    func availability() async throws {
        let fixture = try await Fixture.make()
        var form = Fixture.form()
        form.sessions = ["morning"]
        let participant = try await fixture.service.register(role: "company", form: form, idempotencyKey: nil)
            .participant
        #expect(participant.availability?.count == 9)
        #expect(participant.availability?.first == "d1-0900")
    }

    @Test("an unknown role and a closed window are refused")
    func roleAndWindow() async throws {
        let fixture = try await Fixture.make()
        await #expect(throws: Refusal.unknownRole("sponsor")) {
            try await fixture.service.register(role: "sponsor", form: Fixture.form(), idempotencyKey: nil)
        }
        fixture.clock.advance(by: 365 * 24 * 3600)
        await #expect(throws: Refusal.registrationClosed) {
            try await fixture.service.register(role: "company", form: Fixture.form(), idempotencyKey: nil)
        }
    }

    @Test("the same idempotency key twice registers once; with another body it is refused")
    func idempotency() async throws {
        let fixture = try await Fixture.make()
        let first = try await fixture.service.register(role: "company", form: Fixture.form(), idempotencyKey: "k-1")
        let second = try await fixture.service.register(role: "company", form: Fixture.form(), idempotencyKey: "k-1")
        #expect(second.isReplay)
        #expect(second.participant.id == first.participant.id)
        #expect(try await fixture.store.participants.count(.all) == 1)
        var other = Fixture.form()
        other.email = "someone.else@example.org"
        await #expect(throws: Refusal.idempotencyKeyReused) {
            try await fixture.service.register(role: "company", form: other, idempotencyKey: "k-1")
        }
    }

    @Test("an address registered before is refused and gets a fresh access link")
    func duplicateEmail() async throws {
        let fixture = try await Fixture.make()
        _ = try await fixture.register("Hélène Dupré", "helene@example.org")
        var again = Fixture.form()
        again.email = "HELENE@example.org"
        await #expect(throws: Refusal.emailAlreadyRegistered) {
            try await fixture.service.register(role: "company", form: again, idempotencyKey: nil)
        }
        guard case .accessLink(let participant, let url, _, _) = await fixture.notices.notices.last else {
            Issue.record("expected an access link")
            return
        }
        #expect(participant.email == "helene@example.org")
        let signedIn = try await fixture.service.signIn(accessToken: String(url.split(separator: "/").last ?? ""))
        #expect(signedIn.participant.id == participant.id)
    }

    @Test("a full category waitlists; a cancellation promotes the next in line and revokes the ticket")
    func waitingList() async throws {
        let fixture = try await Fixture.make(capacity: 2)
        let first = try await fixture.register("Ana Souza", "ana@example.org")
        _ = try await fixture.register("Bo Li", "bo@example.org")
        let third = try await fixture.service.register(
            role: "company", form: Fixture.form(name: "Chloé Martin", email: "chloe@example.org"), idempotencyKey: nil)
        #expect(third.participant.status == .waitlisted)
        #expect(third.waitlistPosition == 1)

        let release = try await fixture.service.cancel(first, actor: "participant:\(first.id)")

        #expect(release.promoted.map(\.id) == [third.participant.id])
        let tickets = try #require(fixture.service.tickets as? PlainTicketDesk)
        let revoked = await tickets.revoked
        #expect(revoked == [fixture.service.ticketID(of: first.id).map { String(format: "%02x", $0) }.joined()])
        let notices = await fixture.notices.notices
        #expect(
            notices.contains {
                if case .waitlistPromoted(let p, _) = $0 { p.id == third.participant.id } else { false }
            })
        await #expect(throws: Refusal.invalidTransition(from: .cancelled, to: .cancelled)) {
            try await fixture.service.cancel(release.participant, actor: "participant:\(first.id)")
        }
    }

    @Test("experts wait for approval when the event says so")
    func approval() async throws {
        let fixture = try await Fixture.make(expertsNeedApproval: true)
        let expert = try await fixture.register("Dr Siobhán O’Connor", "siobhan@example.org", role: .expert)
        #expect(expert.status == .pending)
        guard case .registrationReceived = await fixture.notices.notices.last else {
            Issue.record("expected registration-received")
            return
        }
        let outcome = try await fixture.organisers.approve(expert.id.rawValue, by: "org@example.org")
        #expect(outcome.participant.status == .confirmed)
        await #expect(throws: Refusal.invalidTransition(from: .confirmed, to: .confirmed)) {
            try await fixture.organisers.approve(expert.id.rawValue, by: "org@example.org")
        }
        let audit = try await fixture.organisers.auditLog()
        #expect(audit.first?.action == "registration.approve")
        #expect(audit.first?.actor == "organiser:org@example.org")
    }
}
