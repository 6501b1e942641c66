import Foundation
import PartneringConfig
import Testing

@Suite("Service settings")
struct ServiceSettingsTests {
    @Test("defaults: SQLite in the data folder, keys and outbox below it")
    func defaults() async throws {
        let settings = try await ServiceSettings.load(file: nil, environment: [:])

        #expect(settings.port == 8080)
        #expect(settings.database == .sqlite(path: "data/partnering.sqlite"))
        #expect(settings.keyDirectory == "data/keys")
        #expect(settings.outboxDirectory == "data/outbox")
        #expect(settings.organiserPassword == nil)
        #expect(!settings.trustForwardedFor, "X-Forwarded-For is ignored unless a proxy is declared")
    }

    @Test("trusting X-Forwarded-For is a yes-or-no setting")
    func trustForwardedFor() async throws {
        let trusted = try await ServiceSettings.load(
            file: nil, environment: ["PARTNERING_TRUST_FORWARDED_FOR": "true"])
        #expect(trusted.trustForwardedFor)
        let error = try await #require(throws: ConfigurationError.self) {
            try await ServiceSettings.load(file: nil, environment: [:], overrides: [.trustForwardedFor: "maybe"])
        }
        #expect(error.description.contains("--trust-forwarded-for"))
        #expect(error.description.contains("expected true or false"))
    }

    @Test("layers: the command line wins over the environment, which wins over the file")
    func layering() async throws {
        let file = try temporaryFile("port: 9000\ndataDir: from-file\nhost: 0.0.0.0\n")

        let fromFile = try await ServiceSettings.load(file: file, environment: [:])
        let fromEnvironment = try await ServiceSettings.load(
            file: file, environment: ["PARTNERING_PORT": "9100", "PARTNERING_DATA_DIR": "from-env"])
        let fromFlags = try await ServiceSettings.load(
            file: file, environment: ["PARTNERING_PORT": "9100"], overrides: [.port: "9200"])

        #expect(fromFile.port == 9000 && fromFile.dataDirectory == "from-file" && fromFile.host == "0.0.0.0")
        #expect(fromEnvironment.port == 9100 && fromEnvironment.dataDirectory == "from-env")
        #expect(fromEnvironment.database == .sqlite(path: "from-env/partnering.sqlite"))
        #expect(fromFlags.port == 9200)
    }

    @Test("keys from the deployment: a PEM in the environment or a file, a link secret; each given once")
    func deploymentKeys() async throws {
        let pem = Fixtures.pemShapedText
        let secretFile = try temporaryFile(String(repeating: "s", count: 40))
        let given = try await ServiceSettings.load(
            file: nil,
            environment: [
                "PARTNERING_TICKET_SIGNING_KEY": pem, "PARTNERING_LINK_SECRET_FILE": secretFile,
                "PARTNERING_DRAIN_SECONDS": "10",
            ])
        #expect(given.ticketSigningKey == pem && given.ticketSigningKeyFile == nil)
        #expect(given.linkSecretFile == secretFile && given.linkSecret == nil)
        #expect(given.drainSeconds == 10)

        let error = try await #require(throws: ConfigurationError.self) {
            try await ServiceSettings.load(
                file: nil,
                environment: [
                    "PARTNERING_TICKET_SIGNING_KEY": "not a pem", "PARTNERING_LINK_SECRET": "short",
                    "PARTNERING_TICKET_SIGNING_KEY_FILE": "/nonexistent/key.pem",
                ])
        }
        #expect(error.description.contains("PARTNERING_TICKET_SIGNING_KEY: expected a PKCS#8 PEM"))
        #expect(error.description.contains("PARTNERING_LINK_SECRET: must have at least 32 characters"))
        #expect(error.description.contains("PARTNERING_TICKET_SIGNING_KEY_FILE: cannot read /nonexistent/key.pem"))
        #expect(error.description.contains("give the ticket signing key once"))
        #expect(!error.description.contains("short\""), "a secret's value is never echoed")
    }

    @Test("a PostgreSQL URL selects the shared store")
    func postgres() async throws {
        let settings = try await ServiceSettings.load(
            file: nil, environment: ["PARTNERING_DATABASE_URL": "postgres://partnering:secret@db:5432/partnering"])

        #expect(settings.database == .postgres(url: "postgres://partnering:secret@db:5432/partnering"))
        #expect(!settings.database.description.contains("secret"))
    }

    @Test("every invalid key is named with the layer it came from")
    func invalidKeysNamed() async throws {
        let file = try temporaryFile("host: 127.0.0.1\nport: eighty\nlogLevel: loud\n")

        let error = try await #require(throws: ConfigurationError.self) {
            try await ServiceSettings.load(
                file: file, environment: ["PARTNERING_DATABASE_URL": "mysql://x"], overrides: [:])
        }

        let text = error.description
        #expect(text.contains("\(file):2: port"))
        #expect(text.contains("\"eighty\""))
        #expect(text.contains("\(file):3: logLevel"))
        #expect(text.contains("environment: PARTNERING_DATABASE_URL"))
        #expect(error.issues.count == 3)
    }

    @Test("environment variable names follow the keys")
    func environmentNames() {
        #expect(ServiceSettings.Key.dataDir.environmentVariable == "PARTNERING_DATA_DIR")
        #expect(ServiceSettings.Key.baseUrl.environmentVariable == "PARTNERING_BASE_URL")
        #expect(ServiceSettings.Key.port.environmentVariable == "PARTNERING_PORT")
    }

    private func temporaryFile(_ contents: String) throws -> String {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("partnering-settings-\(UUID().uuidString).yaml").path
        try contents.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }
}
