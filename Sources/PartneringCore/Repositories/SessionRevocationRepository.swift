import Foundation

/// Signed-out sessions. Session tokens are signed and carry their own expiry, so any server
/// process accepts them without a look-up; signing out records the token's id here until
/// it would have expired, so that the token stops working everywhere at once.
public protocol SessionRevocationRepository: Sendable {
    /// Records that the token `tokenID` no longer opens a session; kept until `expiresAt`.
    /// Recording the same token twice changes nothing.
    func revoke(tokenID: String, expiresAt: Date) async throws
    /// Whether the token `tokenID` was signed out.
    func isRevoked(tokenID: String) async throws -> Bool
    /// Forgets revocations of tokens expired before `time`; returns how many were removed.
    func purgeRevocations(expiredBefore time: Date) async throws -> Int
}
