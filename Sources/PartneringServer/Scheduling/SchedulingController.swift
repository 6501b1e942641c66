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
/// of who will be told what. The rules are ``SchedulingService``'s; this only translates.
struct SchedulingController<Context: IdentifiedRequestContext> {
    let environment: ServerEnvironment

    private var scheduling: SchedulingService { environment.schedulingService }

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

    @Sendable func runs(_ request: Request, context: Context) async throws -> HTMLResponse {
        let session = WebSession(request: request, environment: environment)
        let page = SchedulingPageBuilder(environment: environment, session: session)
        let parameters = request.uri.queryParameters
        let refusal = parameters.get("error").flatMap {
            SchedulingRefusal(code: $0, issues: parameters.get("issues").flatMap(Int.init) ?? 0)
        }
        let model = try await page.runs(run: try await scheduling.latestRun(), refusal: refusal)
        return try session.page("organiser-schedule", model: model, environment: environment)
    }

    @Sendable func run(_ request: Request, context: Context) async throws -> Response {
        var request = request
        let session = WebSession(request: request, environment: environment)
        let data = try await FormData.read(&request)
        do {
            let timeLimit = try NumberField.decimal(
                data["timeLimit"], field: "timeLimit", range: SchedulingService.timeLimits, fallback: 10)
            _ = try await scheduling.startRun(
                timeLimit: timeLimit, keepPublished: data.isChecked("keep"), by: try context.organiser.email)
            return session.redirect(to: SchedulingPaths.home)
        } catch is Refusal {
            // Not a number: refused like a number out of range, on the page.
            return Self.redirect(session, refused: .timeLimitOutOfRange, to: SchedulingPaths.home)
        } catch let refusal as SchedulingRefusal {
            if case .problemInvalid(let issues) = refusal {
                environment.logger.warning("cannot schedule: \(issues) issues")
            }
            return Self.redirect(session, refused: refusal, to: SchedulingPaths.home)
        }
    }

    @Sendable func cancel(_ request: Request, context: Context) async throws -> Response {
        let session = WebSession(request: request, environment: environment)
        try await scheduling.cancelRun(by: try context.organiser.email)
        return session.redirect(to: SchedulingPaths.home)
    }

    /// Where the run stands, for the page that follows it: a stable `state` and figures for
    /// programs, `text` in the organiser's language for people.
    @Sendable func progress(_ request: Request, context: Context) async throws -> Response {
        let session = WebSession(request: request, environment: environment)
        let words = SchedulingWords(language: session.language)
        var fields: [String: String] = ["state": "idle"]
        if let run = try await scheduling.latestRun() {
            fields = run.progressFields(words: words)
        }
        return try .json(fields, extraHeaders: [.cacheControl: "no-store"])
    }

