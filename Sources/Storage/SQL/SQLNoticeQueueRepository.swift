import Foundation
import PartneringCore
import SQLKit

/// The notice queue in a SQL database. Claiming is one `UPDATE ... RETURNING` over the due
/// rows; on PostgreSQL the rows are picked `FOR UPDATE SKIP LOCKED`, so that dispatchers of
/// several processes take different notices without waiting for each other; SQLite's single
/// writer makes the statement alone there.
struct SQLNoticeQueueRepository: NoticeQueueRepository {
    let backend: SQLBackend
    static let table = "notice_queue"

    func enqueue(_ notices: [QueuedNotice]) async throws {
        guard !notices.isEmpty else { return }
        try await backend.write { sql in try await Self.insert(notices, sql) }
    }

    func claim(limit: Int, now: Date, leaseEnd: Date) async throws -> [QueuedNotice] {
        guard limit > 0 else { return [] }
        let locking: SQLQueryString = backend.dialect == .postgres ? " FOR UPDATE SKIP LOCKED" : ""
        let claimed = try await backend.write { sql in
            try await sql.raw(
                """
                UPDATE notice_queue SET lease_until = \(bind: leaseEnd.timeIntervalSince1970) \
                WHERE sequence IN (SELECT sequence FROM notice_queue \
                WHERE lease_until < \(bind: now.timeIntervalSince1970) \
                ORDER BY sequence LIMIT \(bind: limit)\(locking)) \
                RETURNING sequence, id, kind, participant_id, reference, detail, queued_at
                """
            ).all().map { (try $0.decode(column: "sequence", as: Int.self), try Self.decode($0)) }
        }
        return claimed.sorted { $0.0 < $1.0 }.map(\.1)
    }

    func markSent(_ ids: [String]) async throws {
        guard !ids.isEmpty else { return }
        try await backend.write { sql in
            try await sql.delete(from: Self.table).where("id", .in, ids).run()
        }
    }

    func release(_ ids: [String]) async throws {
        guard !ids.isEmpty else { return }
        try await backend.write { sql in
            try await sql.update(Self.table).set("lease_until", to: SQLLiteral.numeric("0")).where("id", .in, ids).run()
        }
    }

    func pendingCount() async throws -> Int {
        let row = try await backend.sql().select()
            .column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .from(Self.table).first()
        return try row?.decode(column: "n", as: Int.self) ?? 0
    }

    /// Queues `notices` in the caller's transaction.
    static func insert(_ notices: [QueuedNotice], _ sql: any SQLDatabase) async throws {
        guard !notices.isEmpty else { return }
        var insert = sql.insert(into: table)
            .columns("id", "kind", "participant_id", "reference", "detail", "queued_at", "lease_until")
        for notice in notices {
            insert = insert.values(
                SQLBind(notice.id), SQLBind(notice.kind.rawValue), SQLBind(notice.participant.rawValue),
                ParticipantRow.bindOrNull(notice.reference), ParticipantRow.bindOrNull(notice.detail),
                SQLBind(notice.queuedAt.timeIntervalSince1970), SQLLiteral.numeric("0"))
        }
        try await insert.run()
    }

    private static func decode(_ row: any SQLRow) throws -> QueuedNotice {
        let kindText = try row.decode(column: "kind", as: String.self)
        guard let kind = QueuedNotice.Kind(rawValue: kindText) else {
            throw StorageError.corruptValue(table: table, column: "kind", value: kindText)
        }
        return QueuedNotice(
            id: try row.decode(column: "id", as: String.self), kind: kind,
            participant: ParticipantID(try row.decode(column: "participant_id", as: String.self)),
            reference: try row.decodeNil(column: "reference") ? nil : row.decode(column: "reference", as: String.self),
            detail: try row.decodeNil(column: "detail") ? nil : row.decode(column: "detail", as: String.self),
            queuedAt: Date(timeIntervalSince1970: try row.decode(column: "queued_at", as: Double.self)))
    }
}

extension SQLBackend {
    /// Writes what commits with an operation, in its transaction: revocations before new
    /// tickets (a participant holds at most one valid ticket), audit entries, notices and
    /// the idempotency key's outcome.
    func apply(_ followUp: FollowUp, _ sql: any SQLDatabase) async throws {
        for revocation in followUp.revocations {
            let revoked = try await SQLTicketRepository.revoke(revocation.participant, at: revocation.time, sql)
            if !revoked.isEmpty { _ = try await SQLAuditLogRepository.insert(revocation.audit(revoked), into: sql) }
        }
        for ticket in followUp.tickets {
            try await SQLTicketRepository.insertIfNoneValid(ticket, sql)
        }
        for entry in followUp.auditEntries { _ = try await SQLAuditLogRepository.insert(entry, into: sql) }
        try await SQLNoticeQueueRepository.insert(followUp.notices, sql)
        if let completion = followUp.completion {
            try await sql.update("idempotency_keys")
                .set("response", to: completion.response)
                .set(SQLColumn("entity_id"), to: ParticipantRow.bindOrNull(completion.entityID))
                .where("scope", .equal, completion.scope).where("key", .equal, completion.key)
                .run()
        }
    }
}
