import Foundation
import PartneringCore
import SQLKit

/// Signed-out sessions in a SQL database.
struct SQLSessionRevocationRepository: SessionRevocationRepository {
    let backend: SQLBackend

    func revoke(tokenID: String, expiresAt: Date) async throws {
        try await backend.sql().raw(
            """
            INSERT INTO revoked_sessions (token_id, expires_at) \
            VALUES (\(bind: tokenID), \(bind: expiresAt.timeIntervalSince1970)) ON CONFLICT (token_id) DO NOTHING
            """
        ).run()
    }

    func isRevoked(tokenID: String) async throws -> Bool {
        try await backend.sql().raw("SELECT 1 AS found FROM revoked_sessions WHERE token_id = \(bind: tokenID)")
            .first() != nil
    }

    func purgeRevocations(expiredBefore time: Date) async throws -> Int {
        try await backend.sql().raw(
            "DELETE FROM issued_sessions WHERE expires_at < \(bind: time.timeIntervalSince1970)"
        ).run()
        return try await backend.sql().raw(
            "DELETE FROM revoked_sessions WHERE expires_at < \(bind: time.timeIntervalSince1970) RETURNING token_id"
        ).all().count
    }

    func recordSession(tokenID: String, holder: String, expiresAt: Date) async throws {
        try await backend.sql().raw(
            """
            INSERT INTO issued_sessions (token_id, holder, expires_at) \
            VALUES (\(bind: tokenID), \(bind: holder), \(bind: expiresAt.timeIntervalSince1970)) \
            ON CONFLICT (token_id) DO NOTHING
            """
        ).run()
    }

    func revokeSessions(of holder: String) async throws -> Int {
        // One statement: a replica checking a token sees all of the holder's sessions revoked
        // or none. (SQLite needs the WHERE for ON CONFLICT to parse after a SELECT.)
        try await backend.sql().raw(
            """
            INSERT INTO revoked_sessions (token_id, expires_at) \
            SELECT token_id, expires_at FROM issued_sessions WHERE holder = \(bind: holder) \
            ON CONFLICT (token_id) DO NOTHING RETURNING token_id
            """
        ).all().count
    }
}
