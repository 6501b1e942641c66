import Foundation
import Logging
import PartneringConfig
import PartneringCore
import Registration
import Storage

/// Everything the HTTP service needs. ``assemble(settings:event:store:logger:dependencies:passwordCost:)``
/// is the one place that wires it, for `partnering serve` and for the tests alike.
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

    /// The parts as given; use ``assemble(settings:event:store:logger:dependencies:passwordCost:)``
    /// to get them wired as the service runs them.
    public init(
        settings: ServiceSettings, event: EventDefinition, store: PartneringStore, pages: PageRenderer,
        logger: Logger, registration: RegistrationServices, desk: DeskServices
    ) {
        self.settings = settings
        self.event = event
        self.store = store
        self.pages = pages
        self.logger = logger
        self.registration = registration
        self.desk = desk
    }

    /// The composition root: the service as `partnering serve` runs it and the tests drive it.
    /// The page templates, the registration services with their key folder, tickets and outbox
    /// (the mail dispatcher is started; stop it with `registration.mail?.stop()`), and the
    /// check-in desks, all on `store` and on the clock and randomness of `dependencies`.
    ///
    /// - Throws: ``PageRendererError`` when a template is missing or does not parse; the
    ///   key folder's, ticket keys' or outbox's error when one cannot be prepared.
    public static func assemble(
        settings: ServiceSettings, event: EventDefinition, store: PartneringStore, logger: Logger,
        dependencies: ServiceDependencies = .live, passwordCost: UInt8 = 12
    ) async throws -> ServerEnvironment {
        let pages = try await PageRenderer(directory: settings.templatesDirectory)
        let registration = try RegistrationServices.live(
            settings: settings, event: event, store: store, logger: logger, dependencies: dependencies,
            passwordCost: passwordCost)
        let desk = DeskServices.live(
            settings: settings, event: event, store: store, signer: registration.signer, clock: dependencies.now)
        return ServerEnvironment(
            settings: settings, event: event, store: store, pages: pages, logger: logger, registration: registration,
            desk: desk)
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
