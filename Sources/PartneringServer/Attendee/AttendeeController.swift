import Foundation
import Hummingbird
import PartneringCore
import Registration
import Tickets

/// The personal area (`/me`): reached through a magic link, it needs the attendee's
/// session cookie; every handler starts from the signed-in participant, so no page
/// can show or change another attendee's data.
struct AttendeeController<Context: IdentifiedRequestContext> {
    let environment: ServerEnvironment

    private var service: RegistrationService { environment.registration.attendees }
    private var event: EventDefinition { environment.event }

    func addRoutes(to router: Router<Context>) {
        let attendeeRoutes = router.group().add(
            middleware: SignInMiddleware<Context>.attendee(environment, from: .cookie))
        attendeeRoutes.get("/me", use: home)
        attendeeRoutes.get("/me/profile", use: profileForm)
        attendeeRoutes.post("/me/profile", use: saveProfile)
        attendeeRoutes.get("/me/availability", use: availability)
        attendeeRoutes.post("/me/availability", use: saveAvailability)
        attendeeRoutes.get("/me/directory", use: directory)
        attendeeRoutes.get("/me/directory/:id", use: requestForm)
        attendeeRoutes.post("/me/requests", use: sendRequest)
        attendeeRoutes.get("/me/requests", use: requests)
        attendeeRoutes.get("/me/requests/:id", use: requestPage)
        attendeeRoutes.get("/me/people/:id", use: person)
        attendeeRoutes.get("/me/ticket", use: ticketPage)
        attendeeRoutes.get("/me/ticket/qr.png", use: ticketImage)
        attendeeRoutes.get("/me/calendar.ics", use: calendarDownload)
        attendeeRoutes.post("/me/calendar/subscription", use: renewSubscription)
        attendeeRoutes.post("/me/calendar/subscription/revoke", use: revokeSubscription)
        router.get("/calendar/:participant/:token", use: calendarFeed)
        attendeeRoutes.post("/me/requests/:id/:action", use: changeRequest)
        attendeeRoutes.get("/me/cancel", use: confirmCancel)
        attendeeRoutes.post("/me/cancel", use: cancel)
        attendeeRoutes.get("/me/export", use: export)
        attendeeRoutes.get("/me/erase", use: confirmErase)
        attendeeRoutes.post("/me/erase", use: erase)
        router.post("/me/sign-out", use: signOut)
    }

    @Sendable func home(_ request: Request, context: Context) async throws -> HTMLResponse {
        let session = WebSession(request: request, environment: environment)
        let me = try context.attendee.participant
        let language = session.language
        let requests = try await service.requests(of: me)
        let notice = request.uri.queryParameters.get("notice") ?? ""
        let programme = try await environment.registration.agendas.programme(of: me)
        let ticket = try await service.ticket(of: me).map { TicketModel(ticket: $0, number: me.number) }
        let calendar =
            programme == nil
            ? nil
            : CalendarModel(
                subscriptionPath: try await subscriptions.path(of: me.id), baseURL: environment.settings.baseURL)
        let recent = (requests.incoming + requests.outgoing).sorted {
            $0.request.createdAt > $1.request.createdAt
        }
        let model = MePageModel(
            chrome: PageChrome(session: session, event: event), name: me.name, email: me.email, number: me.number,
            categoryName: event.category(me.category)?.name[language] ?? "",
            isConfirmed: me.status == .confirmed, isPending: me.status == .pending,
            isWaitlisted: me.status == .waitlisted, isCancelled: me.status == .cancelled,
            isRejected: me.status == .rejected,
            waitlistPosition: try await service.waitlistPosition(of: me) ?? 0,
            incomingPending: CountText(
                requests.incoming.filter { $0.request.status == .pending }.count, language: language),
            openRequests: CountText(requests.openCount, language: language), requestLimit: requests.limit,
            requests: recent.prefix(10).map { RequestLine($0, viewer: me.id, event: event, language: language) },
            hasRequests: !recent.isEmpty, isPublished: programme != nil,
            eventDay: EventPresentation(event: event, language: language).days.first ?? "",
            programme: programme.map {
                ProgrammeModel($0, event: event, language: language, now: service.dependencies.now())
            }, ticket: ticket,
            calendar: calendar, canCancel: [.pending, .confirmed, .waitlisted].contains(me.status),
            hasNotice: ["cancelled", "saved", "subscribed", "unsubscribed"].contains(notice), notice: notice)
        return try session.page("me", model: model, environment: environment)
    }

