import Foundation
import Hummingbird
import Mustache
import PartneringCore
import Registration

/// What a page request carries besides its path: the language, the anti-forgery seed
/// and the session cookies; and what the response must set in return.
struct WebSession {
    static let csrfCookie = "csrf"
    static let attendeeCookie = "attendee"
    static let organiserCookie = "organiser"
    static let csrfField = "_csrf"

    let language: Language
    let languageChoice: LanguageChoice
    /// The browser's anti-forgery seed (from its cookie, or new).
    let csrfSeed: String
    let isNewSeed: Bool
    let csrfToken: String
    let attendeeToken: String?
    let organiserToken: String?

    init(request: Request, environment: ServerEnvironment) {
        languageChoice = LanguageChoice(request: request, supported: environment.event.languages)
        language = languageChoice.language
        if let seed = request.cookies[Self.csrfCookie]?.value, seed.count >= 16 {
            csrfSeed = seed
            isNewSeed = false
        } else {
            csrfSeed = environment.registration.attendees.dependencies.randomHex(bytes: 16)
            isNewSeed = true
        }
        csrfToken = environment.registration.signer.csrfToken(seed: csrfSeed)
        attendeeToken = request.cookies[Self.attendeeCookie]?.value
        organiserToken = request.cookies[Self.organiserCookie]?.value
    }

    /// The headers every page response sets: the remembered language, the new seed.
    var headers: HTTPFields {
        var headers = languageChoice.rememberHeader
        headers[.contentLanguage] = language.rawValue
        if isNewSeed {
            let seedCookie: HTTPFields = [
                .setCookie: Self.cookie(Self.csrfCookie, value: csrfSeed, maxAge: 31_536_000).description
            ]
            headers.append(contentsOf: seedCookie)
        }
        return headers
    }

    /// A session cookie: HttpOnly, SameSite=Lax, whole site; `Secure` behind HTTPS.
    static func cookie(_ name: String, value: String, maxAge: Int, secure: Bool = false) -> Cookie {
        Cookie(name: name, value: value, maxAge: maxAge, path: "/", secure: secure, httpOnly: true, sameSite: .lax)
    }

    /// Renders `page` with `model` in the session's language.
    func page(
        _ name: String, model: Any, environment: ServerEnvironment, status: HTTPResponse.Status = .ok,
        extraHeaders: HTTPFields = [:]
    ) throws -> HTMLResponse {
        let html = try environment.pages.render(name, language: language, context: ChromedPage(model: model))
        var headers = self.headers
        headers.append(contentsOf: extraHeaders)
        return HTMLResponse(html: html, status: status, extraHeaders: headers)
    }

    /// A 303 redirect after a form (Post/Redirect/Get), with extra headers (cookies).
    func redirect(to location: String, extraHeaders: HTTPFields = [:]) -> Response {
        var headers = self.headers
        headers[.location] = location
        headers.append(contentsOf: extraHeaders)
        return Response(status: .seeOther, headers: headers)
    }
}

/// What every page shows around its content (the layout's language links, event name and
/// anti-forgery token): one value every page model carries as `chrome` and renders through
/// ``ChromedPage``, instead of each model rebuilding these fields.
struct PageChrome {
    struct LanguageLink {
        let code: String
        let label: String
        let isCurrent: Bool
    }

    let lang: String
    let languages: [LanguageLink]
    let csrf: String
    let eventName: String

    init(session: WebSession, event: EventDefinition) {
        self.init(language: session.language, csrf: session.csrfToken, event: event)
    }

    /// The chrome of a page in `language`; `csrf` empty for pages without forms (the home
    /// page sets no cookie, so that caches may keep it).
    init(language: Language, csrf: String, event: EventDefinition) {
        lang = language.rawValue
        languages = event.languages.map { option in
            LanguageLink(
                code: option.rawValue, label: option == .fr ? "Français" : "English", isCurrent: option == language)
        }
        self.csrf = csrf
        eventName = event.name[language]
    }
}

extension HTMLResponse {
    /// The response, for places that have no request context (middleware).
    func plainResponse() -> Response {
        var headers: HTTPFields = [.contentType: "text/html; charset=utf-8"]
        headers.append(contentsOf: extraHeaders)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html)))
    }
}

/// A page model seen by the templates with the fields of its `chrome` (languages,
/// anti-forgery token, event name) at the top level, where the layout looks for them.
struct ChromedPage: MustacheParent {
    let model: Any

    func child(named name: String) -> Any? {
        let mirror = Mirror(reflecting: model)
        if let value = mirror.descendant(name) { return Self.unwrapped(value) }
        if let chrome = mirror.descendant("chrome") { return Mirror(reflecting: chrome).descendant(name) }
        return nil
    }

    /// The value an optional field holds, `nil` for none: a `{{#section}}` over an absent
    /// optional must render nothing.
    private static func unwrapped(_ value: Any) -> Any? {
        let mirror = Mirror(reflecting: value)
        guard mirror.displayStyle == .optional else { return value }
        return mirror.children.first.map(\.value)
    }
}
