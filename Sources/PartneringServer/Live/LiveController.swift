import CheckIn
import Foundation
import Grids
import Hummingbird
import PartneringCore
import Registration
import Scheduling

/// The organisers' live page of the day (`/organiser/live`): arrivals, meetings at risk,
/// absences, and the re-plan of the rest of the day with its preview; the same in the
/// JSON API (`/api/v1/organiser/live...`). The rules are ``LiveDayService``'s; this only
/// translates.
struct LiveController<Context: IdentifiedRequestContext> {
    let environment: ServerEnvironment

    private var live: LiveDayService { environment.liveDay }
    private var event: EventDefinition { environment.event }

    func addRoutes(to router: Router<Context>) {
        let pages = router.group().add(middleware: SignInMiddleware<Context>.organiser(environment, from: .cookie))
        pages.get("/organiser/live", use: page)
        pages.get("/organiser/live/status.json", use: stamp)
        pages.post("/organiser/live/absent", use: markAbsent)
        pages.post("/organiser/live/present", use: bringBack)
        pages.get("/organiser/live/replan", use: preview)
        pages.post("/organiser/live/replan", use: apply)
        let api = router.group().add(middleware: SignInMiddleware<Context>.organiser(environment, from: .bearer))
        api.get("/api/v1/organiser/live", use: apiStatus)
        api.put("/api/v1/organiser/live/absences/:id", use: apiMarkAbsent)
        api.delete("/api/v1/organiser/live/absences/:id", use: apiBringBack)
        api.get("/api/v1/organiser/live/replan", use: apiPreview)
        api.post("/api/v1/organiser/live/replan", use: apiApply)
    }

    // MARK: Pages

    @Sendable func page(_ request: Request, context: Context) async throws -> HTMLResponse {
        let session = WebSession(request: request, environment: environment)
        let query = request.uri.queryParameters
        let notice = query.get("notice").flatMap {
            ["absent", "present", "replanned", "unchanged"].contains($0) ? $0 : nil
        }
        let error = query.get("error").flatMap { code in
            code == Refusal.participantNotFound.code
                ? Refusal.participantNotFound.detail(in: session.language)
                : SchedulingRefusal(code: code)?.detail(in: session.language)
        }
        let model = LivePageModel(
            status: try await live.status(), session: session, event: event, notice: notice ?? "",
            noticeVersion: query.get("version").flatMap(Int.init).map(String.init) ?? "",
            noticeTold: query.get("told").flatMap(Int.init).map(String.init) ?? "",
            error: error)
        return try session.page(
            "organiser-live", model: model, environment: environment, extraHeaders: [.cacheControl: "no-store"])
    }

    /// The small JSON the page polls to learn that it must fetch itself again.
    @Sendable func stamp(_ request: Request, context: Context) async throws -> Response {
        return try json(LiveStamp(try await live.status()), cache: false)
    }

    /// The participant a form names: by id (the buttons of the lists) or by number (the field).
    private func participantID(_ form: FormData) async throws -> String {
        let id = form["participant"].trimmingCharacters(in: .whitespaces)
        if !id.isEmpty { return id }
        let number = form["number"].trimmingCharacters(in: .whitespaces)
        guard number.count <= 9, let value = Int(number), value > 0,
            let found = try await environment.store.participants.find(number: value)
        else { throw Refusal.participantNotFound }
        return found.id.rawValue
    }

    @Sendable func markAbsent(_ request: Request, context: Context) async throws -> Response {
        var request = request
        let session = WebSession(request: request, environment: environment)
        let organiser = try context.organiser.email
        let form = try await FormData.read(&request)
        do {
            _ = try await live.markAbsent(try await participantID(form), by: organiser)
            return session.redirect(to: "/organiser/live?notice=absent")
        } catch let refusal as Refusal {
            return session.redirect(to: "/organiser/live?error=\(refusal.code)")
        }
    }

    @Sendable func bringBack(_ request: Request, context: Context) async throws -> Response {
        var request = request
        let session = WebSession(request: request, environment: environment)
        let organiser = try context.organiser.email
        let form = try await FormData.read(&request)
        do {
            try await live.bringBack(try await participantID(form), by: organiser)
            return session.redirect(to: "/organiser/live?notice=present")
        } catch let refusal as Refusal {
            return session.redirect(to: "/organiser/live?error=\(refusal.code)")
        }
    }

