import Foundation
import PartneringCore

/// What a participant types about one meeting, as the form and the API send it: text to
/// check, not yet values.
public struct FeedbackForm: Sendable, Hashable {
    /// `held`, `counterpart-absent` or `cancelled`.
    public var attendance: String
    /// 1 to 5; required when the meeting was held, ignored otherwise.
    public var usefulness: String
    /// `none`, `call`, `nda`, `material-transfer`, `collaboration` or `other`; empty = none.
    public var followUp: String
    public var comment: String

    public init(attendance: String?, usefulness: String?, followUp: String?, comment: String?) {
        self.attendance = attendance ?? ""
        self.usefulness = usefulness ?? ""
        self.followUp = followUp ?? ""
        self.comment = comment ?? ""
    }

    /// The form as an answer already given fills it.
    public init(_ feedback: MeetingFeedback) {
        attendance = feedback.attendance.rawValue
        usefulness = feedback.usefulness.map(String.init) ?? ""
        followUp = feedback.followUp.rawValue
        comment = feedback.comment
    }
}

/// Meeting feedback: once a meeting's slot has ended, each of its two participants says
/// whether it was held, how useful it was and what follows; after the day, organisers send
/// everyone who had meetings a "how did your meetings go?" e-mail whose link signs them in
/// on their feedback page. Every rule is here; pages and the API only translate.
public struct MeetingFeedbackService: Sendable {
    public let registration: RegistrationService
    public let schedules: any ScheduleRepository
    public let feedback: any MeetingFeedbackRepository

    /// The attendee's feedback page, where the e-mail's link leads.
    public static let pagePath = "/me/feedback"
    /// How long the e-mail's link signs its recipient in: answers come in the days after
    /// the event, longer than an ordinary access link lasts.
    public static let linkLifetime: TimeInterval = 14 * 24 * 3600

    public init(
        registration: RegistrationService, schedules: any ScheduleRepository,
        feedback: any MeetingFeedbackRepository
    ) {
        self.registration = registration
        self.schedules = schedules
        self.feedback = feedback
    }

    private var event: EventDefinition { registration.event }
    private var participants: any ParticipantRepository { registration.repositories.participants }

    /// One of a participant's meetings whose slot has ended, with their answer if they gave one.
    public struct PastMeeting: Sendable, Hashable {
        public var slot: Slot
        public var table: Table?
        public var counterpart: Participant
        public var answer: MeetingFeedback?
    }

