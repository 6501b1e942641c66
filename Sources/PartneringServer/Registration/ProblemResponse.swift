import Foundation
import Hummingbird
import PartneringCore
import Registration

/// A refusal as `application/problem+json` (RFC 9457): `type`, `title`, `status`,
/// `detail`, plus the stable `code` and, for invalid input, the field issues.
struct ProblemDetails: Encodable {
    struct FieldError: Encodable {
        let field: String
        let code: String
        let message: String
    }

    let type: String
    let title: String
    let status: Int
    let detail: String
    let code: String
    let errors: [FieldError]?
    let retryAfter: Int?

    init(_ refusal: any AnsweredRefusal, language: Language) {
        type = "https://partnering.example.org/problems/" + refusal.code.replacingOccurrences(of: "_", with: "-")
        title = refusal.title(in: language)
        status = refusal.status.code
        detail = refusal.detail(in: language)
        code = refusal.code
        errors = refusal.fieldIssues?.map {
            FieldError(field: $0.field, code: $0.problem.code, message: $0.message(in: language))
        }
        retryAfter = refusal.retryAfterSeconds
    }

    func response() throws -> Response {
        let encoder = JSONEncoder.api
        var headers: HTTPFields = [.contentType: "application/problem+json"]
        if let retryAfter { headers[.retryAfter] = String(retryAfter) }
        return Response(
            status: HTTPResponse.Status(code: status), headers: headers,
            body: ResponseBody(byteBuffer: ByteBuffer(data: try encoder.encode(self))))
    }
}

/// What the error page shows.
struct ProblemPageModel {
    let chrome: PageChrome
    let status: Int
    let title: String
    let detail: String
    let code: String
    let showAccessLink: Bool
    let showLogin: Bool
}

/// Turns refusals and unexpected errors into answers: `application/problem+json`
/// below `/api/`, an HTML page elsewhere. 5xx errors are logged, never shown raw.
struct RefusalMiddleware<Context: RequestContext>: RouterMiddleware {
    let environment: ServerEnvironment

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        do {
            return try await next(request, context)
        } catch let refusal as any AnsweredRefusal {
            return try answer(refusal, request: request)
        } catch let error as HTTPError where error.status == .notFound {
            return try answer(Refusal.notFound, request: request)
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            // A body over `collectBody(upTo:)`'s limit (NIOTooManyBytesError) or any other 413.
            return try answer(RequestRefusal.bodyTooLarge, request: request)
        } catch let error as HTTPError where error.status.code < 500 {
            throw error
        } catch {
            // The request's own logger: the line names its request id, which the answer carries.
            context.logger.error(
                "request failed", metadata: ["path": "\(request.uri.path)", "error": "\(String(reflecting: error))"])
            return try internalError(request: request)
        }
    }

    private func isAPI(_ request: Request) -> Bool { request.uri.path.hasPrefix("/api/") }

    func answer(_ refusal: any AnsweredRefusal, request: Request) throws -> Response {
        let session = WebSession(request: request, environment: environment)
        if isAPI(request) { return try ProblemDetails(refusal, language: session.language).response() }
        let serviceRefusal = refusal as? Refusal
        if serviceRefusal == .notSignedIn, request.method == .get, request.uri.path.hasPrefix("/me") {
            return try signInPage(request: request, session: session)
        }
        let needsAccess = serviceRefusal.map { [.accessLinkExpired, .accessLinkInvalid, .notSignedIn].contains($0) }
        let model = ProblemPageModel(
            chrome: PageChrome(session: session, event: environment.event), status: refusal.status.code,
            title: refusal.title(in: session.language), detail: refusal.detail(in: session.language),
            code: refusal.code,
            showAccessLink: needsAccess == true && !request.uri.path.hasPrefix("/organiser"),
            showLogin: serviceRefusal == .notSignedIn && request.uri.path.hasPrefix("/organiser"))
        var page = try session.page("problem", model: model, environment: environment, status: refusal.status)
        if let seconds = refusal.retryAfterSeconds { page.extraHeaders[.retryAfter] = String(seconds) }
        return page.plainResponse()
    }

    /// A personal page asked for without a session: the sign-in page in the visitor's
    /// language, whose access link leads back to the page asked for.
    private func signInPage(request: Request, session: WebSession) throws -> Response {
        var path = request.uri.path
        if let query = request.uri.query, !query.isEmpty { path += "?" + query }
        let model = AccessPageModel(
            chrome: PageChrome(session: session, event: environment.event), email: "", errors: [:], sent: false,
            next: ReturnPath.validated(path) ?? "", signInNeeded: true)
        return try session.page("access", model: model, environment: environment, status: .unauthorized)
            .plainResponse()
    }

    private func internalError(request: Request) throws -> Response {
        let language = WebSession(request: request, environment: environment).language
        let title = language == .fr ? "Erreur interne" : "Internal error"
        let detail =
            language == .fr
            ? "Une erreur inattendue s'est produite. Réessayez dans un instant."
            : "Something unexpected went wrong. Please try again in a moment."
        if isAPI(request) {
            let body =
                #"{"code":"internal_error","status":500,"title":"\#(title)","detail":"\#(detail)","type":"about:blank"}"#
            return Response(
                status: .internalServerError, headers: [.contentType: "application/problem+json"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
        }
        let html =
            "<!doctype html><html lang=\"\(language.rawValue)\"><meta charset=\"utf-8\"><title>\(title)</title><h1>\(title)</h1><p>\(detail)</p></html>"
        return Response(
            status: .internalServerError, headers: [.contentType: "text/html; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: html)))
    }
}

/// Refuses page forms (POST outside `/api/`) whose anti-forgery token does not match the
/// browser's seed cookie. The JSON API takes no cookies, so it needs no such token.
struct CSRFMiddleware<Context: RequestContext>: RouterMiddleware {
    let signer: TokenSigner

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        guard request.method == .post, !request.uri.path.hasPrefix("/api/") else {
            return try await next(request, context)
        }
        var request = request
        let form = try await FormData.read(&request)
        let seed = request.cookies[WebSession.csrfCookie]?.value ?? ""
        guard signer.checkCSRF(token: form[WebSession.csrfField], seed: seed) else {
            throw RequestRefusal.csrfTokenInvalid
        }
        return try await next(request, context)
    }
}
