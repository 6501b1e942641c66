import Foundation
import Hummingbird
import PartneringCore
import Registration

/// The JSON API (`/api/v1`) over the same services as the pages. Attendees and
/// organisers authenticate with `Authorization: Bearer` tokens only — never cookies —
/// so the API needs no anti-forgery tokens. Refusals are `application/problem+json`.
struct APIController<Context: IdentifiedRequestContext> {
    let environment: ServerEnvironment

    private var attendees: RegistrationService { environment.registration.attendees }
    private var organisers: OrganiserService { environment.registration.organisers }

    func addRoutes(to router: Router<Context>) {
        let attendeeRoutes = router.group().add(
            middleware: SignInMiddleware<Context>.attendee(environment, from: .bearer))
        let organiserRoutes = router.group().add(
            middleware: SignInMiddleware<Context>.organiser(environment, from: .bearer))
        router.get("/api/openapi.yaml", use: openAPI)
        router.post("/api/v1/registrations/:role", use: register)
        router.post("/api/v1/access-links", use: accessLink)
        router.post("/api/v1/sessions", use: session)
        attendeeRoutes.get("/api/v1/me", use: me)
        attendeeRoutes.put("/api/v1/me", use: updateMe)
        attendeeRoutes.delete("/api/v1/me", use: eraseMe)
        attendeeRoutes.post("/api/v1/me/cancel", use: cancelMe)
        attendeeRoutes.get("/api/v1/me/export", use: exportMe)
        attendeeRoutes.get("/api/v1/directory", use: directory)
        attendeeRoutes.get("/api/v1/requests", use: requests)
        attendeeRoutes.post("/api/v1/requests", use: sendRequest)
        attendeeRoutes.post("/api/v1/requests/:id/:action", use: changeRequest)
        router.post("/api/v1/organiser/tokens", use: organiserToken)
        organiserRoutes.get("/api/v1/organiser/registrations", use: registrations)
        organiserRoutes.get("/api/v1/organiser/registrations/:id", use: registration)
        organiserRoutes.post("/api/v1/organiser/registrations/:id/:action", use: act)
        organiserRoutes.get("/api/v1/organiser/occupancy", use: occupancy)
        organiserRoutes.get("/api/v1/organiser/requests/statistics", use: statistics)
        organiserRoutes.get("/api/v1/organiser/problem", use: problem)
        organiserRoutes.get("/api/v1/organiser/report", use: report)
    }

    // MARK: Helpers

    /// Decodes a JSON body of at most 256 KiB (``Request/decodeJSON(_:limit:decoder:)``).
    private func body<Body: Decodable>(_ type: Body.Type, _ request: Request) async throws -> Body {
        try await request.decodeJSON(type, limit: 256 * 1024)
    }

