import Foundation
import PartneringCore
import SQLKit

/// Calendar subscriptions in a SQL database.
struct SQLCalendarFeedRepository: CalendarFeedRepository {
    let backend: SQLBackend

    func feedSecret(of participant: ParticipantID) async throws -> String? {
        try await backend.sql().raw(
            "SELECT secret FROM calendar_feeds WHERE participant_id = \(bind: participant.rawValue)"
        ).first()?.decode(column: "secret", as: String.self)
    }

    func saveFeedSecret(_ secret: String, of participant: ParticipantID, at time: Date) async throws {
        try await backend.sql().raw(
            """
            INSERT INTO calendar_feeds (participant_id, secret, created_at) \
            VALUES (\(bind: participant.rawValue), \(bind: secret), \(bind: time.timeIntervalSince1970)) \
            ON CONFLICT (participant_id) DO UPDATE SET secret = excluded.secret, created_at = excluded.created_at
            """
        ).run()
    }

    func removeFeed(of participant: ParticipantID) async throws -> Bool {
        try await !backend.sql().raw(
            "DELETE FROM calendar_feeds WHERE participant_id = \(bind: participant.rawValue) RETURNING participant_id"
        ).all().isEmpty
    }
}
