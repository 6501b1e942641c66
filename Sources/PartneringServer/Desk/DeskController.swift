import CheckIn
import Foundation
import Hummingbird
import PartneringCore
import Registration

/// The check-in desks: sign-in (a desk name and the desks' passcode, separate from
/// organisers), the desk page and its assets, and the JSON API the page and other desk
/// clients use (`/api/desk/...`, documented in docs/checkin.md).
///
/// The API takes the desk's token as `Authorization: Bearer` or, from the page, as the
/// `desk` cookie; a POST authenticated by cookie must send `application/json`, which a
/// cross-site form cannot, so the cookie cannot be used to forge scans.
struct DeskController<Context: IdentifiedRequestContext> {
    let environment: ServerEnvironment

    static var cookie: String { SignInMiddleware<Context>.deskCookie }

    private var desks: DeskServices { environment.desk }
    private var service: CheckInService { environment.desk.checkIn }

    func addRoutes(to router: Router<Context>) {
        router.get("/desk/login", use: loginForm)
        router.post("/desk/login", use: login)
        router.post("/desk/logout", use: logout)
        router.get("/desk/assets/:file", use: asset)
        router.post("/api/desk/sessions", use: apiSession)
        // A signed-out desk browser goes to the sign-in page; API clients get a refusal.
        router.group().add(
            middleware: SignInMiddleware<Context>.desk(environment, whenMissing: .redirect(to: "/desk/login"))
        )
        .get("/desk", use: page)
        let deskRoutes = router.group().add(middleware: SignInMiddleware<Context>.desk(environment))
        deskRoutes.get("/desk/bundle.json", use: bundleDownload)
        deskRoutes.get("/api/desk/counters", use: counters)
        deskRoutes.get("/api/desk/search", use: search)
        deskRoutes.get("/api/desk/bundle", use: bundle)
        let deskWrites = router.group().add(
            middleware: SignInMiddleware<Context>.desk(environment, requiresJSONForCookie: true))
        deskWrites.post("/api/desk/scans", use: scan)
        deskWrites.post("/api/desk/admissions", use: admit)
        deskWrites.post("/api/desk/uploads", use: upload)
    }

    // MARK: Sign-in

    /// Checks the passcode (``DeskSignIn``) and returns a desk token.
    private func signIn(desk: String, passcode: String, client: String) async throws -> (
        token: String, expiresAt: Date
    ) {
        try await desks.signIn.signIn(desk: desk, passcode: passcode, client: client)
    }

    private func client(_ request: Request, _ context: Context) -> String {
        request.clientAddress(context: context, trustForwardedFor: environment.settings.trustForwardedFor)
    }

    // MARK: Pages

    @Sendable func loginForm(_ request: Request, context: Context) async throws -> HTMLResponse {
        let session = WebSession(request: request, environment: environment)
        return try loginPage(session: session, desk: "", error: nil)
    }

    private func loginPage(session: WebSession, desk: String, error: Refusal?) throws -> HTMLResponse {
        let model = DeskLoginPageModel(
            chrome: PageChrome(session: session, event: environment.event), desk: desk,
            error: error?.detail(in: session.language) ?? "", hasError: error != nil)
        var page = try session.page(
            "desk-login", model: model, environment: environment,
            status: error?.status ?? .ok)
        if case .tooManyAttempts(let seconds) = error { page.extraHeaders[.retryAfter] = String(seconds) }
        return page
    }

    @Sendable func login(_ request: Request, context: Context) async throws -> Response {
        var request = request
        let session = WebSession(request: request, environment: environment)
        let form = try await FormData.read(&request)
        do {
            let signedIn = try await signIn(
                desk: form["desk"], passcode: form["passcode"], client: client(request, context))
            let cookie = WebSession.cookie(
                Self.cookie, value: signedIn.token, maxAge: Int(TokenPurpose.deskSession.lifetime),
                secure: environment.isHTTPS)
            return session.redirect(to: "/desk", extraHeaders: [.setCookie: cookie.description])
        } catch let refusal as Refusal {
            return try loginPage(session: session, desk: form["desk"], error: refusal).plainResponse()
        }
    }