    @Sendable func review(_ request: Request, context: Context) async throws -> HTMLResponse {
        let session = WebSession(request: request, environment: environment)
        let parameters = request.uri.queryParameters
        let loaded = try await load(context)
        let page = SchedulingPageBuilder(environment: environment, session: session)
        let form = AdjustmentRequest(first: parameters.get("a") ?? "", second: parameters.get("b") ?? "")
        let model = try await page.version(
            loaded, draftText: parameters.get("draft") ?? "", form: form, error: nil,
            notice: parameters.get("notice") ?? "",
            refusal: parameters.get("error").flatMap { SchedulingRefusal(code: $0) },
            sent: parameters.get("sent").flatMap(Int.init))
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

    /// Adds one change to the draft of a version (``SchedulingService/adding(_:to:of:)``); a
    /// refused change shows the version again with the rule it breaks.
    @Sendable func adjust(_ request: Request, context: Context) async throws -> Response {
        var request = request
        let session = WebSession(request: request, environment: environment)
        let data = try await FormData.read(&request)
        let loaded = try await load(context)
        let page = SchedulingPageBuilder(environment: environment, session: session)
        let form = AdjustmentRequest(
            action: data["action"], first: data["a"], second: data["b"], slot: data["slot"], table: data["table"])
        let draftText = data["draft"]
        let number = loaded.version.info.version
        do {
            guard let draft = AdjustmentDraft(draftText) else { throw AdjustmentRequest.Failure.unreadableDraft }
            let next = try scheduling.adding(form, to: draft, of: loaded)
            return session.redirect(
                to: SchedulingPaths.version(number) + "?draft=" + SchedulingPaths.query(next.text) + "#draft")
        } catch let failure as AdjustmentRequest.Failure {
            let model = try await page.version(
                loaded, draftText: draftText, form: form, error: failure, notice: "", refusal: nil, sent: nil)
            return try session.page(
                "organiser-schedule-version", model: model, environment: environment, status: .unprocessableContent
            ).plainResponse()
        }
    }

    /// Saves the draft of a version as one new version.
    @Sendable func save(_ request: Request, context: Context) async throws -> Response {
        var request = request
        let session = WebSession(request: request, environment: environment)
        let data = try await FormData.read(&request)
        let number = try Self.versionNumber(context)
        do {
            let changes = AdjustmentDraft(data["draft"])?.changes ?? []
            let saved = try await scheduling.saveAdjustments(changes, to: number, by: try context.organiser.email)
            return session.redirect(to: SchedulingPaths.version(saved.version) + "?notice=saved")
        } catch SchedulingRefusal.nothingToSave {
            return Self.redirect(session, refused: .nothingToSave, to: SchedulingPaths.version(number))
        }
    }

    /// Who publishing a version will notify, a sample of the message, the changes since the
    /// last publication, and the button that confirms.
    @Sendable func publication(_ request: Request, context: Context) async throws -> HTMLResponse {
        let session = WebSession(request: request, environment: environment)
        let loaded = try await load(context)
        let previous = try await scheduling.published()
        let alreadyPublished = previous?.info.version == loaded.version.info.version
        let messages =
            alreadyPublished
            ? []
            : try await environment.registration.publication.preview(
                version: loaded.version, previous: previous, composer: environment.registration.composer)
        let page = SchedulingPageBuilder(environment: environment, session: session)
        let model = try await page.publication(
            loaded, previous: previous, messages: messages, alreadyPublished: alreadyPublished)
        return try session.page("organiser-schedule-publication", model: model, environment: environment)
    }

    /// Publishes a version once the organiser confirmed on the preview (without the
    /// confirmation, the preview). The preview's `expected` field names the version published
    /// when it was shown (`none`); a form without it publishes over whatever is published now.
    @Sendable func publish(_ request: Request, context: Context) async throws -> Response {
        var request = request
        let session = WebSession(request: request, environment: environment)
        let data = try await FormData.read(&request)
        let number = try Self.versionNumber(context)
        guard data["confirm"] == "yes" else { return session.redirect(to: SchedulingPaths.publication(number)) }
        let expected: PublishedExpectation =
            data["expected"].isEmpty ? .whateverIsPublished : .version(Int(data["expected"]))
        do {
            let published = try await scheduling.publish(
                number, expected: expected, by: try context.organiser.email)
            return session.redirect(
                to: SchedulingPaths.version(number) + "?notice=published&sent=\(published.told)")
        } catch SchedulingRefusal.alreadyPublished {
            return session.redirect(to: SchedulingPaths.version(number))
        }
    }

    @Sendable func compare(_ request: Request, context: Context) async throws -> HTMLResponse {
        let session = WebSession(request: request, environment: environment)
        let parameters = request.uri.queryParameters
        guard let from = parameters.get("from").flatMap(Int.init), let to = parameters.get("to").flatMap(Int.init)
        else { throw SchedulingRefusal.versionNotFound }
        let before = try await scheduling.version(from).version
        let after = try await scheduling.version(to).version
        let page = SchedulingPageBuilder(environment: environment, session: session)
        let model = try await page.comparison(before: before, after: after)
        return try session.page("organiser-schedule-compare", model: model, environment: environment)
    }

    // MARK: Helpers

    /// The version of the path with what the pages show of it.
    private func load(_ context: Context) async throws -> LoadedVersion {
        try await scheduling.version(try Self.versionNumber(context))
    }

    /// The version number of the path.
    private static func versionNumber(_ context: Context) throws -> Int {
        guard let number = context.parameters.get("version").flatMap(Int.init) else {
            throw SchedulingRefusal.versionNotFound
        }
        return number
    }

    /// Back to `path` with the refusal's code, for the page to say why in the organiser's language.
    private static func redirect(_ session: WebSession, refused refusal: SchedulingRefusal, to path: String)
        -> Response
    {
        var query = "?error=" + refusal.code
        if case .problemInvalid(let issues) = refusal { query += "&issues=\(issues)" }
        return session.redirect(to: path + query)
    }

    /// The organiser of the grids' calendars, in the domain of the service's e-mails
    /// (`mailDomain`), as the agendas sent by e-mail have it.
    static func organiserAddress(_ environment: ServerEnvironment) throws -> MailAddress {
        if let address = try? MailAddress("organiser@\(environment.settings.mailDomain)") { return address }
        return try MailAddress("organiser@partnering.invalid")
    }
}