    @Sendable func preview(_ request: Request, context: Context) async throws -> Response {
        let session = WebSession(request: request, environment: environment)
        let replan: DayReplan
        do {
            replan = try await live.preview()
        } catch let refusal as SchedulingRefusal {
            return session.redirect(to: "/organiser/live?error=\(refusal.code)")
        }
        let everyone = try await environment.store.participants.list(.all)
        let model = ReplanPageModel(
            replan: replan,
            participants: Dictionary(everyone.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first }),
            session: session, event: event)
        return try session.page(
            "organiser-live-replan", model: model, environment: environment, extraHeaders: [.cacheControl: "no-store"]
        ).plainResponse()
    }

    @Sendable func apply(_ request: Request, context: Context) async throws -> Response {
        var request = request
        let session = WebSession(request: request, environment: environment)
        let organiser = try context.organiser.email
        let form = try await FormData.read(&request)
        guard let basedOn = Int(form["basedOn"]) else { return session.redirect(to: "/organiser/live/replan") }
        do {
            let applied = try await live.apply(basedOn: basedOn, by: organiser)
            guard let version = applied.version else { return session.redirect(to: "/organiser/live?notice=unchanged") }
            return session.redirect(
                to: "/organiser/live?notice=replanned&version=\(version)&told=\(applied.replan.affected.count)")
        } catch let refusal as SchedulingRefusal {
            return session.redirect(to: "/organiser/live?error=\(refusal.code)")
        }
    }

    // MARK: JSON API

    /// The API's answer: sorted keys and ISO 8601 dates, through ``Response/json(_:encoder:status:extraHeaders:)``;
    /// the live figures are never cached.
    private func json(_ value: some Encodable, status: HTTPResponse.Status = .ok, cache: Bool = true) throws -> Response
    {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return try Response.json(
            value, encoder: encoder, status: status, extraHeaders: cache ? [:] : [.cacheControl: "no-store"])
    }

    @Sendable func apiStatus(_ request: Request, context: Context) async throws -> Response {
        try json(LiveStatusBody(try await live.status()), cache: false)
    }

    @Sendable func apiMarkAbsent(_ request: Request, context: Context) async throws -> Response {
        let organiser = try context.organiser.email
        let absence = try await live.markAbsent(context.parameters.get("id") ?? "", by: organiser)
        return try json(
            AbsenceBody(
                participant: absence.participant.rawValue, markedAt: absence.markedAt, markedBy: absence.markedBy))
    }

    @Sendable func apiBringBack(_ request: Request, context: Context) async throws -> Response {
        let organiser = try context.organiser.email
        let removed = try await live.bringBack(context.parameters.get("id") ?? "", by: organiser)
        return try json(["broughtBack": removed])
    }

    @Sendable func apiPreview(_ request: Request, context: Context) async throws -> Response {
        try json(ReplanBody(try await live.preview(), version: nil), cache: false)
    }

    @Sendable func apiApply(_ request: Request, context: Context) async throws -> Response {
        let organiser = try context.organiser.email
        var basedOn: Int?
        if let text = request.uri.queryParameters.get("basedOn") {
            guard text.count <= 9, let value = Int(text), value > 0 else {
                throw Refusal.invalidInput([FieldIssue("basedOn", .notANumber)])
            }
            basedOn = value
        }
        let applied = try await live.apply(basedOn: basedOn, by: organiser)
        return try json(ReplanBody(applied.replan, version: applied.version))
    }
}

/// `GET /api/v1/organiser/live`.
struct LiveStatusBody: Encodable {
    struct Count: Encodable {
        let key: String
        let arrived: Int
        let expected: Int
    }

    struct Person: Encodable {
        let id: String
        let number: Int
        let name: String
        let organisation: String
        let role: String
        let firstMeeting: Date?
        let arrivedAt: Date?
        let absentSince: Date?
    }

    struct Meeting: Encodable {
        let table: String
        let participants: [String]
        let missing: [String]
    }

    struct Slot: Encodable {
        let slot: String
        let start: Date
        let meetings: [Meeting]
    }

    let now: Date
    let publishedVersion: Int?
    let atRiskMinutes: Int
    let arrived: Int
    let expected: Int
    let byRole: [Count]
    let byCategory: [Count]
    let missing: [Person]
    let late: [String]
    let lateArrivals: [String]
    let absent: [Person]
    let nextSlots: [Slot]

    init(_ status: LiveDayStatus) {
        func person(_ p: LiveDayStatus.Person) -> Person {
            Person(
                id: p.id.rawValue, number: p.number, name: p.name, organisation: p.organisation, role: p.role.rawValue,
                firstMeeting: p.firstMeeting, arrivedAt: p.arrivedAt, absentSince: p.absentSince)
        }
        now = status.now
        publishedVersion = status.publishedVersion
        atRiskMinutes = status.atRiskMinutes
        arrived = status.arrived
        expected = status.expected
        byRole = status.roles.map { Count(key: $0.key, arrived: $0.arrived, expected: $0.expected) }
        byCategory = status.categories.map { Count(key: $0.key, arrived: $0.arrived, expected: $0.expected) }
        missing = status.missing.map(person)
        late = status.late.map(\.id.rawValue)
        lateArrivals = status.lateArrivals.map(\.id.rawValue)
        absent = status.absent.map(person)
        nextSlots = status.nextSlots.map { slot in
            Slot(
                slot: slot.slot.rawValue, start: slot.start,
                meetings: slot.meetings.map {
                    Meeting(
                        table: $0.table, participants: $0.participants.map(\.id.rawValue),
                        missing: $0.missing.map(\.rawValue))
                })
        }
    }
}

/// An absence in the API.
struct AbsenceBody: Encodable {
    let participant: String
    let markedAt: Date
    let markedBy: String
}

/// A re-plan (preview or applied) in the API.
struct ReplanBody: Encodable {
    struct Meeting: Encodable {
        let participants: [String]
        let slot: String
        let table: String
    }

    struct Move: Encodable {
        let before: Meeting
        let after: Meeting
    }

    let basedOn: Int
    /// The version published, for an applied re-plan that changed something.
    let version: Int?
    let firstOpenSlot: String?
    let held: Int
    let cancelled: [Meeting]
    let moved: [Move]
    let added: [Meeting]
    let dropped: [Meeting]
    /// Whose agenda changes: told by e-mail once applied.
    let notified: [String]
    let meetings: Int

    init(_ replan: DayReplan, version: Int?) {
        func meeting(_ m: Scheduling.ScheduleDocument.Meeting) -> Meeting {
            Meeting(participants: m.participants, slot: m.slot, table: m.table)
        }
        basedOn = replan.basedOn
        self.version = version
        firstOpenSlot = replan.firstOpenSlot?.rawValue
        held = replan.held.count
        cancelled = replan.cancelled.map(meeting)
        moved = replan.changes.moved.map { Move(before: meeting($0.before), after: meeting($0.after)) }
        added = replan.changes.added.map(meeting)
        dropped = replan.changes.dropped.map(meeting)
        notified = replan.affected.map(\.rawValue)
        meetings = replan.schedule.meetings.count
    }
}