    @Sendable func logout(_ request: Request, context: Context) async throws -> Response {
        try await environment.registration.attendees.signOut(request.cookies[Self.cookie]?.value, for: .deskSession)
        return WebSession(request: request, environment: environment).redirect(
            to: "/desk/login",
            extraHeaders: [.setCookie: WebSession.cookie(Self.cookie, value: "", maxAge: 0).description])
    }

    @Sendable func page(_ request: Request, context: Context) async throws -> Response {
        let session = WebSession(request: request, environment: environment)
        let desk = try context.desk.name
        let model = DeskPageModel(
            chrome: PageChrome(session: session, event: environment.event),
            timeZone: environment.event.timeZone.identifier, desk: desk,
            messagesJSON: DeskPageModel.messages(in: session.language))
        var page = try session.page("desk", model: model, environment: environment)
        page.extraHeaders[.cacheControl] = "no-store"
        return page.plainResponse()
    }

    @Sendable func bundleDownload(_ request: Request, context: Context) async throws -> Response {
        var response = try json(try await service.bundle(), pretty: true)
        response.headers[.contentDisposition] = "attachment; filename=\"desk-bundle.json\""
        return response
    }

    @Sendable func asset(_ request: Request, context: Context) async throws -> Response {
        try desks.assets.response(context.parameters.get("file"))
    }

    // MARK: API

    struct SessionBody: Decodable {
        let desk: String
        let passcode: String
    }

    struct SessionAnswer: Encodable {
        let token: String
        let desk: String
        let expiresAt: Date
    }

    @Sendable func apiSession(_ request: Request, context: Context) async throws -> Response {
        let body = try await decode(SessionBody.self, request)
        let signedIn = try await signIn(desk: body.desk, passcode: body.passcode, client: client(request, context))
        return try json(
            SessionAnswer(
                token: signedIn.token, desk: body.desk.trimmingCharacters(in: .whitespacesAndNewlines),
                expiresAt: signedIn.expiresAt), status: .created)
    }

    struct ScanBody: Decodable {
        let text: String
        let nonce: String
    }

    @Sendable func scan(_ request: Request, context: Context) async throws -> Response {
        let desk = try context.desk.name
        let body = try await decode(ScanBody.self, request)
        return try json(try await service.scan(body.text, desk: desk, nonce: body.nonce))
    }

    struct AdmissionBody: Decodable {
        let participant: String
        let nonce: String
    }

    @Sendable func admit(_ request: Request, context: Context) async throws -> Response {
        let desk = try context.desk.name
        let body = try await decode(AdmissionBody.self, request)
        return try json(
            try await service.admitWithoutTicket(ParticipantID(body.participant), desk: desk, nonce: body.nonce))
    }

    struct UploadBody: Decodable {
        let scans: [OfflineScan]
    }

    @Sendable func upload(_ request: Request, context: Context) async throws -> Response {
        let desk = try context.desk.name
        let body = try await decode(UploadBody.self, request, limit: 4 * 1024 * 1024)
        return try json(try await service.upload(body.scans, desk: desk))
    }

    @Sendable func counters(_ request: Request, context: Context) async throws -> Response {
        return try json(try await service.counters())
    }

    struct SearchAnswer: Encodable {
        let matches: [RosterEntry]
    }

    @Sendable func search(_ request: Request, context: Context) async throws -> Response {
        let query = request.uri.queryParameters.get("q") ?? ""
        return try json(SearchAnswer(matches: try await service.search(query)))
    }

    @Sendable func bundle(_ request: Request, context: Context) async throws -> Response {
        return try json(try await service.bundle())
    }

    // MARK: Helpers

    private func decode<Body: Decodable>(_ type: Body.Type, _ request: Request, limit: Int = 64 * 1024)
        async throws -> Body
    {
        try await request.decodeJSON(type, limit: limit, decoder: DeskBundle.decoder)
    }

    private func json(_ value: some Encodable, status: HTTPResponse.Status = .ok, pretty: Bool = false) throws
        -> Response
    {
        try .json(
            value, encoder: pretty ? DeskBundle.encoder : .api, status: status,
            extraHeaders: [.cacheControl: "no-store"])
    }
}
