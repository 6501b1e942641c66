import Foundation
import PartneringCore

extension InMemoryRepositories: IdempotencyRepository {
    public func claim(key: String, scope: String, fingerprint: String, at time: Date, staleBefore: Date)
        async throws -> IdempotencyClaim
    {
        let scoped = IdempotencyScopedKey(scope: scope, key: key)
        guard let existing = idempotency[scoped] else {
            idempotency[scoped] = IdempotencyEntry(
                fingerprint: fingerprint, response: nil, entityID: nil, createdAt: time)
            return .claimed
        }
        guard existing.fingerprint == fingerprint else { return .fingerprintMismatch }
        guard let response = existing.response else {
            // A claim whose process died is taken over once its lease ended.
            guard existing.createdAt < staleBefore else { return .inProgress }
            idempotency[scoped]?.createdAt = time
            return .claimed
        }
        return .completed(
            IdempotencyRecord(
                key: key, scope: scope, fingerprint: existing.fingerprint, response: response,
                entityID: existing.entityID, createdAt: existing.createdAt))
    }

    public func complete(key: String, scope: String, response: String, entityID: String?) async throws {
        let scoped = IdempotencyScopedKey(scope: scope, key: key)
        idempotency[scoped]?.response = response
        idempotency[scoped]?.entityID = entityID
    }

    public func release(key: String, scope: String) async throws {
        let scoped = IdempotencyScopedKey(scope: scope, key: key)
        if idempotency[scoped]?.response == nil { idempotency[scoped] = nil }
    }

    public func purge(before time: Date) async throws -> Int {
        let old = idempotency.filter { $0.value.createdAt < time }.keys
        for key in old { idempotency[key] = nil }
        return old.count
    }
}
