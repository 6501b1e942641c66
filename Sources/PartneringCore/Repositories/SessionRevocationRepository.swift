import Foundation

/// Signed-out sessions. Session tokens are signed and carry their own expiry, so any server
/// process accepts them without a look-up; signing out records the token's id here until
/// it would have expired, so that the token stops working everywhere at once.
///
/// Sessions opened with a credential that can change (an organiser's password, the desks'
/// passcode) are also recorded by holder when issued, so that changing the credential ends
/// them all at once on every process (``revokeSessions(of:)``).
public protocol SessionRevocationRepository: Sendable {
    /// Records that the token `tokenID` no longer opens a session; kept until `expiresAt`.
    /// Recording the same token twice changes nothing.
    func revoke(tokenID: String, expiresAt: Date) async throws
    /// Whether the token `tokenID` was signed out.
    func isRevoked(tokenID: String) async throws -> Bool
    /// Forgets revocations and issued sessions of tokens expired before `time`; returns how
    /// many revocations were removed.
    func purgeRevocations(expiredBefore time: Date) async throws -> Int
    /// Remembers that the session token `tokenID`, valid until `expiresAt`, belongs to `holder`
    /// (an organiser account, the desks).
    func recordSession(tokenID: String, holder: String, expiresAt: Date) async throws
    /// Revokes every session recorded for `holder` and returns how many were still open.
    func revokeSessions(of holder: String) async throws -> Int
}
