import PartneringCore

/// The tokens of private addresses that need no sign-in (a calendar subscription, a hall
/// board): derived from a random secret kept in the store and the service's own key, so
/// the store alone does not reveal the addresses. Forgetting the secret revokes the
/// address; drawing a new one replaces it.
public struct PrivateAddressTokens: Sendable {
    /// What the addresses are for (`calendar-feed`, `signage-board`): a token of one kind
    /// never opens an address of another.
    public let purpose: String
    public let signer: TokenSigner

    public init(purpose: String, signer: TokenSigner) {
        self.purpose = purpose
        self.signer = signer
    }

    /// The token of `subject`'s address while its secret is `secret`.
    public func token(subject: String, secret: String) -> String {
        Base64URL.encode(signer.derive("\(purpose):\(subject):\(secret)", count: 16))
    }

    /// Whether `token` is the current token of `subject` (compared in constant time);
    /// false when there is no secret.
    public func matches(_ token: String, subject: String, secret: String?) -> Bool {
        guard token.utf8.count <= 64, let given = Base64URL.decode(token), let secret,
            let expected = Base64URL.decode(self.token(subject: subject, secret: secret))
        else { return false }
        return HMACSHA256.constantTimeEqual(given, expected)
    }
}
