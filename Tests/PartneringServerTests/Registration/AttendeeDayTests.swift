import Foundation
import Hummingbird
import HummingbirdTesting
import PartneringCore
import PartneringServer
import Testing

@Suite("The attendee's day: requests, programme, ticket, calendar")
struct AttendeeDayTests {
    /// A company delegate writing French and an expert writing English, both confirmed.
    private func register(_ client: any TestClientProtocol) async throws -> (company: Browser, expert: Browser) {
        let company = Browser(client)
        let form = try await company.get("/register/company?lang=fr")
        #expect(try await company.post("/register/company", registrationFields(csrf: form.csrf)).status == .created)
        let expert = Browser(client)
        let expertForm = try await expert.get("/register/expert?lang=en")
        var fields = registrationFields(name: "Zoë Müller", email: "zoe@example.org", csrf: expertForm.csrf)
        fields.removeAll { $0.0 == "language" || $0.0 == "organisation" }
        fields += [("language", "en"), ("organisation", "Institut Curie")]
        #expect(try await expert.post("/register/expert", fields).status == .created)
        return (company, expert)
    }

    /// The `agenda.ics` attached to a message (its Base64 body decoded).
    static func calendarAttachment(of message: String) -> String? {
        guard let name = message.range(of: "filename=agenda.ics") ?? message.range(of: "filename=\"agenda.ics\""),
            let start = message.range(of: "\r\n\r\n", range: name.upperBound..<message.endIndex)
        else { return nil }
        let body = message[start.upperBound...].prefix { $0 != "-" }
        let base64 = body.filter { !$0.isWhitespace }
        return Data(base64Encoded: String(base64)).map { String(decoding: $0, as: UTF8.self) }
    }

    private func participantID(_ email: String, _ server: RegistrationServer) async throws -> ParticipantID {
        try #require(try await server.environment.store.participants.find(email: email)).id
    }

