import Foundation
import Hummingbird

/// What every answer carries whatever route made it: the browser security headers, `Secure`
/// on every cookie behind HTTPS, and `CONNECT` or `TRACE` refused at once (405, connection
/// closed) instead of held open.
struct ResponseHardeningMiddleware<Context: RequestContext>: RouterMiddleware {
    /// Whether the public address is HTTPS (cookies then get `Secure`).
    let isHTTPS: Bool

    /// Pages load their script and style sheet from the site only; the inline `<style>`
    /// of the page layout needs `'unsafe-inline'` for styles (never for scripts); the desk's
    /// inline `<script type="application/json">` blocks are data, not scripts, so CSP lets
    /// them be. No page may be framed (clickjacking), no form may post elsewhere.
    static var contentSecurityPolicy: String {
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
            + "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        if request.method == .connect || request.method == .trace {
            var response = Response(
                status: .methodNotAllowed, headers: [.allow: "GET, HEAD, POST, PUT, DELETE", .connection: "close"])
            harden(&response)
            return response
        }
        var response = try await next(request, context)
        harden(&response)
        return response
    }

    private func harden(_ response: inout Response) {
        response.headers[.contentSecurityPolicy] = Self.contentSecurityPolicy
        response.headers[.xFrameOptions] = "DENY"
        response.headers[.xContentTypeOptions] = "nosniff"
        // Access links carry their token in the path: never send it to another site. A page
        // may ask for less (a hall board's private address: `no-referrer`).
        if response.headers[.referrerPolicy] == nil { response.headers[.referrerPolicy] = "same-origin" }
        guard isHTTPS else { return }
        let cookies = response.headers[values: .setCookie]
        guard cookies.contains(where: { !Self.isSecure($0) }) else { return }
        response.headers[values: .setCookie] = cookies.map { Self.isSecure($0) ? $0 : $0 + "; Secure" }
    }

    private static func isSecure(_ cookie: String) -> Bool {
        cookie.split(separator: ";").contains { $0.trimmingCharacters(in: .whitespaces).lowercased() == "secure" }
    }
}

/// Answers `HEAD` as the same `GET` without its body (RFC 9110 §9.3.2). It wraps the router,
/// because the router matches routes by method before any middleware runs.
struct HeadAsGetResponder<Inner: HTTPResponder>: HTTPResponder {
    let inner: Inner

    func respond(to request: Request, context: Inner.Context) async throws -> Response {
        guard request.method == .head else { return try await inner.respond(to: request, context: context) }
        var head = request.head
        head.method = .get
        var response = try await inner.respond(to: Request(head: head, body: request.body), context: context)
        response.body = ResponseBody()
        return response
    }
}
