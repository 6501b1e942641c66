import Foundation
import Metrics
import PartneringCore
import Prometheus
import Storage

/// What `GET /metrics` shows, in Prometheus's text format: the HTTP requests by route and
/// status with their durations (Hummingbird's `MetricsMiddleware`, through swift-metrics),
/// and figures read from the store at each scrape, so that every replica reports the same:
/// notices waiting to be written, scheduler runs by state, registrations by category and status.
public final class ServiceMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry

    public init() {
        registry = PrometheusCollectorRegistry()
    }

    /// Makes swift-metrics report into this registry, for the whole process (once; the
    /// server's command calls it before serving).
    public func bootstrap() {
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
    }

    /// The exposition, with the store's figures as they are now.
    func exposition(event: EventDefinition, store: PartneringStore) async throws -> String {
        registry.makeGauge(
            name: "partnering_notices_queued", help: "Notices queued in the store and not written as e-mails yet"
        ).set(Double(try await store.notices.pendingCount()))
        let runs = try await store.schedulingRuns.countsByState()
        for state in SchedulingRun.State.allCases {
            registry.makeGauge(
                name: "partnering_scheduling_runs", labels: [("state", state.rawValue)],
                help: "Scheduler runs kept in the store, by state"
            ).set(Double(runs[state] ?? 0))
        }
        let registrations = try await store.participants.countsByCategory()
        for category in event.categories {
            for status in RegistrationStatus.allCases {
                registry.makeGauge(
                    name: "partnering_registrations",
                    labels: [("category", category.id.rawValue), ("status", status.rawValue)],
                    help: "Registrations by category and status"
                ).set(Double(registrations[category.id]?[status] ?? 0))
            }
        }
        return registry.emitToString()
    }
}
