import Foundation
import Hummingbird
import PartneringCore

/// The public pages of the event that need no account: the home page, the health and
/// readiness checks, the metrics and the pages' scripts.
struct HomeController<Context: RequestContext> {
    let environment: ServerEnvironment
    /// The scripts pages load (`templates/scripts`).
    let scripts: StaticAssets

    init(environment: ServerEnvironment) {
        self.environment = environment
        scripts = StaticAssets(
            directory: environment.settings.templatesDirectory + "/scripts",
            names: ["schedule-progress.js", "schedule-board.js", "board.js", "registrations.js", "live.js"])
    }

    func addRoutes(to router: Router<Context>) {
        router.get("/", use: home)
        router.get("/ready", use: ready)
        router.get("/assets/:file", use: script)
        addProbeRoutes(to: router)
    }

    /// `/health` and `/metrics`: all that a process without pages (`partnering worker`) serves.
    func addProbeRoutes(to router: Router<Context>) {
        router.get("/health", use: health)
        router.get("/metrics", use: metrics)
    }

    @Sendable func script(_ request: Request, context: Context) async throws -> Response {
        try scripts.response(context.parameters.get("file"))
    }

    @Sendable func home(_ request: Request, context: Context) async throws -> HTMLResponse {
        let choice = LanguageChoice(request: request, supported: environment.event.languages)
        let model = HomePageModel(event: environment.event, language: choice.language)
        let html = try environment.pages.render("home", language: choice.language, context: ChromedPage(model: model))
        var headers = choice.rememberHeader
        headers[.contentLanguage] = choice.language.rawValue
        return HTMLResponse(html: html, extraHeaders: headers)
    }

    struct HealthStatus: ResponseEncodable {
        let status: String
        let event: String
        let database: String
    }

    @Sendable func health(_ request: Request, context: Context) async throws -> HealthStatus {
        HealthStatus(status: "ok", event: environment.event.id.rawValue, database: environment.databaseKind)
    }

    /// Whether this process can answer requests (for a load balancer's readiness probe, while
    /// `/health` says only that it lives): it is not draining, its ticket signing key is loaded,
    /// the store answers and its schema is the one this version expects. 503 with the reason
    /// otherwise.
    @Sendable func ready(_ request: Request, context: Context) async throws -> Response {
        var reason: String?
        let signingKey = environment.registration.ticketKey
        if environment.readiness.isDraining {
            reason = "draining: the process is stopping"
        } else if signingKey == nil {
            reason = "no ticket signing key loaded"
        } else {
            do {
                let pending = try await environment.store.pendingMigrations()
                if !pending.isEmpty {
                    reason = "\(pending.count) migrations not applied (run `partnering migrate`), first \(pending[0])"
                }
            } catch {
                reason = "the store does not answer: \(error)"
            }
        }
        if let reason { environment.logger.warning("not ready", metadata: ["reason": "\(reason)"]) }
        let body = [
            "status": reason == nil ? "ready" : "not ready", "reason": reason ?? "",
            "signingKey": signingKey.map { "\($0)" } ?? "",
        ]
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return Response(
            status: reason == nil ? .ok : .serviceUnavailable,
            headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
            body: ResponseBody(byteBuffer: ByteBuffer(data: try encoder.encode(body))))
    }

    /// The Prometheus exposition (see ``ServiceMetrics``).
    @Sendable func metrics(_ request: Request, context: Context) async throws -> Response {
        let text = try await environment.metrics.exposition(event: environment.event, store: environment.store)
        return Response(
            status: .ok,
            headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8", .cacheControl: "no-store"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
}
