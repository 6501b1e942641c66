import CheckIn
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PartneringCore
import PartneringServer
import Storage
import Testing
import Tickets

/// A desk on a live test server: the passcode set, the clock on the morning of the
/// event, and the store's tickets signed with the key folder's key.
struct DeskServer {
    static let passcode = "accueil-2027"

    let server: RegistrationServer
    let issuance: TicketIssuance
    let key: TicketSigningKey

    var environment: ServerEnvironment { server.environment }

    /// Moves the clock to 08:30 in Paris on the day of the event (registration is closed by then).
    func openDoors() throws {
        let morning = try #require(ISO8601DateFormatter().date(from: "2027-03-18T07:30:00Z"))
        server.clock.advance(by: morning.timeIntervalSince(server.clock.now))
    }

    static func with<T>(_ kind: StoreKind = .sqlite, _ body: (DeskServer) async throws -> T) async throws -> T {
        try await RegistrationServer.with(kind) { server in
            try await server.environment.desk.passcode.set(passcode, cost: 4)
            let folder = URL(fileURLWithPath: server.environment.settings.keyDirectory, isDirectory: true)
            let key = try TicketKeyStore(folder: folder).signingKey()
            let store = server.environment.store
            let clock = server.clock
            let issuance = TicketIssuance(
                issuer: TicketIssuer(key: key, event: server.environment.event.id), event: server.environment.event,
                participants: store.participants, tickets: store.tickets,
                clock: { clock.now })
            return try await body(DeskServer(server: server, issuance: issuance, key: key))
        }
    }

