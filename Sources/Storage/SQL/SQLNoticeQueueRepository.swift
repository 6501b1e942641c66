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

    func record(_ followUp: FollowUp) async throws {
        try await backend.write { [backend] sql in try await backend.apply(followUp, sql) }
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

    /// The `INSERT` of `notices`, due at once, writing only when `condition` holds if one is
    /// given (see ``SQLBackend/insert(into:columns:rows:when:)``); `nil` when there are none.
    static func insertStatement(_ notices: [QueuedNotice], when condition: SQLQueryString? = nil) -> SQLQueryString? {
        guard !notices.isEmpty else { return nil }
        let rows = notices.map { notice -> SQLQueryString in
            """
            (\(bind: notice.id), \(bind: notice.kind.rawValue), \(bind: notice.participant.rawValue), \
            \(ParticipantRow.bindOrNull(notice.reference)), \(ParticipantRow.bindOrNull(notice.detail)), \
            \(bind: notice.queuedAt.timeIntervalSince1970), 0)
            """
        }
        return SQLBackend.insert(
            into: table, columns: "id, kind, participant_id, reference, detail, queued_at, lease_until", rows: rows,
            when: condition)
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
    /// the idempotency key's outcome. After the revocations, whose results decide on their
    /// audit entries, the writes go as one statement (``runTogether(_:_:)``).
    func apply(_ followUp: FollowUp, _ sql: any SQLDatabase) async throws {
        for revocation in followUp.revocations {
            let revoked = try await SQLTicketRepository.revoke(revocation.participant, at: revocation.time, sql)
            if !revoked.isEmpty { _ = try await SQLAuditLogRepository.insert(revocation.audit(revoked), into: sql) }
        }
        try await runTogether(Self.writes(of: followUp), sql)
    }

    /// The statements that write `followUp` but its revocations (whose results decide on their
    /// audit entries): tickets, audit entries, notices and the idempotency key's outcome. With
    /// `condition`, a SQL condition, each statement writes only when it holds; `numbered` gives
    /// the participant number of one participant's tickets as a SQL expression (a registration
    /// whose number is taken in the statement that writes them).
    static func writes(
        of followUp: FollowUp, when condition: SQLQueryString? = nil,
        numbered: (participant: ParticipantID, number: SQLQueryString)? = nil
    ) -> [SQLQueryString] {
        var statements = followUp.tickets.map { ticket in
            SQLTicketRepository.insertIfNoneValid(
                ticket, participantNumber: ticket.participant == numbered?.participant ? numbered?.number : nil,
                when: condition)
        }
        if !followUp.auditEntries.isEmpty {
            statements.append(SQLAuditLogRepository.insertStatement(followUp.auditEntries, when: condition))
        }
        if let notices = SQLNoticeQueueRepository.insertStatement(followUp.notices, when: condition) {
            statements.append(notices)
        }
        if let completion = followUp.completion {
            statements.append(
                """
                UPDATE idempotency_keys SET response = \(bind: completion.response), \
                entity_id = \(ParticipantRow.bindOrNull(completion.entityID)) \
                WHERE scope = \(bind: completion.scope) AND key = \(bind: completion.key)
                """ + (condition.map { " AND " + $0 } ?? ""))
        }
        return statements
    }

    /// `INSERT INTO table (columns) VALUES rows`, or with `condition`, an `INSERT` of the same
    /// rows, in their order, that writes them only when the condition holds.
    static func insert(into table: String, columns: String, rows: [SQLQueryString], when condition: SQLQueryString?)
        -> SQLQueryString
    {
        let head = "INSERT INTO \(unsafeRaw: table) (\(unsafeRaw: columns)) " as SQLQueryString
        guard let condition else { return head + "VALUES " + rows.joined(separator: ", ") }
        return head + "SELECT * FROM (VALUES " + rows.joined(separator: ", ") + ") AS written WHERE " + condition
    }

    /// Runs independent write statements, whose results nobody reads, in the caller's
    /// transaction. PostgreSQL: as one statement, each a data-modifying `WITH` part, so
    /// that they cost one round trip to the server instead of one each (inside a
    /// registration's locked section, every round trip lengthens the wait of the next
    /// one). The parts see the database as it was before the statement, not each other's
    /// rows, hence "independent". Many statements (a large promotion from a waiting list)
    /// run one by one, so that no statement nears PostgreSQL's 65,535 parameters. SQLite
    /// runs in the process, one statement after the other.
    func runTogether(_ statements: [SQLQueryString], _ sql: any SQLDatabase) async throws {
        guard dialect == .postgres, (2...Self.statementsRunTogether).contains(statements.count) else {
            for statement in statements { try await sql.raw(statement).run() }
            return
        }
        let parts = statements.enumerated().map { index, statement -> SQLQueryString in
            "w\(unsafeRaw: String(index)) AS (" + statement + ")"
        }
        try await sql.raw("WITH " + parts.joined(separator: ", ") + " SELECT 1").run()
    }

    /// The most statements ``runTogether(_:_:)`` joins into one: a registration's follow-up
    /// has four at most.
    static let statementsRunTogether = 8
}
