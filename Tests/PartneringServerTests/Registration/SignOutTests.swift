import Foundation
import Hummingbird
import HummingbirdTesting
import PartneringServer
import Testing

/// Signing out ends a session on the server, not only in the browser: a copy of the
/// cookie (another tab, a stolen token) no longer opens it.
@Suite("Signing out")
struct SignOutTests {
    @Test("attendee and organiser sessions stop working once signed out", arguments: StoreKind.testable)
    func pages(kind: StoreKind) async throws {
        try await RegistrationServer.with(kind) { server in
            let password = try #require(
                try await server.environment.registration.organisers.bootstrap(email: "org@example.org", password: nil))
            try await buildApplication(environment: server.environment).test(.router) { client in
                // An attendee registers (and is signed in), copies the cookie, signs out.
                let attendee = Browser(client)
                let form = try await attendee.get("/register/company?lang=en")
                _ = try await attendee.post("/register/company", registrationFields(csrf: form.csrf))
                let attendeeCookie = try #require(attendee.cookies["attendee"])
                let area = try await attendee.get("/me")
                #expect(area.status == .ok)
                let signedOut = try await attendee.post("/me/sign-out", [("_csrf", area.csrf)])
                #expect(signedOut.status == .seeOther)
                let replayed = try await client.execute(
                    uri: "/me", method: .get, headers: [.cookie: "attendee=\(attendeeCookie)"])
                #expect(replayed.status != .ok)
                #expect(!String(buffer: replayed.body).contains("Hélène Dupré"))

                // The organiser: same story, and a fresh sign-in works again.
                let organiser = Browser(client)
                let login = try await organiser.get("/organiser/login")
                let credentials = [("_csrf", login.csrf), ("email", "org@example.org"), ("password", password)]
                _ = try await organiser.post("/organiser/login", credentials)
                let organiserCookie = try #require(organiser.cookies["organiser"])
                let dashboard = try await organiser.get("/organiser")
                #expect(dashboard.status == .ok)
                _ = try await organiser.post("/organiser/logout", [("_csrf", dashboard.csrf)])
                let stale = try await client.execute(
                    uri: "/organiser", method: .get, headers: [.cookie: "organiser=\(organiserCookie)"])
                #expect(stale.status == .unauthorized)
                _ = try await organiser.post("/organiser/login", credentials)
                #expect(try await organiser.get("/organiser").status == .ok)
            }
        }
    }

    @Test("a desk token stops working once its desk signs out", arguments: StoreKind.testable)
    func desk(kind: StoreKind) async throws {
        try await DeskServer.with(kind) { desk in
            try await buildApplication(environment: desk.environment).test(.router) { client in
                let browser = Browser(client)
                let form = try await browser.get("/desk/login?lang=en")
                _ = try await browser.post(
                    "/desk/login", [("_csrf", form.csrf), ("desk", "Entrée A"), ("passcode", DeskServer.passcode)])
                let token = try #require(browser.cookies["desk"])
                let bearer: HTTPFields = [.authorization: "Bearer \(token)"]
                #expect(
                    try await client.execute(uri: "/api/desk/counters", method: .get, headers: bearer).status == .ok)
                let page = try await browser.get("/desk")
                let signedOut = try await browser.post("/desk/logout", [("_csrf", page.csrf)])
                #expect(signedOut.status == .seeOther)
                let stale = try await client.execute(uri: "/api/desk/counters", method: .get, headers: bearer)
                #expect(stale.status == .unauthorized)
                #expect(jsonObject(stale.body)["code"] as? String == "not_signed_in")
            }
        }
    }
}
