import Hummingbird
import PartneringCore
import Registration

extension Request {
    /// The token of an `Authorization: Bearer <token>` header (scheme case-insensitive,
    /// RFC 9110 §11.1), or `nil` when the request has no such header.
    var bearerToken: String? {
        guard let header = headers[.authorization] else { return nil }
        let scheme = "bearer "
        guard header.count > scheme.count, header.prefix(scheme.count).lowercased() == scheme else { return nil }
        let token = header.dropFirst(scheme.count).trimmingCharacters(in: .whitespaces)
        return token.isEmpty ? nil : token
    }
}

/// The attendee a request speaks for: the participant its session signs in.
struct AttendeeIdentity: Sendable {
    let participant: Participant
    var id: ParticipantID { participant.id }
}

/// The organiser a request speaks for, named by the e-mail address of the account, as
/// the audit entries and the records of decisions name organisers.
struct OrganiserIdentity: Sendable {
    let email: String
}

/// The check-in desk a request speaks for, by the name it signed in with (scans and
/// admissions record it).
struct DeskIdentity: Sendable {
    let name: String
}

/// Who is signed in, as the ``SignInMiddleware`` of the route found it; empty for the
/// routes that need nobody.
struct SignedInIdentities: Sendable {
    var attendee: AttendeeIdentity?
    var organiser: OrganiserIdentity?
    var desk: DeskIdentity?
}

/// A request context that carries the identities ``SignInMiddleware`` resolved, so that
/// handlers read who is asking instead of resolving a session themselves.
protocol IdentifiedRequestContext: RemoteAddressRequestContext {
    var identities: SignedInIdentities { get set }
}

extension IdentifiedRequestContext {
    /// The signed-in attendee; ``Refusal/notSignedIn`` on a route without ``SignInMiddleware/attendee(_:from:)``.
    var attendee: AttendeeIdentity {
        get throws {
            guard let attendee = identities.attendee else { throw Refusal.notSignedIn }
            return attendee
        }
    }

    /// The signed-in organiser; ``Refusal/notSignedIn`` on a route without ``SignInMiddleware/organiser(_:from:)``.
    var organiser: OrganiserIdentity {
        get throws {
            guard let organiser = identities.organiser else { throw Refusal.notSignedIn }
            return organiser
        }
    }

    /// The signed-in desk; ``Refusal/notSignedIn`` on a route without ``SignInMiddleware/desk(_:requiresJSONForCookie:whenMissing:)``.
    var desk: DeskIdentity {
        get throws {
            guard let desk = identities.desk else { throw Refusal.notSignedIn }
            return desk
        }
    }
}

/// Where a route finds its credential: the page session cookie, or the API's
/// `Authorization: Bearer` token (the API never takes cookies, so it needs no
/// anti-forgery token).
enum CredentialSource: Sendable {
    case cookie
    case bearer
}

/// Resolves the session of a route's credential once, before its handler, and puts the
/// typed identity in the context. The one place where a missing or invalid session is
/// refused: ``Refusal/notSignedIn`` (which ``RefusalMiddleware`` answers as the sign-in
/// page, a page with the sign-in link, or problem+json), or a redirect for the desk pages.
struct SignInMiddleware<Context: IdentifiedRequestContext>: RouterMiddleware {
    /// Who the route needs.
    enum Requirement: Sendable {
        case attendee(CredentialSource)
        case organiser(CredentialSource)
        /// A desk by bearer token or by its cookie; `requiresJSONForCookie` for the API's
        /// POSTs, which a cross-site form cannot send, so the cookie cannot forge scans.
        case desk(requiresJSONForCookie: Bool)
    }

    /// What a request without a valid session gets.
    enum WhenMissing: Sendable {
        case refuse
        /// A 303 to `location` (the desk pages send a signed-out desk to its sign-in page).
        case redirect(to: String)
    }

    /// The cookie of the desk pages' session.
    static var deskCookie: String { "desk" }

    let environment: ServerEnvironment
    let requirement: Requirement
    let whenMissing: WhenMissing

    static func attendee(_ environment: ServerEnvironment, from source: CredentialSource) -> Self {
        Self(environment: environment, requirement: .attendee(source), whenMissing: .refuse)
    }

    static func organiser(_ environment: ServerEnvironment, from source: CredentialSource) -> Self {
        Self(environment: environment, requirement: .organiser(source), whenMissing: .refuse)
    }

    static func desk(
        _ environment: ServerEnvironment, requiresJSONForCookie: Bool = false, whenMissing: WhenMissing = .refuse
    ) -> Self {
        Self(
            environment: environment, requirement: .desk(requiresJSONForCookie: requiresJSONForCookie),
            whenMissing: whenMissing)
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        var context = context
        do {
            try await resolve(request, into: &context.identities)
        } catch Refusal.notSignedIn {
            switch whenMissing {
            case .refuse: throw Refusal.notSignedIn
            case .redirect(let location):
                return WebSession(request: request, environment: environment).redirect(to: location)
            }
        }
        return try await next(request, context)
    }

    private func resolve(_ request: Request, into identities: inout SignedInIdentities) async throws {
        let registration = environment.registration
        switch requirement {
        case .attendee(let source):
            let token = source == .cookie ? request.cookies[WebSession.attendeeCookie]?.value : request.bearerToken
            identities.attendee = AttendeeIdentity(
                participant: try await registration.attendees.attendee(sessionToken: token))
        case .organiser(let source):
            let email =
                switch source {
                case .cookie:
                    try await registration.organisers.organiser(
                        token: request.cookies[WebSession.organiserCookie]?.value)
                case .bearer:
                    try await registration.organisers.organiser(token: request.bearerToken, purpose: .organiserAPI)
                }
            identities.organiser = OrganiserIdentity(email: email)
        case .desk(let requiresJSONForCookie):
            let token: String
            if let bearer = request.bearerToken {
                token = bearer
            } else {
                guard let cookie = request.cookies[Self.deskCookie]?.value else { throw Refusal.notSignedIn }
                if requiresJSONForCookie,
                    request.headers[.contentType]?.lowercased().hasPrefix("application/json") != true
                {
                    throw RequestRefusal.csrfTokenInvalid
                }
                token = cookie
            }
            identities.desk = DeskIdentity(
                name: try await registration.attendees.session(token, for: .deskSession).subject)
        }
    }
}
