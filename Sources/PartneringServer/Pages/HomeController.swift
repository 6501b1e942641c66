import Foundation
import Hummingbird
import PartneringCore

/// The public pages of the event that need no account: the home page, the health check and
/// the pages' scripts.
struct HomeController<Context: RequestContext> {
    let environment: ServerEnvironment
    /// The scripts pages load (`templates/scripts`).
    let scripts: StaticAssets

    init(environment: ServerEnvironment) {
        self.environment = environment
        scripts = StaticAssets(
            directory: environment.settings.templatesDirectory + "/scripts",
            names: ["schedule-progress.js", "schedule-board.js", "board.js", "registrations.js"])
    }

    func addRoutes(to router: Router<Context>) {
        router.get("/", use: home)
        router.get("/health", use: health)
        router.get("/assets/:file", use: script)
    }

    @Sendable func script(_ request: Request, context: Context) async throws -> Response {
        try scripts.response(context.parameters.get("file"))
    }

    @Sendable func home(_ request: Request, context: Context) async throws -> HTMLResponse {
        let choice = LanguageChoice(request: request, supported: environment.event.languages)
        let model = HomePageModel(event: environment.event, language: choice.language)
        let html = try environment.pages.render("home", language: choice.language, context: model)
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
}
