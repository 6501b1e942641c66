import Foundation
import Logging
import PartneringConfig
import PartneringCore
import Registration
import Storage

/// Everything the HTTP service needs, wired once by `buildApplication` and
/// shared by the executable and the tests.
public struct ServerEnvironment: Sendable {
    public var settings: ServiceSettings
    public var event: EventDefinition
    public var store: PartneringStore
    public var pages: PageRenderer
    public var logger: Logger
    /// Registration, the personal area and the back office (see docs/api.md).
    public var registration: RegistrationServices
    /// The check-in desks (see docs/checkin.md).
    public var desk: DeskServices
    /// Runs the scheduler runs queued in the store, once started (`partnering serve` without
    /// `--no-worker`, `partnering worker`); the pages queue runs whether it runs or not.
    public var scheduling: SchedulingWorker
    /// What `/metrics` shows (bootstrapped for swift-metrics by `partnering serve`).
    public var metrics: ServiceMetrics

    /// - Parameter registration: the services with their key folder, tickets and outbox
    ///   (`RegistrationServices.live`); by default ephemeral ones that touch no disk.
    public init(
        settings: ServiceSettings, event: EventDefinition, store: PartneringStore, pages: PageRenderer,
        logger: Logger, registration: RegistrationServices? = nil, desk: DeskServices? = nil,
        scheduling: SchedulingWorker? = nil, metrics: ServiceMetrics = ServiceMetrics()
    ) {
        self.metrics = metrics
        self.settings = settings
        self.event = event
        self.store = store
        self.pages = pages
        self.logger = logger
        self.registration =
            registration
            ?? .ephemeral(event: event, store: store, baseURL: settings.baseURL.absoluteString)
        self.scheduling = scheduling ?? SchedulingWorker(runs: store.schedulingRuns, logger: logger)
        self.desk =
            desk
            ?? .live(
                settings: settings, event: event, store: store, clock: self.registration.attendees.dependencies.now)
    }

    /// `sqlite` or `postgres`, for the health check.
    var databaseKind: String {
        switch settings.database {
        case .sqlite: "sqlite"
        case .postgres: "postgres"
        case .memory: "memory"
        }
    }
}