    @Test(
        "the request e-mail's link: a sign-in page in the recipient's language, an access link that returns to the request, answered there",
        arguments: StoreKind.testable)
    func requestLinkLandsOnTheRequest(kind: StoreKind) async throws {
        try await RegistrationServer.with(kind) { server in
            try await buildApplication(environment: server.environment).test(.router) { client in
                let (company, _) = try await register(client)
                let expertID = try await participantID("zoe@example.org", server)
                let companyID = try await participantID("helene@example.org", server)

                // Before publication: the requests' state in French words and plurals.
                let empty = try await company.get("/me")
                #expect(empty.body.contains("0 demande ouverte envoyée sur 20 possibles"))
                #expect(empty.body.contains("id=\"publication-note\""))
                #expect(empty.body.contains("jeudi 18 mars 2027"))
                let form = try await company.get("/me/directory/\(expertID.rawValue)")
                let sent = try await company.post(
                    "/me/requests",
                    [("_csrf", form.csrf), ("to", expertID.rawValue), ("priority", "1"), ("message", "LAM")])
                #expect(sent.status == .seeOther)
                let home = try await company.get("/me")
                #expect(home.body.contains("1 demande ouverte envoyée sur 20 possibles"))
                #expect(home.body.contains("en attente de réponse"))
                #expect(!home.body.contains(">pending<"))
                #expect(home.body.contains("href=\"/me/people/\(expertID.rawValue)\""))
                let directory = try await company.get("/me/directory")
                #expect(directory.body.contains("data-marker=\"requested\""))
                #expect(!directory.body.contains("participant(s)"))

                // The e-mail links to the request itself, in the recipient's language.
                let mails = try await server.decodedOutboxMessages()
                let requestMail = try #require(mails.first { $0.contains("X-Partnering-Kind: request-received") })
                let link = try #require(
                    Browser.Page.capture(#"https?://[^/\s]+(/me/requests/r-[0-9a-f]+\?lang=en)"#, in: requestMail))
                let requestID = try #require(Browser.Page.capture(#"/me/requests/(r-[0-9a-f]+)"#, in: link))

                // Not signed in: a page to ask for a link, in English, that remembers the request.
                let visitor = Browser(client)
                let signIn = try await visitor.get(link)
                #expect(signIn.status == .unauthorized)
                #expect(signIn.body.contains("<html lang=\"en\""))
                #expect(signIn.body.contains("Sign in to your area"))
                #expect(!signIn.body.contains("code not_signed_in"))
                #expect(signIn.body.contains("name=\"next\" value=\"/me/requests/\(requestID)?lang=en\""))
                let asked = try await visitor.post(
                    "/access", [("_csrf", signIn.csrf), ("email", "zoe@example.org"), ("next", link)])
                #expect(asked.status == .ok)
                let accessMail = try #require(
                    try await server.decodedOutboxMessages().last { $0.contains("X-Partnering-Kind: access-link") })
                let access = try #require(
                    Browser.Page.capture(#"https?://[^/\s]+(/access/[A-Za-z0-9._-]+\?next=[^\s"<>]+)"#, in: accessMail))
                let opened = try await visitor.get(access)
                #expect(opened.status == .seeOther)
                #expect(opened.headers[.location] == "/me/requests/\(requestID)?lang=en")

                // The request, its sender's profile one click away, and the answer.
                let page = try await visitor.get(link)
                #expect(page.status == .ok)
                #expect(page.body.contains("Request received"))
                #expect(page.body.contains("href=\"/me/people/\(companyID.rawValue)\""))
                let profile = try await visitor.get("/me/people/\(companyID.rawValue)")
                #expect(profile.status == .ok)
                #expect(profile.body.contains("OncoThéra SAS"))
                #expect(profile.body.contains("Thérapies cellulaires dans la LAM."))
                let accepted = try await visitor.post("/me/requests/\(requestID)/accept", [("_csrf", page.csrf)])
                #expect(accepted.headers[.location] == "/me/requests/\(requestID)?notice=accepted")
                #expect(try await visitor.get("/me/requests/\(requestID)").body.contains("data-status=\"accepted\""))
                #expect(try await company.get("/me").body.contains("acceptée"))

                // Another attendee's request and profiles out of reach stay hidden.
                #expect(try await Browser(client).get("/me/people/\(companyID.rawValue)").status == .unauthorized)
                #expect(try await company.get("/me/people/\(companyID.rawValue)").status == .notFound)
            }
        }
    }

    @Test("the return address of an access link is a path of this site, never another site")
    func noOpenRedirect() async throws {
        try await RegistrationServer.with { server in
            try await buildApplication(environment: server.environment).test(.router) { client in
                _ = try await register(client)
                let participant = try #require(
                    try await server.environment.store.participants.find(email: "zoe@example.org"))
                for next in ["//evil.example/x", "https://evil.example/", "/\\evil.example", "%2F%2Fevil.example"] {
                    let link = server.environment.registration.attendees.accessURL(for: participant)
                    let path = String(link[link.range(of: "/access/")!.lowerBound...])
                    let allowed = CharacterSet.alphanumerics
                    let opened = try await Browser(client).get(
                        path + "?next=" + (next.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""))
                    #expect(opened.headers[.location] == "/me", "next=\(next)")
                }
            }
        }
    }

