import Hummingbird
import PartneringCore

/// The language of a page: an explicit `?lang=` choice, then the remembered
/// cookie, then the browser's `Accept-Language`, then the event's first language.
struct LanguageChoice {
    static let cookieName = "lang"

    let language: Language
    /// Whether the choice came from the query and must be remembered.
    let isNewChoice: Bool

    init(request: Request, supported: [Language]) {
        let fallback = supported.first ?? .fr
        if let query = request.uri.queryParameters.get("lang"), let chosen = Language(rawValue: query),
            supported.contains(chosen)
        {
            language = chosen
            isNewChoice = true
        } else if let cookie = request.cookies[Self.cookieName]?.value, let remembered = Language(rawValue: cookie),
            supported.contains(remembered)
        {
            language = remembered
            isNewChoice = false
        } else {
            language = Language.negotiate(
                acceptLanguage: request.headers[.acceptLanguage], supported: supported, fallback: fallback)
            isNewChoice = false
        }
    }

    /// The `Set-Cookie` header that remembers an explicit choice for a year.
    var rememberHeader: HTTPFields {
        guard isNewChoice else { return [:] }
        let cookie = Cookie(
            name: Self.cookieName, value: language.rawValue, maxAge: 31_536_000, path: "/", httpOnly: true,
            sameSite: .lax)
        return [.setCookie: cookie.description]
    }
}
