import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PartneringCore
import PartneringServer
import Registration
import Storage
import Testing

private let forwardedFor = HTTPField.Name("X-Forwarded-For") ?? .contentType
private let frameOptions = HTTPField.Name("X-Frame-Options") ?? .contentType
private let referrerPolicy = HTTPField.Name("Referrer-Policy") ?? .contentType

/// The security findings of the attack review: headers, cookies, methods, sign-in throttling.
@Suite("Security")
struct SecurityTests {
    @Test("every answer carries CSP, frame, content-type and referrer headers; HEAD answers like GET without a body")
    func headersAndHead() async throws {
        try await RegistrationServer.with { server in
            try await buildApplication(environment: server.environment).test(.router) { client in
                for uri in ["/", "/register/company", "/nothing", "/api/v1/me", "/api/openapi.yaml", "/desk/login"] {
                    let response = try await client.execute(uri: uri, method: .get)
                    let csp = response.headers[.contentSecurityPolicy] ?? ""
                    #expect(csp.contains("frame-ancestors 'none'"), "\(uri)")
                    #expect(csp.contains("script-src 'self'") && !csp.contains("script-src 'self' 'unsafe-inline'"))
                    #expect(response.headers[frameOptions] == "DENY", "\(uri)")
                    #expect(response.headers[.xContentTypeOptions] == "nosniff", "\(uri)")
                    #expect(response.headers[referrerPolicy] == "same-origin", "\(uri)")
                }
                let get = try await client.execute(uri: "/", method: .get)
                let head = try await client.execute(uri: "/", method: .head)
                #expect(head.status == .ok)
                #expect(head.body.readableBytes == 0)
                #expect(head.headers[.contentType] == get.headers[.contentType])
                let connect = try await client.execute(uri: "/", method: .connect)
                #expect(connect.status == .methodNotAllowed)
            }
        }
    }

    @Test("under HTTPS every cookie is Secure, the anti-forgery and language cookies included")
    func secureCookies() async throws {
        try await RegistrationServer.with(settings: {
            $0.baseURL = try #require(URL(string: "https://partnering.example.org"))
        }) { server in
            let environment = server.environment
            try await buildApplication(environment: environment).test(.router) { client in
                let page = try await client.execute(uri: "/register/company?lang=en", method: .get)
                let cookies = page.headers[values: .setCookie]
                #expect(cookies.count == 2)
                #expect(cookies.contains { $0.hasPrefix("lang=") })
                #expect(cookies.allSatisfy { $0.contains("; Secure") })
            }
        }
    }

