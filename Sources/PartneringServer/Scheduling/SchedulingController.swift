import Foundation
import Grids
import Hummingbird
import Mail
import PartneringCore
import Registration
import Scheduling

/// The organiser's scheduling workflow (`/organiser/schedule`): run the scheduler on the
/// current registrations in the background (live progress, cancel), keep every run as a
/// schedule version, review it (summary, unscheduled requests with reasons, the grids),
/// adjust it by hand (move, cancel, pin, unpin, each checked against the constraints),
/// compare two versions and publish one.
struct SchedulingController<Context: RequestContext> {
    let environment: ServerEnvironment

    private var event: EventDefinition { environment.event }
    private var versions: any ScheduleRepository { environment.store.schedules }
    private var jobs: SchedulingJobSlot { SchedulingJobSlot.slot(for: environment.store) }

    func addRoutes(to router: Router<Context>) {
        router.get("/organiser/schedule", use: runs)
        router.post("/organiser/schedule/run", use: run)
        router.post("/organiser/schedule/cancel", use: cancel)
        router.get("/organiser/schedule/progress.json", use: progress)
        router.get("/organiser/schedule/compare", use: compare)
        router.get("/organiser/schedule/versions/:version", use: review)
        router.get("/organiser/schedule/versions/:version/:file", use: view)
        router.post("/organiser/schedule/versions/:version/adjust", use: adjust)
        router.post("/organiser/schedule/versions/:version/publish", use: publish)
    }

    private func signedIn(_ request: Request) async throws -> (WebSession, String) {
        try await WebSession.signedInOrganiser(request, environment: environment)
    }

    private func pages(_ session: WebSession) -> SchedulingPages {
        SchedulingPages(
            language: session.language, eventName: event.name[session.language], csrfToken: session.csrfToken)
    }

    @Sendable func runs(_ request: Request, context: Context) async throws -> HTMLResponse {
        let (session, _) = try await signedIn(request)
        let dates = EventDateText(timeZone: event.timeZone)
        let published = try await versions.published()?.info.version
        let entries = try await versions.versions().map { info in
            RunListEntry(
                version: info.version, created: dates.stamp(info.createdAt, seconds: true),
                record: RunRecord.decode(info.summaryJSON), label: info.label, meetings: info.meetingCount,
                objective: info.objective, upperBound: info.upperBound, published: info.version == published)
        }
        let html = pages(session).runs(
            entries, job: jobs.current, message: request.uri.queryParameters.get("notice"))
        return HTMLResponse(html: html, extraHeaders: session.headers)
    }

    @Sendable func run(_ request: Request, context: Context) async throws -> Response {
        var request = request
        let (session, organiser) = try await signedIn(request)
        let data = try await FormData.read(&request)
        let timeLimit = try NumberField.decimal(data["timeLimit"], field: "timeLimit", range: 1...600, fallback: 10)
        var problem = Scheduling.ProblemDocument(
            event: event, participants: try await environment.store.participants.list(.all),
            requests: try await environment.store.requests.list(.all))
        let keep = data.isChecked("keep")
        var base = try await versions.latest()
        if keep, let published = try await versions.published() { base = published }
        problem.pinned = Self.pins(from: base, validIn: problem)
        let previous = keep ? base.map(StoredSchedule.document) : nil
        var options = SchedulerOptions(timeLimit: timeLimit, previous: previous)
        options.seed = 1
        let repository = versions
        let logger = environment.logger
        let basedOn = previous == nil ? nil : base?.info.version
        let store: @Sendable (SchedulingOutcome) async -> Void = { outcome in
            let record = RunRecord(
                origin: basedOn == nil ? .run : .replan, problem: outcome.problem, summary: outcome.result.summary,
                timeLimit: timeLimit, cancelled: outcome.cancelled, basedOn: basedOn, note: "by \(organiser)")
            do {
                _ = try await repository.save(
                    ScheduleDraft(
                        meetings: outcome.result.schedule.meetings.map(StoredSchedule.meeting),
                        objective: outcome.result.schedule.objective, upperBound: outcome.result.schedule.upperBound,
                        label: record.origin.rawValue, summaryJSON: try record.json(), createdAt: Date()))
            } catch {
                logger.error("cannot store the scheduler run: \(error)")
            }
        }
        do {
            let started = try jobs.startIfIdle {
                try SchedulingJob(id: UUID().uuidString, problem: problem, options: options, onFinish: store)
            }
            let notice = started ? "" : "?notice=" + Self.query("A run is already in progress.")
            return session.redirect(to: "/organiser/schedule" + notice)
        } catch let invalid as InvalidProblem {
            let text = invalid.issues.prefix(3).map(\.description).joined(separator: "; ")
            return session.redirect(to: "/organiser/schedule?notice=" + Self.query("Cannot schedule: \(text)"))
        }
    }

