import CheckIn
import Foundation
import Hummingbird
import PartneringCore
import Registration

/// Printable badges: the organiser's sheets of every confirmed participant (filtered by
/// role; A6 or four to an A4 sheet; the first meetings on the back when asked), and the
/// one badge a check-in desk prints for the person it just admitted.
struct BadgesController<Context: IdentifiedRequestContext> {
    let environment: ServerEnvironment

    private var event: EventDefinition { environment.event }
    private var checkIn: CheckInService { environment.desk.checkIn }

    func addRoutes(to router: Router<Context>) {
        let organiserRoutes = router.group().add(
            middleware: SignInMiddleware<Context>.organiser(environment, from: .cookie))
        organiserRoutes.get("/organiser/badges", use: organiserBadges)
        // The desk prints from its page, signed in by its cookie; signed out, to its sign-in page.
        router.group().add(
            middleware: SignInMiddleware<Context>.desk(environment, whenMissing: .redirect(to: "/desk/login"))
        )
        .get("/desk/badges/:id", use: deskBadge)
    }

    /// `?role=company|expert` (empty: everyone), `?layout=a4|a6`, `?back=1`.
    @Sendable func organiserBadges(_ request: Request, context: Context) async throws -> HTMLResponse {
        let session = WebSession(request: request, environment: environment)
        let parameters = request.uri.queryParameters
        let roleText = parameters.get("role") ?? ""
        let role = event.roles.first { $0.role.rawValue == roleText }?.role
        let badges = try await checkIn.badges(role: role, at: checkIn.clock())
        return try await page(
            badges, session: session, isA4: parameters.get("layout") != "a6",
            withBacks: parameters.get("back") == "1", role: role, isSingle: false)
    }

    /// One A6 badge, front and back, for a signed-in desk (otherwise to the
    /// desk's sign-in page, as `/desk` does); an unknown or unconfirmed participant is 404.
    @Sendable func deskBadge(_ request: Request, context: Context) async throws -> Response {
        let session = WebSession(request: request, environment: environment)
        let badge = try await checkIn.badge(
            for: ParticipantID(context.parameters.get("id") ?? ""), at: checkIn.clock())
        var page = try await page(
            [badge], session: session, isA4: false, withBacks: true, role: nil, isSingle: true)
        page.extraHeaders[.cacheControl] = "no-store"
        return page.plainResponse()
    }

    private func page(
        _ badges: [Badge], session: WebSession, isA4: Bool, withBacks: Bool, role: Role?, isSingle: Bool
    ) async throws -> HTMLResponse {
        var models: [BadgeModel] = []
        models.reserveCapacity(badges.count)
        for badge in badges {
            let ticket = try await environment.registration.attendees.ticket(of: badge.participant)
            models.append(try BadgeModel(badge, ticket: ticket, language: session.language))
        }
        let model = BadgesPageModel(
            chrome: PageChrome(session: session, event: event), pageSize: isA4 ? "A4" : "A6",
            pageWidth: isA4 ? "210mm" : "105mm", pageHeight: isA4 ? "297mm" : "148mm", isA4: isA4,
            withBacks: withBacks,
            roles: event.roles.map {
                BadgesPageModel.RoleOption(
                    value: $0.role.rawValue, name: $0.name[session.language], isSelected: $0.role == role)
            },
            sheets: BadgeSheetModel.sheets(
                models, perSheet: isA4 ? 4 : 1, columns: isA4 ? 2 : 1, withBacks: withBacks),
            count: models.count, hasBadges: !models.isEmpty, isSingle: isSingle)
        return try session.page("badges", model: model, environment: environment)
    }
}
