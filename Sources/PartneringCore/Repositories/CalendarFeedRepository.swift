import Foundation

/// The private calendar subscriptions of participants: one per participant at most.
/// What is stored is a random secret from which the service derives the address's token
/// with its own key, so the store alone does not reveal the addresses; removing the row
/// revokes the address, replacing the secret gives a new one.
public protocol CalendarFeedRepository: Sendable {
    /// The participant's current secret, if they have a subscription.
    func feedSecret(of participant: ParticipantID) async throws -> String?
    /// Sets (or replaces) the participant's secret.
    func saveFeedSecret(_ secret: String, of participant: ParticipantID, at time: Date) async throws
    /// Removes the participant's subscription; returns whether there was one.
    func removeFeed(of participant: ParticipantID) async throws -> Bool
}
