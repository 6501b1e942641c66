import Foundation
import Hummingbird
import HummingbirdTesting
import PartneringCore
import PartneringServer
import Testing

@Suite("Registration pages")
struct RegistrationPagesTests {
    @Test(
        "a company registers through the French form, is confirmed, gets a ticket by mail",
        arguments: StoreKind.testable)
    func registersThroughTheForm(kind: StoreKind) async throws {
        try await RegistrationServer.with(kind) { server in
            try await buildApplication(environment: server.environment).test(.router) { client in
                // setup
                let browser = Browser(client)
                let form = try await browser.get("/register/company", headers: [.acceptLanguage: "fr"])
                #expect(form.status == .ok)
                #expect(form.body.contains("<label for=\"organisation\">Organisation</label>"))
                // MUT
                let result = try await browser.post(
                    "/register/company", registrationFields(csrf: form.csrf, submission: form.submission))
                // validation
                #expect(result.status == .created)
                #expect(result.body.contains("data-status=\"confirmed\""))
                #expect(result.body.contains("Merci, Hélène Dupré"))
                let me = try await browser.get("/me")
                #expect(me.body.contains("Bonjour Hélène Dupré"))
                let messages = try await server.outboxMessages()
                #expect(messages.contains { $0.contains("helene@example.org") && $0.contains("PT1:") })
                let stored = try await server.environment.store.participants.find(email: "helene@example.org")
                #expect(stored?.status == .confirmed)
            }
        }
    }

