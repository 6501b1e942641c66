import Foundation
import Hummingbird
import HummingbirdTesting
import Mail
import PartneringCore
import PartneringServer
import Testing

@Suite("Organiser pages")
struct OrganiserPagesTests {
    @Test(
        "sign-in, dashboard with SVG bars, approve, cancel with ticket revocation, CSV, audit",
        arguments: StoreKind.testable)
    func backOffice(kind: StoreKind) async throws {
        try await RegistrationServer.with(kind, expertsNeedApproval: true) { server in
            let organisers = server.environment.registration.organisers
            let password = try #require(try await organisers.bootstrap(email: "org@example.org", password: nil))
            try await buildApplication(environment: server.environment).test(.router) { client in
                let expert = Browser(client)
                let form = try await expert.get("/register/expert?lang=en")
                let registered = try await expert.post(
                    "/register/expert",
                    registrationFields(name: "Zoë Müller", email: "zoe@example.org", csrf: form.csrf))
                #expect(registered.body.contains("data-status=\"pending\""))

                let organiser = Browser(client)
                #expect(try await organiser.get("/organiser?lang=en").status == .unauthorized)
                let login = try await organiser.get("/organiser/login")
                let wrong = try await organiser.post(
                    "/organiser/login", [("_csrf", login.csrf), ("email", "org@example.org"), ("password", "wrong")])
                #expect(wrong.status == .unauthorized)
                #expect(wrong.body.contains("id=\"login-error\""))
                let signedIn = try await organiser.post(
                    "/organiser/login", [("_csrf", login.csrf), ("email", "org@example.org"), ("password", password)])
                #expect(signedIn.status == .seeOther)
                #expect(signedIn.headers[.setCookie]?.contains("organiser=") == true)

                let list = try await organiser.get("/organiser/registrations?status=pending")
                #expect(list.body.contains("Zoë Müller"))
                let id = try #require(Browser.Page.capture(#"/organiser/registrations/([^/]+)/approve"#, in: list.body))
                let approved = try await organiser.post(
                    "/organiser/registrations/\(id)/approve", [("_csrf", list.csrf)])
                #expect(approved.status == .seeOther)
                #expect(try await expert.get("/me").body.contains("data-status=\"confirmed\""))

                let dashboard = try await organiser.get("/organiser")
                #expect(dashboard.body.contains("<svg class=\"bars\""))
                #expect(dashboard.body.contains("1 confirmed of 170 seats"))
                #expect(dashboard.body.contains("href=\"/organiser/schedule\""))

                let csv = try await organiser.get("/organiser/registrations.csv")
                #expect(csv.headers[.contentType] == "text/csv; charset=utf-8")
                #expect(csv.body.hasPrefix("\u{FEFF}number,id,status"), "byte order mark, then the header")
                #expect(csv.body.contains("Zoë Müller"))

                let cancelled = try await organiser.post(
                    "/organiser/registrations/\(id)/cancel", [("_csrf", list.csrf), ("reason", "Duplicate profile")])
                #expect(cancelled.status == .seeOther)
                let revoked = try String(
                    contentsOf: URL(fileURLWithPath: server.environment.settings.keyDirectory + "/revoked.json"),
                    encoding: .utf8)
                let ticketID = server.environment.registration.attendees.ticketID(of: ParticipantID(id))
                    .map { String(format: "%02x", $0) }.joined()
                #expect(revoked.contains(ticketID))

                let audit = try await organiser.get("/organiser/audit")
                #expect(audit.body.contains("registration.approve"))
                #expect(audit.body.contains("registration.cancel"))
                #expect(audit.body.contains("organiser:org@example.org"))
                let problem = try await organiser.get("/organiser/problem.json")
                #expect(problem.body.contains("partnering-problem/1"))
                _ = try await server.outboxMessages()
                let records = try await Outbox(directory: server.outbox).records()
                #expect(
                    records.contains { $0.kind == .registrationCancelled && $0.recipient.contains("zoe@example.org") })
                #expect(
                    records.contains { $0.kind == .registrationConfirmed && $0.recipient.contains("zoe@example.org") })
            }
        }
    }

    @Test("sign-in is rate-limited")
    func rateLimit() async throws {
        try await RegistrationServer.with { server in
            _ = try await server.environment.registration.organisers.bootstrap(
                email: "org@example.org", password: "a long enough password")
            try await buildApplication(environment: server.environment).test(.router) { client in
                let organiser = Browser(client)
                let login = try await organiser.get("/organiser/login?lang=en")
                for _ in 0..<5 {
                    _ = try await organiser.post(
                        "/organiser/login", [("_csrf", login.csrf), ("email", "org@example.org"), ("password", "x")])
                }
                let blocked = try await organiser.post(
                    "/organiser/login",
                    [("_csrf", login.csrf), ("email", "org@example.org"), ("password", "a long enough password")])
                #expect(blocked.status == .tooManyRequests)
                #expect(blocked.headers[.retryAfter] != nil)
            }
        }
    }
}
