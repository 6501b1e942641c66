import Foundation
import PartneringCore
import SQLKit

/// Capacity-safe registration in a SQL database. Every operation is one write
/// transaction that first takes the registration lock (see
/// ``SQLBackend/lockRegistrations(_:)``), then counts seats: two operations can
/// never both see the same free seat, whichever process they run in.
///
/// A registration is the hot path (hundreds a second during the opening rush), and every
/// registration waits for the lock the one before holds, so the lock must be held briefly. On
/// PostgreSQL a registration is therefore one statement, sent in autocommit: the function
/// `partnering_take_seat` (migration M0026) takes the number, which takes the lock, and decides
/// the seat; the same statement writes the row and the follow-up (ticket, audit entry, notice,
/// idempotency outcome), and the lock is released by the commit that ends it, without a
/// round trip to the client in between. SQLite's transaction is the only writer from its start.
struct SQLRegistrationRepository: RegistrationRepository {
    let backend: SQLBackend

    func register(
        _ draft: ParticipantDraft, capacity: Int, awaitingApproval: Bool,
        followUp: @escaping @Sendable (RegistrationOutcome) -> FollowUp
    ) async throws -> RegistrationOutcome {
        try await ParticipantQueries.explainingConflicts(of: draft, backend: backend) {
            if backend.dialect == .postgres,
                let statement = oneStatement(
                    draft, capacity: capacity, awaitingApproval: awaitingApproval, followUp: followUp)
            {
                return try await registerAlone(draft, statement)
            }
            return try await backend.write { sql in
                // The number's counter row is the registration lock: incrementing it locks it
                // until the transaction ends (PostgreSQL), and a refused registration rolls
                // its number back. Under SQLite the transaction is the only writer already.
                let number = try await backend.next(.participantNumber, sql)
                let outcome = try await insert(
                    draft.participant(number: number, status: .pending), capacity: capacity,
                    awaitingApproval: awaitingApproval, sql)
                try await backend.apply(followUp(outcome), sql)
                return outcome
            }
        }
    }

    /// The statements of a PostgreSQL registration joined into one (see the type's comment):
    /// `partnering_take_seat` in a `WITH` part that the others read, the participant's row,
    /// and the follow-up of each status the registration may get, each part writing only
    /// when the status decided is its own. `followUp` is asked before the seat is decided,
    /// once per possible status, with the number not known yet (0) and no waiting-list
    /// position; the tickets of the participant get the number taken. `nil` when the follow-up
    /// revokes tickets (their audit entries need the revocations' results) or has too many
    /// statements to join: the registration then runs as a transaction of several statements.
    private func oneStatement(
        _ draft: ParticipantDraft, capacity: Int, awaitingApproval: Bool,
        followUp: @Sendable (RegistrationOutcome) -> FollowUp
    ) -> SQLQueryString? {
        let statuses: [RegistrationStatus] = awaitingApproval ? [.pending] : [.confirmed, .waitlisted]
        let number: SQLQueryString = "(SELECT taken_number FROM decided)"
        var parts: [SQLQueryString] = [
            """
            decided AS (SELECT taken_number, decided_status, decided_rank FROM partnering_take_seat(\
            \(bind: draft.category.rawValue), \(bind: capacity), \(bind: awaitingApproval)))
            """,
            "registered AS ("
                + ParticipantRow.insertStatement(
                    draft.participant(number: 0, status: .pending), number: number,
                    status: "(SELECT decided_status FROM decided)" as SQLQueryString,
                    waitlistRank: "(SELECT decided_rank FROM decided)" as SQLQueryString) + ")",
        ]
        for status in statuses {
            let possible = followUp(
                RegistrationOutcome(participant: draft.participant(number: 0, status: status), waitlistPosition: nil))
            guard possible.revocations.isEmpty else { return nil }
            let condition: SQLQueryString =
                "EXISTS (SELECT 1 FROM decided WHERE decided_status = \(bind: status.rawValue))"
            parts += SQLBackend.writes(of: possible, when: condition, numbered: (draft.id, number))
                .map { "(" + $0 + ")" }
        }
        guard parts.count <= 2 + SQLBackend.statementsRunTogether else { return nil }
        let named = parts.enumerated().map { index, part -> SQLQueryString in
            index < 2 ? part : "w\(unsafeRaw: String(index)) AS " + part
        }
        return "WITH " + named.joined(separator: ", ")
            + " SELECT taken_number, decided_status, decided_rank FROM decided"
    }

