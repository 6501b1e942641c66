import CheckIn
import Foundation
import Grids
import Logging
import PartneringConfig
import PartneringCore
import Registration
import Storage

/// Everything the HTTP service needs. ``assemble(settings:event:store:logger:dependencies:passwordCost:startsMail:)``
/// is the one place that wires it, for `partnering serve` and for the tests alike.
public struct ServerEnvironment: Sendable {
    public let settings: ServiceSettings
    public let event: EventDefinition
    public let store: PartneringStore
    public let pages: PageRenderer
    /// The request log's; a test may capture it.
    public var logger: Logger
    /// Registration, the personal area and the back office (see docs/api.md).
    public let registration: RegistrationServices
    /// The check-in desks (see docs/checkin.md).
    public let desk: DeskServices
    /// Runs the scheduler runs queued in the store, once started (`partnering serve` without
    /// `--no-worker`, `partnering worker`); the pages queue runs whether it runs or not.
    public let scheduling: SchedulingWorker
    /// Scheduler runs, adjustments and publication on this store with the service's clock
    /// (the organiser's workspace, the live day and the API); queued runs wake the process's
    /// worker, queued agendas its mail dispatcher. Built once from the parts above.
    let schedulingService: SchedulingService
    /// Meeting feedback over the store, with the registration service's clock and notices;
    /// built once from the parts above.
    let meetingFeedback: MeetingFeedbackService
    /// The hall boards over the store, with the service's key and clock.
    public let signageBoards: SignageBoards
    /// The day's absences and re-plans over the store, with the service's clock; agendas
    /// queued by a re-plan wake the process's mail dispatcher.
    let liveDay: LiveDayService
    /// What `/metrics` shows (bootstrapped for swift-metrics by `partnering serve`).
    public var metrics: ServiceMetrics
    /// Whether the process drains (SIGTERM received): `/ready` then answers 503.
    public var readiness = Readiness()

    /// The parts as given; use ``assemble(settings:event:store:logger:dependencies:passwordCost:startsMail:)``
    /// to get them wired as the service runs them.
    public init(
        settings: ServiceSettings, event: EventDefinition, store: PartneringStore, pages: PageRenderer,
        logger: Logger, registration: RegistrationServices, desk: DeskServices, scheduling: SchedulingWorker,
        metrics: ServiceMetrics = ServiceMetrics()
    ) {
        self.metrics = metrics
        self.settings = settings
        self.event = event
        self.store = store
        self.pages = pages
        self.logger = logger
        self.registration = registration
        self.desk = desk
        self.scheduling = scheduling
        self.schedulingService = SchedulingService(
            event: event,
            repositories: SchedulingRepositories(
                participants: store.participants, requests: store.requests, schedules: store.schedules,
                runs: store.schedulingRuns, auditLog: store.auditLog),
            dependencies: registration.attendees.dependencies, noticesQueued: registration.attendees.noticesQueued,
            runQueued: scheduling.queued)
        self.meetingFeedback = MeetingFeedbackService(
            registration: registration.attendees, schedules: store.schedules, feedback: store.meetingFeedback)
        self.signageBoards = SignageBoards(
            event: event, boards: store.signageBoards, signer: registration.signer,
            dependencies: registration.attendees.dependencies)
        self.liveDay = LiveDayService(
            event: event,
            repositories: LiveDayRepositories(
                participants: store.participants, requests: store.requests, schedules: store.schedules,
                checkIns: store.checkIns, absences: store.absences, auditLog: store.auditLog),
            dependencies: registration.attendees.dependencies, noticesQueued: registration.attendees.noticesQueued)
    }

    /// The composition root: the service as `partnering serve` and `partnering worker` run it
    /// and the tests drive it. The page templates, the registration services with their key
    /// folder, tickets and outbox (the mail dispatcher started unless `startsMail` is false, for
    /// processes whose service group starts it; stop it with `registration.mail?.stop()`), the
    /// check-in desks, the worker of scheduler runs (started by the service group) and the
    /// metrics, all on `store` and on the clock and randomness of `dependencies`.
    ///
    /// - Throws: ``PageRendererError`` when a template is missing or does not parse; the
    ///   key folder's, ticket keys' or outbox's error when one cannot be prepared.
    public static func assemble(
        settings: ServiceSettings, event: EventDefinition, store: PartneringStore, logger: Logger,
        dependencies: ServiceDependencies = .live, passwordCost: UInt8 = 12, startsMail: Bool = true
    ) async throws -> ServerEnvironment {
        let pages = try await PageRenderer(directory: settings.templatesDirectory)
        let registration = try RegistrationServices.live(
            settings: settings, event: event, store: store, logger: logger, dependencies: dependencies,
            passwordCost: passwordCost, startsMail: startsMail)
        let desk = try DeskServices.live(
            settings: settings, event: event, store: store, signer: registration.signer, clock: dependencies.now)
        return ServerEnvironment(
            settings: settings, event: event, store: store, pages: pages, logger: logger, registration: registration,
            desk: desk,
            scheduling: SchedulingWorker(
                runs: store.schedulingRuns, logger: logger,
                timing: SchedulingWorker.Timing(lease: TimeInterval(settings.schedulingLease))))
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
