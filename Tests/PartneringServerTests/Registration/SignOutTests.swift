import CheckIn
import Foundation
import Hummingbird
import HummingbirdTesting
import PartneringServer
import Registration
import Storage
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

    @Test(
        "a new password or a removal, made from another process on the store, ends the organiser's sessions and API tokens",
        arguments: StoreKind.testable)
    func credentialChanges(kind: StoreKind) async throws {
        try await RegistrationServer.with(kind) { server in
            let organisers = server.environment.registration.organisers
            let password = try #require(try await organisers.bootstrap(email: "org@example.org", password: nil))
            try await organisers.accounts.add(email: "paul@example.org", password: "pauls long password", by: "test")
            // What `partnering organiser reset-password|remove` does: its own connection to the store.
            let elsewhere = try await PartneringStore.open(server.environment.settings.database)
            let accounts = OrganiserAccounts(
                repository: elsewhere.organiserAccounts, hasher: PasswordHasher(cost: 4), sessions: elsewhere.sessions,
                clock: { [clock = server.clock] in clock.now })
            try await buildApplication(environment: server.environment).test(.router) { client in
                func apiToken(_ email: String, _ password: String) async throws -> HTTPFields {
                    let response = try await client.execute(
                        uri: "/api/v1/organiser/tokens", method: .post,
                        body: ByteBuffer(string: #"{"email": "\#(email)", "password": "\#(password)"}"#))
                    #expect(response.status == .created)
                    return [.authorization: "Bearer \(jsonObject(response.body)["token"] as? String ?? "")"]
                }
                func status(_ headers: HTTPFields, _ uri: String = "/api/v1/organiser/occupancy") async throws
                    -> HTTPResponse.Status
                {
                    try await client.execute(uri: uri, method: .get, headers: headers).status
                }
                let browser = Browser(client)
                let login = try await browser.get("/organiser/login")
                _ = try await browser.post(
                    "/organiser/login", [("_csrf", login.csrf), ("email", "org@example.org"), ("password", password)])
                let cookie: HTTPFields = [.cookie: "organiser=\(try #require(browser.cookies["organiser"]))"]
                let api = try await apiToken("ORG@example.org", password)
                let paul = try await apiToken("paul@example.org", "pauls long password")
                #expect(try await status(cookie, "/organiser") == .ok)
                #expect(try await status(api) == .ok)

                #expect(
                    try await accounts.resetPassword(
                        email: "org@example.org", password: "a brand new password", by: "cli") == 2)
                #expect(try await status(cookie, "/organiser") == .unauthorized)
                #expect(try await status(api) == .unauthorized)
                #expect(try await status(paul) == .ok, "another organiser's sessions go on")
                #expect(try await status(try await apiToken("org@example.org", "a brand new password")) == .ok)

                #expect(try await accounts.remove(email: "paul@example.org", by: "cli") == 1)
                #expect(try await status(paul) == .unauthorized)
            }
            try await elsewhere.shutdown()
        }
    }

    @Test(
        "a new desk passcode, set from another process on the store, signs the desks out", arguments: StoreKind.testable
    )
    func deskPasscodeChange(kind: StoreKind) async throws {
        try await DeskServer.with(kind) { desk in
            let elsewhere = try await PartneringStore.open(desk.environment.settings.database)
            let passcode = DeskPasscode(repository: elsewhere.deskPasscodes, sessions: elsewhere.sessions)
            try await buildApplication(environment: desk.environment).test(.router) { client in
                let hall: HTTPFields = [.authorization: "Bearer \(try await desk.signIn(client, desk: "Hall"))"]
                let annex: HTTPFields = [.authorization: "Bearer \(try await desk.signIn(client, desk: "Annexe"))"]
                #expect(try await client.execute(uri: "/api/desk/counters", method: .get, headers: hall).status == .ok)

                #expect(try await passcode.set("a new desk passcode", cost: 4) == 2)
                for stale in [hall, annex] {
                    let refused = try await client.execute(uri: "/api/desk/counters", method: .get, headers: stale)
                    #expect(refused.status == .unauthorized)
                    #expect(jsonObject(refused.body)["code"] as? String == "not_signed_in")
                }
                let again = try await client.execute(
                    uri: "/api/desk/sessions", method: .post, headers: [.contentType: "application/json"],
                    body: ByteBuffer(string: #"{"desk": "Hall", "passcode": "a new desk passcode"}"#))
                #expect(again.status == .created)
                let fresh: HTTPFields = [.authorization: "Bearer \(jsonObject(again.body)["token"] as? String ?? "")"]
                #expect(try await client.execute(uri: "/api/desk/counters", method: .get, headers: fresh).status == .ok)
            }
            try await elsewhere.shutdown()
        }
    }
}
