import Configuration
import Foundation
import PartneringCore
import SystemPackage

/// The settings of the service: where it listens, where it keeps its data and
/// which event it runs. Read in layers: file → environment → command line.
public struct ServiceSettings: Sendable, Hashable {
    public var host: String
    public var port: Int
    public var baseURL: URL
    public var database: StoreLocation
    public var dataDirectory: String
    public var keyDirectory: String
    public var outboxDirectory: String
    public var eventFile: String
    public var templatesDirectory: String
    public var mailFrom: String
    public var mailDomain: String
    public var organiserEmail: String
    /// The first organiser's password; nil means a one-time password is generated.
    public var organiserPassword: String?
    public var logLevel: String
    /// Whether a reverse proxy in front of the service sets `X-Forwarded-For`: then the
    /// address it appended last identifies the client (for login rate limits); otherwise
    /// the connection's peer address does, and the header, which anyone can send, is ignored.
    public var trustForwardedFor: Bool = false
    /// How long, in seconds, a scheduler run stays with a worker that stopped reporting
    /// (killed, cut off) before another worker takes it over.
    public var schedulingLease: Int = 30
    /// How log lines are written: `text` (the default, for people) or `json` (one JSON
    /// object a line, for log collectors).
    public var logFormat: LogFormat = .text

    /// How log lines are written (the `logFormat` key).
    public enum LogFormat: String, Sendable, Hashable, CaseIterable {
        /// swift-log's text lines.
        case text
        /// One JSON object a line: `timestamp`, `level`, `label`, `message`, `metadata`.
        case json
    }

    /// The active ticket signing key as a PKCS#8 PEM, given by the deployment (an environment
    /// variable filled from a secret); `nil`: ``ticketSigningKeyFile`` or the key folder's key.
    public var ticketSigningKey: String?
    /// A file holding the active ticket signing key (PEM), such as a mounted secret.
    public var ticketSigningKeyFile: String?
    /// The secret of access links and sessions (at least 32 bytes) given by the deployment;
    /// `nil`: ``linkSecretFile`` or the key folder's `link-secret`.
    public var linkSecret: String?
    /// A file holding the secret of access links and sessions, such as a mounted secret.
    public var linkSecretFile: String?
    /// How long, in seconds, `serve` keeps answering after SIGTERM while `/ready` says 503, so
    /// that load balancers stop sending requests before the listener closes.
    public var drainSeconds: Int = 0

    /// The keys of the configuration, as written in the file; environment
    /// variables are `PARTNERING_` plus the key in upper snake case.
    public enum Key: String, CaseIterable, Sendable {
        case host, port, baseUrl, databaseUrl, dataDir, keyDir, outboxDir, eventFile, templatesDir
        case mailFrom, mailDomain, organiserEmail, organiserPassword, logLevel, trustForwardedFor
        case schedulingLease, logFormat
        case ticketSigningKey, ticketSigningKeyFile, linkSecret, linkSecretFile, drainSeconds

        /// Whether the value is a secret (never printed by the configuration reader).
        var isSecret: Bool { [.organiserPassword, .ticketSigningKey, .linkSecret].contains(self) }

        /// The environment variable that overrides this key.
        public var environmentVariable: String {
            var name = "PARTNERING_"
            for character in rawValue {
                if character.isUppercase { name += "_" }
                name += character.uppercased()
            }
            return name
        }
    }

    /// Reads the settings.
    /// - Parameters:
    ///   - file: the YAML file (`config/partnering.yaml`); a missing file is allowed, all keys have defaults.
    ///   - environment: the process environment (injected for tests).
    ///   - overrides: values from command-line flags, by key; they win over everything.
    public static func load(
        file: String?, environment: [String: String], overrides: [Key: String] = [:]
    ) async throws -> ServiceSettings {
        var providers: [any ConfigProvider] = []
        var overrideValues: [AbsoluteConfigKey: ConfigValue] = [:]
        for (key, value) in overrides {
            overrideValues[AbsoluteConfigKey([key.rawValue])] = ConfigValue(
                .string(value), isSecret: key.isSecret)
        }
        providers.append(InMemoryProvider(name: "command line", values: overrideValues))
        var environmentValues: [String: String] = [:]
        for key in Key.allCases {
            if let value = environment[key.environmentVariable] { environmentValues[key.rawValue] = value }
        }
        providers.append(
            InMemoryProvider(
                name: "environment",
                values: Dictionary(
                    uniqueKeysWithValues: environmentValues.map { key, value in
                        (
                            AbsoluteConfigKey([key]),
                            ConfigValue(.string(value), isSecret: Key(rawValue: key)?.isSecret ?? true)
                        )
                    })))
        if let file {
            do {
                providers.append(try await FileProvider<YAMLSnapshot>(filePath: FilePath(file), allowMissing: true))
            } catch {
                throw ConfigurationError(issues: [
                    ConfigurationIssue(source: file, key: "(file)", message: "cannot be read as YAML: \(error)")
                ])
            }
        }
        let reader = ConfigReader(providers: providers)
        return try SettingsValidator(reader: reader, file: file, environment: environment, overrides: overrides)
            .validate()
    }
}

