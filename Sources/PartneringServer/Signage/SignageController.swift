import Foundation
import Hummingbird
import PartneringCore
import Registration

/// The hall boards: the "now and next" page a screen opens by its private address
/// (`/board/<id>/<token>`, no sign-in; it fetches itself again every few seconds and
/// swaps its content), and the organiser's page that creates and revokes boards.
struct SignageController<Context: IdentifiedRequestContext> {
    let environment: ServerEnvironment

    private var boards: SignageBoards { environment.signageBoards }
    private var event: EventDefinition { environment.event }

    func addRoutes(to router: Router<Context>) {
        let organiserRoutes = router.group().add(
            middleware: SignInMiddleware<Context>.organiser(environment, from: .cookie))
        router.get("/board/:id/:token", use: board)
        organiserRoutes.get("/organiser/boards", use: list)
        organiserRoutes.post("/organiser/boards", use: create)
        organiserRoutes.post("/organiser/boards/:id/revoke", use: revoke)
    }

    /// The board at the service's clock; an unknown board or a wrong token is 404.
    @Sendable func board(_ request: Request, context: Context) async throws -> HTMLResponse {
        let session = WebSession(request: request, environment: environment)
        guard
            let board = try await boards.board(
                id: context.parameters.get("id") ?? "", token: context.parameters.get("token") ?? "")
        else { throw Refusal.notFound }
        let now = boards.dependencies.now()
        let nowAndNext = try await NowAndNext.load(
            at: now, event: event, tables: board.tables, schedules: environment.store.schedules,
            participants: environment.store.participants)
        let model = BoardPageModel(
            board: board, nowAndNext: nowAndNext, now: now, event: event, language: session.language)
        // The address is the board's only secret: no caching, no referrer, no indexing.
        return try session.page(
            "board", model: model, environment: environment,
            extraHeaders: [.cacheControl: "no-store", .referrerPolicy: "no-referrer", .robotsTag: "noindex"])
    }

    @Sendable func list(_ request: Request, context: Context) async throws -> HTMLResponse {
        let session = WebSession(request: request, environment: environment)
        let notice = request.uri.queryParameters.get("notice") ?? ""
        return try await page(
            session, name: "", firstTable: "", lastTable: "", errors: [:],
            notice: ["created", "revoked"].contains(notice) ? notice : "")
    }

    @Sendable func create(_ request: Request, context: Context) async throws -> Response {
        var request = request
        let session = WebSession(request: request, environment: environment)
        let organiser = try context.organiser.email
        let form = try await FormData.read(&request)
        do {
            _ = try await boards.create(
                name: form["name"], firstTable: form["firstTable"], lastTable: form["lastTable"], by: organiser)
            return session.redirect(to: "/organiser/boards?notice=created")
        } catch Refusal.invalidInput(let issues) {
            let errors = Dictionary(
                issues.map { ($0.field, $0.message(in: session.language)) }, uniquingKeysWith: { first, _ in first })
            return try await page(
                session, name: form["name"], firstTable: form["firstTable"], lastTable: form["lastTable"],
                errors: errors, notice: "", status: .unprocessableContent
            ).plainResponse()
        }
    }

    @Sendable func revoke(_ request: Request, context: Context) async throws -> Response {
        let session = WebSession(request: request, environment: environment)
        let organiser = try context.organiser.email
        try await boards.revoke(id: context.parameters.get("id") ?? "", by: organiser)
        return session.redirect(to: "/organiser/boards?notice=revoked")
    }

    private func page(
        _ session: WebSession, name: String, firstTable: String, lastTable: String, errors: [String: String],
        notice: String, status: HTTPResponse.Status = .ok
    ) async throws -> HTMLResponse {
        let dates = EventDateText(timeZone: event.timeZone)
        let address = environment.settings.baseURL.absoluteString
        let base = address.hasSuffix("/") ? String(address.dropLast()) : address
        let lines = try await boards.list().map { listed in
            BoardsPageModel.Line(
                id: listed.board.id, name: listed.board.name, firstTable: listed.board.tables.lowerBound,
                lastTable: listed.board.tables.upperBound, url: base + listed.path,
                created: dates.stamp(listed.board.createdAt))
        }
        let model = BoardsPageModel(
            chrome: PageChrome(session: session, event: event), boards: lines, hasBoards: !lines.isEmpty,
            tableCount: event.tables.count, name: name, firstTable: firstTable, lastTable: lastTable,
            nameError: errors["name"], firstTableError: errors["firstTable"], lastTableError: errors["lastTable"],
            hasErrors: !errors.isEmpty, notice: notice,
            hasNotice: !notice.isEmpty, isCreatedNotice: notice == "created")
        return try session.page("organiser-boards", model: model, environment: environment, status: status)
    }
}
