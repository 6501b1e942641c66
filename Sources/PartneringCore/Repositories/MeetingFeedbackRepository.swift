import Foundation

/// What one participant says about one of their meetings once its slot has ended. A
/// meeting is known by its two participants (a published schedule has at most one meeting
/// per pair, and its calendar UID is derived from the pair), so an answer is keyed by its
/// author and the counterpart: one answer per participant per meeting, changeable.
public struct MeetingFeedback: Sendable, Hashable {
    /// Whether the meeting took place.
    public enum Attendance: String, Sendable, CaseIterable, Codable {
        case held
        /// The author came; the other participant did not.
        case counterpartAbsent = "counterpart-absent"
        /// Called off (by either side, or by the organisers).
        case cancelled
    }

    /// What the author plans after the meeting.
    public enum FollowUpPlan: String, Sendable, CaseIterable, Codable {
        case none
        case call
        case nda
        case materialTransfer = "material-transfer"
        case collaboration
        case other
    }

    /// Who answers.
    public var author: ParticipantID
    /// The other participant of the meeting.
    public var counterpart: ParticipantID
    public var attendance: Attendance
    /// How useful the meeting was, 1 (not at all) to 5 (very); only for held meetings.
    public var usefulness: Int?
    public var followUp: FollowUpPlan
    /// A short free text (at most ``MeetingFeedback/maximumCommentLength`` characters).
    public var comment: String
    /// When the answer was last saved.
    public var recordedAt: Date

    /// The longest comment accepted.
    public static let maximumCommentLength = 500
    /// The usefulness scale.
    public static let usefulnessScale = 1...5

    public init(
        author: ParticipantID, counterpart: ParticipantID, attendance: Attendance, usefulness: Int?,
        followUp: FollowUpPlan, comment: String, recordedAt: Date
    ) {
        self.author = author
        self.counterpart = counterpart
        self.attendance = attendance
        self.usefulness = usefulness
        self.followUp = followUp
        self.comment = comment
        self.recordedAt = recordedAt
    }
}

/// Participants' answers about their meetings. Erasing a participant removes the answers
/// they gave and those about meetings with them (see ``ParticipantRepository/delete(id:)``).
public protocol MeetingFeedbackRepository: Sendable {
    /// Stores `feedback`, replacing the author's earlier answer about the same meeting.
    func saveFeedback(_ feedback: MeetingFeedback) async throws
    /// The answers `author` gave, by counterpart.
    func feedback(by author: ParticipantID) async throws -> [MeetingFeedback]
    /// Every answer, by author then counterpart (the event report).
    func allFeedback() async throws -> [MeetingFeedback]
}
