import Foundation

/// An organiser's word on the day that a participant will not come (or has left): their
/// remaining meetings go at the next re-plan. Cleared when a late arrival is brought back.
public struct Absence: Sendable, Hashable {
    public var participant: ParticipantID
    public var markedAt: Date
    /// The organiser who marked them absent.
    public var markedBy: String

    public init(participant: ParticipantID, markedAt: Date, markedBy: String) {
        self.participant = participant
        self.markedAt = markedAt
        self.markedBy = markedBy
    }
}

/// The participants marked absent on the day. Erasing a participant removes their mark.
public protocol AbsenceRepository: Sendable {
    /// Marks `absence.participant` absent (an earlier mark is replaced), with `audit` in
    /// the same transaction. Throws ``RepositoryError/participantNotFound(_:)``.
    func markAbsent(_ absence: Absence, audit: AuditEntry) async throws
    /// Removes the participant's mark with `audit` in the same transaction; `false` (and
    /// nothing recorded) when they were not marked.
    func clearAbsence(of participant: ParticipantID, audit: AuditEntry) async throws -> Bool
    /// Every mark, oldest first.
    func absences() async throws -> [Absence]
}
