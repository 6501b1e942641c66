import Foundation
import PartneringCore
import SQLKit

/// Sign-in attempts in a SQL database: counted and recorded in one write transaction
/// (SQLite: the only writer; PostgreSQL: a transaction-scoped advisory lock per key).
struct SQLSignInAttemptRepository: SignInAttemptRepository {
    let backend: SQLBackend

    func recordAttempt(limits: [String: Int], window: TimeInterval, now: Date) async throws -> Int? {
        let dialect = backend.dialect
        return try await backend.write { sql in
            let keys = limits.keys.sorted()
            if dialect == .postgres {
                // Sorted, so that two attempts on the same keys take the locks in one order.
                for key in keys { try await sql.raw("SELECT pg_advisory_xact_lock(hashtext(\(bind: key)))").run() }
            }
            let start = now.timeIntervalSince1970 - window
            try await sql.raw("DELETE FROM sign_in_attempts WHERE attempted_at <= \(bind: start)").run()
            var retryAfter: Int?
            for key in keys {
                let rows = try await sql.raw(
                    "SELECT attempted_at FROM sign_in_attempts WHERE throttle_key = \(bind: key)"
                ).all()
                let times = try rows.map {
                    Date(timeIntervalSince1970: try $0.decode(column: "attempted_at", as: Double.self))
                }
                if let seconds = Self.retryAfter(times, limit: limits[key] ?? 0, window: window, now: now) {
                    retryAfter = max(retryAfter ?? 0, seconds)
                }
            }
            if retryAfter != nil { return retryAfter }
            for key in keys {
                try await sql.raw(
                    "INSERT INTO sign_in_attempts (throttle_key, attempted_at) VALUES (\(bind: key), \(bind: now.timeIntervalSince1970))"
                ).run()
            }
            return nil
        }
    }

    func clearAttempts(keys: [String]) async throws {
        for key in keys {
            try await backend.sql().raw("DELETE FROM sign_in_attempts WHERE throttle_key = \(bind: key)").run()
        }
    }
}
