import Foundation

/// Sign-in attempts (organiser passwords, the desk passcode) counted per key, in the store,
/// so that every server process on it applies the same limits and a restart forgets nothing.
public protocol SignInAttemptRepository: Sendable {
    /// In one step that concurrent callers cannot interleave: when any key already has
    /// `limits[key]` attempts newer than `now - window`, records nothing and returns the
    /// seconds until the oldest of them leaves the window; otherwise records one attempt at
    /// `now` for every key and returns `nil`. Attempts older than the window are forgotten.
    func recordAttempt(limits: [String: Int], window: TimeInterval, now: Date) async throws -> Int?
    /// Forgets the attempts of `keys` (after a successful sign-in).
    func clearAttempts(keys: [String]) async throws
}

extension SignInAttemptRepository {
    /// The seconds until the oldest of `times` is older than `window` at `now`, when there
    /// are `limit` or more of them within the window; `nil` otherwise.
    public static func retryAfter(_ times: [Date], limit: Int, window: TimeInterval, now: Date) -> Int? {
        let recent = times.filter { now.timeIntervalSince($0) < window }
        guard recent.count >= limit, let oldest = recent.min() else { return nil }
        // Stored times may come back a few nanoseconds off (seconds since 1970 as a double).
        let elapsed = max(0, now.timeIntervalSince(oldest))
        return max(1, Int((window - elapsed).rounded(.up)))
    }
}
