import Foundation
import Grids
import Hummingbird
import Mail
import PartneringCore
import Registration
import Scheduling

/// The organiser's scheduling workflow (`/organiser/schedule`): run the scheduler on the
/// current registrations in the background (live progress, cancel), keep every run as a
/// schedule version, review it (the result in words, unscheduled requests with reasons, the
/// grids), adjust it by hand (a draft of changes picked by name, each checked against the
/// constraints, saved as one version), compare two versions, and publish one after a preview
/// of who will be told what.
struct SchedulingController<Context: IdentifiedRequestContext> {
    let environment: ServerEnvironment

    private var event: EventDefinition { environment.event }
    private var versions: any ScheduleRepository { environment.store.schedules }
    /// Scheduler runs, kept in the store so that every process shows and cancels the same.
    private var schedulingRuns: any SchedulingRunRepository { environment.store.schedulingRuns }

    func addRoutes(to router: Router<Context>) {
        let organiserRoutes = router.group().add(
            middleware: SignInMiddleware<Context>.organiser(environment, from: .cookie))
        organiserRoutes.get("/organiser/schedule", use: runs)
        organiserRoutes.post("/organiser/schedule/run", use: run)
        organiserRoutes.post("/organiser/schedule/cancel", use: cancel)
        organiserRoutes.get("/organiser/schedule/progress.json", use: progress)
        organiserRoutes.get("/organiser/schedule/compare", use: compare)
        organiserRoutes.get("/organiser/schedule/versions/:version", use: review)
        organiserRoutes.get("/organiser/schedule/versions/:version/:file", use: view)
        organiserRoutes.get("/organiser/schedule/versions/:version/people/:id", use: person)
        organiserRoutes.post("/organiser/schedule/versions/:version/adjust", use: adjust)
        organiserRoutes.post("/organiser/schedule/versions/:version/save", use: save)
        organiserRoutes.get("/organiser/schedule/publication/:version", use: publication)
        organiserRoutes.post("/organiser/schedule/versions/:version/publish", use: publish)
    }

    /// The time limits an organiser may give a run, in seconds.
    static var timeLimits: ClosedRange<Int> { 1...600 }

    @Sendable func runs(_ request: Request, context: Context) async throws -> HTMLResponse {
        let session = WebSession(request: request, environment: environment)
        let page = SchedulingPageBuilder(environment: environment, session: session)
        let parameters = request.uri.queryParameters
        let model = try await page.runs(
            run: try await schedulingRuns.latest(event: event.id.rawValue), notice: parameters.get("notice") ?? "",
            issues: parameters.get("issues").flatMap(Int.init))
        return try session.page("organiser-schedule", model: model, environment: environment)
    }

    @Sendable func run(_ request: Request, context: Context) async throws -> Response {
        var request = request
        let session = WebSession(request: request, environment: environment)
        let organiser = try context.organiser.email
        let data = try await FormData.read(&request)
        // A value out of range or not a number is refused before anything runs, on the page.
        guard
            let timeLimit = try? NumberField.decimal(
                data["timeLimit"], field: "timeLimit", range: Self.timeLimits, fallback: 10)
        else { return session.redirect(to: SchedulingPaths.home + "?notice=time-limit") }
        var problem = Scheduling.ProblemDocument(
            event: event, participants: try await environment.store.participants.list(.all),
            requests: try await environment.store.requests.list(.all))
        let keep = data.isChecked("keep")
        var base = try await versions.latest()
        if keep, let published = try await versions.published() { base = published }
        problem.pinned = Self.pins(from: base, validIn: problem)
        let previous = keep ? base.map(StoredSchedule.document) : nil
        // A problem the scheduler would refuse is refused here, on the page, rather than by a worker.
        do {
            _ = try SchedulingModel.compile(problem)
        } catch {
            environment.logger.warning("cannot schedule: \(error.issues.prefix(3).map(\.description))")
            return session.redirect(to: SchedulingPaths.home + "?notice=invalid&issues=\(error.issues.count)")
        }
        let inputs = SchedulingRunInputs(
            problem: problem, timeLimit: timeLimit, seed: 1, basedOn: previous == nil ? nil : base?.info.version,
            previous: previous, organiser: organiser)
        // Queued in the store: a worker of this process or of another one runs it; the
        // store's unique key on the active run makes two quick clicks (on two replicas) one run.
        let queued = try await schedulingRuns.enqueue(
            SchedulingRun(
                id: UUID().uuidString, event: event.id.rawValue, inputs: try inputs.json(), requestedBy: organiser,
                queuedAt: Date()))
        if queued { environment.scheduling.queued.notify() }
        return session.redirect(to: SchedulingPaths.home + (queued ? "" : "?notice=busy"))
    }

    @Sendable func cancel(_ request: Request, context: Context) async throws -> Response {
        let session = WebSession(request: request, environment: environment)
        // Recorded in the store; the run's worker, in whichever process, stops at its next heartbeat.
        _ = try await schedulingRuns.cancel(event: event.id.rawValue, at: Date())
        return session.redirect(to: SchedulingPaths.home)
    }

