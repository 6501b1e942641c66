import Foundation
import PartneringCore
import SQLKit

/// Participants in a SQL database.
struct SQLParticipantRepository: ParticipantRepository {
    let backend: SQLBackend

    func insert(_ draft: ParticipantDraft, status: RegistrationStatus) async throws -> Participant {
        try await ParticipantQueries.explainingConflicts(of: draft, backend: backend) {
            try await backend.write { sql in
                try await ParticipantQueries.insertNew(draft, status: status, backend: backend, sql)
            }
        }
    }

    func update(_ participant: Participant, followUp: FollowUp) async throws -> Participant {
        do {
            return try await backend.write { sql in
                guard let stored = try await ParticipantQueries.find(id: participant.id, sql) else {
                    throw RepositoryError.participantNotFound(participant.id)
                }
                guard stored.status == participant.status else {
                    throw RepositoryError.statusChangeRequiresRegistrationOperation(participant.id)
                }
                try await ParticipantQueries.checkEmailIsFree(participant.email, for: participant.id, sql)
                var update = sql.update(ParticipantRow.table)
                for (column, value) in ParticipantRow.detailColumns(participant) {
                    update = update.set(SQLColumn(column), to: value)
                }
                try await update.where("id", .equal, participant.id.rawValue).run()
                try await backend.apply(followUp, sql)
                var updated = participant
                updated.number = stored.number
                return updated
            }
        } catch  where SQLBackend.isConstraintViolation(error) {
            // Another writer took the address between the check and the update.
            let existing = try await find(email: participant.email)
            throw RepositoryError.duplicateEmail(
                participant.email, existing: existing?.id ?? participant.id)
        }
    }

    func find(id: ParticipantID) async throws -> Participant? {
        try await ParticipantQueries.find(id: id, try backend.sql())
    }

    func find(email: String) async throws -> Participant? {
        try await ParticipantQueries.find(email: email, try backend.sql())
    }

    func find(ids: [ParticipantID]) async throws -> [ParticipantID: Participant] {
        guard !ids.isEmpty else { return [:] }
        return try await backend.sql().select().column("*").from(ParticipantRow.table)
            .where("id", .in, Array(Set(ids.map(\.rawValue))))
            .all().map(ParticipantRow.decode)
            .reduce(into: [:]) { found, participant in found[participant.id] = participant }
    }

    func find(number: Int) async throws -> Participant? {
        try await backend.sql().select().column("*").from(ParticipantRow.table)
            .where("number", .equal, number)
            .first().map(ParticipantRow.decode)
    }

    func list(_ filter: ParticipantFilter) async throws -> [Participant] {
        var query = try backend.sql().select().column("*").from(ParticipantRow.table)
        query = apply(filter, to: query).orderBy("number")
        if let limit = filter.limit { query = query.limit(max(0, limit)) }
        if filter.offset > 0 { query = query.offset(filter.offset) }
        return try await query.all().map(ParticipantRow.decode)
    }

    func count(_ filter: ParticipantFilter) async throws -> Int {
        let query = try backend.sql().select()
            .column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .from(ParticipantRow.table)
        let row = try await apply(filter, to: query).first()
        return try row?.decode(column: "n", as: Int.self) ?? 0
    }

    func countsByCategory() async throws -> [CategoryID: StatusCounts] {
        let rows = try await backend.sql().select()
            .column("category").column("status")
            .column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .from(ParticipantRow.table)
            .groupBy("category").groupBy("status")
            .all()
        var counts: [CategoryID: StatusCounts] = [:]
        for row in rows {
            let rawStatus = try row.decode(column: "status", as: String.self)
            guard let status = RegistrationStatus(rawValue: rawStatus) else {
                throw StorageError.corruptValue(
                    table: ParticipantRow.table, column: "status", value: rawStatus)
            }
            let category = CategoryID(try row.decode(column: "category", as: String.self))
            counts[category, default: [:]][status] = try row.decode(column: "n", as: Int.self)
        }
        return counts
    }

