import Foundation
import PartneringCore
import Registration

/// The attendee's feedback page: one form per meeting whose slot has ended.
struct FeedbackPageModel {
    /// One past meeting and its form, filled with the answer given (or the one being
    /// corrected). The wording of every choice is in the templates; the model says which is
    /// chosen.
    struct Meeting {
        let personID: String
        let personName: String
        let organisation: String
        let day: String
        let start: String
        let end: String
        let table: String
        let isAnswered: Bool
        let isHeld: Bool
        let isCounterpartAbsent: Bool
        let isCancelled: Bool
        let usefulness: [Option]
        let followUp: FollowUpChoice
        let comment: String
        let commentLimit: Int
        let errors: [String: [String]]
        let hasErrors: Bool
        /// The form just saved: a confirmation next to it.
        let isSaved: Bool
    }

    /// Which follow-up is chosen.
    struct FollowUpChoice {
        let none: Bool
        let call: Bool
        let nda: Bool
        let materialTransfer: Bool
        let collaboration: Bool
        let other: Bool

        init(_ text: String) {
            none = text.isEmpty || text == MeetingFeedback.FollowUpPlan.none.rawValue
            call = text == MeetingFeedback.FollowUpPlan.call.rawValue
            nda = text == MeetingFeedback.FollowUpPlan.nda.rawValue
            materialTransfer = text == MeetingFeedback.FollowUpPlan.materialTransfer.rawValue
            collaboration = text == MeetingFeedback.FollowUpPlan.collaboration.rawValue
            other = text == MeetingFeedback.FollowUpPlan.other.rawValue
        }
    }

    let chrome: PageChrome
    let meetings: [Meeting]
    let hasMeetings: Bool
    let answeredCount: Int
    let meetingCount: Int

    /// - Parameters:
    ///   - editing: the meeting whose form comes back with errors, with what was typed.
    ///   - saved: the meeting whose answer was just saved.
    init(
        chrome: PageChrome, past: [MeetingFeedbackService.PastMeeting], event: EventDefinition, language: Language,
        editing: (counterpart: ParticipantID, form: FeedbackForm, issues: [FieldIssue])? = nil,
        saved: ParticipantID? = nil
    ) {
        let dates = EventPresentation(event: event, language: language)
        self.chrome = chrome
        meetings = past.map { meeting in
            let isEdited = editing?.counterpart == meeting.counterpart.id
            let form =
                isEdited
                ? editing?.form
                : meeting.answer.map(FeedbackForm.init)
                    ?? FeedbackForm(
                        attendance: nil, usefulness: nil, followUp: nil, comment: nil)
            let issues = isEdited ? editing?.issues ?? [] : []
            let errors = Dictionary(grouping: issues, by: \.field).mapValues { $0.map { $0.message(in: language) } }
            let attendance = form?.attendance ?? ""
            return Meeting(
                personID: meeting.counterpart.id.rawValue, personName: meeting.counterpart.name,
                organisation: meeting.counterpart.organisation, day: dates.day(meeting.slot.start),
                start: dates.time(meeting.slot.start), end: dates.time(meeting.slot.end),
                table: meeting.table?.name ?? "", isAnswered: meeting.answer != nil,
                isHeld: attendance == MeetingFeedback.Attendance.held.rawValue,
                isCounterpartAbsent: attendance == MeetingFeedback.Attendance.counterpartAbsent.rawValue,
                isCancelled: attendance == MeetingFeedback.Attendance.cancelled.rawValue,
                usefulness: MeetingFeedback.usefulnessScale.map {
                    Option(value: String($0), label: String($0), checked: String($0) == form?.usefulness)
                },
                followUp: FollowUpChoice(form?.followUp ?? ""), comment: form?.comment ?? "",
                commentLimit: MeetingFeedback.maximumCommentLength, errors: errors, hasErrors: !issues.isEmpty,
                isSaved: saved == meeting.counterpart.id)
        }
        hasMeetings = !past.isEmpty
        answeredCount = past.filter { $0.answer != nil }.count
        meetingCount = past.count
    }
}

/// The organiser's feedback page: the answers so far and the e-mail to send after the day.
struct OrganiserFeedbackPageModel {
    let chrome: PageChrome
    let answerCount: Int
    let authorCount: Int
    /// How many e-mails the last send queued.
    let sentCount: Int
    let isSent: Bool
}