    /// Where the run stands, for the page that follows it: a stable `state` and figures for
    /// programs, `text` in the organiser's language for people.
    @Sendable func progress(_ request: Request, context: Context) async throws -> Response {
        let session = WebSession(request: request, environment: environment)
        let words = SchedulingWords(language: session.language)
        var fields: [String: String] = ["state": "idle"]
        if let run = try await schedulingRuns.latest(event: event.id.rawValue) {
            fields = run.progressFields(words: words)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return Response(
            status: .ok, headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
            body: ResponseBody(byteBuffer: ByteBuffer(data: try encoder.encode(fields))))
    }

    @Sendable func review(_ request: Request, context: Context) async throws -> HTMLResponse {
        let session = WebSession(request: request, environment: environment)
        let parameters = request.uri.queryParameters
        let loaded = try await load(context)
        let page = SchedulingPageBuilder(environment: environment, session: session)
        var form = AdjustmentForm()
        form.first = parameters.get("a") ?? ""
        form.second = parameters.get("b") ?? ""
        let model = try await page.version(
            loaded, draftText: parameters.get("draft") ?? "", form: form, error: nil,
            notice: parameters.get("notice") ?? "", sent: parameters.get("sent").flatMap(Int.init))
        return try session.page("organiser-schedule-version", model: model, environment: environment)
    }

    /// One person's meetings and requests in a version.
    @Sendable func person(_ request: Request, context: Context) async throws -> HTMLResponse {
        let session = WebSession(request: request, environment: environment)
        let loaded = try await load(context)
        let page = SchedulingPageBuilder(environment: environment, session: session)
        guard let model = try await page.person(loaded, id: context.parameters.get("id") ?? "") else {
            throw Refusal.notFound
        }
        return try session.page("organiser-schedule-person", model: model, environment: environment)
    }

    /// One of the grid views of a version (with the draft's changes, if any), as
    /// `partnering grid` writes it.
    @Sendable func view(_ request: Request, context: Context) async throws -> Response {
        let session = WebSession(request: request, environment: environment)
        let file = context.parameters.get("file") ?? ""
        let views: [String: (GridView, GridFormat)] = [
            "grid.html": (.grid, .html), "agendas.html": (.agendas, .html), "tables.html": (.tables, .html),
            "no-meetings.html": (.noMeetings, .html), "grid.csv": (.grid, .csv), "agendas.csv": (.agendas, .csv),
            "tables.csv": (.tables, .csv), "no-meetings.csv": (.noMeetings, .csv),
        ]
        guard let (view, format) = views[file] else { throw Refusal.notFound }
        let loaded = try await load(context)
        guard let draft = AdjustmentDraft(request.uri.queryParameters.get("draft") ?? ""),
            let (schedule, problem) = try? MeetingAdjustment.apply(
                draft.changes, to: loaded.schedule, of: loaded.problem)
        else { throw Refusal.notFound }
        let model = try GridModel(
            problem: problem, schedule: schedule,
            explanation: view == .noMeetings ? try RunRecord.explain(schedule, of: problem) : nil)
        let options = GridOptions(
            language: session.language, organiser: try Self.organiserAddress(environment),
            roleNames: Dictionary(
                environment.event.roles.map { ($0.role.rawValue, $0.name[session.language]) },
                uniquingKeysWith: { first, _ in first }))
        guard let rendered = GridRenderer(model: model, options: options).render(view, as: format).first else {
            throw Refusal.notFound
        }
        let type = format == .csv ? "text/csv; charset=utf-8" : "text/html; charset=utf-8"
        var headers: HTTPFields = [.contentType: type]
        if format == .csv { headers[.contentDisposition] = "attachment; filename=\"\(file)\"" }
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(data: rendered.data)))
    }

    /// Adds one change to the draft of a version after checking it with the draft's earlier
    /// changes; a refused change shows the version again with the rule it breaks.
    @Sendable func adjust(_ request: Request, context: Context) async throws -> Response {
        var request = request
        let session = WebSession(request: request, environment: environment)
        let data = try await FormData.read(&request)
        let loaded = try await load(context)
        let page = SchedulingPageBuilder(environment: environment, session: session)
        let form = AdjustmentForm(data)
        let draftText = data["draft"]
        let number = loaded.version.info.version
        do {
            guard let draft = AdjustmentDraft(draftText) else { throw AdjustmentForm.Failure.unreadableDraft }
            let (schedule, problem) = try AdjustmentForm.checked { () throws(MeetingAdjustment.Refusal) in
                try MeetingAdjustment.apply(draft.changes, to: loaded.schedule, of: loaded.problem)
            }
            let change = try form.adjustment(in: schedule, of: problem)
            _ = try AdjustmentForm.checked(pair: change.participants) { () throws(MeetingAdjustment.Refusal) in
                try change.apply(to: schedule, of: problem)
            }
            let next = AdjustmentDraft(changes: draft.changes + [change])
            return session.redirect(
                to: SchedulingPaths.version(number) + "?draft=" + SchedulingPaths.query(next.text) + "#draft")
        } catch let failure as AdjustmentForm.Failure {
            let model = try await page.version(
                loaded, draftText: draftText, form: form, error: failure, notice: "", sent: nil)
            return try session.page(
                "organiser-schedule-version", model: model, environment: environment, status: .unprocessableContent
            ).plainResponse()
        }
    }

    /// Saves the draft of a version as one new version.
    @Sendable func save(_ request: Request, context: Context) async throws -> Response {
        var request = request
        let session = WebSession(request: request, environment: environment)
        let organiser = try context.organiser.email
        let data = try await FormData.read(&request)
        let loaded = try await load(context)
        let number = loaded.version.info.version
        guard let draft = AdjustmentDraft(data["draft"]), !draft.changes.isEmpty,
            let (schedule, problem) = try? MeetingAdjustment.apply(
                draft.changes, to: loaded.schedule, of: loaded.problem)
        else { return session.redirect(to: SchedulingPaths.version(number) + "?notice=unsaved") }
        let record = RunRecord(
            origin: .adjustment, problem: problem, basedOn: number,
            note: draft.changes.map(\.logText).joined(separator: "; "), adjustments: draft.changes,
            organiser: organiser)
        let saved = try await versions.save(
            ScheduleDraft(
                meetings: schedule.meetings.map(StoredSchedule.meeting), objective: schedule.objective,
                upperBound: schedule.upperBound, label: record.origin.rawValue, summaryJSON: try record.json(),
                createdAt: Date()))
        return session.redirect(to: SchedulingPaths.version(saved.info.version) + "?notice=saved")
    }

    /// Who publishing a version will notify, a sample of the message, the changes since the
    /// last publication, and the button that confirms.
    @Sendable func publication(_ request: Request, context: Context) async throws -> HTMLResponse {
        let session = WebSession(request: request, environment: environment)
        let loaded = try await load(context)
        let previous = try await versions.published()
        let alreadyPublished = previous?.info.version == loaded.version.info.version
        let messages =
            alreadyPublished
            ? []
            : try await SchedulePublication(environment: environment).preview(
                version: loaded.version, previous: previous, composer: try environment.mailComposer())
        let page = SchedulingPageBuilder(environment: environment, session: session)
        let model = try await page.publication(
            loaded, previous: previous, messages: messages, alreadyPublished: alreadyPublished)
        return try session.page("organiser-schedule-publication", model: model, environment: environment)
    }

    /// Publishes a version once the organiser confirmed on the preview (without the
    /// confirmation, the preview).
    @Sendable func publish(_ request: Request, context: Context) async throws -> Response {
        var request = request
        let session = WebSession(request: request, environment: environment)
        let data = try await FormData.read(&request)
        let loaded = try await load(context)
        let version = loaded.version
        guard data["confirm"] == "yes" else {
            return session.redirect(to: SchedulingPaths.publication(version.info.version))
        }
        let previous = try await versions.published()
        guard previous?.info.version != version.info.version else {
            return session.redirect(to: SchedulingPaths.version(version.info.version))
        }
        // Published with every agenda queued, in one transaction; the mail thread writes them.
        let attendees = environment.registration.attendees
        let agendas = SchedulePublication.notices(of: version, previous: previous, service: attendees, at: Date())
        _ = try await versions.publish(version.info.version, at: Date(), followUp: FollowUp(notices: agendas))
        attendees.noticesQueued.notify()
        return session.redirect(
            to: SchedulingPaths.version(version.info.version) + "?notice=published&sent=\(agendas.count)")
    }

    @Sendable func compare(_ request: Request, context: Context) async throws -> HTMLResponse {
        let session = WebSession(request: request, environment: environment)
        let parameters = request.uri.queryParameters
        guard let from = parameters.get("from").flatMap(Int.init), let to = parameters.get("to").flatMap(Int.init),
            let before = try await versions.version(from), let after = try await versions.version(to)
        else { throw Refusal.notFound }
        let page = SchedulingPageBuilder(environment: environment, session: session)
        let model = try await page.comparison(before: before, after: after)
        return try session.page("organiser-schedule-compare", model: model, environment: environment)
    }

    // MARK: Helpers

    /// The version of the path, its record, the problem it solves (its own, or today's for a
    /// version imported from a file) and its meetings in the interchange format.
    private func load(_ context: Context) async throws -> LoadedVersion {
        guard let number = context.parameters.get("version").flatMap(Int.init),
            let version = try await versions.version(number)
        else { throw Refusal.notFound }
        let record = RunRecord.decode(version.info.summaryJSON)
        if let problem = record?.problem {
            return LoadedVersion(
                version: version, record: record, problem: problem, schedule: StoredSchedule.document(version))
        }
        let problem = Scheduling.ProblemDocument(
            event: event, participants: try await environment.store.participants.list(.all),
            requests: try await environment.store.requests.list(.all))
        return LoadedVersion(
            version: version, record: record, problem: problem, schedule: StoredSchedule.document(version))
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
}

/// A stored version with what the pages need to show it.
struct LoadedVersion {
    let version: ScheduleVersion
    let record: RunRecord?
    let problem: Scheduling.ProblemDocument
    let schedule: ScheduleDocument
}