    /// The participant's meetings of the published schedule whose slot has ended, in time
    /// order, with their answers; empty while nothing is published. A meeting with someone
    /// erased is left out (nobody can answer about it).
    public func pastMeetings(of participant: Participant) async throws -> [PastMeeting] {
        guard let published = try await schedules.published() else { return [] }
        let now = registration.dependencies.now()
        let slots = Dictionary(event.slots.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let tables = Dictionary(event.tables.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let answers = Dictionary(
            try await feedback.feedback(by: participant.id).map { ($0.counterpart, $0) },
            uniquingKeysWith: { first, _ in first })
        var past: [PastMeeting] = []
        for meeting in try await schedules.meetings(of: participant.id, inVersion: published.info.version) {
            guard let slot = slots[meeting.slot], slot.end <= now, let other = meeting.counterpart(of: participant.id),
                let counterpart = try await participants.find(id: other)
            else { continue }
            past.append(
                PastMeeting(slot: slot, table: tables[meeting.table], counterpart: counterpart, answer: answers[other]))
        }
        return past.sorted { ($0.slot.start, $0.counterpart.name) < ($1.slot.start, $1.counterpart.name) }
    }

    /// Records (or changes) `participant`'s answer about their meeting with `counterpart`.
    ///
    /// - Throws: ``Refusal/registrationNotActive`` for a cancelled or erased registration;
    ///   ``Refusal/notFound`` when the published schedule has no meeting between them;
    ///   ``Refusal/feedbackNotOpen`` before the meeting's slot ended;
    ///   ``Refusal/invalidInput(_:)`` naming the fields to correct.
    @discardableResult
    public func record(_ form: FeedbackForm, about counterpart: ParticipantID, by participant: Participant)
        async throws -> MeetingFeedback
    {
        guard participant.status == .confirmed else { throw Refusal.registrationNotActive }
        guard let published = try await schedules.published(),
            let meeting = try await schedules.meetings(of: participant.id, inVersion: published.info.version)
                .first(where: { $0.counterpart(of: participant.id) == counterpart }),
            let slot = event.slots.first(where: { $0.id == meeting.slot })
        else { throw Refusal.notFound }
        let now = registration.dependencies.now()
        guard slot.end <= now else { throw Refusal.feedbackNotOpen }
        let answer = try Self.validate(form).get()
        let saved = MeetingFeedback(
            author: participant.id, counterpart: counterpart, attendance: answer.attendance,
            usefulness: answer.usefulness, followUp: answer.followUp, comment: answer.comment, recordedAt: now)
        do {
            try await feedback.saveFeedback(saved)
        } catch RepositoryError.participantNotFound {
            // One of the two was erased meanwhile: the meeting is gone with them.
            throw Refusal.notFound
        }
        return saved
    }

    /// The checked values of a form.
    struct CheckedAnswer {
        var attendance: MeetingFeedback.Attendance
        var usefulness: Int?
        var followUp: MeetingFeedback.FollowUpPlan
        var comment: String
    }

    /// The form's values, or the issues of every field to correct.
    static func validate(_ form: FeedbackForm) -> Result<CheckedAnswer, Refusal> {
        var issues: [FieldIssue] = []
        let attendanceText = form.attendance.trimmingCharacters(in: .whitespaces)
        let attendance = MeetingFeedback.Attendance(rawValue: attendanceText)
        if attendanceText.isEmpty {
            issues.append(FieldIssue("attendance", .required))
        } else if attendance == nil {
            issues.append(FieldIssue("attendance", .unknownChoice))
        }
        var usefulness: Int?
        let usefulnessText = form.usefulness.trimmingCharacters(in: .whitespaces)
        // Only a held meeting is rated: a meeting that did not take place has no usefulness.
        if attendance == .held {
            let scale = MeetingFeedback.usefulnessScale
            if usefulnessText.isEmpty {
                issues.append(FieldIssue("usefulness", .required))
            } else if usefulnessText.count > 2 || Int(usefulnessText) == nil {
                issues.append(FieldIssue("usefulness", .notANumber))
            } else if let value = Int(usefulnessText), scale.contains(value) {
                usefulness = value
            } else {
                issues.append(FieldIssue("usefulness", .outOfRange(min: scale.lowerBound, max: scale.upperBound)))
            }
        }
        let followUpText = form.followUp.trimmingCharacters(in: .whitespaces)
        // An empty choice is "none" (spelled out: `.none` on an optional is nil).
        let followUp: MeetingFeedback.FollowUpPlan? =
            followUpText.isEmpty
            ? MeetingFeedback.FollowUpPlan.none : MeetingFeedback.FollowUpPlan(rawValue: followUpText)
        if followUp == nil { issues.append(FieldIssue("followUp", .unknownChoice)) }
        let comment = form.comment.trimmingCharacters(in: .whitespacesAndNewlines)
        if let problem = TextRules.problem(of: comment, max: MeetingFeedback.maximumCommentLength, multiline: true) {
            issues.append(FieldIssue("comment", problem))
        }
        guard issues.isEmpty, let attendance, let followUp else { return .failure(.invalidInput(issues)) }
        return .success(
            CheckedAnswer(attendance: attendance, usefulness: usefulness, followUp: followUp, comment: comment))
    }

    /// Queues the "how did your meetings go?" e-mail for every confirmed participant with a
    /// meeting in the published schedule, in their language; returns how many were queued.
    /// Each participant gets it once, however often organisers send it (the outbox writes
    /// one message per participant for this kind).
    ///
    /// - Throws: ``Refusal/notFound`` while no schedule is published;
    ///   ``Refusal/feedbackNotOpen`` before the day's last meeting ended.
    @discardableResult
    public func sendInvitations(by organiser: String) async throws -> Int {
        guard let published = try await schedules.published() else { throw Refusal.notFound }
        let now = registration.dependencies.now()
        let usedSlots = Set(published.meetings.map(\.slot))
        let lastEnd = event.slots.filter { usedSlots.contains($0.id) }.map(\.end).max()
        guard let lastEnd, lastEnd <= now else { throw Refusal.feedbackNotOpen }
        var meetingCounts: [ParticipantID: Int] = [:]
        for meeting in published.meetings {
            for id in meeting.participants { meetingCounts[id, default: 0] += 1 }
        }
        var notices: [QueuedNotice] = []
        for (id, count) in meetingCounts.sorted(by: { $0.key < $1.key }) {
            guard let participant = try await participants.find(id: id), participant.status == .confirmed else {
                continue
            }
            notices.append(registration.notice(.feedbackInvitation, to: participant.id, detail: String(count), at: now))
        }
        try await registration.repositories.notices.record(
            FollowUp(
                auditEntries: [
                    AuditEntry(
                        time: now, actor: "organiser:\(organiser)", action: "feedback.invite",
                        subject: "schedule-\(published.info.version)", details: "\(notices.count) participants")
                ], notices: notices))
        registration.noticesQueued.notify()
        return notices.count
    }
}
