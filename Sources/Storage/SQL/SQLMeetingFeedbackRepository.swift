import Foundation
import PartneringCore
import SQLKit

/// Participants' answers about their meetings in a SQL database.
struct SQLMeetingFeedbackRepository: MeetingFeedbackRepository {
    let backend: SQLBackend

    private struct Row: Decodable {
        let author_id: String
        let counterpart_id: String
        let attendance: String
        let usefulness: Int?
        let follow_up: String
        let comment: String
        let recorded_at: Double

        /// `nil` for a value this version does not know (a row written by a newer one).
        var feedback: MeetingFeedback? {
            guard let attendance = MeetingFeedback.Attendance(rawValue: attendance),
                let followUp = MeetingFeedback.FollowUpPlan(rawValue: follow_up)
            else { return nil }
            return MeetingFeedback(
                author: ParticipantID(author_id), counterpart: ParticipantID(counterpart_id), attendance: attendance,
                usefulness: usefulness, followUp: followUp, comment: comment,
                recordedAt: Date(timeIntervalSince1970: recorded_at))
        }
    }

    func saveFeedback(_ feedback: MeetingFeedback) async throws {
        try await backend.write { sql in
            // Both rows locked (in a fixed order) so that an erasure cannot slip in between
            // the check and the write and leave an answer about someone erased.
            for id in [feedback.author, feedback.counterpart].sorted() {
                try await backend.lockParticipant(id, sql)
                guard try await ParticipantQueries.find(id: id, sql) != nil else {
                    throw RepositoryError.participantNotFound(id)
                }
            }
            try await sql.raw(
                """
                INSERT INTO meeting_feedback \
                (author_id, counterpart_id, attendance, usefulness, follow_up, comment, recorded_at) \
                VALUES (\(bind: feedback.author.rawValue), \(bind: feedback.counterpart.rawValue), \
                \(bind: feedback.attendance.rawValue), \(bind: feedback.usefulness), \
                \(bind: feedback.followUp.rawValue), \(bind: feedback.comment), \
                \(bind: feedback.recordedAt.timeIntervalSince1970)) \
                ON CONFLICT (author_id, counterpart_id) DO UPDATE SET attendance = excluded.attendance, \
                usefulness = excluded.usefulness, follow_up = excluded.follow_up, comment = excluded.comment, \
                recorded_at = excluded.recorded_at
                """
            ).run()
        }
    }

    func feedback(by author: ParticipantID) async throws -> [MeetingFeedback] {
        try await backend.sql().raw(
            "SELECT * FROM meeting_feedback WHERE author_id = \(bind: author.rawValue) ORDER BY counterpart_id"
        ).all(decoding: Row.self).compactMap(\.feedback)
    }

    func allFeedback() async throws -> [MeetingFeedback] {
        try await backend.sql().raw("SELECT * FROM meeting_feedback ORDER BY author_id, counterpart_id")
            .all(decoding: Row.self).compactMap(\.feedback)
    }
}