    /// Runs a registration's `statement` (``oneStatement(_:capacity:awaitingApproval:followUp:)``)
    /// in autocommit and returns its outcome.
    private func registerAlone(_ draft: ParticipantDraft, _ statement: SQLQueryString) async throws
        -> RegistrationOutcome
    {
        let row = try await backend.alone { sql in try await sql.raw(statement).first() }
        let rawStatus = try row?.decode(column: "decided_status", as: String.self) ?? ""
        guard let row, let status = RegistrationStatus(rawValue: rawStatus) else {
            throw StorageError.corruptValue(table: ParticipantRow.table, column: "status", value: rawStatus)
        }
        let participant = draft.participant(
            number: try row.decode(column: "taken_number", as: Int.self), status: status)
        guard status == .waitlisted else { return RegistrationOutcome(participant: participant, waitlistPosition: nil) }
        // Read after the commit: the place in line may have moved already, as it may any time after.
        return RegistrationOutcome(
            participant: participant,
            waitlistPosition: try await position(
                rank: try row.decode(column: "decided_rank", as: Int.self), in: draft.category, try backend.sql()))
    }

    /// Inserts `participant` (numbered, status to decide) and returns the outcome; runs under
    /// the registration lock. The seat is decided by the `INSERT` itself from the seats it
    /// reads, which are those committed before the lock was taken: the statement starts after it.
    private func insert(
        _ participant: Participant, capacity: Int, awaitingApproval: Bool, _ sql: any SQLDatabase
    ) async throws -> RegistrationOutcome {
        if awaitingApproval {
            try await ParticipantRow.insert(participant, into: sql)
            return RegistrationOutcome(participant: participant, waitlistPosition: nil)
        }
        let category = participant.category.rawValue
        let seatFree: SQLQueryString = """
            COALESCE((SELECT confirmed FROM category_seats WHERE category = \(bind: category)), 0) \
            < \(bind: capacity)
            """
        let status: SQLQueryString = """
            CASE WHEN \(seatFree) THEN \(bind: RegistrationStatus.confirmed.rawValue) \
            ELSE \(bind: RegistrationStatus.waitlisted.rawValue) END
            """
        let rank: SQLQueryString = """
            CASE WHEN \(seatFree) THEN NULL \
            ELSE COALESCE((SELECT MAX(waitlist_rank) FROM participants WHERE category = \(bind: category)), 0) + 1 END
            """
        let row = try await sql.raw(
            ParticipantRow.insertStatement(
                participant, number: SQLBind(participant.number), status: status, waitlistRank: rank)
                + " RETURNING status, waitlist_rank"
        ).first()
        let rawStatus = try row?.decode(column: "status", as: String.self) ?? ""
        guard let row, let status = RegistrationStatus(rawValue: rawStatus), [.confirmed, .waitlisted].contains(status)
        else { throw StorageError.corruptValue(table: ParticipantRow.table, column: "status", value: rawStatus) }
        var stored = participant
        stored.status = status
        guard status == .waitlisted else { return RegistrationOutcome(participant: stored, waitlistPosition: nil) }
        let waitlistRank = try row.decode(column: "waitlist_rank", as: Int.self)
        return RegistrationOutcome(
            participant: stored, waitlistPosition: try await position(rank: waitlistRank, in: participant.category, sql)
        )
    }

    func approve(
        _ id: ParticipantID, capacity: Int, followUp: @escaping @Sendable (RegistrationOutcome) -> FollowUp
    ) async throws -> RegistrationOutcome {
        try await backend.write { sql in
            try await backend.lockRegistrations(sql)
            let outcome = try await storeApproval(id, capacity: capacity, sql)
            try await backend.apply(followUp(outcome), sql)
            return outcome
        }
    }

    private func storeApproval(_ id: ParticipantID, capacity: Int, _ sql: any SQLDatabase) async throws
        -> RegistrationOutcome
    {
        guard var participant = try await ParticipantQueries.find(id: id, sql) else {
            throw RepositoryError.participantNotFound(id)
        }
        guard participant.status == .pending else {
            throw RepositoryError.invalidTransition(id, from: participant.status, to: .confirmed)
        }
        if try await confirmedCount(in: participant.category, sql) < capacity {
            participant.status = .confirmed
            try await setStatus(id, .confirmed, waitlistRank: nil, sql)
            return RegistrationOutcome(participant: participant, waitlistPosition: nil)
        }
        let rank = try await nextWaitlistRank(in: participant.category, sql)
        participant.status = .waitlisted
        try await setStatus(id, .waitlisted, waitlistRank: rank, sql)
        return RegistrationOutcome(
            participant: participant,
            waitlistPosition: try await position(rank: rank, in: participant.category, sql))
    }

    func cancel(_ id: ParticipantID, capacity: Int, followUp: @escaping @Sendable (SeatRelease) -> FollowUp)
        async throws -> SeatRelease
    {
        try await release(id, to: .cancelled, capacity: capacity, followUp: followUp)
    }

    func reject(_ id: ParticipantID, capacity: Int, followUp: @escaping @Sendable (SeatRelease) -> FollowUp)
        async throws -> SeatRelease
    {
        try await release(id, to: .rejected, capacity: capacity, followUp: followUp)
    }

