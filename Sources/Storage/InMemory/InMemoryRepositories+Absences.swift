import Foundation
import PartneringCore

extension InMemoryRepositories: AbsenceRepository {
    public func markAbsent(_ absence: Absence, audit: AuditEntry) async throws {
        guard participants[absence.participant] != nil else {
            throw RepositoryError.participantNotFound(absence.participant)
        }
        absences[absence.participant] = absence
        appendEntry(audit)
    }

    public func clearAbsence(of participant: ParticipantID, audit: AuditEntry) async throws -> Bool {
        guard absences.removeValue(forKey: participant) != nil else { return false }
        appendEntry(audit)
        return true
    }

    public func absences() async throws -> [Absence] {
        absences.values.sorted { ($0.markedAt, $0.participant) < ($1.markedAt, $1.participant) }
    }
}
