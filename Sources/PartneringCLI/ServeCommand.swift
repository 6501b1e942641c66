import ArgumentParser
import CheckIn
import Foundation
import Hummingbird
import Logging
import PartneringConfig
import PartneringCore
import PartneringServer
import Registration
import Storage

/// `partnering serve`: migrates the store, loads the event and serves the pages and API.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the event's pages and JSON API.",
        discussion: """
            On a fresh data folder the store is created and migrated first. By default the \
            process also runs the background work (scheduler runs, e-mails of queued notices); \
            with --no-worker it only answers requests, and `partnering worker` processes on the \
            same store do that work. SIGTERM or Ctrl-C stops accepting connections, lets \
            requests in flight finish, puts a scheduler run in progress back in the queue, \
            writes the notices due, then exits.
            """
    )

    @OptionGroup var service: ServiceOptions

    @Option(name: .long, help: "The address to listen on (env PARTNERING_HOST).")
    var host: String?

    @Flag(name: .long, help: "Answer requests only: scheduler runs and e-mails are left to `partnering worker`.")
    var noWorker = false

    func run() async throws {
        try await reportingFailures {
            let (loadedSettings, event) = try await service.settingsAndEvent()
            var settings = loadedSettings
            if let host { settings.host = host }
            let listenHost = settings.host
            let publicAddress = settings.baseURL.absoluteString
            let eventName = event.name.en
            let logger = makeLogger(settings)
            try await withStore(settings) { [settings] store in
                let environment = try await assembleService(settings, event: event, store: store, logger: logger)
                let registration = environment.registration
                environment.metrics.bootstrap()
                try await importFormerKeyFolderFiles(settings, environment: environment, logger: logger)
                // First start: the organiser account, with a one-time password printed once
                // unless PARTNERING_ORGANISER_PASSWORD gives it.
                if let oneTimePassword = try await registration.organisers.bootstrap(
                    email: settings.organiserEmail, password: settings.organiserPassword)
                {
                    FileHandle.standardOutput.write(
                        Data(
                            "Organiser account \(settings.organiserEmail) created; one-time password: \(oneTimePassword)\n"
                                .utf8))
                }
                let app = buildApplication(environment: environment) { port in
                    // Written unbuffered: scripts and tests wait for this line to learn the port.
                    FileHandle.standardOutput.write(
                        Data(
                            "Partnering serves \(eventName) on http://\(listenHost):\(port) (public address \(publicAddress))\n"
                                .utf8))
                }
                let background =
                    noWorker ? [] : BackgroundWork.all(mail: registration.mail, scheduling: environment.scheduling)
                try await runUntilShutdown(
                    app, background: background, readiness: environment.readiness, drainSeconds: settings.drainSeconds,
                    logger: logger)
            }
        }
    }
}

/// Moves what earlier versions kept in the key folder into the store, once: the organiser
/// accounts of `organisers.json` and the desks' passcode hash of `desk-passcode`; each file is
/// then renamed `*.imported` (left as it is in a read-only folder: importing again adds nothing).
private func importFormerKeyFolderFiles(
    _ settings: ServiceSettings, environment: ServerEnvironment, logger: Logger
) async throws {
    let folder = URL(fileURLWithPath: settings.keyDirectory, isDirectory: true)
    do {
        if let accounts = try KeyFolder.formerOrganiserAccounts(in: folder) {
            let added = try await environment.registration.organisers.accounts.importAccounts(accounts)
            let renamed = KeyFolder.markImported(KeyFolder.formerOrganiserFile, in: folder)
            logger.notice(
                "imported organiser accounts into the store",
                metadata: [
                    "file": "\(folder.path)/\(KeyFolder.formerOrganiserFile)", "accounts": "\(accounts.count)",
                    "added": "\(added)", "renamed": "\(renamed)",
                ])
        }
        if try await environment.desk.passcode.importFormerFile(in: folder) {
            let renamed = KeyFolder.markImported(DeskPasscode.formerFile, in: folder)
            logger.notice(
                "imported the desk passcode into the store",
                metadata: ["file": "\(folder.path)/\(DeskPasscode.formerFile)", "renamed": "\(renamed)"])
        }
    } catch let error as KeyFolder.KeyFolderError {
        throw CommandFailure.badInput(error.description)
    } catch let error as DeskPasscode.PasscodeError {
        throw CommandFailure.badInput(error.description)
    }
}

/// The service as `serve` and `worker` run it (``ServerEnvironment/assemble(settings:event:store:logger:dependencies:passwordCost:startsMail:)``),
/// the mail dispatcher left for the process's service group to start (or not, with `--no-worker`).
func assembleService(
    _ settings: ServiceSettings, event: EventDefinition, store: PartneringStore, logger: Logger
) async throws -> ServerEnvironment {
    do {
        return try await ServerEnvironment.assemble(
            settings: settings, event: event, store: store, logger: logger, startsMail: false)
    } catch let error as PageRendererError {
        throw CommandFailure.badInput(error.description)
    } catch {
        throw CommandFailure.failed("cannot prepare the key folder, tickets or outbox: \(error)")
    }
}

/// The process's logger, at the configured level and in the configured format (`logFormat`:
/// swift-log's text lines, or one JSON object a line through ``JSONLogHandler``).
func makeLogger(_ settings: ServiceSettings) -> Logger {
    var logger =
        switch settings.logFormat {
        case .text: Logger(label: "partnering")
        case .json: Logger(label: "partnering") { label in JSONLogHandler(label: label) }
        }
    logger.logLevel = Logger.Level(rawValue: settings.logLevel) ?? .info
    return logger
}