    private func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        try .json(value, status: status)
    }

    // MARK: Public

    @Sendable func openAPI(_ request: Request, context: Context) async throws -> Response {
        let path = environment.settings.templatesDirectory + "/api/openapi.yaml"
        guard let data = FileManager.default.contents(atPath: path) else { throw Refusal.notFound }
        return Response(
            status: .ok, headers: [.contentType: "application/yaml; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(data: data)))
    }

    @Sendable func register(_ request: Request, context: Context) async throws -> Response {
        let form = try await body(RegistrationForm.self, request)
        let receipt = try await attendees.register(
            role: context.parameters.get("role") ?? "", form: form,
            idempotencyKey: request.headers[.idempotencyKey])
        return try json(
            RegistrationJSON(
                participant: ParticipantJSON(receipt.participant, waitlistPosition: receipt.waitlistPosition),
                sessionToken: receipt.sessionToken, sessionExpiresAt: receipt.sessionExpiresAt,
                replayed: receipt.isReplay), status: receipt.isReplay ? .ok : .created)
    }

    @Sendable func accessLink(_ request: Request, context: Context) async throws -> Response {
        try await attendees.requestAccessLink(
            email: try await body(AccessLinkBody.self, request).email,
            client: request.clientAddress(context: context, trustForwardedFor: environment.settings.trustForwardedFor))
        return try json(AcceptedJSON(status: "sent_if_registered"), status: .accepted)
    }

    @Sendable func session(_ request: Request, context: Context) async throws -> Response {
        let signedIn = try await attendees.signIn(accessToken: try await body(SessionBody.self, request).token)
        return try json(
            SessionJSON(
                sessionToken: signedIn.session, expiresAt: signedIn.expiresAt,
                participant: ParticipantJSON(signedIn.participant)))
    }

    // MARK: The attendee

    @Sendable func me(_ request: Request, context: Context) async throws -> Response {
        let me = try context.attendee.participant
        return try json(ParticipantJSON(me, waitlistPosition: try await attendees.waitlistPosition(of: me)))
    }

    @Sendable func updateMe(_ request: Request, context: Context) async throws -> Response {
        let me = try context.attendee.participant
        let updated = try await attendees.updateProfile(of: me, form: try await body(RegistrationForm.self, request))
        return try json(ParticipantJSON(updated))
    }

    @Sendable func eraseMe(_ request: Request, context: Context) async throws -> Response {
        try await attendees.erase(try context.attendee.participant)
        return Response(status: .noContent)
    }

    @Sendable func cancelMe(_ request: Request, context: Context) async throws -> Response {
        let me = try context.attendee.participant
        let release = try await attendees.cancel(me, actor: "participant:\(me.id)")
        return try json(ParticipantJSON(release.participant))
    }

    @Sendable func exportMe(_ request: Request, context: Context) async throws -> Response {
        let data = try await attendees.export(try context.attendee.participant).json()
        return Response(
            status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(data: data)))
    }

    @Sendable func directory(_ request: Request, context: Context) async throws -> Response {
        let me = try context.attendee.participant
        let parameters = request.uri.queryParameters
        let page = try await attendees.directory(
            for: me,
            query: DirectoryQuery(
                text: parameters.get("q") ?? "", topic: parameters.get("topic") ?? "",
                country: parameters.get("country") ?? "", role: parameters.get("role") ?? "",
                page: try NumberField.wholeNumber(
                    parameters.get("page"), field: "page", range: DirectoryQuery.pages, fallback: 1)))
        return try json(
            DirectoryJSON(
                total: page.total, page: page.page, pageCount: page.pageCount,
                participants: page.participants.map(DirectoryEntryJSON.init)))
    }

    @Sendable func requests(_ request: Request, context: Context) async throws -> Response {
        let all = try await attendees.requests(of: try context.attendee.participant)
        return try json(
            RequestsJSON(
                incoming: all.incoming.map { RequestJSON($0.request) },
                outgoing: all.outgoing.map { RequestJSON($0.request) }, openCount: all.openCount, limit: all.limit))
    }

    @Sendable func sendRequest(_ request: Request, context: Context) async throws -> Response {
        let me = try context.attendee.participant
        let sent = try await attendees.sendRequest(from: me, form: try await body(RequestForm.self, request))
        return try json(RequestJSON(sent), status: .created)
    }

    @Sendable func changeRequest(_ request: Request, context: Context) async throws -> Response {
        let me = try context.attendee.participant
        let id = RequestID(context.parameters.get("id") ?? "")
        let changed: MeetingRequest
        switch context.parameters.get("action") {
        case "accept": changed = try await attendees.answer(id, by: me, accept: true)
        case "decline": changed = try await attendees.answer(id, by: me, accept: false)
        case "withdraw": changed = try await attendees.withdraw(id, by: me)
        default: throw Refusal.notFound
        }
        return try json(RequestJSON(changed))
    }

    // MARK: Organisers

    @Sendable func organiserToken(_ request: Request, context: Context) async throws -> Response {
        let credentials = try await body(CredentialsBody.self, request)
        let token = try await organisers.signIn(
            email: credentials.email, password: credentials.password,
            client: request.clientAddress(context: context, trustForwardedFor: environment.settings.trustForwardedFor),
            purpose: .organiserAPI)
        return try json(TokenJSON(token: token.token, expiresAt: token.expiresAt), status: .created)
    }

    @Sendable func registrations(_ request: Request, context: Context) async throws -> Response {
        let parameters = request.uri.queryParameters
        let found = try await organisers.registrations(
            RegistrationQuery(
                text: parameters.get("q") ?? "", status: parameters.get("status") ?? "",
                role: parameters.get("role") ?? "",
                sort: RegistrationSort(rawValue: parameters.get("sort") ?? "") ?? .number))
        return try json(found.map { ParticipantJSON($0) })
    }

    @Sendable func registration(_ request: Request, context: Context) async throws -> Response {
        let participant = try await organisers.participant(context.parameters.get("id") ?? "")
        return try json(
            ParticipantJSON(participant, waitlistPosition: try await attendees.waitlistPosition(of: participant)))
    }

    @Sendable func act(_ request: Request, context: Context) async throws -> Response {
        let organiser = try context.organiser.email
        let id = context.parameters.get("id") ?? ""
        switch context.parameters.get("action") {
        case "approve":
            let outcome = try await organisers.approve(id, by: organiser)
            return try json(ParticipantJSON(outcome.participant, waitlistPosition: outcome.waitlistPosition))
        case "reject", "cancel":
            // Both take an optional reason, sent to the person by e-mail.
            var reason: String?
            if request.headers[.contentType]?.hasPrefix("application/json") == true {
                reason = try await body(CancelBody.self, request).reason
            }
            let release =
                context.parameters.get("action") == "reject"
                ? try await organisers.reject(id, by: organiser, reason: reason)
                : try await organisers.cancel(id, by: organiser, reason: reason)
            return try json(ParticipantJSON(release.participant))
        default: throw Refusal.notFound
        }
    }

    @Sendable func occupancy(_ request: Request, context: Context) async throws -> Response {
        return try json(
            try await organisers.occupancy().map {
                OccupancyJSON(
                    category: $0.category.id.rawValue, role: $0.category.role.rawValue, capacity: $0.category.capacity,
                    confirmed: $0.confirmed, pending: $0.pending, waitlisted: $0.waitlisted, cancelled: $0.cancelled,
                    rejected: $0.rejected, free: $0.free)
            })
    }

    @Sendable func statistics(_ request: Request, context: Context) async throws -> Response {
        let statistics = try await organisers.requestStatistics()
        return try json(
            StatisticsJSON(
                total: statistics.total,
                byStatus: Dictionary(uniqueKeysWithValues: statistics.byStatus.map { ($0.key.rawValue, $0.value) }),
                acceptanceRate: statistics.acceptanceRate,
                mostRequested: Dictionary(
                    uniqueKeysWithValues: statistics.mostRequested.map { role, lines in
                        (
                            role.rawValue,
                            lines.map {
                                StatisticsJSON.Popular(
                                    id: $0.participant.id.rawValue, name: $0.participant.name,
                                    organisation: $0.participant.organisation, received: $0.received,
                                    accepted: $0.accepted, declined: $0.declined)
                            }
                        )
                    })))
    }

    /// The event report (`EventReport`, as the report page shows it).
    @Sendable func report(_ request: Request, context: Context) async throws -> Response {
        return try json(try await environment.eventReport())
    }

    @Sendable func problem(_ request: Request, context: Context) async throws -> Response {
        return try await OrganiserProblem.response(environment: environment)
    }
}
