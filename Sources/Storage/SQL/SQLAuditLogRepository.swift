import Foundation
import PartneringCore
import SQLKit

/// The audit log in a SQL database.
struct SQLAuditLogRepository: AuditLogRepository {
    let backend: SQLBackend

    func append(_ entry: AuditEntry) async throws -> AuditEntry {
        try await Self.insert(entry, into: backend.sql())
    }

    /// Appends `entry` through `sql` (a transaction of another repository, or on its own).
    static func insert(_ entry: AuditEntry, into sql: any SQLDatabase) async throws -> AuditEntry {
        let row = try await sql.raw(insertStatement([entry]) + " RETURNING sequence").first()
        var stored = entry
        stored.sequence = try row?.decode(column: "sequence", as: Int.self) ?? 0
        return stored
    }

    /// The `INSERT` of `entries`, numbered in their order, writing only when `condition` holds
    /// if one is given (see ``SQLBackend/insert(into:columns:rows:when:)``).
    static func insertStatement(_ entries: [AuditEntry], when condition: SQLQueryString? = nil) -> SQLQueryString {
        let rows = entries.map { entry -> SQLQueryString in
            """
            (\(bind: entry.time.timeIntervalSince1970), \(bind: entry.actor), \(bind: entry.action), \
            \(bind: entry.subject), \(bind: entry.details))
            """
        }
        return SQLBackend.insert(
            into: "audit_log", columns: "time, actor, action, subject, details", rows: rows, when: condition)
    }

    func list(_ filter: AuditFilter) async throws -> [AuditEntry] {
        var query = try backend.sql().select().column("*").from("audit_log")
        if let actor = filter.actor { query = query.where("actor", .equal, actor) }
        if let action = filter.action { query = query.where("action", .equal, action) }
        if let subject = filter.subject { query = query.where("subject", .equal, subject) }
        query = query.orderBy("sequence", .descending)
        if let limit = filter.limit { query = query.limit(max(0, limit)) }
        return try await query.all().map { row in
            AuditEntry(
                sequence: try row.decode(column: "sequence", as: Int.self),
                time: Date(timeIntervalSince1970: try row.decode(column: "time", as: Double.self)),
                actor: try row.decode(column: "actor", as: String.self),
                action: try row.decode(column: "action", as: String.self),
                subject: try row.decode(column: "subject", as: String.self),
                details: try row.decode(column: "details", as: String.self))
        }
    }
}
