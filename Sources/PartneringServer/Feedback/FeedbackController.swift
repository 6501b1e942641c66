import Foundation
import Hummingbird
import PartneringCore
import Registration

/// Meeting feedback: the attendee's page with a form per past meeting
/// (`/me/feedback`, where the "how did your meetings go?" e-mail leads), and the
/// organiser's action that sends that e-mail after the day.
struct FeedbackController<Context: IdentifiedRequestContext> {
    let environment: ServerEnvironment

    private var feedback: MeetingFeedbackService { environment.meetingFeedback }
    private var event: EventDefinition { environment.event }

    func addRoutes(to router: Router<Context>) {
        let attendeeRoutes = router.group().add(
            middleware: SignInMiddleware<Context>.attendee(environment, from: .cookie))
        let organiserRoutes = router.group().add(
            middleware: SignInMiddleware<Context>.organiser(environment, from: .cookie))
        attendeeRoutes.get("/me/feedback", use: page)
        attendeeRoutes.post("/me/feedback/:counterpart", use: save)
        organiserRoutes.get("/organiser/feedback", use: organiserPage)
        organiserRoutes.post("/organiser/feedback/invitations", use: invite)
    }

    @Sendable func page(_ request: Request, context: Context) async throws -> HTMLResponse {
        let session = WebSession(request: request, environment: environment)
        let me = try context.attendee.participant
        let saved = request.uri.queryParameters.get("saved").map { ParticipantID(String($0)) }
        let model = FeedbackPageModel(
            chrome: PageChrome(session: session, event: event), past: try await feedback.pastMeetings(of: me),
            event: event, language: session.language, saved: saved)
        return try session.page("feedback", model: model, environment: environment)
    }

    @Sendable func save(_ request: Request, context: Context) async throws -> Response {
        var request = request
        let session = WebSession(request: request, environment: environment)
        let me = try context.attendee.participant
        let counterpart = ParticipantID(context.parameters.get("counterpart") ?? "")
        let data = try await FormData.read(&request)
        let form = FeedbackForm(
            attendance: data["attendance"], usefulness: data["usefulness"], followUp: data["followUp"],
            comment: data["comment"])
        do {
            try await feedback.record(form, about: counterpart, by: me)
            // The id named a meeting of this participant (it was recorded), yet is encoded all the same.
            let unreserved = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))
            let id = counterpart.rawValue.addingPercentEncoding(withAllowedCharacters: unreserved) ?? ""
            return session.redirect(to: "/me/feedback?saved=\(id)#m-\(id)")
        } catch Refusal.invalidInput(let issues) {
            let model = FeedbackPageModel(
                chrome: PageChrome(session: session, event: event), past: try await feedback.pastMeetings(of: me),
                event: event, language: session.language, editing: (counterpart, form, issues))
            return try session.page(
                "feedback", model: model, environment: environment, status: .unprocessableContent
            ).plainResponse()
        }
    }

    /// How many answers came in, and the action that sends the e-mail after the day.
    @Sendable func organiserPage(_ request: Request, context: Context) async throws -> HTMLResponse {
        let session = WebSession(request: request, environment: environment)
        let answers = try await environment.store.meetingFeedback.allFeedback()
        let sent = request.uri.queryParameters.get("sent").flatMap { Int(String($0)) }
        let model = OrganiserFeedbackPageModel(
            chrome: PageChrome(session: session, event: event), answerCount: answers.count,
            authorCount: Set(answers.map(\.author)).count, sentCount: sent ?? 0, isSent: sent != nil)
        return try session.page("organiser-feedback", model: model, environment: environment)
    }

    @Sendable func invite(_ request: Request, context: Context) async throws -> Response {
        let session = WebSession(request: request, environment: environment)
        let organiser = try context.organiser.email
        let count = try await feedback.sendInvitations(by: organiser)
        return session.redirect(to: "/organiser/feedback?sent=\(count)")
    }
}