    func delete(id: ParticipantID, followUp: FollowUp) async throws {
        try await backend.write { sql in
            // Locked first: a meeting answer saved meanwhile waits, then finds nobody.
            try await backend.lockParticipant(id, sql)
            guard try await ParticipantQueries.find(id: id, sql) != nil else {
                throw RepositoryError.participantNotFound(id)
            }
            try await sql.delete(from: MeetingRequestRow.table)
                .where("from_id", .equal, id.rawValue)
                .orWhere("to_id", .equal, id.rawValue)
                .run()
            try await sql.delete(from: "calendar_feeds").where("participant_id", .equal, id.rawValue).run()
            try await sql.delete(from: "absences").where("participant_id", .equal, id.rawValue).run()
            try await sql.delete(from: "meeting_feedback")
                .where("author_id", .equal, id.rawValue)
                .orWhere("counterpart_id", .equal, id.rawValue)
                .run()
            try await sql.delete(from: ParticipantRow.table).where("id", .equal, id.rawValue).run()
            try await backend.apply(followUp, sql)
        }
    }

    private func apply(_ filter: ParticipantFilter, to query: SQLSelectBuilder) -> SQLSelectBuilder {
        var query = query
        if let role = filter.role { query = query.where("role", .equal, role.rawValue) }
        if let statuses = filter.statuses {
            // An empty set matches nothing; SQL has no empty `IN ()`.
            query =
                statuses.isEmpty
                ? query.where(SQLRaw("1 = 0")) : query.where("status", .in, statuses.map(\.rawValue).sorted())
        }
        if let category = filter.category {
            query = query.where("category", .equal, category.rawValue)
        }
        if let topic = filter.topic {
            // Topics are a JSON array of strings: look for the quoted, encoded element.
            query = query.where(backend.contains("topics", JSONColumn.encode(topic)))
        }
        if let country = filter.country {
            query = query.where(
                SQLFunction("UPPER", args: SQLColumn("country")), .equal, SQLBind(country.uppercased()))
        }
        if let listed = filter.listedInDirectory {
            query = query.where("listed_in_directory", .equal, listed)
        }
        for word in filter.searchWords {
            query = query.where(backend.contains("search_text", word))
        }
        return query
    }
}

/// Participant statements shared by the repositories, run on a given connection.
enum ParticipantQueries {
    static func find(id: ParticipantID, _ sql: any SQLDatabase) async throws -> Participant? {
        try await sql.select().column("*").from(ParticipantRow.table)
            .where("id", .equal, id.rawValue)
            .first().map(ParticipantRow.decode)
    }

    static func find(email: String, _ sql: any SQLDatabase) async throws -> Participant? {
        try await sql.select().column("*").from(ParticipantRow.table)
            .where("email_key", .equal, SearchText.emailKey(email))
            .first().map(ParticipantRow.decode)
    }

    static func checkEmailIsFree(_ email: String, for id: ParticipantID, _ sql: any SQLDatabase)
        async throws
    {
        if let other = try await find(email: email, sql), other.id != id {
            throw RepositoryError.duplicateEmail(email, existing: other.id)
        }
    }

    /// Inserts a participant with the next number. The caller holds the
    /// registration lock (the number counter's row) through `backend.next`. A taken id or
    /// address fails the insert on the table's unique keys; run the transaction inside
    /// ``explainingConflicts(of:backend:_:)`` to tell which.
    static func insertNew(
        _ draft: ParticipantDraft, status: RegistrationStatus, backend: SQLBackend, _ sql: any SQLDatabase
    ) async throws -> Participant {
        let number = try await backend.next(.participantNumber, sql)
        let participant = draft.participant(number: number, status: status)
        try await ParticipantRow.insert(participant, into: sql)
        return participant
    }

    /// Runs `insertion`; when it breaks a unique key, throws what the draft collided with:
    /// ``RepositoryError/duplicateEmail(_:existing:)`` or ``RepositoryError/duplicateID(_:)``.
    /// The check runs after the failed transaction rolled back (PostgreSQL refuses any
    /// statement in a transaction after an error), so the happy path pays no lookups.
    static func explainingConflicts<T>(
        of draft: ParticipantDraft, backend: SQLBackend, _ insertion: () async throws -> T
    ) async throws -> T {
        do {
            return try await insertion()
        } catch  where SQLBackend.isConstraintViolation(error) {
            let sql = try backend.sql()
            if let other = try await find(email: draft.email, sql), other.id != draft.id {
                throw RepositoryError.duplicateEmail(draft.email, existing: other.id)
            }
            if try await find(id: draft.id, sql) != nil { throw RepositoryError.duplicateID(draft.id.rawValue) }
            throw error
        }
    }
}
