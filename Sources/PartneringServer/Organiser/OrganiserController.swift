import Foundation
import Grids
import Hummingbird
import PartneringCore
import Registration
import Scheduling

/// The back office (`/organiser`): sign-in, dashboard, registrations, audit log and
/// the scheduling problem of the current state.
struct OrganiserController<Context: IdentifiedRequestContext> {
    let environment: ServerEnvironment

    private var service: OrganiserService { environment.registration.organisers }
    private var event: EventDefinition { environment.event }

    func addRoutes(to router: Router<Context>) {
        let organiserRoutes = router.group().add(
            middleware: SignInMiddleware<Context>.organiser(environment, from: .cookie))
        router.get("/organiser/login", use: loginForm)
        router.post("/organiser/login", use: login)
        router.post("/organiser/logout", use: logout)
        organiserRoutes.get("/organiser", use: home)
        organiserRoutes.get("/organiser/registrations", use: registrations)
        organiserRoutes.get("/organiser/registrations.csv", use: csv)
        organiserRoutes.post("/organiser/registrations/decisions", use: decideMany)
        organiserRoutes.get("/organiser/registrations/:id", use: registration)
        organiserRoutes.post("/organiser/registrations/:id/availability", use: saveAvailability)
        organiserRoutes.post("/organiser/registrations/:id/:action", use: act)
        organiserRoutes.get("/organiser/audit", use: audit)
        organiserRoutes.get("/organiser/problem.json", use: problem)
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
        let session = WebSession(request: request, environment: environment)
        let organiser = try context.organiser.email
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

    @Sendable func registrations(_ request: Request, context: Context) async throws -> HTMLResponse {
        let session = WebSession(request: request, environment: environment)
        let language = session.language
        let query = RegistrationListAddress.query(request)
        let found = try await service.registrationPage(query)
        let dates = EventDateText(timeZone: event.timeZone)
        let words = SchedulingWords(language: language)
        func header(_ sort: RegistrationSort) -> SortHeader {
            let isSorted = query.sort == sort
            var next = query
            next.sort = sort
            next.descending = isSorted ? !query.descending : false
            next.page = 1
            return SortHeader(
                href: RegistrationListAddress.path(next),
                ariaSort: isSorted ? (query.descending ? "descending" : "ascending") : "none", isSorted: isSorted,
                isDescending: isSorted && query.descending)
        }
        func pageLink(_ number: Int) -> String {
            var other = query
            other.page = number
            return RegistrationListAddress.path(other)
        }
        var current = query
        current.page = found.page
        let listPath = RegistrationListAddress.path(current)
        let notice = RegistrationListAddress.summary(request).map {
            RegistrationWords.summary($0, in: language)
        }
        let countText =
            language == .fr
            ? words.count(found.total, fr: ("inscription", "inscriptions"), en: ("", ""))
            : words.count(found.total, fr: ("", ""), en: ("registration", "registrations"))
        let model = OrganiserRegistrationsPageModel(
            chrome: PageChrome(session: session, event: event), text: query.text,
            statuses: RegistrationStatus.allCases.map {
                Option(
                    value: $0.rawValue, label: RegistrationWords.status($0)[language],
                    checked: $0.rawValue == query.status)
            },
            roles: event.roles.map {
                Option(value: $0.role.rawValue, label: $0.name[language], checked: $0.role.rawValue == query.role)
            },
            categories: event.categories.map {
                Option(value: $0.id.rawValue, label: $0.name[language], checked: $0.id.rawValue == query.category)
            },
            sortValue: query.sort == .number ? "" : query.sort.rawValue,
            directionValue: query.descending ? "desc" : "", sortNumber: header(.number), sortName: header(.name),
            sortOrganisation: header(.organisation),
            sortStatus: header(.status), sortRegistered: header(.registered),
            registrations: found.participants.map { participant in
                RegistrationLine(
                    id: participant.id.rawValue, number: participant.number, name: participant.name,
                    email: participant.email, organisation: participant.organisation,
                    roleName: event.role(participant.role)?.name[language] ?? participant.role.rawValue,
                    categoryName: event.category(participant.category)?.name[language]
                        ?? participant.category.rawValue,
                    status: participant.status.rawValue,
                    statusName: RegistrationWords.status(participant.status)[language],
                    registered: dates.stamp(participant.registeredAt),
                    canApprove: participant.status == .pending,
                    canReject: [.pending, .waitlisted].contains(participant.status))
            }, hasRegistrations: !found.participants.isEmpty,
            countText: found.total == 0
                ? countText : "\(countText), \(words.number(found.firstPosition))–\(words.number(found.lastPosition))",
            pager: ListPager(page: found.page, pageCount: found.pageCount, href: pageLink), listPath: listPath,
            csvQuery: RegistrationListAddress.filterQuery(query), notice: notice ?? "", hasNotice: notice != nil)
        return try session.page("organiser-registrations", model: model, environment: environment)
    }

    @Sendable func registration(_ request: Request, context: Context) async throws -> HTMLResponse {
        let session = WebSession(request: request, environment: environment)
        let language = session.language
        let record = try await service.record(context.parameters.get("id") ?? "")
        let participant = record.participant
        let dates = EventDateText(timeZone: event.timeZone)
        let programme = try await environment.registration.agendas.programme(of: participant)
        let notice = RegistrationListAddress.summary(request).map {
            RegistrationWords.summary($0, in: language)
        }
        let model = OrganiserRegistrationPageModel(
            chrome: PageChrome(session: session, event: event), id: participant.id.rawValue,
            number: participant.number, name: participant.name, email: participant.email,
            organisation: participant.organisation, jobTitle: participant.jobTitle,
            country: Locale(identifier: language.rawValue).localizedString(forRegionCode: participant.country)
                ?? participant.country,
            phone: participant.phone ?? "—",
            roleName: event.role(participant.role)?.name[language] ?? participant.role.rawValue,
            categoryName: event.category(participant.category)?.name[language] ?? participant.category.rawValue,
            topics: participant.topics.map { topic in
                event.allTopics.first { $0.id == topic }?.name[language] ?? topic.rawValue
            }.joined(separator: ", "),
            profile: participant.profile, maxMeetings: participant.maxMeetings.map(String.init) ?? "",
            languageName: participant.language == .fr ? "Français" : "English",
            listedInDirectory: participant.listedInDirectory, registered: dates.stamp(participant.registeredAt),
            status: participant.status.rawValue, statusName: RegistrationWords.status(participant.status)[language],
            waitlistPosition: record.waitlistPosition ?? 0, isWaitlisted: record.waitlistPosition != nil,
            hasTicket: record.ticket != nil, ticketID: record.ticket?.claims.ticketID.hex ?? "",
            ticketIssued: record.ticket.map { dates.stamp($0.issuedAt) } ?? "",
            history: record.history.map {
                HistoryLine(
                    time: dates.stamp($0.time, seconds: true), actor: $0.actor,
                    action: RegistrationWords.action($0.action, in: language),
                    details: RegistrationWords.details(of: $0, in: language))
            },
            requests: record.requests.map {
                RequestLine($0, viewer: participant.id, event: event, language: language)
            }, hasRequests: !record.requests.isEmpty,
            programme: programme.map { ProgrammeModel($0, event: event, language: language) },
            canApprove: participant.status == .pending,
            canReject: [.pending, .waitlisted].contains(participant.status),
            canCancel: [.pending, .confirmed, .waitlisted].contains(participant.status),
            availability: AvailabilityDay.days(
                event: event, unavailable: environment.registration.attendees.unavailableSlots(of: participant),
                language: language),
            availabilitySaved: request.uri.queryParameters.get("availability") == "saved",
            path: "/organiser/registrations/\(participant.id.rawValue)", notice: notice ?? "", hasNotice: notice != nil)
        return try session.page("organiser-registration", model: model, environment: environment)
    }

    @Sendable func csv(_ request: Request, context: Context) async throws -> Response {
        let file = service.csv(
            try await service.registrations(RegistrationListAddress.query(request)))
        return Response(
            status: .ok,
            headers: [
                .contentType: "text/csv; charset=utf-8",
                .contentDisposition: "attachment; filename=\"registrations.csv\"",
            ], body: ResponseBody(byteBuffer: ByteBuffer(data: file)))
    }

    /// One decision about one registration (a row's or the registration page's buttons).
    @Sendable func act(_ request: Request, context: Context) async throws -> Response {
        var request = request
        let session = WebSession(request: request, environment: environment)
        let organiser = try context.organiser.email
        let data = try await FormData.read(&request)
        guard let decision = RegistrationDecision(rawValue: context.parameters.get("action") ?? "") else {
            throw Refusal.notFound
        }
        let id = context.parameters.get("id") ?? ""
        let summary = try await service.decide(decision, ids: [id], reason: data["reason"], by: organiser)
        return session.redirect(to: RegistrationListAddress.returning(to: data["return"], with: summary))
    }

    /// The slots the participant cannot meet in, marked by an organiser for them.
    @Sendable func saveAvailability(_ request: Request, context: Context) async throws -> Response {
        var request = request
        let session = WebSession(request: request, environment: environment)
        let organiser = try context.organiser.email
        let data = try await FormData.read(&request)
        let participant = try await service.setUnavailableSlots(
            data.all("unavailable"), of: context.parameters.get("id") ?? "", by: organiser)
        return session.redirect(
            to: "/organiser/registrations/\(participant.id.rawValue)?availability=saved#availability")
    }

    /// One decision about the registrations ticked in the list, with one reason.
    @Sendable func decideMany(_ request: Request, context: Context) async throws -> Response {
        var request = request
        let session = WebSession(request: request, environment: environment)
        let organiser = try context.organiser.email
        let data = try await FormData.read(&request)
        guard let decision = RegistrationDecision(rawValue: data["decision"]), decision != .cancel else {
            throw Refusal.invalidInput([FieldIssue("decision", .unknownChoice)])
        }
        let summary = try await service.decide(decision, ids: data.all("id"), reason: data["reason"], by: organiser)
        return session.redirect(to: RegistrationListAddress.returning(to: data["return"], with: summary))
    }

    @Sendable func audit(_ request: Request, context: Context) async throws -> HTMLResponse {
        let session = WebSession(request: request, environment: environment)
        let language = session.language
        let entries = try await service.auditLog(limit: 500, action: request.uri.queryParameters.get("action"))
        let model = OrganiserAuditPageModel(
            chrome: PageChrome(session: session, event: event),
            entries: entries.map {
                AuditLine(
                    time: InternetTime.string($0.time), actor: $0.actor, action: $0.action, subject: $0.subject,
                    details: RegistrationWords.details(of: $0, in: language))
            })
        return try session.page("organiser-audit", model: model, environment: environment)
    }

    @Sendable func problem(_ request: Request, context: Context) async throws -> Response {
        return try await OrganiserProblem.response(environment: environment)
    }
}

/// The scheduling problem of the store's current state: the same code as
/// `partnering export problem`.
enum OrganiserProblem {
    static func response(environment: ServerEnvironment) async throws -> Response {
        let problem = try await environment.schedulingService.currentProblem()
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
