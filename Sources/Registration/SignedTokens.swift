import Foundation
import PartneringCore

/// What a signed token is for; a token of one purpose is never accepted for another.
public enum TokenPurpose: String, Sendable, CaseIterable {
    /// The magic link mailed to an attendee.
    case access
    /// An attendee's session (cookie or API bearer token).
    case attendeeSession = "session"
    /// An organiser's session cookie.
    case organiserSession = "organiser"
    /// An organiser's API bearer token.
    case organiserAPI = "organiser-api"
    /// A check-in desk's session (cookie or API bearer token).
    case deskSession = "desk"

    /// How long a token of this purpose stays valid.
    public var lifetime: TimeInterval {
        switch self {
        case .access: 72 * 3600
        case .attendeeSession: 30 * 24 * 3600
        case .organiserSession: 12 * 3600
        case .organiserAPI: 12 * 3600
        case .deskSession: 16 * 3600
        }
    }
}

/// A token's verified content.
public struct VerifiedToken: Sendable, Hashable {
    public var purpose: TokenPurpose
    /// Whom the token speaks for: a participant id or an organiser's e-mail address.
    public var subject: String
    public var expiresAt: Date
    /// The token's random part, unique per token (a link id, a CSRF seed).
    public var nonce: String
}

/// Signs and checks the product's bearer tokens (magic links, sessions, API tokens)
/// with HMAC-SHA256 and one secret, kept in the key folder (`link-secret`).
///
/// A token reads `v1.<payload>.<tag>`, both parts Base64url: the payload is
/// `purpose \n subject \n expiry (Unix seconds) \n nonce`, the tag its HMAC. Tokens
/// are stateless: any server process that has the secret accepts them, which is
/// what two `serve` processes sharing one database need.
public struct TokenSigner: Sendable {
    private let secret: [UInt8]
    private let dependencies: ServiceDependencies

    /// - Parameter secret: at least 32 random bytes.
    public init(secret: [UInt8], dependencies: ServiceDependencies) {
        self.secret = secret
        self.dependencies = dependencies
    }

    /// A new token for `subject`, valid for the purpose's lifetime (or `lifetime`).
    public func sign(_ purpose: TokenPurpose, subject: String, lifetime: TimeInterval? = nil) -> (
        token: String, expiresAt: Date
    ) {
        let expiry = dependencies.now().addingTimeInterval(lifetime ?? purpose.lifetime)
        let nonce = dependencies.randomHex(bytes: 8)
        let payload = [purpose.rawValue, subject, String(Int(expiry.timeIntervalSince1970)), nonce]
            .joined(separator: "\n")
        let bytes = Array(payload.utf8)
        let token =
            "v1." + Base64URL.encode(bytes) + "." + Base64URL.encode(HMACSHA256.mac(key: secret, message: bytes))
        return (token, Date(timeIntervalSince1970: TimeInterval(Int(expiry.timeIntervalSince1970))))
    }

    /// A new session token of `purpose` for `subject`, recorded in `sessions` as one of
    /// `holder`'s, so that changing the holder's credential ends it on every process
    /// (``SessionRevocationRepository/revokeSessions(of:)``).
    public func signSession(
        _ purpose: TokenPurpose, subject: String, holder: String, recordedIn sessions: any SessionRevocationRepository
    ) async throws -> (token: String, expiresAt: Date) {
        let signed = sign(purpose, subject: subject)
        let nonce = try verify(signed.token, for: purpose).nonce
        try await sessions.recordSession(tokenID: nonce, holder: holder, expiresAt: signed.expiresAt)
        return signed
    }

    /// Checks `token` for `purpose`: ``Refusal/accessLinkInvalid`` when it is not ours
    /// (or of another purpose), ``Refusal/accessLinkExpired`` when its time is over.
    public func verify(_ token: String, for purpose: TokenPurpose) throws(Refusal) -> VerifiedToken {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "v1", let payload = Base64URL.decode(parts[1]),
            let tag = Base64URL.decode(parts[2]),
            HMACSHA256.constantTimeEqual(tag, HMACSHA256.mac(key: secret, message: payload)),
            let text = String(bytes: payload, encoding: .utf8)
        else { throw .accessLinkInvalid }
        let fields = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard fields.count == 4, fields[0] == purpose.rawValue, let expiry = Int(fields[2]) else {
            throw .accessLinkInvalid
        }
        let expiresAt = Date(timeIntervalSince1970: TimeInterval(expiry))
        guard dependencies.now() < expiresAt else { throw .accessLinkExpired }
        return VerifiedToken(purpose: purpose, subject: fields[1], expiresAt: expiresAt, nonce: fields[3])
    }

    /// The anti-forgery token of a browser: the MAC of its random `seed` (kept in a cookie).
    /// Forms carry it in a hidden field; a forged cross-site form cannot know it.
    public func csrfToken(seed: String) -> String {
        Base64URL.encode(HMACSHA256.mac(key: secret, message: Array(("csrf\n" + seed).utf8)))
    }

    /// Whether `token` is the anti-forgery token of `seed`.
    public func checkCSRF(token: String, seed: String) -> Bool {
        guard !seed.isEmpty, let given = Base64URL.decode(token) else { return false }
        return HMACSHA256.constantTimeEqual(given, HMACSHA256.mac(key: secret, message: Array(("csrf\n" + seed).utf8)))
    }

    /// A stable 12-byte value derived from `label`: ticket ids are derived this way from
    /// the participant id, so that a ticket can be revoked without storing its id.
    public func derive(_ label: String, count: Int) -> [UInt8] {
        Array(HMACSHA256.mac(key: secret, message: Array(("derive\n" + label).utf8)).prefix(count))
    }

    /// A digest of `text` (for idempotency fingerprints), not secret.
    public static func fingerprint(_ text: String) -> String {
        HexDigits.encode(HMACSHA256.mac(key: Array("partnering-fingerprint".utf8), message: Array(text.utf8)))
    }
}
