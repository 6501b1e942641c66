import ArgumentParser
import Foundation
import PartneringConfig
import PartneringCore
import Tickets

/// The options every subcommand that touches the store or the event shares.
struct ServiceOptions: ParsableArguments {
    @Option(name: .long, help: "The service configuration file (YAML).")
    var config: String = ServiceOptions.defaultConfig

    @Option(name: .long, help: "The folder of the SQLite store, keys and outbox (env PARTNERING_DATA_DIR).")
    var dataDir: String?

    @Option(name: .long, help: "The HTTP port (env PARTNERING_PORT).")
    var port: Int?

    @Option(name: .long, help: "postgres://user@host:port/db for a shared store (env PARTNERING_DATABASE_URL).")
    var databaseURL: String?

    @Option(name: .long, help: "The event definition (env PARTNERING_EVENT_FILE).")
    var eventFile: String?

    /// The settings from file, environment and these flags.
    func settings() async throws -> ServiceSettings {
        var overrides: [ServiceSettings.Key: String] = [:]
        if let dataDir { overrides[.dataDir] = dataDir }
        if let port { overrides[.port] = String(port) }
        if let databaseURL { overrides[.databaseUrl] = databaseURL }
        if let eventFile { overrides[.eventFile] = eventFile }
        return try await Self.loadSettings(config: config, overrides: overrides)
    }

    static let defaultConfig = "config/partnering.yaml"

    /// The settings from `config` (which may be missing only when it is the default),
    /// the environment and `overrides`: the one way every subcommand finds its folders.
    static func loadSettings(config: String, overrides: [ServiceSettings.Key: String]) async throws
        -> ServiceSettings
    {
        let file = FileManager.default.fileExists(atPath: config) ? config : nil
        if file == nil && config != defaultConfig {
            throw CommandFailure.badInput("--config \(config): no such file")
        }
        return try await ServiceSettings.load(
            file: file, environment: ProcessInfo.processInfo.environment, overrides: overrides)
    }

    /// The settings and the event definition they name.
    func settingsAndEvent() async throws -> (ServiceSettings, EventDefinition) {
        let settings = try await settings()
        let event = try EventDefinitionLoader.load(path: settings.eventFile)
        return (settings, event)
    }
}

extension ServiceSettings {
    /// The ticket key these settings name (the key folder's, or the one the deployment
    /// gives); a key that cannot be had is bad input.
    func ticketKeySource() throws -> TicketKeySource {
        do {
            return try TicketKeySource(keyDirectory: keyDirectory, pem: ticketSigningKey, pemFile: ticketSigningKeyFile)
        } catch {
            throw CommandFailure.badInput(error.description)
        }
    }
}
