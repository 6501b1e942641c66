import Foundation
import PartneringCore

extension InMemoryRepositories: CalendarFeedRepository {
    public func feedSecret(of participant: ParticipantID) async throws -> String? { calendarFeeds[participant] }

    public func saveFeedSecret(_ secret: String, of participant: ParticipantID, at time: Date) async throws {
        calendarFeeds[participant] = secret
    }

    public func removeFeed(of participant: ParticipantID) async throws -> Bool {
        calendarFeeds.removeValue(forKey: participant) != nil
    }
}
