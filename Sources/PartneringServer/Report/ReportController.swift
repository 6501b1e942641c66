import Foundation
import Hummingbird
import PartneringCore
import Registration

/// The event report for organisers: a printable page with charts (`/organiser/report`)
/// and its tables as CSV files (`/organiser/report/<part>.csv`); the JSON API's
/// `/api/v1/organiser/report` serves the same value.
struct ReportController<Context: IdentifiedRequestContext> {
    let environment: ServerEnvironment

    func addRoutes(to router: Router<Context>) {
        let organiserRoutes = router.group().add(
            middleware: SignInMiddleware<Context>.organiser(environment, from: .cookie))
        organiserRoutes.get("/organiser/report", use: page)
        organiserRoutes.get("/organiser/report/:file", use: csv)
    }

    @Sendable func page(_ request: Request, context: Context) async throws -> HTMLResponse {
        let session = WebSession(request: request, environment: environment)
        let model = ReportPageModel(
            chrome: PageChrome(session: session, event: environment.event), report: try await environment.eventReport(),
            event: environment.event, language: session.language)
        return try session.page("organiser-report", model: model, environment: environment)
    }

    /// `registrations.csv`, `meetings.csv` or `feedback.csv`; any other name is 404.
    @Sendable func csv(_ request: Request, context: Context) async throws -> Response {
        let file = context.parameters.get("file") ?? ""
        guard file.hasSuffix(".csv"), let part = EventReport.CSVPart(rawValue: String(file.dropLast(4))) else {
            throw Refusal.notFound
        }
        let data = try await environment.eventReport().csv(part)
        return Response(
            status: .ok,
            headers: [
                .contentType: "text/csv; charset=utf-8",
                .contentDisposition: "attachment; filename=\"report-\(part.rawValue).csv\"",
            ], body: ResponseBody(byteBuffer: ByteBuffer(data: data)))
    }
}
