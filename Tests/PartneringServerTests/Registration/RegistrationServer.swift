import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import PartneringConfig
import PartneringCore
import PartneringServer
import Registration
import Storage
import Testing

/// The stores the HTTP tests run on: SQLite always, PostgreSQL when
/// `PARTNERING_TEST_POSTGRES_URL` names a server (scripts/with-postgres.sh sets it).
enum StoreKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite
    case postgres

    var testDescription: String { self == .sqlite ? "SQLite" : "PostgreSQL" }

    static var postgresURL: String? {
        ProcessInfo.processInfo.environment["PARTNERING_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    static var testable: [StoreKind] {
        postgresURL != nil || ProcessInfo.processInfo.environment["CI"] == "true" ? allCases : [.sqlite]
    }
}

/// A server environment with live registration services (key folder, tickets, outbox)
/// in a temporary folder, on a fresh database, and a clock the test controls.
struct RegistrationServer {
    static let start = ISO8601DateFormatter().date(from: "2026-11-02T10:00:00Z") ?? Date()

    let environment: ServerEnvironment
    let clock: TestClock
    let folder: URL

    var outbox: URL { URL(fileURLWithPath: environment.settings.outboxDirectory) }

    /// Runs `body` against a fresh server environment, then removes everything. `settings` and
    /// `event` change the test settings and the sample event before the services are assembled
    /// on them.
    static func with<T>(
        _ kind: StoreKind = .sqlite, capacity: Int? = nil, expertsNeedApproval: Bool = false, migrated: Bool = true,
        settings changeSettings: (inout ServiceSettings) throws -> Void = { _ in },
        event changeEvent: (inout EventDefinition) throws -> Void = { _ in },
        _ body: (RegistrationServer) async throws -> T
    ) async throws -> T {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "partnering-http-\(UUID().uuidString)")
        var settings = try await ServiceSettings.load(file: nil, environment: [:])
        settings.port = 0
        settings.templatesDirectory = TestEnvironment.repositoryRoot.appendingPathComponent("templates").path
        settings.eventFile = TestEnvironment.repositoryRoot.appendingPathComponent("config/event.yaml").path
        settings.dataDirectory = folder.path
        settings.keyDirectory = folder.appendingPathComponent("keys").path
        settings.outboxDirectory = folder.appendingPathComponent("outbox").path
        try changeSettings(&settings)
        var dropDatabase: (@Sendable () async throws -> Void)?
        switch kind {
        case .sqlite:
            settings.database = .sqlite(path: folder.appendingPathComponent("test.sqlite").path)
        case .postgres:
            guard let server = StoreKind.postgresURL else {
                throw TestSetupError(description: "PARTNERING_TEST_POSTGRES_URL is not set (CI=true needs it)")
            }
            let name =
                "partnering_http_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(16)
            let logger = Logger(label: "tests")
            settings.database = .postgres(
                url: try await PostgresDatabases.create(named: String(name), onServerOf: server, logger: logger))
            dropDatabase = { try await PostgresDatabases.drop(named: String(name), onServerOf: server, logger: logger) }
        }
        var event = try EventDefinitionLoader.load(path: settings.eventFile)
        if let capacity {
            event.categories = event.categories.map {
                var c = $0; c.capacity = capacity; return c
            }
        }
        event.roles = event.roles.map {
            var r = $0; r.requiresApproval = r.role == .expert && expertsNeedApproval; return r
        }
        try changeEvent(&event)
        let store = try await PartneringStore.open(settings.database)
        // An unmigrated store starts no background work: it would only fail on missing tables.
        if migrated { _ = try await store.migrate() }
        let clock = TestClock(start)
        var logger = Logger(label: "partnering-tests")
        logger.logLevel = .critical
        let environment = try await ServerEnvironment.assemble(
            settings: settings, event: event, store: store, logger: logger,
            dependencies: .controlled(clock: clock, seed: UInt64.random(in: 1...UInt64.max)), passwordCost: 4,
            startsMail: migrated)
        let services = environment.registration
        let server = RegistrationServer(environment: environment, clock: clock, folder: folder)
        if migrated { environment.scheduling.start() }
        do {
            let result = try await body(server)
            await environment.scheduling.stop()
            await services.mail?.drain()
            await services.mail?.stop()
            try await store.shutdown()
            try await dropDatabase?()
            try? FileManager.default.removeItem(at: folder)
            return result
        } catch {
            await environment.scheduling.stop()
            await services.mail?.drain()
            await services.mail?.stop()
            try? await store.shutdown()
            try? await dropDatabase?()
            try? FileManager.default.removeItem(at: folder)
            throw error
        }
    }

    /// An organiser signed in through the login page (the first account, bootstrapped).
    func signInOrganiser(_ client: any TestClientProtocol) async throws -> Browser {
        try await signInOrganiserWithPassword(client).browser
    }

    /// An organiser signed in through the login page, and the account's password (for an API token).
    func signInOrganiserWithPassword(_ client: any TestClientProtocol) async throws -> (
        browser: Browser, password: String
    ) {
        let password = try #require(
            try await environment.registration.organisers.bootstrap(email: "org@example.org", password: nil))
        let organiser = Browser(client)
        let login = try await organiser.get("/organiser/login?lang=en")
        let signedIn = try await organiser.post(
            "/organiser/login", [("_csrf", login.csrf), ("email", "org@example.org"), ("password", password)])
        #expect(signedIn.status == .seeOther)
        return (organiser, password)
    }

    /// The messages in the outbox with quoted-printable text decoded (soft line breaks
    /// joined, `=XX` turned back into bytes), so that links can be read whole.
    func decodedOutboxMessages() async throws -> [String] {
        try await outboxMessages().map { message in
            var bytes: [UInt8] = []
            let raw = Array(message.replacingOccurrences(of: "=\r\n", with: "").utf8)
            var index = 0
            while index < raw.count {
                if raw[index] == UInt8(ascii: "="), index + 2 < raw.count,
                    let value = UInt8(String(decoding: raw[(index + 1)...(index + 2)], as: UTF8.self), radix: 16)
                {
                    bytes.append(value)
                    index += 3
                } else {
                    bytes.append(raw[index])
                    index += 1
                }
            }
            return String(decoding: bytes, as: UTF8.self)
        }
    }

    /// The messages in the outbox (after the dispatcher wrote them), as text.
    func outboxMessages() async throws -> [String] {
        await environment.registration.mail?.drain()
        let folder = outbox.appendingPathComponent("new")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return try names.sorted().map { try String(contentsOf: folder.appendingPathComponent($0), encoding: .utf8) }
    }
}

