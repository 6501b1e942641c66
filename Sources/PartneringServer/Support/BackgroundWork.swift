import Hummingbird
import Logging
import Registration
import ServiceLifecycle

/// The background work of a process (scheduler runs, notice dispatch) as a service of the
/// process's service group: started with it, and stopped on graceful shutdown (SIGTERM),
/// when the scheduler run in progress goes back to the queue and due notices are written.
public struct BackgroundWork: Service {
    public let name: String
    private let start: @Sendable () -> Void
    private let stop: @Sendable () async -> Void

    /// The worker that runs scheduler runs queued in the store.
    public static func scheduling(_ worker: SchedulingWorker) -> BackgroundWork {
        BackgroundWork(name: "scheduler runs", start: worker.start, stop: worker.stop)
    }

    /// The dispatcher that writes queued notices as e-mails into the outbox.
    public static func notices(_ mail: MailDispatcher) -> BackgroundWork {
        BackgroundWork(name: "notice dispatch", start: mail.start, stop: mail.stop)
    }

    /// Every kind of background work a worker process runs.
    public static func all(mail: MailDispatcher?, scheduling: SchedulingWorker) -> [BackgroundWork] {
        (mail.map { [notices($0)] } ?? []) + [.scheduling(scheduling)]
    }

    public func run() async throws {
        start()
        // Returns when the group shuts down gracefully; throws when the group is cancelled.
        // Either way the work stops cleanly.
        try? await gracefulShutdown()
        await stop()
    }
}

/// Runs the HTTP server and the background work until SIGTERM or SIGINT, then shuts them
/// down gracefully in reverse order: first the drain (`/ready` answers 503 for `drainSeconds`
/// while requests are still answered), then the HTTP server (no new requests, those in flight
/// finish), then the background work, so that what the last requests queued is still handled.
public func runUntilShutdown(
    _ application: some ApplicationProtocol, background: [BackgroundWork], readiness: Readiness,
    drainSeconds: Int, logger: Logger
) async throws {
    let drain = DrainPeriod(readiness: readiness, seconds: drainSeconds, logger: logger)
    try await runGroup(background + [application, drain], logger: logger)
}

/// Runs background work alone (`partnering worker`) until SIGTERM or SIGINT, with the
/// process's `/health` and `/metrics` when `probes` is given (see ``buildProbeApplication(environment:port:onServerRunning:)``):
/// they answer until the background work has stopped.
public func runUntilShutdown(
    background: [BackgroundWork], probes: (any ApplicationProtocol)? = nil, logger: Logger
) async throws {
    // Started first, so stopped last.
    var services: [any Service] = probes.map { [$0] } ?? []
    services += background as [any Service]
    try await runGroup(services, logger: logger)
}

private func runGroup(_ services: [any Service], logger: Logger) async throws {
    let group = ServiceGroup(
        configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
    try await group.run()
}
