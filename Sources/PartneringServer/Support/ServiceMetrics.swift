import Foundation
import Grids
import Metrics
import PartneringCore
import Prometheus
import Storage

/// What `GET /metrics` shows, in Prometheus's text format.
///
/// Recorded through swift-metrics where the service acts, each in one place: the HTTP
/// requests by route and status with their durations (Hummingbird's `MetricsMiddleware`),
/// registration attempts by outcome (`RegistrationService`), desk scans by verdict
/// (`CheckInService`), notices written or failed (`NoticeDispatcher`), scheduler runs ended
/// by state with their durations (`SchedulingWorker`, in `Grids`), transactions per SQLite commit
/// (the store). Read from the store at each scrape, so that every replica reports the same:
/// notices waiting to be written, scheduler runs by state, registrations by category and
/// status (the waiting list is `status="waitlisted"`); and this process's store connections
/// in use, idle and at most (SQLite's readers, or the PostgreSQL pool).
public final class ServiceMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry

    public init() {
        registry = PrometheusCollectorRegistry()
    }

    /// Makes swift-metrics report into this registry, for the whole process (once; the
    /// server's command calls it before serving).
    public func bootstrap() {
        var factory = PrometheusMetricsFactory(registry: registry)
        // A group commit carries 1 to 64 transactions; a scheduler run lasts up to the
        // organiser's time limit (minutes), beyond the default buckets' 10 s.
        factory.valueHistogramBuckets[StorePoolUse.commitGroupSizeLabel] = [1, 2, 4, 8, 16, 32, 64]
        factory.durationHistogramBuckets[SchedulingWorker.runDurationMetric] = [1, 5, 15, 30, 60, 120, 300, 600, 1_800]
            .map { Duration.seconds($0) }
        MetricsSystem.bootstrap(factory)
    }

    /// The exposition, with the store's figures as they are now.
    func exposition(event: EventDefinition, store: PartneringStore) async throws -> String {
        gauge(
            name: "partnering_notices_queued", help: "Notices queued in the store and not written as e-mails yet"
        ).set(Double(try await store.notices.pendingCount()))
        let runs = try await store.schedulingRuns.countsByState()
        for state in SchedulingRun.State.allCases {
            gauge(
                name: "partnering_scheduling_runs", labels: [("state", state.rawValue)],
                help: "Scheduler runs kept in the store, by state"
            ).set(Double(runs[state] ?? 0))
        }
        let registrations = try await store.participants.countsByCategory()
        for category in event.categories {
            for status in RegistrationStatus.allCases {
                gauge(
                    name: "partnering_registrations",
                    labels: [("category", category.id.rawValue), ("status", status.rawValue)],
                    help: "Registrations by category and status"
                ).set(Double(registrations[category.id]?[status] ?? 0))
            }
        }
        if let pool = try await store.poolUse() {
            for (state, count) in [("in_use", pool.inUse), ("idle", pool.idle)] {
                gauge(
                    name: "partnering_store_connections", labels: [("state", state)],
                    help: "This process's store connections (SQLite: the readers) by state"
                ).set(Double(count))
            }
            gauge(
                name: "partnering_store_connections_max",
                help: "The most store connections this process opens (SQLite: the readers)"
            ).set(Double(pool.maximum))
            if let writerQueue = pool.writerQueue {
                gauge(
                    name: "partnering_store_writer_queue",
                    help: "Transactions waiting for the SQLite writer connection"
                ).set(Double(writerQueue))
            }
        }
        return registry.emitToString()
    }

    /// The gauge `name` with `labels` in this registry (made at its first use, the same one after).
    private func gauge(name: String, labels: [(String, String)] = [], help: String) -> Prometheus.Gauge {
        // The name is whole already: no unit suffix is appended to it.
        registry.makeGauge(
            descriptor: MetricNameDescriptor(metricName: name, unitName: "", helpText: help), labels: labels)
    }
}
