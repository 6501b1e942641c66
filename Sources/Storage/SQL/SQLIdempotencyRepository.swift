import Foundation
import PartneringCore
import SQLKit

/// `Idempotency-Key` records in a SQL database. Claiming is one
/// `INSERT ... ON CONFLICT DO NOTHING`: the primary key decides who was first.
struct SQLIdempotencyRepository: IdempotencyRepository {
    let backend: SQLBackend
    private static let table = "idempotency_keys"

    func claim(key: String, scope: String, fingerprint: String, at time: Date, staleBefore: Date) async throws
        -> IdempotencyClaim
    {
        // A claim released between the insert and the read is claimed again.
        for _ in 0..<3 {
            switch try await attemptClaim(key: key, scope: scope, fingerprint: fingerprint, at: time) {
            case nil: continue
            case .inProgress?:
                return try await takeOver(
                    key: key, scope: scope, fingerprint: fingerprint, at: time, staleBefore: staleBefore)
                    ? .claimed : .inProgress
            case let claim?: return claim
            }
        }
        return .inProgress
    }

    /// Takes over a claim still in progress that was made before `staleBefore` (its process
    /// died): one statement, so that of two retries only one takes it.
    private func takeOver(key: String, scope: String, fingerprint: String, at time: Date, staleBefore: Date)
        async throws -> Bool
    {
        let row = try await backend.sql().raw(
            """
            UPDATE idempotency_keys SET created_at = \(bind: time.timeIntervalSince1970) \
            WHERE scope = \(bind: scope) AND "key" = \(bind: key) AND fingerprint = \(bind: fingerprint) \
            AND response IS NULL AND created_at < \(bind: staleBefore.timeIntervalSince1970) RETURNING scope
            """
        ).first()
        return row != nil
    }

    /// Claims the key, or reads what claimed it before; `nil` when it vanished in between.
    private func attemptClaim(key: String, scope: String, fingerprint: String, at time: Date)
        async throws -> IdempotencyClaim?
    {
        let sql = try backend.sql()
        let inserted = try await sql.insert(into: Self.table)
            .columns("scope", "key", "fingerprint", "response", "entity_id", "created_at")
            .values(
                SQLBind(scope), SQLBind(key), SQLBind(fingerprint), SQLLiteral.null, SQLLiteral.null,
                SQLBind(time.timeIntervalSince1970)
            )
            .ignoringConflicts(with: ["scope", "key"])
            .returning("key")
            .first()
        if inserted != nil { return .claimed }
        let row = try await sql.select().column("*").from(Self.table)
            .where("scope", .equal, scope).where("key", .equal, key).first()
        guard let row else { return nil }
        guard try row.decode(column: "fingerprint", as: String.self) == fingerprint else {
            return .fingerprintMismatch
        }
        guard !(try row.decodeNil(column: "response")) else { return .inProgress }
        return .completed(
            IdempotencyRecord(
                key: key, scope: scope, fingerprint: fingerprint,
                response: try row.decode(column: "response", as: String.self),
                entityID: try row.decodeNil(column: "entity_id")
                    ? nil : row.decode(column: "entity_id", as: String.self),
                createdAt: Date(
                    timeIntervalSince1970: try row.decode(column: "created_at", as: Double.self))))
    }

    func complete(key: String, scope: String, response: String, entityID: String?) async throws {
        try await backend.sql().update(Self.table)
            .set("response", to: response)
            .set(SQLColumn("entity_id"), to: ParticipantRow.bindOrNull(entityID))
            .where("scope", .equal, scope).where("key", .equal, key)
            .run()
    }

    func release(key: String, scope: String) async throws {
        try await backend.sql().delete(from: Self.table)
            .where("scope", .equal, scope).where("key", .equal, key)
            .where("response", .is, SQLLiteral.null)
            .run()
    }

    func purge(before time: Date) async throws -> Int {
        try await backend.write { sql in
            let row = try await sql.select()
                .column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
                .from(Self.table)
                .where("created_at", .lessThan, time.timeIntervalSince1970)
                .first()
            try await sql.delete(from: Self.table)
                .where("created_at", .lessThan, time.timeIntervalSince1970)
                .run()
            return try row?.decode(column: "n", as: Int.self) ?? 0
        }
    }
}