    /// Registers a company delegate through the JSON API (confirmed at once, so the
    /// registration service issues the ticket) and returns the participant.
    func register(_ client: some TestClientProtocol, _ name: String) async throws -> Participant {
        // Addresses are ASCII (the outbox writes no international addresses): "Zoë" becomes "zoe".
        let email =
            name.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil)
            .replacingOccurrences(of: " ", with: ".") + "@example.org"
        let response = try await client.execute(
            uri: "/api/v1/registrations/company", method: .post, headers: [.contentType: "application/json"],
            body: registrationJSON(name: name, email: email))
        #expect(response.status == .created)
        return try #require(try await environment.store.participants.find(email: email))
    }

    /// The token of a participant's ticket as the registration service issued it.
    func token(of participant: Participant) async throws -> String {
        try await issuance.currentOrNew(for: participant, actor: "test")
    }

    func signIn(_ client: some TestClientProtocol, desk: String) async throws -> String {
        let response = try await client.execute(
            uri: "/api/desk/sessions", method: .post, headers: [.contentType: "application/json"],
            body: ByteBuffer(string: #"{"desk": "\#(desk)", "passcode": "\#(Self.passcode)"}"#))
        #expect(response.status == .created)
        return try #require(jsonObject(response.body)["token"] as? String)
    }

    static func scan(
        _ client: some TestClientProtocol, token: String, text: String, nonce: String = "n-" + UUID().uuidString
    ) async throws -> [String: Any] {
        let body = try JSONSerialization.data(withJSONObject: ["text": text, "nonce": nonce])
        let response = try await client.execute(
            uri: "/api/desk/scans", method: .post,
            headers: [.authorization: "Bearer \(token)", .contentType: "application/json"],
            body: ByteBuffer(data: body))
        #expect(response.status == .ok)
        return jsonObject(response.body)
    }
}

extension TicketIssuance {
    fileprivate func currentOrNew(for participant: Participant, actor: String) async throws -> String {
        try await currentOrNew(for: participant, ticketID: nil, actor: actor).token
    }
}

@Suite("Check-in desk API")
struct DeskAPITests {
    @Test("every verdict through the API, with stable codes", arguments: StoreKind.testable)
    func everyVerdict(kind: StoreKind) async throws {
        try await DeskServer.with(kind) { desk in
            try await buildApplication(environment: desk.environment).test(.router) { client in
                let event = desk.environment.event
                let validity = TicketIssuance.validity(of: event)
                let amelie = try await desk.register(client, "Amélie Durand")
                let bruno = try await desk.register(client, "Bruno Martin")
                let chloe = try await desk.register(client, "Chloé Petit")
                let denis = try await desk.register(client, "Denis Roux")
                try desk.openDoors()
                var token = try await desk.signIn(client, desk: "Entrée A")
                let ticket = try await desk.token(of: amelie)
                var codes: [String: String] = [:]
                func scan(_ label: String, _ text: String) async throws -> [String: Any] {
                    let answer = try await DeskServer.scan(client, token: token, text: text)
                    codes[label] = answer["code"] as? String
                    return answer
                }

                let admitted = try await scan("admitted", ticket)
                let again = try await scan("again", ticket)
                var bytes = try Base45.decode(ticket.dropFirst(4))
                bytes[40] ^= 0x01
                _ = try await scan("forged", "PT1:" + Base45.encode(bytes))
                let stranger = TicketIssuer(key: try TicketSigningKey.generate(), event: event.id)
                _ = try await scan(
                    "stranger",
                    try stranger.issue(participantNumber: 1, role: .company, notBefore: validity.0, expiry: validity.1)
                        .token)
                let lyon = TicketIssuer(key: desk.key, event: "onco-lyon-2027")
                _ = try await scan(
                    "lyon",
                    try lyon.issue(participantNumber: 1, role: .company, notBefore: validity.0, expiry: validity.1)
                        .token)
                _ = try await scan("garbage", "https://example.org")
                _ = try await scan("future format", "PT9:" + ticket.dropFirst(4))
                let own = TicketIssuer(key: desk.key, event: event.id)
                _ = try await scan(
                    "nobody",
                    try own.issue(participantNumber: 4_000, role: .company, notBefore: validity.0, expiry: validity.1)
                        .token)
                let old = try await desk.token(of: bruno)
                _ = try await desk.issuance.issue(to: bruno, actor: "test")
                _ = try await scan("reissued", old)
                // Cancelling the registration revokes its ticket (through the registration service).
                let chloeTicket = try await desk.token(of: chloe)
                _ = try await desk.environment.registration.organisers.cancel(
                    chloe.id.rawValue, by: "organiser@example.org", reason: nil)
                _ = try await scan("cancelled registration", chloeTicket)
                _ = try await scan(
                    "cancelled, ticket from elsewhere",
                    try own.issue(
                        participantNumber: chloe.number, role: .company, notBefore: validity.0, expiry: validity.1
                    ).token)
                let denisTicket = try await desk.token(of: denis)
                // Desk sessions last 16 hours: sign in again after moving the clock.
                desk.server.clock.advance(by: validity.expiry.timeIntervalSince(desk.server.clock.now))
                token = try await desk.signIn(client, desk: "Entrée A")
                _ = try await scan("late", denisTicket)
                desk.server.clock.advance(by: validity.notBefore.timeIntervalSince(desk.server.clock.now) - 1)
                _ = try await scan("early", denisTicket)

                #expect(
                    codes == [
                        "admitted": "admitted", "again": "already_checked_in", "forged": "bad_signature",
                        "stranger": "unknown_key", "lyon": "other_event", "garbage": "malformed",
                        "future format": "unsupported_version", "nobody": "unknown_participant",
                        "reissued": "revoked", "cancelled registration": "revoked",
                        "cancelled, ticket from elsewhere": "cancelled", "late": "expired", "early": "not_yet_valid",
                    ])
                let card = try #require(admitted["participant"] as? [String: Any])
                #expect(card["name"] as? String == "Amélie Durand")
                #expect(card["organisation"] as? String == "Hémato Bio")
                #expect((card["roleName"] as? [String: Any])?["fr"] as? String == "Entreprise")
                let first = try #require(again["firstArrival"] as? [String: Any])
                #expect(first["desk"] as? String == "Entrée A")
                #expect(first["time"] as? String == "2027-03-18T07:30:00Z")
                #expect((again["message"] as? [String: Any])?["en"] as? String == "Already checked in.")
                let audit = try await desk.environment.store.auditLog.list(AuditFilter(actor: "desk:Entrée A"))
                #expect(audit.count { $0.action.hasPrefix("checkin.") } == codes.count)
            }
        }
    }

    @Test("concurrent requests from two desks for one ticket admit once", arguments: StoreKind.testable)
    func concurrentDesks(kind: StoreKind) async throws {
        try await DeskServer.with(kind) { desk in
            try await buildApplication(environment: desk.environment).test(.router) { client in
                let participant = try await desk.register(client, "Élise Bernard")
                try desk.openDoors()
                let tokens = [
                    try await desk.signIn(client, desk: "Entrée A"), try await desk.signIn(client, desk: "Entrée B"),
                ]
                let ticket = try await desk.token(of: participant)

                let codes = try await withThrowingTaskGroup(of: String.self) { group in
                    for index in 0..<12 {
                        group.addTask {
                            try await DeskServer.scan(client, token: tokens[index % 2], text: ticket)["code"] as? String
                                ?? ""
                        }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }

                #expect(codes.count { $0 == "admitted" } == 1)
                #expect(codes.count { $0 == "already_checked_in" } == 11)
                #expect(try await desk.environment.store.checkIns.checkIns().count == 1)
            }
        }
    }

    @Test("a scan sent again with its nonce is answered the same and recorded once")
    func repeatedNonce() async throws {
        try await DeskServer.with { desk in
            try await buildApplication(environment: desk.environment).test(.router) { client in
                let francois = try await desk.register(client, "François Lefèvre")
                try desk.openDoors()
                let token = try await desk.signIn(client, desk: "Entrée A")
                let ticket = try await desk.token(of: francois)

                let first = try await DeskServer.scan(client, token: token, text: ticket, nonce: "retry-0001")
                let retry = try await DeskServer.scan(client, token: token, text: ticket, nonce: "retry-0001")

                #expect(first["code"] as? String == "admitted")
                #expect(retry["code"] as? String == "admitted")
                #expect(retry["repeatedScan"] as? Bool == true)
                let audit = try await desk.environment.store.auditLog.list(AuditFilter(action: "checkin.admit"))
                #expect(audit.count == 1)
            }
        }
    }

    @Test("an offline queue uploaded by a second desk reports the conflict", arguments: StoreKind.testable)
    func uploadConflict(kind: StoreKind) async throws {
        try await DeskServer.with(kind) { desk in
            try await buildApplication(environment: desk.environment).test(.router) { client in
                let gaelle = try await desk.register(client, "Gaëlle Simon")
                try desk.openDoors()
                let deskA = try await desk.signIn(client, desk: "Entrée A")
                let deskB = try await desk.signIn(client, desk: "Entrée B")
                let ticket = try await desk.token(of: gaelle)
                func upload(_ token: String, _ nonce: String, at time: String) async throws -> [String: Any] {
                    let body = try JSONSerialization.data(withJSONObject: [
                        "scans": [["text": ticket, "nonce": nonce, "scannedAt": time, "localCode": "admitted"]]
                    ])
                    let response = try await client.execute(
                        uri: "/api/desk/uploads", method: .post,
                        headers: [.authorization: "Bearer \(token)", .contentType: "application/json"],
                        body: ByteBuffer(data: body))
                    #expect(response.status == .ok)
                    return jsonObject(response.body)
                }

                let fromA = try await upload(deskA, "offline-a-0001", at: "2027-03-18T07:10:00Z")
                let fromB = try await upload(deskB, "offline-b-0001", at: "2027-03-18T07:12:00Z")
                let againB = try await upload(deskB, "offline-b-0001", at: "2027-03-18T07:12:00Z")

                #expect((fromA["conflicts"] as? [Any])?.isEmpty == true)
                let conflict = try #require((fromB["conflicts"] as? [[String: Any]])?.first)
                #expect(conflict["kind"] as? String == "admitted_twice")
                #expect((conflict["firstArrival"] as? [String: Any])?["desk"] as? String == "Entrée A")
                #expect((conflict["participant"] as? [String: Any])?["name"] as? String == "Gaëlle Simon")
                #expect(againB["repeated"] as? Int == 1)
                #expect(againB["recorded"] as? Int == 0)
                #expect(try await desk.environment.store.checkIns.checkIns().count == 1)
            }
        }
    }

    @Test("a made-up X-Forwarded-For does not spread passcode guesses over many clients")
    func guessesThrottledWhateverTheHeader() async throws {
        try await DeskServer.with { desk in
            try await buildApplication(environment: desk.environment).test(.router) { client in
                func attempt(_ passcode: String, from address: String) async throws -> Int {
                    let response = try await client.execute(
                        uri: "/api/desk/sessions", method: .post,
                        headers: [.contentType: "application/json", HTTPField.Name("X-Forwarded-For")!: address],
                        body: ByteBuffer(string: #"{"desk": "A", "passcode": "\#(passcode)"}"#))
                    return Int(response.status.code)
                }
                for guess in 1...5 {
                    let status = try await attempt("guess-\(guess)", from: "203.0.113.\(guess)")
                    #expect(status == 401)
                }
                // The right passcode, "from" yet another address: still the same client, still blocked.
                let last = try await attempt(DeskServer.passcode, from: "198.51.100.7")
                #expect(last == 429)
            }
        }
    }

    @Test("desks sign in apart from organisers; the API refuses the unsigned and forged cookies")
    func access() async throws {
        try await DeskServer.with { desk in
            try await buildApplication(environment: desk.environment).test(.router) { client in
                let wrong = try await client.execute(
                    uri: "/api/desk/sessions", method: .post, headers: [.contentType: "application/json"],
                    body: ByteBuffer(string: #"{"desk": "A", "passcode": "organiser-password"}"#))
                #expect(wrong.status == .unauthorized)
                #expect(jsonObject(wrong.body)["code"] as? String == "invalid_credentials")
                let anonymous = try await client.execute(uri: "/api/desk/counters", method: .get)
                #expect(anonymous.status == .unauthorized)
                #expect(anonymous.headers[.contentType] == "application/problem+json")

                // The page: sign-in form, then the desk with its scanner input.
                let browser = Browser(client)
                let redirected = try await browser.get("/desk")
                #expect(redirected.status == .seeOther)
                #expect(redirected.headers[.location] == "/desk/login")
                let form = try await browser.get("/desk/login?lang=en")
                let signedIn = try await browser.post(
                    "/desk/login", [("_csrf", form.csrf), ("desk", "Entrée A"), ("passcode", DeskServer.passcode)])
                #expect(signedIn.status == .seeOther)
                let page = try await browser.get("/desk")
                #expect(page.status == .ok)
                #expect(page.body.contains(#"id="scan-input""#))
                #expect(page.body.contains("Entrée A"))
                #expect(page.body.contains(#""already_checked_in":"Already checked in.""#))
                let script = try await browser.get("/desk/assets/desk.js")
                #expect(script.headers[.contentType] == "text/javascript; charset=utf-8")
                #expect(script.body.contains("crypto.subtle.verify"))

                // A form posted with the cookie alone (no JSON) could come from another site.
                let forged = try await browser.post("/api/desk/scans", [("text", "PT1:x"), ("nonce", "forged-0001")])
                #expect(forged.status == .forbidden)
                let counters = try await browser.get("/api/desk/counters")
                #expect(counters.status == .ok)
                #expect(counters.body.contains(#""expected":0"#))
            }
        }
    }

    @Test("name search and admission by name; counters; the bundle download")
    func searchCountersBundle() async throws {
        try await DeskServer.with { desk in
            try await buildApplication(environment: desk.environment).test(.router) { client in
                let helene = try await desk.register(client, "Hélène Moreau")
                _ = try await desk.register(client, "Igor Petrov")
                try desk.openDoors()
                let token = try await desk.signIn(client, desk: "Accueil")
                let bearer: HTTPFields = [.authorization: "Bearer \(token)", .contentType: "application/json"]

                let search = jsonObject(
                    try await client.execute(uri: "/api/desk/search?q=helene", method: .get, headers: bearer).body)
                let matches = try #require(search["matches"] as? [[String: Any]])
                #expect(matches.compactMap { ($0["card"] as? [String: Any])?["name"] as? String } == ["Hélène Moreau"])
                let admission = try await client.execute(
                    uri: "/api/desk/admissions", method: .post, headers: bearer,
                    body: ByteBuffer(string: #"{"participant": "\#(helene.id.rawValue)", "nonce": "manual-0001"}"#))
                #expect(jsonObject(admission.body)["code"] as? String == "admitted")
                let counters = jsonObject(
                    try await client.execute(uri: "/api/desk/counters", method: .get, headers: bearer).body)
                #expect(counters["arrived"] as? Int == 1)
                #expect(counters["expected"] as? Int == 2)

                let bundle = try await client.execute(uri: "/api/desk/bundle", method: .get, headers: bearer)
                let decoded = try DeskBundle(json: Data(buffer: bundle.body))
                #expect(decoded.roster.count == 2)
                #expect(decoded.roster.first { $0.card.participant == helene.id }?.arrival?.desk == "Accueil")
                #expect(try decoded.keySet() == TicketKeySet([desk.key.publicKey]))
            }
        }
    }
}