/// Turns raw values into settings, naming every missing or invalid key and where it came from.
private struct SettingsValidator {
    let reader: ConfigReader
    let file: String?
    let environment: [String: String]
    let overrides: [ServiceSettings.Key: String]
    private let collector: IssueCollector

    init(reader: ConfigReader, file: String?, environment: [String: String], overrides: [ServiceSettings.Key: String]) {
        self.reader = reader
        self.file = file
        self.environment = environment
        self.overrides = overrides
        self.collector = IssueCollector(source: file ?? "configuration")
    }

    func validate() throws -> ServiceSettings {
        let host = text(.host, default: "127.0.0.1")
        let port = number(.port, default: 8080, range: 0...65_535)
        let dataDir = text(.dataDir, default: "data")
        let baseURLText = text(.baseUrl, default: "http://\(host):\(port)")
        var baseURL = URL(string: "http://127.0.0.1:8080")
        if let parsed = URL(string: baseURLText), let scheme = parsed.scheme, ["http", "https"].contains(scheme),
            parsed.host != nil
        {
            baseURL = parsed
        } else {
            report(.baseUrl, "expected an http(s) URL such as https://partnering.example.org, found \"\(baseURLText)\"")
        }
        let databaseText = text(.databaseUrl, default: "")
        var database = StoreLocation.embedded(dataDirectory: dataDir)
        if !databaseText.isEmpty {
            do {
                database = try StoreLocation(parsing: databaseText)
            } catch {
                report(.databaseUrl, error.description)
            }
        }
        let keyDir = text(.keyDir, default: "")
        let outboxDir = text(.outboxDir, default: "")
        let eventFile = text(.eventFile, default: "config/event.yaml")
        let templatesDir = text(.templatesDir, default: "templates")
        let mailFrom = text(.mailFrom, default: "Partnering <partnering@example.org>")
        let mailDomain = text(.mailDomain, default: "example.org")
        let organiserEmail = text(.organiserEmail, default: "organiser@example.org")
        if !organiserEmail.contains("@") {
            report(.organiserEmail, "expected an e-mail address, found \"\(organiserEmail)\"")
        }
        let password = text(.organiserPassword, default: "")
        if !password.isEmpty && password.count < 12 {
            report(.organiserPassword, "must have at least 12 characters")
        }
        let logLevel = text(.logLevel, default: "info")
        let levels = ["trace", "debug", "info", "notice", "warning", "error", "critical"]
        if !levels.contains(logLevel) {
            report(.logLevel, "expected one of \(levels.joined(separator: ", ")), found \"\(logLevel)\"")
        }
        let trustText = text(.trustForwardedFor, default: "false").lowercased()
        let trustForwardedFor = ["true", "yes", "1"].contains(trustText)
        if !trustForwardedFor && !["false", "no", "0"].contains(trustText) {
            report(.trustForwardedFor, "expected true or false, found \"\(trustText)\"")
        }
        let logFormatText = text(.logFormat, default: "text").lowercased()
        let logFormat = ServiceSettings.LogFormat(rawValue: logFormatText) ?? .text
        if ServiceSettings.LogFormat(rawValue: logFormatText) == nil {
            report(.logFormat, "expected text or json, found \"\(logFormatText)\"")
        }
        // Heartbeats come every second: a lease covers a few missed ones.
        let schedulingLease = number(.schedulingLease, default: 30, range: 3...3_600)
        let ticketSigningKey = optionalText(.ticketSigningKey)
        let ticketSigningKeyFile = optionalText(.ticketSigningKeyFile)
        if ticketSigningKey != nil && ticketSigningKeyFile != nil {
            report(.ticketSigningKeyFile, "give the ticket signing key once: ticketSigningKey or ticketSigningKeyFile")
        }
        if let ticketSigningKey, !ticketSigningKey.contains("BEGIN PRIVATE KEY") {
            report(.ticketSigningKey, "expected a PKCS#8 PEM (a BEGIN PRIVATE KEY block)")
        }
        let linkSecret = optionalText(.linkSecret)
        let linkSecretFile = optionalText(.linkSecretFile)
        if linkSecret != nil && linkSecretFile != nil {
            report(.linkSecretFile, "give the link secret once: linkSecret or linkSecretFile")
        }
        if let linkSecret, linkSecret.utf8.count < 32 {
            report(.linkSecret, "must have at least 32 characters (openssl rand -base64 48 gives one)")
        }
        for (key, path) in [
            (ServiceSettings.Key.ticketSigningKeyFile, ticketSigningKeyFile), (.linkSecretFile, linkSecretFile),
        ] {
            if let path, !FileManager.default.isReadableFile(atPath: path) {
                report(key, "cannot read \(path)")
            }
        }
        let drainSeconds = number(.drainSeconds, default: 0, range: 0...600)
        guard collector.issues.isEmpty, let baseURL else { throw ConfigurationError(issues: collector.issues) }
        var settings = ServiceSettings(
            host: host, port: port, baseURL: baseURL, database: database, dataDirectory: dataDir,
            keyDirectory: keyDir.isEmpty ? dataDir + "/keys" : keyDir,
            outboxDirectory: outboxDir.isEmpty ? dataDir + "/outbox" : outboxDir, eventFile: eventFile,
            templatesDirectory: templatesDir, mailFrom: mailFrom, mailDomain: mailDomain,
            organiserEmail: organiserEmail, organiserPassword: password.isEmpty ? nil : password,
            logLevel: logLevel)
        settings.trustForwardedFor = trustForwardedFor
        settings.schedulingLease = schedulingLease
        settings.logFormat = logFormat
        settings.ticketSigningKey = ticketSigningKey
        settings.ticketSigningKeyFile = ticketSigningKeyFile
        settings.linkSecret = linkSecret
        settings.linkSecretFile = linkSecretFile
        settings.drainSeconds = drainSeconds
        return settings
    }