    private func organiserToken(
        _ client: some TestClientProtocol, password: String, from address: String
    ) async throws -> HTTPResponse.Status {
        try await client.execute(
            uri: "/api/v1/organiser/tokens", method: .post,
            headers: [.contentType: "application/json", forwardedFor: address],
            body: ByteBuffer(string: #"{"email": "org@example.org", "password": "\#(password)"}"#)
        ).status
    }

    @Test("five wrong passwords from five addresses do not lock the organiser out; one client is limited")
    func noLockoutByStrangers() async throws {
        try await RegistrationServer.with(settings: { $0.trustForwardedFor = true }) { server in
            let environment = server.environment
            let password = try #require(
                try await environment.registration.organisers.bootstrap(email: "org@example.org", password: nil))
            try await buildApplication(environment: environment).test(.router) { client in
                for index in 1...5 {
                    #expect(
                        try await organiserToken(client, password: "wrong", from: "203.0.113.\(index)") == .unauthorized
                    )
                }
                #expect(try await organiserToken(client, password: password, from: "198.51.100.7") == .created)
                for _ in 1...5 { _ = try await organiserToken(client, password: "wrong", from: "203.0.113.9") }
                #expect(try await organiserToken(client, password: password, from: "203.0.113.9") == .tooManyRequests)
            }
        }
    }

    @Test("forty concurrent wrong guesses get exactly five tries")
    func concurrentGuesses() async throws {
        try await RegistrationServer.with { server in
            let organisers = server.environment.registration.organisers
            _ = try await organisers.bootstrap(email: "org@example.org", password: nil)
            let outcomes = await withTaskGroup(of: String.self) { group in
                for _ in 0..<40 {
                    group.addTask {
                        do {
                            _ = try await organisers.signIn(email: "org@example.org", password: "wrong", client: "c1")
                            return "signed-in"
                        } catch let refusal as Refusal {
                            return refusal.code
                        } catch {
                            return "\(error)"
                        }
                    }
                }
                return await group.reduce(into: [String: Int]()) { $0[$1, default: 0] += 1 }
            }
            #expect(outcomes == ["invalid_credentials": 5, "too_many_attempts": 35])
        }
    }

    @Test("the desk passcode is limited over all clients as well as per client")
    func deskPasscodeGlobalLimit() async throws {
        try await RegistrationServer.with(settings: { $0.trustForwardedFor = true }) { server in
            let environment = server.environment
            try await environment.desk.passcode.set("accueil-2027", cost: 4)
            try await buildApplication(environment: environment).test(.router) { client in
                var statuses: [HTTPResponse.Status] = []
                for index in 0..<51 {
                    let response = try await client.execute(
                        uri: "/api/desk/sessions", method: .post,
                        headers: [
                            .contentType: "application/json",
                            forwardedFor: "192.0.2.\(index)",
                        ],
                        body: ByteBuffer(string: #"{"desk": "Desk \#(index)", "passcode": "guess-\#(index)"}"#))
                    statuses.append(response.status)
                }
                #expect(statuses.prefix(50).allSatisfy { $0 == .unauthorized })
                #expect(statuses.last == .tooManyRequests)
            }
        }
    }

    @Test("access links and duplicate registrations send at most five e-mails per address; one client is limited")
    func accessMailLimits() async throws {
        try await RegistrationServer.with(settings: { $0.trustForwardedFor = true }) { server in
            let environment = server.environment
            try await buildApplication(environment: environment).test(.router) { client in
                func post(_ uri: String, _ body: ByteBuffer, from address: String) async throws -> HTTPResponse.Status {
                    try await client.execute(
                        uri: uri, method: .post, headers: [.contentType: "application/json", forwardedFor: address],
                        body: body
                    ).status
                }
                let victim = registrationJSON(name: "Zoë Müller", email: "zoe@example.org")
                #expect(try await post("/api/v1/registrations/company", victim, from: "192.0.2.1") == .created)
                for index in 0..<10 {
                    let asked = ByteBuffer(string: #"{"email": "zoe@example.org"}"#)
                    #expect(try await post("/api/v1/access-links", asked, from: "198.51.100.\(index)") == .accepted)
                    #expect(
                        try await post("/api/v1/registrations/company", victim, from: "203.0.113.\(index)")
                            == .conflict)
                }
                let messages = try await server.outboxMessages().filter { $0.contains("zoe@example.org") }
                #expect(messages.count == 1 + 5, "the confirmation and five access links")

                var statuses: [HTTPResponse.Status] = []
                for index in 0..<31 {
                    let asked = ByteBuffer(string: #"{"email": "nobody\#(index)@example.org"}"#)
                    statuses.append(try await post("/api/v1/access-links", asked, from: "192.0.2.99"))
                }
                #expect(statuses.prefix(30).allSatisfy { $0 == .accepted })
                #expect(statuses.last == .tooManyRequests)
            }
        }
    }

    @Test("two processes on one store share the sign-in counts: 40 concurrent tries over both get exactly 5")
    func throttleSharedByProcesses() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("throttle-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let location = StoreLocation.sqlite(path: folder.appendingPathComponent("store.sqlite").path)
        let first = try await PartneringStore.open(location)
        _ = try await first.migrate()
        let second = try await PartneringStore.open(location)
        let throttles = [LoginThrottle(attempts: first.signInAttempts), LoginThrottle(attempts: second.signInAttempts)]
        let now = Date()
        let allowed = await withTaskGroup(of: Bool.self) { group in
            for index in 0..<40 {
                group.addTask {
                    (try? await throttles[index % 2].begin([ThrottleKey("desk-all", limit: 5)], now: now)) != nil
                }
            }
            return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(allowed == 5)
        await #expect(throws: Refusal.tooManyAttempts(retryAfterSeconds: 900)) {
            try await throttles[1].begin([ThrottleKey("desk-all", limit: 5)], now: now)
        }
        try await throttles[0].succeeded([ThrottleKey("desk-all", limit: 5)])
        try await throttles[1].begin([ThrottleKey("desk-all", limit: 5)], now: now)
        try await first.shutdown()
        try await second.shutdown()
    }

    @Test("a new SQLite store is 0600 in a 0700 folder")
    func storePermissions() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("perm-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("data/store.sqlite").path
        let store = try await PartneringStore.open(.sqlite(path: path))
        _ = try await store.migrate()
        try await store.shutdown()
        func mode(_ path: String) throws -> Int {
            (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int ?? 0) & 0o777
        }
        #expect(try mode(path) == 0o600)
        #expect(try mode(folder.appendingPathComponent("data").path) == 0o700)
    }

    @Test(
        "no template carries an inline script, which the content security policy would block; pages load theirs from /assets"
    )
    func scriptsAreFilesOfTheSite() async throws {
        let templates = TestEnvironment.repositoryRoot.appendingPathComponent("templates")
        let files = try #require(FileManager.default.enumerator(atPath: templates.path))
        for case let name as String in files where name.hasSuffix(".mustache") {
            let text = try String(contentsOf: templates.appendingPathComponent(name), encoding: .utf8)
            for tag in text.components(separatedBy: "<script").dropFirst() {
                let attributes = tag.prefix { $0 != ">" }
                // Data blocks (`type="application/json"`) are not run, so the policy lets them be.
                #expect(
                    attributes.contains("src=") || attributes.contains("application/json"),
                    "\(name): an inline <script\(attributes)>")
            }
        }
        try await RegistrationServer.with { server in
            try await buildApplication(environment: server.environment).test(.router) { client in
                for script in ["schedule-progress.js", "schedule-board.js", "board.js"] {
                    let response = try await client.execute(uri: "/assets/" + script, method: .get)
                    #expect(response.status == .ok, "\(script)")
                    #expect(response.headers[.contentType] == "text/javascript; charset=utf-8")
                }
                #expect(try await client.execute(uri: "/assets/../config/event.yaml", method: .get).status == .notFound)
            }
        }
    }
}
