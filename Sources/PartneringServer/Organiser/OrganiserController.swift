import Foundation
import Hummingbird
import PartneringCore
import Registration
import Scheduling

/// The back office (`/organiser`): sign-in, dashboard, registrations, audit log and
/// the scheduling problem of the current state.
struct OrganiserController<Context: RemoteAddressRequestContext> {
    let environment: ServerEnvironment

    private var service: OrganiserService { environment.registration.organisers }
    private var event: EventDefinition { environment.event }

    func addRoutes(to router: Router<Context>) {
        router.get("/organiser/login", use: loginForm)
        router.post("/organiser/login", use: login)
        router.post("/organiser/logout", use: logout)
        router.get("/organiser", use: home)
        router.get("/organiser/registrations", use: registrations)
        router.get("/organiser/registrations.csv", use: csv)
        router.post("/organiser/registrations/:id/:action", use: act)
        router.get("/organiser/audit", use: audit)
        router.get("/organiser/problem.json", use: problem)
    }

    private func signedIn(_ request: Request) async throws -> (WebSession, String) {
        try await WebSession.signedInOrganiser(request, environment: environment)
    }

    @Sendable func loginForm(_ request: Request, context: Context) async throws -> HTMLResponse {
        let session = WebSession(request: request, environment: environment)
        let model = OrganiserLoginPageModel(
            chrome: PageChrome(session: session, event: event), email: "", error: "", hasError: false)
        return try session.page("organiser-login", model: model, environment: environment)
    }

    @Sendable func login(_ request: Request, context: Context) async throws -> Response {
        var request = request
        let session = WebSession(request: request, environment: environment)
        let data = try await FormData.read(&request)
        let client = request.clientAddress(
            context: context, trustForwardedFor: environment.settings.trustForwardedFor)
        do {
            let signedIn = try await service.signIn(email: data["email"], password: data["password"], client: client)
            let cookie: HTTPFields = [
                .setCookie: WebSession.cookie(
                    WebSession.organiserCookie, value: signedIn.token,
                    maxAge: Int(TokenPurpose.organiserSession.lifetime), secure: environment.isHTTPS
                ).description
            ]
            return session.redirect(to: "/organiser", extraHeaders: cookie)
        } catch let refusal as Refusal where refusal == .invalidCredentials || refusal.code == "too_many_attempts" {
            let model = OrganiserLoginPageModel(
                chrome: PageChrome(session: session, event: event), email: data["email"],
                error: refusal.detail(in: session.language), hasError: true)
            var page = try session.page(
                "organiser-login", model: model, environment: environment,
                status: refusal.status)
            if case .tooManyAttempts(let seconds) = refusal { page.extraHeaders[.retryAfter] = String(seconds) }
            return page.plainResponse()
        }
    }

    @Sendable func logout(_ request: Request, context: Context) async throws -> Response {
        let session = WebSession(request: request, environment: environment)
        try await environment.registration.attendees.signOut(session.organiserToken, for: .organiserSession)
        return session.redirect(
            to: "/organiser/login",
            extraHeaders: [.setCookie: WebSession.cookie(WebSession.organiserCookie, value: "", maxAge: 0).description])
    }

    @Sendable func home(_ request: Request, context: Context) async throws -> HTMLResponse {
        let (session, organiser) = try await signedIn(request)
        let language = session.language
        let occupancy = try await service.occupancy()
        let statistics = try await service.requestStatistics()
        let statusNames: [RequestStatus: LocalizedText] = [
            .pending: LocalizedText(fr: "En attente", en: "Pending"),
            .accepted: LocalizedText(fr: "Acceptées", en: "Accepted"),
            .declined: LocalizedText(fr: "Déclinées", en: "Declined"),
            .withdrawn: LocalizedText(fr: "Retirées", en: "Withdrawn"),
        ]
        let model = OrganiserHomePageModel(
            chrome: PageChrome(session: session, event: event), organiser: organiser,
            categories: occupancy.map { line in
                let labels: (LocalizedText, LocalizedText, LocalizedText) = (
                    LocalizedText(fr: "Confirmés", en: "Confirmed"), LocalizedText(fr: "En attente", en: "Pending"),
                    LocalizedText(fr: "Liste d'attente", en: "Waiting list")
                )
                return OccupancyLine(
                    name: line.category.name[language], capacity: line.category.capacity, confirmed: line.confirmed,
                    pending: line.pending, waitlisted: line.waitlisted, free: line.free,
                    percent: line.category.capacity == 0 ? 0 : line.confirmed * 100 / line.category.capacity,
                    chart: BarChart(
                        [
                            (labels.0[language], line.confirmed, "/ \(line.category.capacity)"),
                            (labels.1[language], line.pending, ""), (labels.2[language], line.waitlisted, ""),
                        ], maximum: line.category.capacity))
            },
            requestTotal: statistics.total,
            requestsByStatus: BarChart(
                RequestStatus.allCases.map {
                    (statusNames[$0]?[language] ?? $0.rawValue, statistics.byStatus[$0] ?? 0, "")
                }
            ),
            acceptanceRate: statistics.acceptanceRate.map { "\(Int(($0 * 100).rounded())) %" } ?? "–",
            mostRequested: event.roles.compactMap { role in
                guard let lines = statistics.mostRequested[role.role], !lines.isEmpty else { return nil }
                return MostRequestedGroup(
                    roleName: role.name[language],
                    chart: BarChart(
                        lines.map {
                            (
                                "\($0.participant.name) — \($0.participant.organisation)", $0.received,
                                "✓ \($0.accepted) ✗ \($0.declined)"
                            )
                        }))
            })
        return try session.page("organiser-home", model: model, environment: environment)
    }

