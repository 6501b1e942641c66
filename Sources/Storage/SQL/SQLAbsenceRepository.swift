import Foundation
import PartneringCore
import SQLKit

/// Participants marked absent on the day, in a SQL database.
struct SQLAbsenceRepository: AbsenceRepository {
    let backend: SQLBackend

    private struct Row: Decodable {
        let participant_id: String
        let marked_at: Double
        let marked_by: String
    }

    func markAbsent(_ absence: Absence, audit: AuditEntry) async throws {
        try await backend.write { sql in
            // Locked so that an erasure cannot slip in between the check and the write.
            try await backend.lockParticipant(absence.participant, sql)
            guard try await ParticipantQueries.find(id: absence.participant, sql) != nil else {
                throw RepositoryError.participantNotFound(absence.participant)
            }
            try await sql.raw(
                """
                INSERT INTO absences (participant_id, marked_at, marked_by) \
                VALUES (\(bind: absence.participant.rawValue), \(bind: absence.markedAt.timeIntervalSince1970), \
                \(bind: absence.markedBy)) \
                ON CONFLICT (participant_id) DO UPDATE SET marked_at = excluded.marked_at, \
                marked_by = excluded.marked_by
                """
            ).run()
            _ = try await SQLAuditLogRepository.insert(audit, into: sql)
        }
    }

    func clearAbsence(of participant: ParticipantID, audit: AuditEntry) async throws -> Bool {
        try await backend.write { sql in
            let removed = try await sql.raw(
                "DELETE FROM absences WHERE participant_id = \(bind: participant.rawValue) RETURNING participant_id"
            ).all()
            guard !removed.isEmpty else { return false }
            _ = try await SQLAuditLogRepository.insert(audit, into: sql)
            return true
        }
    }

    func absences() async throws -> [Absence] {
        try await backend.sql().raw("SELECT * FROM absences ORDER BY marked_at, participant_id")
            .all(decoding: Row.self).map {
                Absence(
                    participant: ParticipantID($0.participant_id),
                    markedAt: Date(timeIntervalSince1970: $0.marked_at), markedBy: $0.marked_by)
            }
    }
}