struct TestSetupError: Error, CustomStringConvertible {
    var description: String
}

/// A browser for the tests: remembers cookies, finds the anti-forgery token in pages.
final class Browser: @unchecked Sendable {
    private(set) var cookies: [String: String] = [:]
    let client: any TestClientProtocol

    init(_ client: any TestClientProtocol) { self.client = client }

    struct Page {
        let status: HTTPResponse.Status
        let body: String
        let headers: HTTPFields

        /// The anti-forgery token of the page's first form.
        var csrf: String { Self.capture(#"name="_csrf" value="([^"]+)""#, in: body) ?? "" }
        var submission: String { Self.capture(#"name="_submission" value="([^"]+)""#, in: body) ?? "" }

        static func capture(_ pattern: String, in text: String) -> String? {
            guard let expression = try? NSRegularExpression(pattern: pattern),
                let match = expression.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)),
                let range = Range(match.range(at: 1), in: text)
            else { return nil }
            return String(text[range])
        }
    }

    private var cookieHeader: HTTPFields {
        cookies.isEmpty ? [:] : [.cookie: cookies.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: "; ")]
    }

    private func remember(_ headers: HTTPFields) {
        for value in headers[values: .setCookie] {
            let pair = value.split(separator: ";")[0].split(separator: "=", maxSplits: 1)
            guard pair.count == 2 else { continue }
            if value.contains("Max-Age=0") {
                cookies[String(pair[0])] = nil
            } else {
                cookies[String(pair[0])] = String(pair[1])
            }
        }
    }

    func get(_ uri: String, headers: HTTPFields = [:]) async throws -> Page {
        var all = cookieHeader
        all.append(contentsOf: headers)
        let response = try await client.execute(uri: uri, method: .get, headers: all, body: nil)
        remember(response.headers)
        return Page(status: response.status, body: String(buffer: response.body), headers: response.headers)
    }

    /// Posts a form; `fields` may repeat a name (checkboxes).
    func post(_ uri: String, _ fields: [(String, String)]) async throws -> Page {
        var all = cookieHeader
        all[.contentType] = "application/x-www-form-urlencoded"
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))
        let body = fields.map {
            ($0.0.addingPercentEncoding(withAllowedCharacters: allowed) ?? "") + "="
                + ($0.1.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")
        }.joined(separator: "&")
        let response = try await client.execute(uri: uri, method: .post, headers: all, body: ByteBuffer(string: body))
        remember(response.headers)
        return Page(status: response.status, body: String(buffer: response.body), headers: response.headers)
    }
}

/// What a registration form holds when filled in correctly.
func registrationFields(
    name: String = "Hélène Dupré", email: String = "helene@example.org", csrf: String, submission: String = ""
) -> [(String, String)] {
    [
        ("_csrf", csrf), ("_submission", submission), ("name", name), ("email", email),
        ("organisation", "OncoThéra SAS"), ("jobTitle", "Directrice scientifique"), ("country", "FR"),
        ("phone", "+33 1 23 45 67 89"), ("topics", "aml"), ("topics", "car-t"),
        ("profile", "Thérapies cellulaires dans la LAM."), ("sessions", "morning"), ("sessions", "afternoon"),
        ("maxMeetings", "8"), ("language", "fr"), ("acceptPrivacy", "yes"), ("listInDirectory", "yes"),
    ]
}

/// A registration as the JSON API takes it.
func registrationJSON(name: String, email: String, language: String = "en") -> ByteBuffer {
    let body: [String: Any] = [
        "name": name, "email": email, "organisation": "Hémato Bio", "jobTitle": "CSO", "country": "DE",
        "topics": ["myeloma", "bispecifics"], "profile": "Bispecific antibodies in myeloma.",
        "sessions": ["morning", "afternoon"], "language": language, "acceptPrivacy": true, "listInDirectory": true,
    ]
    return ByteBuffer(data: (try? JSONSerialization.data(withJSONObject: body)) ?? Data())
}

/// Parses a JSON object body.
func jsonObject(_ buffer: ByteBuffer) -> [String: Any] {
    (try? JSONSerialization.jsonObject(with: Data(buffer: buffer))) as? [String: Any] ?? [:]
}