    private func query(_ request: Request) -> RegistrationQuery {
        let parameters = request.uri.queryParameters
        return RegistrationQuery(
            text: parameters.get("q") ?? "", status: parameters.get("status") ?? "", role: parameters.get("role") ?? "",
            sort: RegistrationSort(rawValue: parameters.get("sort") ?? "") ?? .number)
    }

    @Sendable func registrations(_ request: Request, context: Context) async throws -> HTMLResponse {
        let (session, _) = try await signedIn(request)
        let language = session.language
        let query = query(request)
        let found = try await service.registrations(query)
        let dates = EventDateText(timeZone: event.timeZone)
        var components = URLComponents()
        components.queryItems = [("q", query.text), ("status", query.status), ("role", query.role)]
            .filter { !$0.1.isEmpty }.map { URLQueryItem(name: $0.0, value: $0.1) }
        let model = OrganiserRegistrationsPageModel(
            chrome: PageChrome(session: session, event: event), text: query.text,
            statuses: RegistrationStatus.allCases.map {
                Option(value: $0.rawValue, label: $0.rawValue, checked: $0.rawValue == query.status)
            },
            roles: event.roles.map {
                Option(value: $0.role.rawValue, label: $0.name[language], checked: $0.role.rawValue == query.role)
            },
            sorts: RegistrationSort.allCases.map {
                Option(value: $0.rawValue, label: $0.rawValue, checked: $0 == query.sort)
            },
            registrations: found.map { participant in
                RegistrationLine(
                    id: participant.id.rawValue, number: participant.number, name: participant.name,
                    email: participant.email, organisation: participant.organisation,
                    roleName: event.role(participant.role)?.name[language] ?? participant.role.rawValue,
                    status: participant.status.rawValue, registered: dates.stamp(participant.registeredAt),
                    canApprove: participant.status == .pending,
                    canReject: [.pending, .confirmed, .waitlisted].contains(participant.status),
                    canCancel: [.pending, .confirmed, .waitlisted].contains(participant.status))
            }, count: found.count, csvQuery: components.percentEncodedQuery ?? "",
            hasNotice: ["approve", "reject", "cancel"].contains(request.uri.queryParameters.get("notice") ?? ""))
        return try session.page("organiser-registrations", model: model, environment: environment)
    }

    @Sendable func csv(_ request: Request, context: Context) async throws -> Response {
        _ = try await signedIn(request)
        let file = service.csv(try await service.registrations(query(request)))
        return Response(
            status: .ok,
            headers: [
                .contentType: "text/csv; charset=utf-8",
                .contentDisposition: "attachment; filename=\"registrations.csv\"",
            ], body: ResponseBody(byteBuffer: ByteBuffer(data: file)))
    }

    @Sendable func act(_ request: Request, context: Context) async throws -> Response {
        var request = request
        let (session, organiser) = try await signedIn(request)
        let data = try await FormData.read(&request)
        let id = context.parameters.get("id") ?? ""
        let action = context.parameters.get("action") ?? ""
        switch action {
        case "approve": _ = try await service.approve(id, by: organiser)
        case "reject": _ = try await service.reject(id, by: organiser)
        case "cancel": _ = try await service.cancel(id, by: organiser, reason: data["reason"])
        default: throw Refusal.notFound
        }
        return session.redirect(to: "/organiser/registrations?notice=\(action)")
    }

    @Sendable func audit(_ request: Request, context: Context) async throws -> HTMLResponse {
        let (session, _) = try await signedIn(request)
        let entries = try await service.auditLog(limit: 500, action: request.uri.queryParameters.get("action"))
        let model = OrganiserAuditPageModel(
            chrome: PageChrome(session: session, event: event),
            entries: entries.map {
                AuditLine(
                    time: InternetTime.string($0.time), actor: $0.actor, action: $0.action, subject: $0.subject,
                    details: $0.details)
            })
        return try session.page("organiser-audit", model: model, environment: environment)
    }

    @Sendable func problem(_ request: Request, context: Context) async throws -> Response {
        _ = try await signedIn(request)
        return try await OrganiserProblem.response(environment: environment)
    }
}

/// The scheduling problem of the store's current state: the same code as
/// `partnering export problem`.
enum OrganiserProblem {
    static func response(environment: ServerEnvironment) async throws -> Response {
        let problem = Scheduling.ProblemDocument(
            event: environment.event, participants: try await environment.store.participants.list(.all),
            requests: try await environment.store.requests.list(.all))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return Response(
            status: .ok,
            headers: [
                .contentType: "application/json; charset=utf-8",
                .contentDisposition: "attachment; filename=\"problem.json\"",
            ], body: ResponseBody(byteBuffer: ByteBuffer(data: try encoder.encode(problem))))
    }
}
