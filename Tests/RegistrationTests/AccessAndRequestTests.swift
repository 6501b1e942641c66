import Foundation
import PartneringCore
import Registration
import Testing

@Suite("Access links, profile, requests, GDPR")
struct AccessAndRequestTests {
    @Test("a magic link signs in until it expires; a forged one never does")
    func magicLinks() async throws {
        let fixture = try await Fixture.make()
        let participant = try await fixture.register("Hélène Dupré", "helene@example.org")
        try await fixture.service.requestAccessLink(email: "helene@example.org")
        let url = try #require(await fixture.notices.lastAccessURL(for: "helene@example.org"))
        let token = String(url.split(separator: "/").last ?? "")

        #expect(try await fixture.service.signIn(accessToken: token).participant.id == participant.id)
        var forged = Array(token)
        forged[forged.count - 3] = forged[forged.count - 3] == "A" ? "B" : "A"
        await #expect(throws: Refusal.accessLinkInvalid) {
            try await fixture.service.signIn(accessToken: String(forged))
        }
        fixture.clock.advance(by: 73 * 3600)
        await #expect(throws: Refusal.accessLinkExpired) { try await fixture.service.signIn(accessToken: token) }
    }

    @Test("a session token is not a magic link, nor the other way round")
    func purposes() async throws {
        let fixture = try await Fixture.make()
        let receipt = try await fixture.service.register(role: "company", form: Fixture.form(), idempotencyKey: nil)
        await #expect(throws: Refusal.accessLinkInvalid) {
            try await fixture.service.signIn(accessToken: receipt.sessionToken)
        }
        await #expect(throws: Refusal.notSignedIn) {
            try await fixture.organisers.organiser(token: receipt.sessionToken)
        }
    }

    @Test("the profile is edited; the e-mail address stays")
    func profile() async throws {
        let fixture = try await Fixture.make()
        let participant = try await fixture.register("Hélène Dupré", "helene@example.org")
        var form = RegistrationForm(participant: participant, event: fixture.service.event)
        form.organisation = "Hémato Bio"
        form.email = "other@example.org"
        form.sessions = ["afternoon"]
        let updated = try await fixture.service.updateProfile(of: participant, form: form)
        #expect(updated.organisation == "Hémato Bio")
        #expect(updated.email == "helene@example.org")
        #expect(updated.availability?.first == "d1-1400")
        #expect(RegistrationForm(participant: updated, event: fixture.service.event).sessions == ["afternoon"])
    }

    @Test("slots marked unavailable survive a profile saved with the same half-days, not a half-day removed")
    func unavailableSlots() async throws {
        let fixture = try await Fixture.make()
        let event = fixture.service.event
        let participant = try await fixture.register("Hélène Dupré", "helene@example.org")
        let morning = event.slots.filter { $0.session == "morning" }.map(\.id)
        let afternoon = event.slots.filter { $0.session == "afternoon" }.map(\.id)
        let marked = try await fixture.service.setUnavailableSlots(
            [morning[0].rawValue, afternoon[0].rawValue], of: participant, actor: "participant:\(participant.id)")
        #expect(fixture.service.unavailableSlots(of: marked) == [morning[0], afternoon[0]])
        await #expect(throws: Refusal.invalidInput([FieldIssue("unavailable", .unknownChoice)])) {
            _ = try await fixture.service.setUnavailableSlots(["d7-0000"], of: marked, actor: "test")
        }

        var form = RegistrationForm(participant: marked, event: event)
        #expect(form.sessions == ["morning", "afternoon"])
        form.profile = "Autre présentation."
        let kept = try await fixture.service.updateProfile(of: marked, form: form)
        #expect(fixture.service.unavailableSlots(of: kept) == [morning[0], afternoon[0]])

        form.sessions = ["morning"]
        let morningOnly = try await fixture.service.updateProfile(of: kept, form: form)
        #expect(morningOnly.availability == Array(morning.dropFirst()))
        form.sessions = ["morning", "afternoon"]
        let both = try await fixture.service.updateProfile(of: morningOnly, form: form)
        #expect(fixture.service.unavailableSlots(of: both) == [morning[0]], "a half-day added brings all its slots")
    }

    @Test("the directory shows listed experts to companies, searched without accents")
    func directory() async throws {
        let fixture = try await Fixture.make()
        let company = try await fixture.register("Hélène Dupré", "helene@example.org")
        _ = try await fixture.register("Zoë Müller", "zoe@example.org", role: .expert)
        var hidden = Fixture.form(name: "Hidden Expert", email: "hidden@example.org", role: .expert)
        hidden.listInDirectory = false
        _ = try await fixture.service.register(role: "expert", form: hidden, idempotencyKey: nil)

        let all = try await fixture.service.directory(for: company, query: DirectoryQuery())
        let found = try await fixture.service.directory(for: company, query: DirectoryQuery(text: "zoe muller"))
        let none = try await fixture.service.directory(for: company, query: DirectoryQuery(country: "DE"))

        #expect(all.participants.map(\.name) == ["Zoë Müller"])
        #expect(found.total == 1)
        #expect(none.participants.isEmpty)

        // A page number no event reaches answers an empty page instead of trapping.
        let far = try await fixture.service.directory(for: company, query: DirectoryQuery(page: Int.max))
        #expect(far.participants.isEmpty)
        #expect(far.page == DirectoryQuery.pages.upperBound)
    }

    @Test("requests: sent, accepted, declined, withdrawn; each refusal has its code")
    func requests() async throws {
        let fixture = try await Fixture.make()
        let company = try await fixture.register("Hélène Dupré", "helene@example.org")
        let other = try await fixture.register("Marc Lefèvre", "marc@example.org")
        let expert = try await fixture.register("Zoë Müller", "zoe@example.org", role: .expert)
        let second = try await fixture.register("Ana Souza", "ana@example.org", role: .expert)
        // What the person pages offer, as sendRequest decides.
        #expect(try await fixture.service.mayRequest(expert.id, from: company))
        #expect(try await !fixture.service.mayRequest(other.id, from: company), "roles that cannot meet")
        #expect(try await !fixture.service.mayRequest(company.id, from: company), "oneself")
        #expect(try await fixture.service.mayRequest(company.id, from: expert))

        let request = try await fixture.service.sendRequest(
            from: company, form: RequestForm(to: expert.id.rawValue, priority: "1", message: "LAM & CAR-T"))
        await #expect(throws: Refusal.duplicateRequest) {
            try await fixture.service.sendRequest(
                from: company, form: RequestForm(to: expert.id.rawValue, priority: "2"))
        }
        await #expect(throws: Refusal.rolesCannotMeet) {
            try await fixture.service.sendRequest(
                from: company, form: RequestForm(to: other.id.rawValue, priority: "2"))
        }
        await #expect(throws: Refusal.requestToSelf) {
            try await fixture.service.sendRequest(
                from: company, form: RequestForm(to: company.id.rawValue, priority: "2"))
        }
        await #expect(throws: Refusal.invalidInput([FieldIssue("priority", .outOfRange(min: 1, max: 3))])) {
            try await fixture.service.sendRequest(
                from: company, form: RequestForm(to: second.id.rawValue, priority: "4"))
        }
        await #expect(throws: Refusal.forbidden) {
            try await fixture.service.answer(request.id, by: other, accept: true)
        }
        await #expect(throws: Refusal.forbidden) {
            try await fixture.service.answer(request.id, by: company, accept: true)
        }

        let accepted = try await fixture.service.answer(request.id, by: expert, accept: true)
        #expect(accepted.status == .accepted)
        await #expect(throws: Refusal.requestNotPending) {
            try await fixture.service.answer(request.id, by: expert, accept: false)
        }
        #expect(try await !fixture.service.mayRequest(expert.id, from: company), "a request between them is open")
        #expect(try await !fixture.service.mayRequest(company.id, from: expert), "in either direction")
        let withdrawn = try await fixture.service.withdraw(request.id, by: company)
        #expect(withdrawn.status == .withdrawn)
        #expect(try await fixture.service.mayRequest(expert.id, from: company), "none is open any more")
        let mine = try await fixture.service.requests(of: company)
        #expect(mine.outgoing.count == 1 && mine.openCount == 0)
        let notices = await fixture.notices.notices
        #expect(notices.contains { if case .requestAccepted = $0 { true } else { false } })
    }

    @Test("a calendar feed answers its current token while its participant is registered, and nothing else")
    func calendarFeed() async throws {
        let fixture = try await Fixture.make()
        let company = try await fixture.register("Hélène Dupré", "helene@example.org")
        let subscriptions = CalendarSubscriptions(
            repository: fixture.store.calendarFeeds, participants: fixture.store.participants,
            signer: fixture.service.signer, dependencies: fixture.service.dependencies)
        let path = try await subscriptions.renew(for: company.id)
        let file = String(path.split(separator: "/").last ?? "")

        #expect(try await subscriptions.subscriber(company.id, file: file)?.id == company.id)
        #expect(try await subscriptions.subscriber(company.id, file: String(file.dropLast(4))) == nil, "no .ics")
        #expect(try await subscriptions.subscriber(company.id, file: "x" + file) == nil, "another token")
        #expect(try await subscriptions.subscriber("p-unknown", file: file) == nil, "another participant")
        _ = try await fixture.service.cancel(company, actor: "participant:\(company.id.rawValue)")
        #expect(try await subscriptions.subscriber(company.id, file: file) == nil, "cancelled")
    }

    @Test("the cap on open requests holds")
    func openRequestCap() async throws {
        let fixture = try await Fixture.make()
        let company = try await fixture.register("Hélène Dupré", "helene@example.org")
        let limit = fixture.service.event.requestRules.maxOpenRequests
        for index in 0..<limit {
            let expert = try await fixture.register("Expert \(index)", "expert\(index)@example.org", role: .expert)
            _ = try await fixture.service.sendRequest(
                from: company, form: RequestForm(to: expert.id.rawValue, priority: "2"))
        }
        let last = try await fixture.register("One Too Many", "last@example.org", role: .expert)
        await #expect(throws: Refusal.openRequestLimitReached(limit: limit)) {
            try await fixture.service.sendRequest(from: company, form: RequestForm(to: last.id.rawValue, priority: "3"))
        }
    }

    @Test("export holds the attendee's data; erasure removes it and frees the seat")
    func gdpr() async throws {
        let fixture = try await Fixture.make(capacity: 1)
        let first = try await fixture.register("Hélène Dupré", "helene@example.org")
        let waiting = try await fixture.register("Marc Lefèvre", "marc@example.org")
        let json = String(decoding: try await fixture.service.export(first).json(), as: UTF8.self)
        #expect(json.contains("\"email\" : \"helene@example.org\""))
        #expect(json.contains("partnering-participant-export/1"))

        try await fixture.service.erase(first)

        #expect(try await fixture.store.participants.find(id: first.id) == nil)
        #expect(try await fixture.store.participants.find(id: waiting.id)?.status == .confirmed)
        let receipt = try await fixture.service.register(
            role: "company", form: Fixture.form(name: "Again", email: "again@example.org"), idempotencyKey: nil)
        _ = receipt
        await #expect(throws: Refusal.notSignedIn) {
            try await fixture.service.attendee(
                sessionToken: fixture.service.signer.sign(.attendeeSession, subject: first.id.rawValue).token)
        }
    }

    @Test("organisers: one-time password, sign-in, rate limit")
    func organisers() async throws {
        let fixture = try await Fixture.make()
        let password = try #require(try await fixture.organisers.bootstrap(email: "org@example.org", password: nil))
        #expect(try await fixture.organisers.bootstrap(email: "org@example.org", password: nil) == nil)
        let session = try await fixture.organisers.signIn(
            email: "org@example.org", password: password, client: "127.0.0.1")
        #expect(try await fixture.organisers.organiser(token: session.token) == "org@example.org")
        for _ in 0..<5 {
            await #expect(throws: Refusal.invalidCredentials) {
                try await fixture.organisers.signIn(email: "org@example.org", password: "wrong", client: "10.0.0.1")
            }
        }
        // The guessing client is stopped, even with the right password; others are not locked out.
        await #expect(throws: Refusal.tooManyAttempts(retryAfterSeconds: 900)) {
            try await fixture.organisers.signIn(email: "org@example.org", password: password, client: "10.0.0.1")
        }
        _ = try await fixture.organisers.signIn(email: "org@example.org", password: password, client: "10.0.0.2")
        fixture.clock.advance(by: 901)
        _ = try await fixture.organisers.signIn(email: "org@example.org", password: password, client: "10.0.0.1")
    }

    @Test("CSV fields are quoted and formulas neutralised")
    func csv() async throws {
        let fixture = try await Fixture.make()
        _ = try await fixture.register("=HYPERLINK(\"x\")", "a@example.org")
        let file = fixture.organisers.csv(try await fixture.organisers.registrations(RegistrationQuery()))
        // The byte order mark makes Excel read UTF-8; records end in CRLF.
        #expect(file.starts(with: [0xEF, 0xBB, 0xBF]))
        let csv = String(decoding: file.dropFirst(3), as: UTF8.self)
        #expect(csv.hasPrefix("number,id,status,role"))
        #expect(csv.contains("\"'=HYPERLINK(\"\"x\"\")\""))
        #expect(csv.hasSuffix("\r\n"))
    }
}
