import Foundation
import PartneringCore

extension InMemoryRepositories: SignInAttemptRepository {
    public func recordAttempt(limits: [String: Int], window: TimeInterval, now: Date) async throws -> Int? {
        var retryAfter: Int?
        for (key, limit) in limits {
            let recent = (signInAttempts[key] ?? []).filter { now.timeIntervalSince($0) < window }
            signInAttempts[key] = recent.isEmpty ? nil : recent
            if let seconds = Self.retryAfter(recent, limit: limit, window: window, now: now) {
                retryAfter = max(retryAfter ?? 0, seconds)
            }
        }
        if retryAfter != nil { return retryAfter }
        for key in limits.keys { signInAttempts[key, default: []].append(now) }
        return nil
    }

    public func clearAttempts(keys: [String]) async throws {
        for key in keys { signInAttempts[key] = nil }
    }
}
