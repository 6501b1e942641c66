import Foundation
import HummingbirdBcrypt
import PartneringCore
import ThreadSupport

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
///
/// bcrypt is long CPU work (about 0.25 s at cost 12): it runs on a thread of its own, never on
/// the cooperative pool where it would stall every other request (`/health` among them).
public struct PasswordHasher: Sendable {
    public var cost: UInt8
    /// Checked when no account matches, so that an unknown address costs the same time
    /// as a wrong password (no enumeration of accounts by response time).
    private let dummyHash: String

    public init(cost: UInt8 = 12) {
        self.cost = cost
        dummyHash = Bcrypt.hash(UUID().uuidString, cost: cost)
    }

    public func hash(_ password: String) async -> String {
        let cost = cost
        return await PasswordHashingThread.run { Bcrypt.hash(password, cost: cost) }
    }

    /// Whether `password` matches `hash`; with no hash (an unknown account) the same work
    /// is done against a dummy hash and the answer is `false`.
    public func verify(_ password: String, hash: String?) async -> Bool {
        let checked = hash ?? dummyHash
        let matches = await PasswordHashingThread.run { Bcrypt.verify(password, hash: checked) }
        return matches && hash != nil
    }
}

/// What a sign-in attempt is counted against, each with its own limit per `window`.
public struct ThrottleKey: Sendable, Hashable {
    public var name: String
    public var limit: Int

    public init(_ name: String, limit: Int) {
        self.name = name
        self.limit = limit
    }
}

/// Counts sign-in attempts per key and refuses one when any of its keys is at its limit
/// within `window`: the login rate limit.
///
/// The check and the record are one step (``begin(_:now:)`` counts the attempt as failed
/// before the password is checked, ``succeeded(_:)`` forgets it), so concurrent guesses
/// cannot slip between a check and a record: 40 at once get exactly `limit` tries. Kept in
/// the store (`SignInAttemptRepository`), every server process on it shares the counts.
/// Keys are chosen so that strangers cannot lock someone out cheaply: the tight limit is
/// per account *and* client; an account's limit over all clients is much higher.
public struct LoginThrottle: Sendable {
    private let attempts: any SignInAttemptRepository
    private let window: TimeInterval

    /// A throttle over `attempts` (the store's, to share counts between processes).
    public init(attempts: any SignInAttemptRepository, window: TimeInterval = 15 * 60) {
        self.attempts = attempts
        self.window = window
    }

    /// Records an attempt against every key, or throws ``Refusal/tooManyAttempts(retryAfterSeconds:)``
    /// (recording nothing) when one of them is at its limit at `now`.
    public func begin(_ keys: [ThrottleKey], now: Date) async throws {
        let limits = Dictionary(keys.map { ($0.name, $0.limit) }, uniquingKeysWith: min)
        if let seconds = try await attempts.recordAttempt(limits: limits, window: window, now: now) {
            throw Refusal.tooManyAttempts(retryAfterSeconds: seconds)
        }
    }

    /// Forgets the attempts of `keys` after a successful sign-in.
    public func succeeded(_ keys: [ThrottleKey]) async throws {
        try await attempts.clearAttempts(keys: keys.map(\.name))
    }
}
