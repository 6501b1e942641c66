import Foundation
import Hummingbird
import PartneringCore

/// The public pages of the event that need no account: the home page and the health check.
struct HomeController<Context: RequestContext> {
    let environment: ServerEnvironment

    func addRoutes(to router: Router<Context>) {
        router.get("/", use: home)
        router.get("/health", use: health)
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
