import Logging
import ServiceLifecycle
import Synchronization

/// Whether this process should be sent requests, beyond its store: `/ready` answers 503 once
/// the process drains (SIGTERM received, requests still answered for a while).
public final class Readiness: Sendable {
    private let draining = Atomic<Bool>(false)

    public init() {}

    /// Whether the process is stopping.
    public var isDraining: Bool { draining.load(ordering: .relaxed) }

    /// From now on `/ready` answers 503.
    public func startDraining() { draining.store(true, ordering: .relaxed) }
}

/// The first service to hear of a graceful shutdown (last in the service group): it marks the
/// process as draining, so that `/ready` answers 503 and load balancers take it out of rotation,
/// then keeps the HTTP server answering for `seconds` before the group stops it.
struct DrainPeriod: Service {
    let readiness: Readiness
    let seconds: Int
    let logger: Logger

    func run() async throws {
        // Returns on graceful shutdown; throws when the group is cancelled (then no drain).
        try await gracefulShutdown()
        readiness.startDraining()
        logger.info("draining: /ready answers 503", metadata: ["seconds": "\(seconds)"])
        // Cancellation (a second signal, the group's deadline) ends the wait early.
        try? await Task.sleep(for: .seconds(seconds))
    }
}
