import Foundation
import Hummingbird
import PartneringCore
import Registration

/// Public registration pages: a form per role, and the access links that open the
/// personal area.
struct RegistrationController<Context: RequestContext & RemoteAddressRequestContext> {
    let environment: ServerEnvironment

    private var service: RegistrationService { environment.registration.attendees }

    func addRoutes(to router: Router<Context>) {
        router.get("/register/:role", use: registerForm)
        router.post("/register/:role", use: register)
        router.get("/access", use: accessForm)
        router.post("/access", use: sendAccessLink)
        router.get("/access/:token", use: openAccessLink)
    }

    private func role(_ context: Context) throws -> RoleDefinition {
        let name = context.parameters.get("role") ?? ""
        guard let role = service.registrableRoles.first(where: { $0.role.rawValue == name }) else {
            throw Refusal.unknownRole(name)
        }
        return role
    }

    @Sendable func registerForm(_ request: Request, context: Context) async throws -> HTMLResponse {
        let session = WebSession(request: request, environment: environment)
        let role = try role(context)
        var form = RegistrationForm(language: session.language.rawValue)
        form.sessions = environment.event.sessions.map(\.id)
        form.listInDirectory = true
        return try renderForm(session: session, role: role, form: form, issues: [])
    }

    private func renderForm(
        session: WebSession, role: RoleDefinition, form: RegistrationForm, issues: [FieldIssue],
        extraErrors: [String: String] = [:], status: HTTPResponse.Status = .ok, submission: String? = nil
    ) throws -> HTMLResponse {
        let model = RegisterPageModel(
            chrome: PageChrome(session: session, event: environment.event), role: role.role.rawValue,
            roleName: role.name[session.language], needsApproval: role.requiresApproval,
            form: ParticipantFormModel(
                form: form, issues: issues, event: environment.event, role: role.role, language: session.language,
                editableEmail: true, extraErrors: extraErrors),
            submission: submission ?? service.dependencies.randomHex(bytes: 16))
        return try session.page("register", model: model, environment: environment, status: status)
    }

    @Sendable func register(_ request: Request, context: Context) async throws -> HTMLResponse {
        var request = request
        let session = WebSession(request: request, environment: environment)
        let role = try role(context)
        let data = try await FormData.read(&request)
        let form = ParticipantFormModel.form(from: data)
        let submission = data["_submission"]
        do {
            let receipt = try await service.register(
                role: role.role.rawValue, form: form, idempotencyKey: submission.isEmpty ? nil : submission)
            let participant = receipt.participant
            let model = RegisteredPageModel(
                chrome: PageChrome(session: session, event: environment.event), name: participant.name,
                number: participant.number, isConfirmed: participant.status == .confirmed,
                isPending: participant.status == .pending, isWaitlisted: participant.status == .waitlisted,
                waitlistPosition: receipt.waitlistPosition ?? 0,
                categoryName: environment.event.category(participant.category)?.name[session.language] ?? "")
            let cookie: HTTPFields = [
                .setCookie: WebSession.cookie(
                    WebSession.attendeeCookie, value: receipt.sessionToken,
                    maxAge: Int(TokenPurpose.attendeeSession.lifetime), secure: environment.isHTTPS
                ).description
            ]
            return try session.page(
                "registered", model: model, environment: environment, status: .created, extraHeaders: cookie)
        } catch Refusal.invalidInput(let issues) {
            return try renderForm(
                session: session, role: role, form: form, issues: issues, status: .unprocessableContent,
                submission: submission)
        } catch Refusal.emailAlreadyRegistered {
            return try renderForm(
                session: session, role: role, form: form, issues: [],
                extraErrors: ["email": Refusal.emailAlreadyRegistered.detail(in: session.language)],
                status: .conflict)
        }
    }

    @Sendable func accessForm(_ request: Request, context: Context) async throws -> HTMLResponse {
        let session = WebSession(request: request, environment: environment)
        let model = AccessPageModel(
            chrome: PageChrome(session: session, event: environment.event), email: "", errors: [:], sent: false,
            next: ReturnPath.validated(request.uri.queryParameters.get("next").map { String($0) }) ?? "")
        return try session.page("access", model: model, environment: environment)
    }

    @Sendable func sendAccessLink(_ request: Request, context: Context) async throws -> HTMLResponse {
        var request = request
        let session = WebSession(request: request, environment: environment)
        let data = try await FormData.read(&request)
        let chrome = PageChrome(session: session, event: environment.event)
        do {
            try await service.requestAccessLink(
                email: data["email"], returnTo: ReturnPath.validated(data["next"]),
                client: request.clientAddress(
                    context: context, trustForwardedFor: environment.settings.trustForwardedFor))
            return try session.page(
                "access", model: AccessPageModel(chrome: chrome, email: data["email"], errors: [:], sent: true),
                environment: environment)
        } catch Refusal.invalidInput(let issues) {
            let errors = Dictionary(grouping: issues, by: \.field).mapValues {
                $0.map { $0.message(in: session.language) }
            }
            return try session.page(
                "access",
                model: AccessPageModel(
                    chrome: chrome, email: data["email"], errors: errors, sent: false,
                    next: ReturnPath.validated(data["next"]) ?? ""),
                environment: environment, status: .unprocessableContent)
        }
    }

    @Sendable func openAccessLink(_ request: Request, context: Context) async throws -> Response {
        let session = WebSession(request: request, environment: environment)
        let signedIn = try await service.signIn(accessToken: context.parameters.get("token") ?? "")
        let cookie: HTTPFields = [
            .setCookie: WebSession.cookie(
                WebSession.attendeeCookie, value: signedIn.session, maxAge: Int(TokenPurpose.attendeeSession.lifetime),
                secure: environment.isHTTPS
            ).description
        ]
        // Back to the page the e-mail or the sign-in page was about, if it is one of ours.
        let next = ReturnPath.validated(request.uri.queryParameters.get("next").map { String($0) }) ?? "/me"
        return session.redirect(to: next, extraHeaders: cookie)
    }
}

extension ServerEnvironment {
    /// Whether the public address is HTTPS, so that cookies must be `Secure`.
    var isHTTPS: Bool { settings.baseURL.scheme == "https" }
}
