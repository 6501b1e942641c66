import Foundation
import PartneringCore

/// Every repository kept in memory, for unit tests and throw-away runs.
///
/// Being an actor, each operation runs alone, which makes the registration
/// operations trivially atomic; the semantics match the SQL implementation, and
/// the shared repository test suite checks that they do.
public actor InMemoryRepositories {
    struct StoredParticipant {
        var participant: Participant
        /// Order of joining the waiting list; kept after promotion for traceability.
        var waitlistRank: Int?
    }

    var participants: [ParticipantID: StoredParticipant] = [:]
    var lastParticipantNumber = 0
    var requests: [RequestID: MeetingRequest] = [:]
    var requestOrder: [RequestID] = []
    var schedules: [ScheduleVersion] = []
    var auditEntries: [AuditEntry] = []
    var idempotency: [IdempotencyScopedKey: IdempotencyEntry] = [:]
    var tickets: [TicketID: IssuedTicket] = [:]
    var arrivals: [ParticipantID: CheckIn] = [:]
    var arrivalOrder: [ParticipantID] = []
    var scanNonces: Set<String> = []
    var revokedSessions: [String: Date] = [:]
    var issuedSessions: [String: (holder: String, expiresAt: Date)] = [:]
    var calendarFeeds: [ParticipantID: String] = [:]
    var signageBoards: [SignageBoard] = []
    var meetingFeedback: [FeedbackKey: MeetingFeedback] = [:]
    var absences: [ParticipantID: Absence] = [:]
    /// Queued notices by id, with their place in the queue and the end of their lease
    /// (`distantPast` until claimed).
    var noticeQueue: [String: (notice: QueuedNotice, sequence: Int, leaseUntil: Date)] = [:]
    var lastNoticeSequence = 0
    var signInAttempts: [String: [Date]] = [:]
    /// Scheduler runs in the order they were queued.
    var schedulingRuns: [SchedulingRun] = []
    /// Organiser accounts by ``SearchText/emailKey(_:)``.
    var organiserAccounts: [String: OrganiserAccount] = [:]
    var deskPasscodeHash: String?

    /// A meeting answer's key: its author and the other participant.
    struct FeedbackKey: Hashable {
        var author: ParticipantID
        var counterpart: ParticipantID
    }

    struct IdempotencyScopedKey: Hashable {
        var scope: String
        var key: String
    }

    struct IdempotencyEntry {
        var fingerprint: String
        var response: String?
        var entityID: String?
        var createdAt: Date
    }

    public init() {}
}