    @Test("invalid fields: 422, the message next to each field, values kept and escaped")
    func validation() async throws {
        try await RegistrationServer.with { server in
            try await buildApplication(environment: server.environment).test(.router) { client in
                let browser = Browser(client)
                let form = try await browser.get("/register/expert?lang=en")
                var fields = registrationFields(name: "<script>alert(1)</script>", email: "nobody", csrf: form.csrf)
                fields.removeAll { $0.0 == "acceptPrivacy" || $0.0 == "topics" }

                let page = try await browser.post("/register/expert", fields)

                #expect(page.status == .unprocessableContent)
                #expect(
                    page.body.contains("id=\"email-error\">An e-mail address such as name@example.org is expected."))
                #expect(page.body.contains("id=\"topics-error\">This field is required."))
                #expect(page.body.contains("id=\"acceptPrivacy-error\">Your consent is needed to register."))
                #expect(page.body.contains("aria-describedby=\"email-error\""))
                #expect(page.body.contains("value=\"&lt;script&gt;alert(1)&lt;/script&gt;\""))
                #expect(!page.body.contains("<script>alert(1)</script>"))
                #expect(page.body.contains("value=\"OncoThéra SAS\""))
                #expect(try await server.environment.store.participants.count(.all) == 0)
            }
        }
    }

    @Test("a form without its anti-forgery token is refused with csrf_token_invalid")
    func csrf() async throws {
        try await RegistrationServer.with { server in
            try await buildApplication(environment: server.environment).test(.router) { client in
                let browser = Browser(client)
                _ = try await browser.get("/register/company?lang=en")
                let page = try await browser.post("/register/company", registrationFields(csrf: "forged"))
                #expect(page.status == .forbidden)
                #expect(page.body.contains("data-code=\"csrf_token_invalid\""))
                let stranger = Browser(client)
                let noCookie = try await stranger.post("/register/company", registrationFields(csrf: ""))
                #expect(noCookie.status == .forbidden)
                #expect(try await server.environment.store.participants.count(.all) == 0)
            }
        }
    }

    @Test("a double submit registers once; a known address gets a message and a fresh link")
    func doubleSubmitAndDuplicate() async throws {
        try await RegistrationServer.with { server in
            try await buildApplication(environment: server.environment).test(.router) { client in
                let browser = Browser(client)
                let form = try await browser.get("/register/company?lang=en")
                let fields = registrationFields(csrf: form.csrf, submission: form.submission)
                let first = try await browser.post("/register/company", fields)
                let second = try await browser.post("/register/company", fields)
                #expect(first.status == .created && second.status == .created)
                #expect(try await server.environment.store.participants.count(.all) == 1)

                let again = try await browser.get("/register/company?lang=en")
                let duplicate = try await browser.post(
                    "/register/company", registrationFields(csrf: again.csrf, submission: again.submission))
                #expect(duplicate.status == .conflict)
                #expect(duplicate.body.contains("id=\"email-error\">This address is already registered"))
                let messages = try await server.outboxMessages()
                #expect(messages.contains { $0.contains("access-link") || $0.contains("lien d") })
            }
        }
    }

    @Test("magic links: a valid one opens the area, an expired or forged one explains itself")
    func magicLinks() async throws {
        try await RegistrationServer.with { server in
            let service = server.environment.registration.attendees
            try await buildApplication(environment: server.environment).test(.router) { client in
                let browser = Browser(client)
                let form = try await browser.get("/register/company?lang=en")
                _ = try await browser.post("/register/company", registrationFields(csrf: form.csrf))
                let participant = try #require(
                    try await server.environment.store.participants.find(email: "helene@example.org"))
                let link = service.accessURL(for: participant)
                let path = String(link[link.range(of: "/access/")!.lowerBound...])

                let visitor = Browser(client)
                let opened = try await visitor.get(path)
                #expect(opened.status == .seeOther)
                #expect(opened.headers[.location] == "/me")
                #expect(opened.headers[.setCookie]?.contains("HttpOnly") == true)
                #expect(opened.headers[.setCookie]?.contains("SameSite=Lax") == true)
                #expect(try await visitor.get("/me").status == .ok)

                let forged = try await Browser(client).get(path.dropLast(2) + "xx")
                #expect(forged.status == .unauthorized)
                #expect(forged.body.contains("data-code=\"access_link_invalid\""))
                server.clock.advance(by: 73 * 3600)
                let expired = try await Browser(client).get(path + "?lang=en")
                #expect(expired.status == .unauthorized)
                #expect(expired.body.contains("data-code=\"access_link_expired\""))
                #expect(expired.body.contains("Get a new access link"))
            }
        }
    }

    @Test("the personal area needs a session; the access page sends a link without telling who registered")
    func accessPage() async throws {
        try await RegistrationServer.with { server in
            try await buildApplication(environment: server.environment).test(.router) { client in
                let browser = Browser(client)
                let me = try await browser.get("/me?lang=en")
                #expect(me.status == .unauthorized)
                #expect(me.body.contains("data-code=\"not_signed_in\""))
                let access = try await browser.get("/access")
                let sent = try await browser.post(
                    "/access", [("_csrf", access.csrf), ("email", "unknown@example.org")])
                #expect(sent.status == .ok)
                #expect(sent.body.contains("unknown@example.org is registered"))
                let bad = try await browser.post("/access", [("_csrf", access.csrf), ("email", "no")])
                #expect(bad.status == .unprocessableContent)
            }
        }
    }

    @Test("profile, directory, requests, cancellation and erasure through the pages")
    func personalArea() async throws {
        try await RegistrationServer.with(capacity: 1) { server in
            try await buildApplication(environment: server.environment).test(.router) { client in
                let company = Browser(client)
                let form = try await company.get("/register/company?lang=en")
                _ = try await company.post("/register/company", registrationFields(csrf: form.csrf))
                let expert = Browser(client)
                let expertForm = try await expert.get("/register/expert?lang=en")
                _ = try await expert.post(
                    "/register/expert",
                    registrationFields(name: "Zoë Müller", email: "zoe@example.org", csrf: expertForm.csrf))
                let waiting = Browser(client)
                let waitingForm = try await waiting.get("/register/company?lang=en")
                let waitlisted = try await waiting.post(
                    "/register/company",
                    registrationFields(name: "Marc Lefèvre", email: "marc@example.org", csrf: waitingForm.csrf))
                #expect(waitlisted.body.contains("id=\"waitlist-position\">1<"))

                // Profile: a bad edit keeps values and explains; a good one saves.
                let profile = try await company.get("/me/profile")
                var fields = registrationFields(csrf: profile.csrf)
                fields.removeAll { $0.0 == "organisation" }
                fields.append(("organisation", ""))
                let refused = try await company.post("/me/profile", fields)
                #expect(refused.status == .unprocessableContent)
                #expect(refused.body.contains("id=\"organisation-error\">This field is required."))
                fields.removeAll { $0.0 == "organisation" }
                fields.append(("organisation", "Hémato Bio"))
                #expect(try await company.post("/me/profile", fields).body.contains("Your profile is saved."))

                // Directory and a request.
                let directory = try await company.get("/me/directory?q=muller")
                #expect(directory.body.contains("Zoë Müller"))
                #expect(directory.body.contains("Page 1 of 1") || directory.body.contains("Page 1 sur 1"), "the pager")
                let expertID = try #require(Browser.Page.capture(#"href="/me/directory/([^"]+)""#, in: directory.body))
                let requestForm = try await company.get("/me/directory/\(expertID)")
                let sent = try await company.post(
                    "/me/requests",
                    [("_csrf", requestForm.csrf), ("to", expertID), ("priority", "1"), ("message", "CAR-T & LAM")])
                #expect(sent.status == .seeOther)
                let incoming = try await expert.get("/me/requests")
                #expect(incoming.body.contains("CAR-T &amp; LAM"))
                let requestID = try #require(Browser.Page.capture(#"/me/requests/([^/]+)/accept"#, in: incoming.body))

                // Another attendee cannot answer it.
                let stranger = try await waiting.get("/me")
                let forbidden = try await waiting.post("/me/requests/\(requestID)/accept", [("_csrf", stranger.csrf)])
                #expect(forbidden.status == .forbidden)
                #expect(forbidden.body.contains("data-code=\"forbidden\""))
                let accepted = try await expert.post("/me/requests/\(requestID)/accept", [("_csrf", incoming.csrf)])
                #expect(accepted.status == .seeOther)
                #expect(try await company.get("/me/requests").body.contains("accepted"))

                // Export, cancellation (the waiting company moves up), erasure.
                let export = try await company.get("/me/export")
                #expect(export.headers[.contentType]?.hasPrefix("application/json") == true)
                #expect(export.body.contains("\"email\" : \"helene@example.org\""))
                let cancel = try await company.get("/me/cancel")
                #expect(try await company.post("/me/cancel", [("_csrf", cancel.csrf)]).status == .seeOther)
                #expect(try await waiting.get("/me").body.contains("data-status=\"confirmed\""))
                let erase = try await company.get("/me/erase")
                #expect(try await company.post("/me/erase", [("_csrf", erase.csrf)]).status == .seeOther)
                #expect(try await server.environment.store.participants.find(email: "helene@example.org") == nil)
                #expect(try await company.get("/me").status == .unauthorized)
            }
        }
    }
}
