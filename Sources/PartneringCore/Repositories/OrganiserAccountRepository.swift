import Foundation

/// An organiser who signs in to the back office.
public struct OrganiserAccount: Sendable, Hashable, Codable {
    public var email: String
    /// The bcrypt hash of the password (`$2b$12$...`).
    public var passwordHash: String
    public var createdAt: Date
    /// When the password was last replaced (`nil`: never since the account was created):
    /// sessions and API tokens signed before then no longer open, including those issued
    /// before sessions were recorded by holder (M0024), which ``SessionRevocationRepository``
    /// cannot name.
    public var passwordChangedAt: Date?

    public init(email: String, passwordHash: String, createdAt: Date, passwordChangedAt: Date? = nil) {
        self.email = email
        self.passwordHash = passwordHash
        self.createdAt = createdAt
        self.passwordChangedAt = passwordChangedAt
    }
}

/// Organiser accounts, in the store so that every server process on it knows the same
/// organisers. Addresses are compared as ``SearchText/emailKey(_:)`` (case and
/// surrounding spaces aside).
public protocol OrganiserAccountRepository: Sendable {
    func find(email: String) async throws -> OrganiserAccount?
    /// Every account, by address.
    func all() async throws -> [OrganiserAccount]
    /// Adds `account`, or returns `false` and changes nothing when an account with its
    /// address exists (two processes adding the same address at once: one wins).
    /// `followUp` (the audit entry) commits with the account, and only with it; so for the
    /// two methods below.
    func add(_ account: OrganiserAccount, followUp: FollowUp) async throws -> Bool
    /// Replaces the password hash of the account of `email`, changed at `time`
    /// (``OrganiserAccount/passwordChangedAt``); `false` when there is none.
    func setPasswordHash(_ hash: String, email: String, at time: Date, followUp: FollowUp) async throws -> Bool
    /// Removes the account of `email`; `false` when there is none.
    func remove(email: String, followUp: FollowUp) async throws -> Bool
}

/// The passcode check-in desks share, kept as a bcrypt hash in the store so that every
/// server process checks the same one.
public protocol DeskPasscodeRepository: Sendable {
    /// The bcrypt hash of the passcode; `nil` until one is set.
    func passcodeHash() async throws -> String?
    /// Replaces the passcode's hash.
    func setPasscodeHash(_ hash: String, at time: Date) async throws
}
