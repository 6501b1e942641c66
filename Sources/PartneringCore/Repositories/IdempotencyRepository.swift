import Foundation

/// What claiming an idempotency key found.
public enum IdempotencyClaim: Sendable, Hashable {
    /// The key is new and now reserved: perform the operation, then
    /// ``IdempotencyRepository/complete(key:scope:response:entityID:)`` it (or
    /// ``IdempotencyRepository/release(key:scope:)`` it when the operation failed).
    case claimed
    /// The operation was done before: answer with the stored response.
    case completed(IdempotencyRecord)
    /// Another request with the same key is being processed right now.
    case inProgress
    /// The key was used before for a different request (another fingerprint).
    case fingerprintMismatch
}

/// A completed idempotent operation.
public struct IdempotencyRecord: Sendable, Hashable {
    public var key: String
    public var scope: String
    /// A digest of the request the key was first used with.
    public var fingerprint: String
    /// The response to replay, as the API serialised it.
    public var response: String
    /// The entity the operation created (a participant id, say), if any.
    public var entityID: String?
    public var createdAt: Date

    public init(
        key: String, scope: String, fingerprint: String, response: String, entityID: String?,
        createdAt: Date
    ) {
        self.key = key
        self.scope = scope
        self.fingerprint = fingerprint
        self.response = response
        self.entityID = entityID
        self.createdAt = createdAt
    }
}

/// `Idempotency-Key` bookkeeping: a key is unique within its scope (an endpoint,
/// or a client), claimed atomically, so retried or doubled requests run once.
public protocol IdempotencyRepository: Sendable {
    /// Reserves `key` in `scope` for a request with `fingerprint`, or reports what
    /// happened to it before. A claim still in progress that was made before `staleBefore`
    /// belongs to a process that died (its lease ended): it is taken over (``IdempotencyClaim/claimed``).
    func claim(key: String, scope: String, fingerprint: String, at time: Date, staleBefore: Date) async throws
        -> IdempotencyClaim
    /// Stores the outcome of a claimed key.
    func complete(key: String, scope: String, response: String, entityID: String?) async throws
    /// Frees a claimed key whose operation failed, so that a retry can run it. A completed
    /// key stays (another try of the same request may have completed it).
    func release(key: String, scope: String) async throws
    /// Forgets keys claimed before `time`; returns how many were removed.
    func purge(before time: Date) async throws -> Int
}

extension IdempotencyRepository {
    /// Claims without taking over claims in progress, however old.
    public func claim(key: String, scope: String, fingerprint: String, at time: Date) async throws
        -> IdempotencyClaim
    {
        try await claim(key: key, scope: scope, fingerprint: fingerprint, at: time, staleBefore: .distantPast)
    }
}