    private var subscriptions: CalendarSubscriptions { environment.registration.calendars }

    @Sendable func ticketPage(_ request: Request, context: Context) async throws -> HTMLResponse {
        let session = WebSession(request: request, environment: environment)
        let me = try context.attendee.participant
        guard let ticket = try await service.ticket(of: me) else { throw Refusal.registrationNotActive }
        let venue = [event.venue.name, event.venue.address, event.venue.city].filter { !$0.isEmpty }
        let model = TicketPageModel(
            chrome: PageChrome(session: session, event: event), name: me.name, organisation: me.organisation,
            categoryName: event.category(me.category)?.name[session.language] ?? "",
            eventDay: EventPresentation(event: event, language: session.language).days.first ?? "",
            venue: venue.joined(separator: ", "), ticket: TicketModel(ticket: ticket, number: me.number),
            token: ticket.token)
        return try session.page("ticket", model: model, environment: environment)
    }

    @Sendable func ticketImage(_ request: Request, context: Context) async throws -> Response {
        let me = try context.attendee.participant
        guard let ticket = try await service.ticket(of: me) else { throw Refusal.registrationNotActive }
        let png = try QRMatrix(alphanumeric: ticket.token).png(scale: 6)
        return Response(
            status: .ok, headers: [.contentType: "image/png", .cacheControl: "private, no-store"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: png)))
    }

    /// The `.ics` of the attendee's programme; `programme_not_published` until there is one.
    private func calendarResponse(for participant: Participant, download: Bool) async throws -> Response {
        guard let programme = try await environment.registration.agendas.programme(of: participant) else {
            throw Refusal.notFound
        }
        let ics = try programme.calendar(for: participant, environment: environment)
        var headers: HTTPFields = [
            .contentType: "text/calendar; charset=utf-8", .cacheControl: "private, no-cache",
        ]
        if download { headers[.contentDisposition] = "attachment; filename=\"agenda.ics\"" }
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: ics)))
    }

    @Sendable func calendarDownload(_ request: Request, context: Context) async throws -> Response {
        let me = try context.attendee.participant
        return try await calendarResponse(for: me, download: true)
    }

    @Sendable func renewSubscription(_ request: Request, context: Context) async throws -> Response {
        let session = WebSession(request: request, environment: environment)
        let me = try context.attendee.participant
        try await subscriptions.renew(for: me.id)
        return session.redirect(to: "/me?notice=subscribed#calendar")
    }

    @Sendable func revokeSubscription(_ request: Request, context: Context) async throws -> Response {
        let session = WebSession(request: request, environment: environment)
        let me = try context.attendee.participant
        try await subscriptions.revoke(for: me.id)
        return session.redirect(to: "/me?notice=unsubscribed#calendar")
    }

    /// The subscription feed calendar apps poll: no cookie, the token in the path is the
    /// credential; a wrong, revoked or replaced token answers 404 like an unknown address.
    @Sendable func calendarFeed(_ request: Request, context: Context) async throws -> Response {
        guard
            let found = try await subscriptions.subscriber(
                ParticipantID(context.parameters.get("participant") ?? ""), file: context.parameters.get("token") ?? "")
        else { throw Refusal.notFound }
        return try await calendarResponse(for: found, download: false)
    }

    @Sendable func person(_ request: Request, context: Context) async throws -> HTMLResponse {
        let session = WebSession(request: request, environment: environment)
        let me = try context.attendee.participant
        let language = session.language
        let person = try await service.profile(ParticipantID(context.parameters.get("id") ?? ""), for: me)
        let between = try await service.requests(of: me)
        let request = (between.incoming + between.outgoing).first { $0.counterpart?.id == person.id }
        let programme = try await environment.registration.agendas.programme(of: me)
        let meetings =
            programme.map { ProgrammeModel($0, event: event, language: language) }?.days.flatMap(\.meetings)
            .filter { $0.personID == person.id.rawValue } ?? []
        let model = PersonPageModel(
            chrome: PageChrome(session: session, event: event),
            person: PersonLine(person, event: event, language: language),
            canRequest: try await service.mayRequest(person.id, from: me),
            request: request.map { RequestLine($0, viewer: me.id, event: event, language: language) },
            meetings: meetings, hasMeetings: !meetings.isEmpty)
        return try session.page("person", model: model, environment: environment)
    }

    @Sendable func requestPage(_ request: Request, context: Context) async throws -> HTMLResponse {
        let session = WebSession(request: request, environment: environment)
        let me = try context.attendee.participant
        let view = try await service.request(PartneringCore.RequestID(context.parameters.get("id") ?? ""), for: me)
        let notice = request.uri.queryParameters.get("notice") ?? ""
        let line = RequestLine(view, viewer: me.id, event: event, language: session.language)
        let model = RequestPageModel(
            chrome: PageChrome(session: session, event: event), request: line, isIncoming: line.isIncoming,
            hasPerson: line.hasPerson, notice: notice,
            hasNotice: ["accepted", "declined", "withdrawn"].contains(notice))
        return try session.page("request", model: model, environment: environment)
    }

    @Sendable func profileForm(_ request: Request, context: Context) async throws -> HTMLResponse {
        let session = WebSession(request: request, environment: environment)
        let me = try context.attendee.participant
        return try renderProfile(
            session: session, me: me, form: RegistrationForm(participant: me, event: event), issues: [], saved: false)
    }

    private func renderProfile(
        session: WebSession, me: Participant, form: RegistrationForm, issues: [FieldIssue], saved: Bool,
        status: HTTPResponse.Status = .ok
    ) throws -> HTMLResponse {
        let model = ProfilePageModel(
            chrome: PageChrome(session: session, event: event),
            form: ParticipantFormModel(
                form: form, issues: issues, event: event, role: me.role, language: session.language,
                editableEmail: false),
            saved: saved)
        return try session.page("profile", model: model, environment: environment, status: status)
    }

    @Sendable func saveProfile(_ request: Request, context: Context) async throws -> HTMLResponse {
        var request = request
        let session = WebSession(request: request, environment: environment)
        let me = try context.attendee.participant
        var form = ParticipantFormModel.form(from: try await FormData.read(&request))
        form.email = me.email
        do {
            let updated = try await service.updateProfile(of: me, form: form)
            return try renderProfile(
                session: session, me: updated, form: RegistrationForm(participant: updated, event: event), issues: [],
                saved: true)
        } catch Refusal.invalidInput(let issues) {
            return try renderProfile(
                session: session, me: me, form: form, issues: issues, saved: false, status: .unprocessableContent)
        }
    }

    @Sendable func availability(_ request: Request, context: Context) async throws -> HTMLResponse {
        let session = WebSession(request: request, environment: environment)
        let me = try context.attendee.participant
        let unavailable = service.unavailableSlots(of: me)
        let model = AvailabilityPageModel(
            chrome: PageChrome(session: session, event: event),
            days: AvailabilityDay.days(event: event, unavailable: unavailable, language: session.language),
            saved: request.uri.queryParameters.get("saved") == "1")
        return try session.page("availability", model: model, environment: environment)
    }

    @Sendable func saveAvailability(_ request: Request, context: Context) async throws -> Response {
        var request = request
        let session = WebSession(request: request, environment: environment)
        let me = try context.attendee.participant
        let data = try await FormData.read(&request)
        _ = try await service.setUnavailableSlots(data.all("unavailable"), of: me, actor: "participant:\(me.id)")
        return session.redirect(to: "/me/availability?saved=1")
    }

    @Sendable func directory(_ request: Request, context: Context) async throws -> HTMLResponse {
        let session = WebSession(request: request, environment: environment)
        let me = try context.attendee.participant
        let parameters = request.uri.queryParameters
        let query = DirectoryQuery(
            text: parameters.get("q") ?? "", topic: parameters.get("topic") ?? "",
            country: parameters.get("country") ?? "",
            page: try NumberField.wholeNumber(
                parameters.get("page"), field: "page", range: DirectoryQuery.pages, fallback: 1))
        let page = try await service.directory(for: me, query: query)
        // Suggestions head the unfiltered first page only: a search says what it wants.
        let suggested =
            query == DirectoryQuery(page: 1) ? try await suggestions(for: me, language: session.language) : []
        var components = URLComponents()
        components.queryItems = [("q", query.text), ("topic", query.topic), ("country", query.country)]
            .filter { !$0.1.isEmpty }.map { URLQueryItem(name: $0.0, value: $0.1) }
        let model = DirectoryPageModel(
            chrome: PageChrome(session: session, event: event), text: query.text,
            topics: event.allTopics.map {
                Option(value: $0.id.rawValue, label: $0.name[session.language], checked: $0.id.rawValue == query.topic)
            },
            countries: Countries.list(languageCode: session.language.rawValue).map {
                Option(value: $0.code, label: $0.name, checked: $0.code == query.country.uppercased())
            },
            people: try await marked(page.participants, for: me, language: session.language),
            suggestions: suggested,
            hasSuggestions: !suggested.isEmpty,
            total: CountText(page.total, language: session.language),
            pager: ListPager(page: page.page, pageCount: page.pageCount) { number in
                "/me/directory?page=\(number)" + (components.percentEncodedQuery.map { "&" + $0 } ?? "")
            }, canRequest: me.status == .confirmed)
        return try session.page("directory", model: model, environment: environment)
    }

    /// Directory lines with what already ties the viewer to each person: a request
    /// between them, a meeting in the published schedule.
    private func marked(_ people: [Participant], for me: Participant, language: Language) async throws
        -> [PersonLine]
    {
        let requests = try await service.requests(of: me)
        var requested: [ParticipantID: PartneringCore.RequestID] = [:]
        for view in requests.incoming + requests.outgoing where view.request.status != .withdrawn {
            if let other = view.counterpart?.id { requested[other] = view.request.id }
        }
        let met = try await environment.registration.agendas.counterparts(of: me.id)
        return people.map { participant in
            var line = PersonLine(participant, event: event, language: language)
            line.requestID = requested[participant.id]?.rawValue ?? ""
            line.isRequested = requested[participant.id] != nil
            line.isMet = met.contains(participant.id)
            return line
        }
    }

    private func suggestions(for me: Participant, language: Language) async throws -> [PersonLine] {
        let names = Dictionary(
            event.allTopics.map { ($0.id, $0.name[language]) }, uniquingKeysWith: { first, _ in first })
        return try await service.suggestions(for: me).map { suggestion in
            var line = PersonLine(suggestion.participant, event: event, language: language)
            line.sharedTopics = suggestion.sharedTopics.compactMap { names[$0] }
            return line
        }
    }

    @Sendable func requestForm(_ request: Request, context: Context) async throws -> HTMLResponse {
        let session = WebSession(request: request, environment: environment)
        let me = try context.attendee.participant
        let person = try await service.directoryEntry(ParticipantID(context.parameters.get("id") ?? ""), for: me)
        return try renderRequestForm(session: session, person: person, form: RequestForm(priority: "2"), issues: [])
    }

    private func renderRequestForm(
        session: WebSession, person: Participant, form: RequestForm, issues: [FieldIssue],
        extraError: String? = nil, status: HTTPResponse.Status = .ok
    ) throws -> HTMLResponse {
        var errors = Dictionary(grouping: issues, by: \.field).mapValues { $0.map { $0.message(in: session.language) } }
        if let extraError { errors["form", default: []].append(extraError) }
        let model = RequestFormPageModel(
            chrome: PageChrome(session: session, event: event),
            person: PersonLine(person, event: event, language: session.language),
            priorities: (1...3).map {
                Option(value: String($0), label: String($0), checked: String($0) == form.priority)
            },
            message: form.message, errors: errors, messageLimit: RequestForm.messageLimit)
        return try session.page("request-new", model: model, environment: environment, status: status)
    }

    @Sendable func sendRequest(_ request: Request, context: Context) async throws -> Response {
        var request = request
        let session = WebSession(request: request, environment: environment)
        let me = try context.attendee.participant
        let data = try await FormData.read(&request)
        let form = RequestForm(to: data["to"], priority: data["priority"], message: data["message"])
        do {
            _ = try await service.sendRequest(from: me, form: form)
            return session.redirect(to: "/me/requests?notice=sent")
        } catch let refusal as Refusal {
            let person = try await service.directoryEntry(ParticipantID(form.to), for: me)
            switch refusal {
            case .invalidInput(let issues):
                return try renderRequestForm(
                    session: session, person: person, form: form, issues: issues, status: .unprocessableContent
                ).plainResponse()
            case .openRequestLimitReached, .duplicateRequest, .registrationNotActive, .rolesCannotMeet:
                return try renderRequestForm(
                    session: session, person: person, form: form, issues: [],
                    extraError: refusal.detail(in: session.language), status: refusal.status
                ).plainResponse()
            default: throw refusal
            }
        }
    }

    @Sendable func requests(_ request: Request, context: Context) async throws -> HTMLResponse {
        let session = WebSession(request: request, environment: environment)
        let me = try context.attendee.participant
        let all = try await service.requests(of: me)
        let notice = request.uri.queryParameters.get("notice") ?? ""
        let model = RequestsPageModel(
            chrome: PageChrome(session: session, event: event),
            incoming: all.incoming.map { RequestLine($0, viewer: me.id, event: event, language: session.language) },
            outgoing: all.outgoing.map { RequestLine($0, viewer: me.id, event: event, language: session.language) },
            openCount: CountText(all.openCount, language: session.language),
            limit: all.limit, acceptanceRequired: event.requestRules.acceptanceRequired,
            notice: notice, hasNotice: ["sent", "accepted", "declined", "withdrawn"].contains(notice))
        return try session.page("requests", model: model, environment: environment)
    }

    @Sendable func changeRequest(_ request: Request, context: Context) async throws -> Response {
        let session = WebSession(request: request, environment: environment)
        let me = try context.attendee.participant
        let id = PartneringCore.RequestID(context.parameters.get("id") ?? "")
        switch context.parameters.get("action") {
        case "accept": _ = try await service.answer(id, by: me, accept: true)
        case "decline": _ = try await service.answer(id, by: me, accept: false)
        case "withdraw": _ = try await service.withdraw(id, by: me)
        default: throw Refusal.notFound
        }
        let notice =
            ["accept": "accepted", "decline": "declined", "withdraw": "withdrawn"][
                context.parameters.get("action") ?? ""] ?? ""
        return session.redirect(to: "/me/requests/\(id.rawValue)?notice=\(notice)")
    }

    @Sendable func confirmCancel(_ request: Request, context: Context) async throws -> HTMLResponse {
        let session = WebSession(request: request, environment: environment)
        let model = ConfirmPageModel(
            chrome: PageChrome(session: session, event: event), action: "/me/cancel", isCancel: true, isErase: false)
        return try session.page("confirm", model: model, environment: environment)
    }

    @Sendable func cancel(_ request: Request, context: Context) async throws -> Response {
        let session = WebSession(request: request, environment: environment)
        let me = try context.attendee.participant
        _ = try await service.cancel(me, actor: "participant:\(me.id)")
        return session.redirect(to: "/me?notice=cancelled")
    }

    @Sendable func export(_ request: Request, context: Context) async throws -> Response {
        let me = try context.attendee.participant
        let data = try await service.export(me).json()
        return Response(
            status: .ok,
            headers: [
                .contentType: "application/json; charset=utf-8",
                .contentDisposition: "attachment; filename=\"partnering-\(me.id.rawValue).json\"",
            ], body: ResponseBody(byteBuffer: ByteBuffer(data: data)))
    }

    @Sendable func confirmErase(_ request: Request, context: Context) async throws -> HTMLResponse {
        let session = WebSession(request: request, environment: environment)
        let model = ConfirmPageModel(
            chrome: PageChrome(session: session, event: event), action: "/me/erase", isCancel: false, isErase: true)
        return try session.page("confirm", model: model, environment: environment)
    }

    @Sendable func erase(_ request: Request, context: Context) async throws -> Response {
        let session = WebSession(request: request, environment: environment)
        let me = try context.attendee.participant
        try await service.erase(me)
        return session.redirect(to: "/?erased=1", extraHeaders: Self.clearAttendeeCookie)
    }

    @Sendable func signOut(_ request: Request, context: Context) async throws -> Response {
        let session = WebSession(request: request, environment: environment)
        try await environment.registration.attendees.signOut(session.attendeeToken, for: .attendeeSession)
        return session.redirect(to: "/", extraHeaders: Self.clearAttendeeCookie)
    }

    static var clearAttendeeCookie: HTTPFields {
        [.setCookie: WebSession.cookie(WebSession.attendeeCookie, value: "", maxAge: 0).description]
    }
}
