import ArgumentParser
import Foundation
import Hummingbird
import Logging
import PartneringConfig
import PartneringServer
import Storage

/// `partnering serve`: migrates the store, loads the event and serves the pages and API.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the event's pages and JSON API.",
        discussion: """
            On a fresh data folder the store is created and migrated first. SIGTERM or Ctrl-C \
            stops accepting connections, lets requests in flight finish, then exits.
            """
    )

    @OptionGroup var service: ServiceOptions

    @Option(name: .long, help: "The address to listen on (env PARTNERING_HOST).")
    var host: String?

    func run() async throws {
        try await reportingFailures {
            let (loadedSettings, event) = try await service.settingsAndEvent()
            var settings = loadedSettings
            if let host { settings.host = host }
            let listenHost = settings.host
            let publicAddress = settings.baseURL.absoluteString
            let eventName = event.name.en
            let logger = makeLogger(level: settings.logLevel)
            let pages: PageRenderer
            do {
                pages = try await PageRenderer(directory: settings.templatesDirectory)
            } catch let error as PageRendererError {
                throw CommandFailure.badInput(error.description)
            }
            try await withStore(settings) { [settings] store in
                let registration: RegistrationServices
                do {
                    registration = try RegistrationServices.live(
                        settings: settings, event: event, store: store, logger: logger)
                } catch {
                    throw CommandFailure.failed("cannot prepare the key folder, tickets or outbox: \(error)")
                }
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
                let scheduling = SchedulingWorker(
                    runs: store.schedulingRuns, logger: logger,
                    timing: .init(lease: TimeInterval(settings.schedulingLease)))
                let environment = ServerEnvironment(
                    settings: settings, event: event, store: store, pages: pages, logger: logger,
                    registration: registration, scheduling: scheduling)
                scheduling.start()
                let app = buildApplication(environment: environment) { port in
                    // Written unbuffered: scripts and tests wait for this line to learn the port.
                    FileHandle.standardOutput.write(
                        Data(
                            "Partnering serves \(eventName) on http://\(listenHost):\(port) (public address \(publicAddress))\n"
                                .utf8))
                }
                try await app.runService()
                // A run in progress goes back to the queue, for another worker or the next start.
                await scheduling.stop()
                // Notices queued by the last requests reach the outbox now (or at the next start).
                await registration.mail?.stop()
            }
        }
    }
}

/// A logger for the command line at the configured level.
func makeLogger(level: String) -> Logger {
    var logger = Logger(label: "partnering")
    logger.logLevel = Logger.Level(rawValue: level) ?? .info
    return logger
}
