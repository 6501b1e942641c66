import Foundation
import PartneringCore

extension InMemoryRepositories: MeetingFeedbackRepository {
    public func saveFeedback(_ feedback: MeetingFeedback) async throws {
        guard participants[feedback.author] != nil else { throw RepositoryError.participantNotFound(feedback.author) }
        guard participants[feedback.counterpart] != nil else {
            throw RepositoryError.participantNotFound(feedback.counterpart)
        }
        meetingFeedback[FeedbackKey(author: feedback.author, counterpart: feedback.counterpart)] = feedback
    }

    public func feedback(by author: ParticipantID) async throws -> [MeetingFeedback] {
        meetingFeedback.values.filter { $0.author == author }.sorted { $0.counterpart < $1.counterpart }
    }

    public func allFeedback() async throws -> [MeetingFeedback] {
        meetingFeedback.values.sorted { ($0.author, $0.counterpart) < ($1.author, $1.counterpart) }
    }
}