    private func text(_ key: ServiceSettings.Key, default fallback: String) -> String {
        reader.string(forKey: ConfigKey(key.rawValue), default: fallback).trimmingCharacters(in: .whitespaces)
    }

    /// The value of `key`, `nil` when absent or blank.
    private func optionalText(_ key: ServiceSettings.Key) -> String? {
        let value = text(key, default: "")
        return value.isEmpty ? nil : value
    }

    private func number(_ key: ServiceSettings.Key, default fallback: Int, range: ClosedRange<Int>) -> Int {
        let raw = text(key, default: String(fallback))
        guard let value = Int(raw), range.contains(value) else {
            report(key, "expected a whole number from \(range.lowerBound) to \(range.upperBound), found \"\(raw)\"")
            return fallback
        }
        return value
    }

    /// Records a defect, naming the layer that supplied the value.
    private func report(_ key: ServiceSettings.Key, _ message: String) {
        if overrides[key] != nil {
            collector.add(ConfigurationIssue(source: "command line", key: "--\(flagName(key))", message: message))
        } else if environment[key.environmentVariable] != nil {
            collector.add(ConfigurationIssue(source: "environment", key: key.environmentVariable, message: message))
        } else {
            collector.add(
                ConfigurationIssue(
                    source: file ?? "configuration", line: file.flatMap { lineOf(key: key.rawValue, in: $0) },
                    key: key.rawValue, message: message))
        }
    }

    private func flagName(_ key: ServiceSettings.Key) -> String {
        var name = ""
        for character in key.rawValue {
            if character.isUppercase { name += "-" }
            name += character.lowercased()
        }
        return name
    }

    /// The line of a top-level key in the YAML file, for error messages.
    private func lineOf(key: String, in path: String) -> Int? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
        where line.hasPrefix(key + ":") {
            return index + 1
        }
        return nil
    }
}
