import Hummingbird
import Logging
import Registration

/// Builds the HTTP application: the one place where routes and middleware are
/// wired, called by `partnering serve` and by the tests alike.
public func buildApplication(
    environment: ServerEnvironment, onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
) -> some ApplicationProtocol {
    Application(
        responder: HeadAsGetResponder(inner: buildRouter(environment: environment).buildResponder()),
        configuration: .init(
            address: .hostname(environment.settings.host, port: environment.settings.port),
            serverName: "partnering"),
        onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? 0) },
        logger: environment.logger)
}

/// The HTTP application of `partnering worker`, which answers no user: `/health` and
/// `/metrics` only, on `port` of the settings' host (0: a free port, given to
/// `onServerRunning`), so that the worker's own figures (scheduler runs it ended, notices it
/// wrote, its store connections) can be scraped.
public func buildProbeApplication(
    environment: ServerEnvironment, port: Int, onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
) -> some ApplicationProtocol {
    let router = Router(context: PartneringRequestContext.self)
    router.add(middleware: MetricsMiddleware())
    HomeController(environment: environment).addProbeRoutes(to: router)
    return Application(
        responder: HeadAsGetResponder(inner: router.buildResponder()),
        configuration: .init(address: .hostname(environment.settings.host, port: port), serverName: "partnering"),
        onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? 0) },
        logger: environment.logger)
}

/// Every route and middleware of the service; `buildApplication` serves it, and the
/// tests compare its routes with the OpenAPI document.
public func buildRouter(environment: ServerEnvironment) -> Router<PartneringRequestContext> {
    let router = Router(context: PartneringRequestContext.self)
    // First, so that every line logged about the request (and every answer) has its id.
    let randomness = environment.registration.attendees.dependencies
    router.add(middleware: RequestIDMiddleware { randomness.randomHex(bytes: 16) })
    // Requests by route and status, and their durations, for `/metrics` (see ServiceMetrics).
    router.add(middleware: MetricsMiddleware())
    router.add(middleware: LogRequestsMiddleware(.debug))
    router.add(middleware: ResponseHardeningMiddleware(isHTTPS: environment.isHTTPS))
    // Refusals become pages or problem+json; the anti-forgery check runs inside it,
    // so that its refusal is rendered too.
    router.add(middleware: RefusalMiddleware(environment: environment))
    router.add(middleware: CSRFMiddleware(signer: environment.registration.signer))
    HomeController(environment: environment).addRoutes(to: router)
    RegistrationController(environment: environment).addRoutes(to: router)
    AttendeeController(environment: environment).addRoutes(to: router)
    OrganiserController(environment: environment).addRoutes(to: router)
    SchedulingController(environment: environment).addRoutes(to: router)
    APIController(environment: environment).addRoutes(to: router)
    DeskController(environment: environment).addRoutes(to: router)
    SignageController(environment: environment).addRoutes(to: router)
    BadgesController(environment: environment).addRoutes(to: router)
    FeedbackController(environment: environment).addRoutes(to: router)
    ReportController(environment: environment).addRoutes(to: router)
    LiveController(environment: environment).addRoutes(to: router)
    return router
}