    @Test(
        "after publication: the programme with changes marked, the ticket, the .ics and a revocable subscription with the e-mail's UIDs and SEQUENCE",
        arguments: StoreKind.testable)
    func programmeTicketAndCalendar(kind: StoreKind) async throws {
        try await RegistrationServer.with(kind) { server in
            try await buildApplication(environment: server.environment).test(.router) { client in
                let (company, expert) = try await register(client)
                let expertID = try await participantID("zoe@example.org", server)
                let companyID = try await participantID("helene@example.org", server)
                let event = server.environment.event
                let schedules = server.environment.store.schedules
                _ = try await schedules.save(
                    ScheduleDraft(
                        meetings: [Meeting(companyID, expertID, slot: event.slots[0].id, table: event.tables[3].id)],
                        objective: 3, createdAt: RegistrationServer.start))
                let organiser = try await server.signInOrganiser(client)
                let review = try await organiser.get("/organiser/schedule/versions/1")
                _ = try await organiser.post(
                    "/organiser/schedule/versions/1/publish", [("_csrf", review.csrf), ("confirm", "yes")])

                let home = try await company.get("/me")
                #expect(home.body.contains("<h2>Mon programme</h2>"))
                #expect(home.body.contains("09:00–09:25"))
                #expect(home.body.contains("Table 4"))
                #expect(home.body.contains("href=\"/me/people/\(expertID.rawValue)\">Zoë Müller</a>, Institut Curie"))
                #expect(!home.body.contains("id=\"requests-summary\""))
                #expect(!home.body.contains("data-change="))
                #expect(try await expert.get("/me").body.contains("<h2>My meetings</h2>"))

                // The ticket: QR image, fallback code, printable page.
                let code = try #require(
                    Browser.Page.capture(#"id="ticket-code">([0-9A-F]{4}-[0-9A-F]{4})<"#, in: home.body))
                let image = try await company.get("/me/ticket/qr.png")
                #expect(image.headers[.contentType] == "image/png")
                #expect(image.body.contains("IHDR"))
                let printable = try await company.get("/me/ticket")
                #expect(printable.body.contains(code))
                #expect(printable.body.contains("@media print"))

                // The download and the e-mail carry the same events.
                let mails = try await server.outboxMessages()
                let agendaMail = try #require(
                    mails.first { $0.contains("X-Partnering-Kind: schedule-published") && $0.contains("helene@") })
                let attached = try #require(Self.calendarAttachment(of: agendaMail))
                let uid = try #require(Browser.Page.capture(#"UID:(meeting-[^\r\n]+)"#, in: attached))
                #expect(attached.contains("SEQUENCE:1"))
                let download = try await company.get("/me/calendar.ics")
                #expect(download.headers[.contentType]?.hasPrefix("text/calendar") == true)
                #expect(download.body.contains("UID:\(uid)"))
                #expect(download.body.contains("SEQUENCE:1"))

                // A subscription: served without a cookie, revocable, replaceable.
                let subscribed = try await company.post("/me/calendar/subscription", [("_csrf", home.csrf)])
                #expect(subscribed.status == .seeOther)
                let withFeed = try await company.get("/me")
                let feed = try #require(
                    Browser.Page.capture(#"(/calendar/p-[0-9a-f]+/[A-Za-z0-9_-]+\.ics)"#, in: withFeed.body))
                #expect(withFeed.body.contains("webcal://"))
                let polled = try await Browser(client).get(feed)
                #expect(polled.status == .ok)
                #expect(polled.body.contains("UID:\(uid)"))
                #expect(try await Browser(client).get(String(feed.dropLast(6)) + "AA.ics").status == .notFound)
                _ = try await company.post("/me/calendar/subscription", [("_csrf", home.csrf)])
                let renewed = try #require(
                    Browser.Page.capture(
                        #"(/calendar/p-[0-9a-f]+/[A-Za-z0-9_-]+\.ics)"#, in: try await company.get("/me").body))
                #expect(renewed != feed)
                #expect(try await Browser(client).get(feed).status == .notFound)

                // A new version moves the meeting: marked on /me, same UID with SEQUENCE 2 in the feed.
                _ = try await schedules.save(
                    ScheduleDraft(
                        meetings: [Meeting(companyID, expertID, slot: event.slots[2].id, table: event.tables[3].id)],
                        objective: 3, createdAt: RegistrationServer.start))
                _ = try await organiser.post(
                    "/organiser/schedule/versions/2/publish", [("_csrf", review.csrf), ("confirm", "yes")])
                let moved = try await company.get("/me")
                #expect(moved.body.contains("data-change=\"moved\""))
                #expect(moved.body.contains("auparavant 09:00, Table 4"))
                #expect(moved.body.contains("09:50–10:15"))
                let updated = try await Browser(client).get(renewed)
                #expect(updated.body.contains("UID:\(uid)"))
                #expect(updated.body.contains("SEQUENCE:2"))
                let changedMail = try #require(
                    try await server.outboxMessages().first {
                        $0.contains("X-Partnering-Kind: schedule-changed") && $0.contains("helene@")
                    })
                #expect(Self.calendarAttachment(of: changedMail)?.contains("SEQUENCE:2") == true)
                #expect(Self.calendarAttachment(of: changedMail)?.contains("UID:\(uid)") == true)

                _ = try await company.post("/me/calendar/subscription/revoke", [("_csrf", home.csrf)])
                #expect(try await Browser(client).get(renewed).status == .notFound)
            }
        }
    }

    @Test("French dates write the first of the month '1er', in the event's zone (access link e-mail)")
    func firstOfTheMonth() async throws {
        try await RegistrationServer.with { server in
            try await buildApplication(environment: server.environment).test(.router) { client in
                _ = try await register(client)
                // Link asked on 28 November at 10:00 UTC: valid 72 hours, until 1 December 11:00 in Paris.
                server.clock.advance(by: 26 * 24 * 3600)
                try await server.environment.registration.attendees.requestAccessLink(email: "helene@example.org")
                let mail = try #require(
                    try await server.decodedOutboxMessages().last { $0.contains("X-Partnering-Kind: access-link") })
                #expect(mail.contains("mardi 1er décembre 2026 à 11:00"))
            }
        }
    }
}
