import Foundation
import HummingbirdBcrypt
import PartneringCore
import Synchronization
import ThreadSupport

/// The organiser accounts and their rules, over the store's ``OrganiserAccountRepository``:
/// what `partnering organiser add|list|reset-password|remove` and the first start do. Every
/// change lands in the audit log; passwords are hashed with bcrypt off the cooperative pool.
/// A new password or a removal ends the account's open sessions and API tokens at once, on
/// every process on the store.
public struct OrganiserAccounts: Sendable {
    public let repository: any OrganiserAccountRepository
    public let hasher: PasswordHasher
    private let sessions: any SessionRevocationRepository
    private let clock: @Sendable () -> Date

    /// The shortest password accepted (the first account's configured password too).
    public static let minimumPasswordLength = 12

    public init(
        repository: any OrganiserAccountRepository, hasher: PasswordHasher,
        sessions: any SessionRevocationRepository, clock: @escaping @Sendable () -> Date
    ) {
        self.repository = repository
        self.hasher = hasher
        self.sessions = sessions
        self.clock = clock
    }

    /// Why an account cannot be added, changed or removed; the description is the message.
    public enum AccountError: Error, Equatable, CustomStringConvertible, Sendable {
        case invalidEmail(String)
        case duplicate(String)
        case unknown(String)
        case weakPassword(minimum: Int)
        case lastAccount(String)

        public var description: String {
            switch self {
            case .invalidEmail(let email): "\"\(email)\" is not an e-mail address"
            case .duplicate(let email): "an organiser account \(email) already exists (reset its password instead)"
            case .unknown(let email): "there is no organiser account \(email)"
            case .weakPassword(let minimum): "a password has at least \(minimum) characters"
            case .lastAccount(let email):
                "\(email) is the only organiser account: add another one before removing it"
            }
        }
    }

    /// Every account, by address.
    public func list() async throws -> [OrganiserAccount] { try await repository.all() }

    /// Creates the account of `email` with `password`, on behalf of `actor` (for the audit log).
    public func add(email: String, password: String, by actor: String) async throws {
        let address = email.trimmingCharacters(in: .whitespacesAndNewlines)
        guard Self.looksLikeEmail(address) else { throw AccountError.invalidEmail(address) }
        try Self.checkStrength(password)
        // Checked first so that a duplicate costs no bcrypt; `add` still decides a race.
        guard try await repository.find(email: address) == nil else { throw AccountError.duplicate(address) }
        let account = OrganiserAccount(email: address, passwordHash: await hasher.hash(password), createdAt: clock())
        guard try await repository.add(account, followUp: audit("organiser.create", address, by: actor)) else {
            throw AccountError.duplicate(address)
        }
    }

    /// Gives the account of `email` a new password and ends its open sessions and API tokens;
    /// returns how many were open.
    @discardableResult
    public func resetPassword(email: String, password: String, by actor: String) async throws -> Int {
        try Self.checkStrength(password)
        guard let account = try await repository.find(email: email) else { throw AccountError.unknown(email) }
        guard
            try await repository.setPasswordHash(
                await hasher.hash(password), email: account.email, at: clock(),
                followUp: audit("organiser.reset_password", account.email, by: actor))
        else {
            throw AccountError.unknown(email)
        }
        return try await sessions.revokeSessions(of: Self.sessionHolder(account.email))
    }

    /// Removes the account of `email` and ends its open sessions and API tokens (so that an
    /// account added again later under the address does not revive them); returns how many
    /// were open. The last account cannot go: nobody could sign in to add one.
    @discardableResult
    public func remove(email: String, by actor: String) async throws -> Int {
        let accounts = try await repository.all()
        guard let account = accounts.first(where: { SearchText.emailKey($0.email) == SearchText.emailKey(email) })
        else { throw AccountError.unknown(email) }
        guard accounts.count > 1 else { throw AccountError.lastAccount(account.email) }
        guard
            try await repository.remove(
                email: account.email, followUp: audit("organiser.remove", account.email, by: actor))
        else { throw AccountError.unknown(email) }
        return try await sessions.revokeSessions(of: Self.sessionHolder(account.email))
    }

    /// Whose sessions an account's are in ``SessionRevocationRepository``: one holder per
    /// account, whatever the case of the address signed in with.
    public static func sessionHolder(_ email: String) -> String { "organiser:" + SearchText.emailKey(email) }

