import Foundation

/// A schedule to store as a new version.
public struct ScheduleDraft: Sendable, Hashable {
    public var meetings: [Meeting]
    public var objective: Int
    /// A proven bound on the best objective possible, when the scheduler found one.
    public var upperBound: Int?
    /// A short name organisers give the version ("after late registrations").
    public var label: String?
    /// A JSON summary of the run (statistics, solver settings), stored as given.
    public var summaryJSON: String?
    public var createdAt: Date

    public init(
        meetings: [Meeting], objective: Int, upperBound: Int? = nil, label: String? = nil,
        summaryJSON: String? = nil, createdAt: Date
    ) {
        self.meetings = meetings
        self.objective = objective
        self.upperBound = upperBound
        self.label = label
        self.summaryJSON = summaryJSON
        self.createdAt = createdAt
    }
}

/// What describes a stored schedule version, without its meetings.
public struct ScheduleVersionInfo: Sendable, Hashable {
    /// The `expectedPublished` of a first publication: no version is published yet
    /// (versions are numbered from 1).
    public static let noneExpected = 0

    /// 1, 2, 3... in the order versions were stored.
    public var version: Int
    public var objective: Int
    public var upperBound: Int?
    public var label: String?
    public var summaryJSON: String?
    public var meetingCount: Int
    public var createdAt: Date
    /// When the version was published to participants, if it was.
    public var publishedAt: Date?

    public init(
        version: Int, objective: Int, upperBound: Int?, label: String?, summaryJSON: String?,
        meetingCount: Int, createdAt: Date, publishedAt: Date?
    ) {
        self.version = version
        self.objective = objective
        self.upperBound = upperBound
        self.label = label
        self.summaryJSON = summaryJSON
        self.meetingCount = meetingCount
        self.createdAt = createdAt
        self.publishedAt = publishedAt
    }
}

/// A stored schedule version with its meetings (ordered by slot, table).
public struct ScheduleVersion: Sendable, Hashable {
    public var info: ScheduleVersionInfo
    public var meetings: [Meeting]

    public init(info: ScheduleVersionInfo, meetings: [Meeting]) {
        self.info = info
        self.meetings = meetings
    }
}

/// Schedule versions: every scheduler run that organisers keep, and which of them
/// participants see.
public protocol ScheduleRepository: Sendable {
    /// Stores the draft as the next version.
    func save(_ draft: ScheduleDraft) async throws -> ScheduleVersion
    /// Every version, oldest first, without meetings.
    func versions() async throws -> [ScheduleVersionInfo]
    func version(_ number: Int) async throws -> ScheduleVersion?
    /// The most recently stored version.
    func latest() async throws -> ScheduleVersion?
    /// Marks a version published; the most recently published one is what participants see.
    /// `followUp` (the agendas to send) commits in the same transaction: a publication is
    /// recorded with all its e-mails queued, or not at all. With `expectedPublished`, the
    /// publication happens only if that version is still the published one when the
    /// transaction runs (``RepositoryError/publishedVersionChanged(expected:found:)``
    /// otherwise): two organisers re-planning from the same version cannot both publish.
    /// ``ScheduleVersionInfo/noneExpected`` expects that nothing is published yet.
    func publish(_ number: Int, at time: Date, followUp: FollowUp, expectedPublished: Int?) async throws
        -> ScheduleVersionInfo
    /// The version participants see: the one published last.
    func published() async throws -> ScheduleVersion?
    /// The meetings of one participant in a version, in slot order.
    func meetings(of participant: ParticipantID, inVersion number: Int) async throws -> [Meeting]
}

extension Meeting {
    /// The canonical order of meetings in a stored version: by slot, then table.
    public static func scheduleOrder(_ lhs: Meeting, _ rhs: Meeting) -> Bool {
        (lhs.slot, lhs.table, lhs.participants[0]) < (rhs.slot, rhs.table, rhs.participants[0])
    }
}

extension ScheduleRepository {
    /// Marks a version published with nothing else in the transaction.
    public func publish(_ number: Int, at time: Date) async throws -> ScheduleVersionInfo {
        try await publish(number, at: time, followUp: .none, expectedPublished: nil)
    }

    /// Marks a version published with `followUp`, whatever is published now.
    public func publish(_ number: Int, at time: Date, followUp: FollowUp) async throws -> ScheduleVersionInfo {
        try await publish(number, at: time, followUp: followUp, expectedPublished: nil)
    }
}