    func promoteWaitlisted(
        category: CategoryID, capacity: Int, followUp: @escaping @Sendable ([Participant]) -> FollowUp
    ) async throws -> [Participant] {
        try await backend.write { sql in
            try await backend.lockRegistrations(sql)
            let promoted = try await promote(in: category, capacity: capacity, sql)
            try await backend.apply(followUp(promoted), sql)
            return promoted
        }
    }

    func waitlistPosition(of id: ParticipantID) async throws -> Int? {
        let sql = try backend.sql()
        let row = try await sql.select().column("category").column("status").column("waitlist_rank")
            .from(ParticipantRow.table).where("id", .equal, id.rawValue).first()
        guard let row else { throw RepositoryError.participantNotFound(id) }
        guard try row.decode(column: "status", as: String.self) == RegistrationStatus.waitlisted.rawValue,
            !(try row.decodeNil(column: "waitlist_rank"))
        else { return nil }
        return try await position(
            rank: try row.decode(column: "waitlist_rank", as: Int.self),
            in: CategoryID(try row.decode(column: "category", as: String.self)), sql)
    }

    private func release(
        _ id: ParticipantID, to status: RegistrationStatus, capacity: Int,
        followUp: @escaping @Sendable (SeatRelease) -> FollowUp
    ) async throws -> SeatRelease {
        try await backend.write { sql in
            try await backend.lockRegistrations(sql)
            guard var participant = try await ParticipantQueries.find(id: id, sql) else {
                throw RepositoryError.participantNotFound(id)
            }
            guard [.pending, .confirmed, .waitlisted].contains(participant.status) else {
                throw RepositoryError.invalidTransition(id, from: participant.status, to: status)
            }
            participant.status = status
            try await sql.update(ParticipantRow.table)
                .set("status", to: status.rawValue)
                .where("id", .equal, id.rawValue)
                .run()
            let promoted = try await promote(in: participant.category, capacity: capacity, sql)
            let release = SeatRelease(participant: participant, promoted: promoted)
            try await backend.apply(followUp(release), sql)
            return release
        }
    }

    /// Confirms the first in line while seats are free. Runs under the registration lock.
    private func promote(in category: CategoryID, capacity: Int, _ sql: any SQLDatabase)
        async throws -> [Participant]
    {
        let free = capacity - (try await confirmedCount(in: category, sql))
        guard free > 0 else { return [] }
        let line = try await sql.select().column("*").from(ParticipantRow.table)
            .where("category", .equal, category.rawValue)
            .where("status", .equal, RegistrationStatus.waitlisted.rawValue)
            .orderBy("waitlist_rank")
            .limit(free)
            .all().map(ParticipantRow.decode)
        var promoted: [Participant] = []
        for var participant in line {
            try await sql.update(ParticipantRow.table)
                .set("status", to: RegistrationStatus.confirmed.rawValue)
                .where("id", .equal, participant.id.rawValue)
                .run()
            participant.status = .confirmed
            promoted.append(participant)
        }
        return promoted
    }

    private func setStatus(
        _ id: ParticipantID, _ status: RegistrationStatus, waitlistRank: Int?, _ sql: any SQLDatabase
    ) async throws {
        try await sql.update(ParticipantRow.table)
            .set("status", to: status.rawValue)
            .set(SQLColumn("waitlist_rank"), to: ParticipantRow.bindOrNull(waitlistRank))
            .where("id", .equal, id.rawValue)
            .run()
    }

    /// Confirmed participants of the category, as the triggers of `category_seats` keep them.
    private func confirmedCount(in category: CategoryID, _ sql: any SQLDatabase) async throws -> Int {
        let row = try await sql.raw(
            "SELECT confirmed FROM category_seats WHERE category = \(bind: category.rawValue)"
        ).first()
        return try row?.decode(column: "confirmed", as: Int.self) ?? 0
    }

    private func nextWaitlistRank(in category: CategoryID, _ sql: any SQLDatabase) async throws -> Int {
        let row = try await sql.select()
            .column(SQLFunction("MAX", args: SQLColumn("waitlist_rank")), as: "rank")
            .from(ParticipantRow.table)
            .where("category", .equal, category.rawValue)
            .first()
        guard let row, !(try row.decodeNil(column: "rank")) else { return 1 }
        return try row.decode(column: "rank", as: Int.self) + 1
    }

    private func position(rank: Int, in category: CategoryID, _ sql: any SQLDatabase) async throws
        -> Int
    {
        let row = try await sql.select()
            .column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .from(ParticipantRow.table)
            .where("category", .equal, category.rawValue)
            .where("status", .equal, RegistrationStatus.waitlisted.rawValue)
            .where("waitlist_rank", .lessThanOrEqual, rank)
            .first()
        return try row?.decode(column: "n", as: Int.self) ?? 0
    }
}