    /// Creates the first organiser account when `email` has none (the first start). With
    /// `password` nil a one-time password is generated from `randomBytes` and returned (to print
    /// once); with a password given, nothing is returned, and an existing account whose
    /// password differs gets it (the configured password wins). Two processes starting at once
    /// create one account.
    public func bootstrap(email: String, password: String?, randomBytes: [UInt8]) async throws -> String? {
        if let existing = try await repository.find(email: email) {
            if let password, await !hasher.verify(password, hash: existing.passwordHash) {
                _ = try await repository.setPasswordHash(
                    await hasher.hash(password), email: existing.email, at: clock(), followUp: .none)
                _ = try await sessions.revokeSessions(of: Self.sessionHolder(existing.email))
            }
            return nil
        }
        let chosen = password ?? Self.readablePassword(randomBytes)
        let account = OrganiserAccount(email: email, passwordHash: await hasher.hash(chosen), createdAt: clock())
        guard try await repository.add(account, followUp: audit("organiser.create", email, by: "system")) else {
            return nil
        }
        return password == nil ? chosen : nil
    }

    /// Adds the accounts of a former `organisers.json` (hashes kept as they are) that the store
    /// does not have yet, and returns how many were added.
    public func importAccounts(_ accounts: [OrganiserAccount]) async throws -> Int {
        var added = 0
        for account in accounts
        where try await repository.add(account, followUp: audit("organiser.import", account.email, by: "system")) {
            added += 1
        }
        return added
    }

    /// Groups of letters and digits without look-alikes (no 0/O, 1/l).
    static func readablePassword(_ bytes: [UInt8]) -> String {
        let alphabet = Array("abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789")
        let characters = bytes.map { alphabet[Int($0) % alphabet.count] }
        return stride(from: 0, to: characters.count, by: 5).map {
            String(characters[$0..<min($0 + 5, characters.count)])
        }
        .joined(separator: "-")
    }

    private static func checkStrength(_ password: String) throws {
        guard password.count >= minimumPasswordLength else {
            throw AccountError.weakPassword(minimum: minimumPasswordLength)
        }
    }

    /// One `@`, something on both sides, no spaces: the address is only ever compared, never mailed.
    private static func looksLikeEmail(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".") && text.count <= 254
            && !text.contains(where: { $0.isWhitespace || $0.isNewline })
    }

    /// The audit entry of an account change, to commit with it.
    private func audit(_ action: String, _ email: String, by actor: String) -> FollowUp {
        FollowUp(auditEntries: [AuditEntry(time: clock(), actor: actor, action: action, subject: email)])
    }
}

/// Password hashing with bcrypt; the cost is a parameter so that tests stay fast.
///
/// bcrypt is long CPU work (about 0.25 s at cost 12): it runs on a thread of its own, never on
/// the cooperative pool where it would stall every other request (`/health` among them).
/// Creating a hasher does no bcrypt work.
public struct PasswordHasher: Sendable {
    public var cost: UInt8

    /// The hashes checked when no account matches, by cost, so that an unknown address costs the
    /// same time as a wrong password (no enumeration of accounts by response time). Each is made
    /// on the password-hashing thread the first time it is needed (that first refusal does two
    /// bcrypt runs), and shared by every hasher of the process.
    static let dummyHashes = Mutex<[UInt8: String]>([:])

    public init(cost: UInt8 = 12) {
        self.cost = cost
    }

    public func hash(_ password: String) async -> String {
        let cost = cost
        return await PasswordHashingThread.run { Bcrypt.hash(password, cost: cost) }
    }

    /// Whether `password` matches `hash`; with no hash (an unknown account) the same work
    /// is done against a dummy hash and the answer is `false`.
    public func verify(_ password: String, hash: String?) async -> Bool {
        let cost = cost
        let matches = await PasswordHashingThread.run {
            Bcrypt.verify(password, hash: hash ?? Self.dummyHash(cost: cost))
        }
        return matches && hash != nil
    }

    /// The dummy hash of `cost`, made at the first call. Called on the password-hashing
    /// thread only: being one thread, it makes each at most once.
    private static func dummyHash(cost: UInt8) -> String {
        if let made = dummyHashes.withLock({ $0[cost] }) { return made }
        let made = Bcrypt.hash(UUID().uuidString, cost: cost)
        dummyHashes.withLock { $0[cost] = made }
        return made
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