    @Sendable func cancel(_ request: Request, context: Context) async throws -> Response {
        let (session, _) = try await signedIn(request)
        jobs.current?.cancel()
        return session.redirect(to: "/organiser/schedule")
    }

    @Sendable func progress(_ request: Request, context: Context) async throws -> Response {
        _ = try await signedIn(request)
        var fields: [String: String] = ["state": "idle"]
        if let job = jobs.current {
            switch job.current {
            case .running(let progress):
                fields = ["state": "running"]
                if let progress {
                    fields["phase"] = progress.phase
                    fields["objective"] = String(progress.objective)
                    fields["bound"] = progress.upperBound == Int.max ? "" : String(progress.upperBound)
                    fields["elapsed"] = String(format: "%.1f", progress.elapsed)
                }
            case .finished(let outcome):
                fields = [
                    "state": outcome.cancelled ? "stopped" : "finished",
                    "objective": String(outcome.result.schedule.objective),
                    "meetings": String(outcome.result.schedule.meetings.count),
                ]
            case .failed(let reason): fields = ["state": "failed", "reason": reason]
            }
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return Response(
            status: .ok, headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
            body: ResponseBody(byteBuffer: ByteBuffer(data: try encoder.encode(fields))))
    }

    @Sendable func review(_ request: Request, context: Context) async throws -> HTMLResponse {
        let (session, _) = try await signedIn(request)
        let (version, record, problem, schedule) = try await load(context)
        let explanation = try RunRecord.explain(schedule, of: problem)
        let model = try GridModel(problem: problem, schedule: schedule, explanation: explanation)
        let published = try await versions.published()?.info.version == version.info.version
        let html = pages(session).review(
            version: version.info.version, model: model, record: record, explanation: explanation,
            published: published, message: request.uri.queryParameters.get("notice"))
        return HTMLResponse(html: html, extraHeaders: session.headers)
    }

    /// One of the grid views of a version, as `partnering grid` writes it.
    @Sendable func view(_ request: Request, context: Context) async throws -> Response {
        let (session, _) = try await signedIn(request)
        let file = context.parameters.get("file") ?? ""
        let views: [String: (GridView, GridFormat)] = [
            "grid.html": (.grid, .html), "agendas.html": (.agendas, .html), "tables.html": (.tables, .html),
            "no-meetings.html": (.noMeetings, .html), "grid.csv": (.grid, .csv), "agendas.csv": (.agendas, .csv),
            "tables.csv": (.tables, .csv), "no-meetings.csv": (.noMeetings, .csv),
        ]
        guard let (view, format) = views[file] else { throw Refusal.notFound }
        let (_, _, problem, schedule) = try await load(context)
        let model = try GridModel(
            problem: problem, schedule: schedule,
            explanation: view == .noMeetings ? try RunRecord.explain(schedule, of: problem) : nil)
        let options = GridOptions(
            language: session.language, organiser: try Self.organiserAddress(environment))
        guard let rendered = GridRenderer(model: model, options: options).render(view, as: format).first else {
            throw Refusal.notFound
        }
        let type = format == .csv ? "text/csv; charset=utf-8" : "text/html; charset=utf-8"
        var headers: HTTPFields = [.contentType: type]
        if format == .csv { headers[.contentDisposition] = "attachment; filename=\"\(file)\"" }
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(data: rendered.data)))
    }

    @Sendable func adjust(_ request: Request, context: Context) async throws -> Response {
        var request = request
        let (session, organiser) = try await signedIn(request)
        let data = try await FormData.read(&request)
        let (version, _, problem, schedule) = try await load(context)
        let pair = data["participants"].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
        let back = "/organiser/schedule/versions/\(version.info.version)?notice="
        guard pair.count == 2 else {
            return session.redirect(to: back + Self.query("Give the two participant ids, separated by a comma."))
        }
        let adjustment: MeetingAdjustment
        switch data["action"] {
        case "move": adjustment = .move(participants: pair, slot: data["slot"], table: data["table"])
        case "cancel": adjustment = .cancel(participants: pair)
        case "pin": adjustment = .pin(participants: pair, withTable: true)
        case "pin-time": adjustment = .pin(participants: pair, withTable: false)
        case "unpin": adjustment = .unpin(participants: pair)
        default: throw Refusal.notFound
        }
        do {
            let (changed, changedProblem) = try adjustment.apply(to: schedule, of: problem)
            let note =
                "\(data["action"]) \(pair.joined(separator: "–")) \(data["slot"]) \(data["table"]) by \(organiser)"
            let record = RunRecord(
                origin: .adjustment, problem: changedProblem, basedOn: version.info.version,
                note: note.replacingOccurrences(of: "  ", with: " "))
            let saved = try await versions.save(
                ScheduleDraft(
                    meetings: changed.meetings.map(StoredSchedule.meeting), objective: changed.objective,
                    upperBound: changed.upperBound, label: record.origin.rawValue, summaryJSON: try record.json(),
                    createdAt: Date()))
            return session.redirect(to: "/organiser/schedule/versions/\(saved.info.version)")
        } catch let refusal as MeetingAdjustment.Refusal {
            return session.redirect(to: back + Self.query("Refused: \(refusal.description)"))
        }
    }

    @Sendable func publish(_ request: Request, context: Context) async throws -> Response {
        let (session, _) = try await signedIn(request)
        let (version, _, _, schedule) = try await load(context)
        let previous = try await versions.published()
        guard previous?.info.version != version.info.version else {
            return session.redirect(to: "/organiser/schedule/versions/\(version.info.version)")
        }
        // Published with every agenda queued, in one transaction; the mail thread writes them.
        let attendees = environment.registration.attendees
        let agendas = SchedulePublication.notices(of: version, previous: previous, service: attendees, at: Date())
        _ = try await versions.publish(version.info.version, at: Date(), followUp: FollowUp(notices: agendas))
        attendees.noticesQueued.notify()
        var notice =
            "Version \(version.info.version) published: \(agendas.count) agenda e-mail(s) with .ics queued for the outbox."
        if let previous {
            let changes = ScheduleComparison(from: StoredSchedule.document(previous), to: schedule)
            notice +=
                " Changes since version \(previous.info.version): \(changes.moved.count) moved, \(changes.dropped.count) cancelled, "
                + "\(changes.added.count) added; \(changes.affectedParticipants.count) participant(s) to notify."
        }
        return session.redirect(to: "/organiser/schedule/versions/\(version.info.version)?notice=" + Self.query(notice))
    }

    @Sendable func compare(_ request: Request, context: Context) async throws -> HTMLResponse {
        let (session, _) = try await signedIn(request)
        let parameters = request.uri.queryParameters
        guard let from = parameters.get("from").flatMap(Int.init), let to = parameters.get("to").flatMap(Int.init),
            let before = try await versions.version(from), let after = try await versions.version(to)
        else { throw Refusal.notFound }
        let participants = try await environment.store.participants.list(.all)
        let names = Dictionary(participants.map { ($0.id.rawValue, $0.name) }, uniquingKeysWith: { first, _ in first })
        let comparison = ScheduleComparison(from: StoredSchedule.document(before), to: StoredSchedule.document(after))
        let html = pages(session).comparison(from: from, to: to, comparison, names: names)
        return HTMLResponse(html: html, extraHeaders: session.headers)
    }

    // MARK: Helpers

    /// The version of the path, its record, the problem it solves (its own, or today's for a
    /// version imported from a file) and its meetings in the interchange format.
    private func load(_ context: Context) async throws -> (
        ScheduleVersion, RunRecord?, Scheduling.ProblemDocument, ScheduleDocument
    ) {
        guard let number = context.parameters.get("version").flatMap(Int.init),
            let version = try await versions.version(number)
        else { throw Refusal.notFound }
        let record = RunRecord.decode(version.info.summaryJSON)
        if let problem = record?.problem { return (version, record, problem, StoredSchedule.document(version)) }
        let problem = Scheduling.ProblemDocument(
            event: event, participants: try await environment.store.participants.list(.all),
            requests: try await environment.store.requests.list(.all))
        return (version, record, problem, StoredSchedule.document(version))
    }

    /// The pins organisers set on `version`, those whose participants and slot still exist.
    static func pins(from version: ScheduleVersion?, validIn problem: Scheduling.ProblemDocument)
        -> [Scheduling.ProblemDocument.Pinned]?
    {
        guard let pins = RunRecord.decode(version?.info.summaryJSON)?.problem.pinned else { return nil }
        let people = Set(problem.participants.map(\.id))
        let slots = Set(problem.slots.map(\.id))
        let valid = pins.filter { pin in pin.participants.allSatisfy(people.contains) && slots.contains(pin.slot) }
        return valid.isEmpty ? nil : valid
    }

    static func organiserAddress(_ environment: ServerEnvironment) throws -> MailAddress {
        let host = environment.settings.baseURL.host() ?? "partnering.invalid"
        let domain = host.contains(".") ? host : "\(host).invalid"
        if let address = try? MailAddress("organiser@\(domain)") { return address }
        return try MailAddress("organiser@partnering.invalid")
    }

    static func query(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
    }
}
