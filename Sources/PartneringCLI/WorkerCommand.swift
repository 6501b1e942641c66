import ArgumentParser
import Foundation
import PartneringServer

/// `partnering worker`: the background work of the product without HTTP, for deployments
/// where `partnering serve --no-worker` replicas answer requests.
struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Run scheduler runs and write the e-mails of queued notices, without serving HTTP.",
        discussion: """
            Any number of workers may run on one store (PostgreSQL for several hosts): each \
            scheduler run and each notice is claimed by one of them, and those of a worker that \
            dies are taken over when their lease ends. Workers need the key folder (tickets and \
            links in e-mails) and write into the outbox of their settings. SIGTERM or Ctrl-C puts \
            a scheduler run in progress back in the queue, writes the notices due, then exits.
            """
    )

    @OptionGroup var service: ServiceOptions

    @Option(
        help: ArgumentHelp(
            "Serve /health and /metrics (only) on this port of the settings' host; 0 picks a free port.",
            discussion: "Without it the worker listens on no port."))
    var metricsPort: Int?

    func validate() throws {
        if let metricsPort, !(0...65_535).contains(metricsPort) {
            throw ValidationError("--metrics-port must be between 0 and 65535, found \(metricsPort).")
        }
    }

    func run() async throws {
        try await reportingFailures {
            let (settings, event) = try await service.settingsAndEvent()
            let logger = makeLogger(settings)
            try await withStore(settings) { store in
                let environment = try await assembleService(settings, event: event, store: store, logger: logger)
                let scheduling = environment.scheduling
                environment.metrics.bootstrap()
                // Written unbuffered: scripts and tests wait for these lines.
                FileHandle.standardOutput.write(
                    Data("Partnering worker \(scheduling.id) runs the background work of \(event.name.en)\n".utf8))
                let host = settings.host
                let probes = metricsPort.map { port in
                    buildProbeApplication(environment: environment, port: port) { bound in
                        FileHandle.standardOutput.write(
                            Data("Partnering worker metrics on http://\(host):\(bound)/metrics\n".utf8))
                    }
                }
                try await runUntilShutdown(
                    background: BackgroundWork.all(mail: environment.registration.mail, scheduling: scheduling),
                    probes: probes, logger: logger)
            }
        }
    }
}
