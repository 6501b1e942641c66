import Foundation
import PartneringCore

/// Private calendar subscription addresses (`/calendar/<participant>/<token>.ics`) that
/// calendar apps poll; the tokens are ``PrivateAddressTokens``: unguessable, checked in
/// constant time, revoked by forgetting the secret and replaced by drawing a new one.
public struct CalendarSubscriptions: Sendable {
    public let repository: any CalendarFeedRepository
    /// Who the subscriptions are of: a feed answers only while its participant is registered.
    public let participants: any ParticipantRepository
    public let signer: TokenSigner
    public let dependencies: ServiceDependencies

    public init(
        repository: any CalendarFeedRepository, participants: any ParticipantRepository, signer: TokenSigner,
        dependencies: ServiceDependencies
    ) {
        self.repository = repository
        self.participants = participants
        self.signer = signer
        self.dependencies = dependencies
    }

    /// The path of the participant's subscription, or `nil` when they have none.
    public func path(of participant: ParticipantID) async throws -> String? {
        guard let secret = try await repository.feedSecret(of: participant) else { return nil }
        return Self.path(participant: participant, token: token(participant, secret: secret))
    }

    /// Creates the participant's subscription, or replaces it (the old address stops
    /// working); returns the new path.
    @discardableResult
    public func renew(for participant: ParticipantID) async throws -> String {
        let secret = dependencies.randomHex(bytes: 16)
        try await repository.saveFeedSecret(secret, of: participant, at: dependencies.now())
        return Self.path(participant: participant, token: token(participant, secret: secret))
    }

    /// Ends the participant's subscription: its address answers 404 from now on.
    public func revoke(for participant: ParticipantID) async throws {
        _ = try await repository.removeFeed(of: participant)
    }

    /// Whether `token` is the current token of `participant`'s subscription.
    public func check(participant: ParticipantID, token: String) async throws -> Bool {
        guard token.utf8.count <= 64 else { return false }
        return tokens.matches(
            token, subject: participant.rawValue, secret: try await repository.feedSecret(of: participant))
    }

    /// The participant whose feed `file` (`<token>.ics`, the last part of the path) is:
    /// `nil` when it is not their current token or they are no longer registered (cancelled,
    /// rejected, erased), so that such an address answers like an unknown one.
    public func subscriber(_ participant: ParticipantID, file: String) async throws -> Participant? {
        guard file.hasSuffix(".ics"), try await check(participant: participant, token: String(file.dropLast(4))),
            let found = try await participants.find(id: participant), found.status.isActive
        else { return nil }
        return found
    }

    private var tokens: PrivateAddressTokens { PrivateAddressTokens(purpose: "calendar-feed", signer: signer) }

    private func token(_ participant: ParticipantID, secret: String) -> String {
        tokens.token(subject: participant.rawValue, secret: secret)
    }

    private static func path(participant: ParticipantID, token: String) -> String {
        "/calendar/\(participant.rawValue)/\(token).ics"
    }
}
