import Foundation
import HummingbirdBcrypt
import PartneringCore

/// An organiser who signs in to the back office.
public struct OrganiserAccount: Sendable, Hashable, Codable {
    public var email: String
    /// The bcrypt hash of the password (`$2b$12$...`).
    public var passwordHash: String
    public var createdAt: Date

    public init(email: String, passwordHash: String, createdAt: Date) {
        self.email = email
        self.passwordHash = passwordHash
        self.createdAt = createdAt
    }
}

/// Where organiser accounts live. The server keeps them in a file of the key folder
/// (`organisers.json`, bcrypt hashes only); tests keep them in memory.
public protocol OrganiserAccountStore: Sendable {
    func find(email: String) async throws -> OrganiserAccount?
    func save(_ account: OrganiserAccount) async throws
    func all() async throws -> [OrganiserAccount]
}

/// Organiser accounts in memory.
public actor InMemoryOrganiserAccounts: OrganiserAccountStore {
    private var accounts: [String: OrganiserAccount] = [:]

    public init() {}

    public func find(email: String) async throws -> OrganiserAccount? { accounts[SearchText.emailKey(email)] }
    public func save(_ account: OrganiserAccount) async throws {
        accounts[SearchText.emailKey(account.email)] = account
    }
    public func all() async throws -> [OrganiserAccount] { accounts.values.sorted { $0.email < $1.email } }
}

/// Password hashing with bcrypt; the cost is a parameter so that tests stay fast.
public struct PasswordHasher: Sendable {
    public var cost: UInt8

    public init(cost: UInt8 = 12) { self.cost = cost }

    public func hash(_ password: String) -> String { Bcrypt.hash(password, cost: cost) }
    public func verify(_ password: String, hash: String) -> Bool { Bcrypt.verify(password, hash: hash) }
}

/// Counts failed sign-ins per key (an address, a client) and refuses more than
/// `limit` within `window`: the login rate limit.
public actor LoginThrottle {
    private let limit: Int
    private let window: TimeInterval
    private var failures: [String: [Date]] = [:]

    public init(limit: Int = 5, window: TimeInterval = 15 * 60) {
        self.limit = limit
        self.window = window
    }

    /// Throws ``Refusal/tooManyAttempts(retryAfterSeconds:)`` when `key` is blocked at `now`.
    public func check(_ key: String, now: Date) throws(Refusal) {
        let recent = (failures[key] ?? []).filter { now.timeIntervalSince($0) < window }
        failures[key] = recent
        if recent.count >= limit, let oldest = recent.first {
            throw .tooManyAttempts(retryAfterSeconds: Int((window - now.timeIntervalSince(oldest)).rounded(.up)))
        }
    }

    public func recordFailure(_ key: String, now: Date) { failures[key, default: []].append(now) }
    public func recordSuccess(_ key: String) { failures[key] = nil }
}
