import Foundation
import PartneringCore
import SQLKit

/// Issued tickets in a SQL database.
struct SQLTicketRepository: TicketRepository {
    let backend: SQLBackend
    static let table = "tickets"

    func issue(
        _ claims: TicketClaims, to participant: ParticipantID, at time: Date,
        recording audit: (@Sendable ([TicketID]) -> AuditEntry)?
    ) async throws -> [TicketID] {
        do {
            return try await backend.write { sql in
                // One issuer at a time per participant, so exactly one ticket stays valid.
                try await backend.lockParticipant(participant, sql)
                let revoked = try await Self.revoke(participant, at: time, sql)
                // The row goes in only when the participant exists; a taken ticket id breaks the key.
                let inserted = try await sql.raw(
                    """
                    INSERT INTO tickets (ticket_id, participant_id, key_id, event_id, participant_number, role, \
                    not_before, expiry, issued_at, revoked_at) \
                    SELECT \(bind: claims.ticketID.hex), \(bind: participant.rawValue), \(bind: claims.keyID.hex), \
                    \(bind: claims.event.rawValue), \(bind: claims.participantNumber), \(bind: claims.role.rawValue), \
                    \(bind: claims.notBefore.timeIntervalSince1970), \(bind: claims.expiry.timeIntervalSince1970), \
                    \(bind: time.timeIntervalSince1970), NULL \
                    WHERE EXISTS (SELECT 1 FROM participants WHERE id = \(bind: participant.rawValue)) \
                    RETURNING ticket_id
                    """
                ).first()
                guard inserted != nil else { throw RepositoryError.participantNotFound(participant) }
                if let audit { _ = try await SQLAuditLogRepository.insert(audit(revoked), into: sql) }
                return revoked
            }
        } catch  where SQLBackend.isConstraintViolation(error) {
            throw RepositoryError.duplicateID(claims.ticketID.hex)
        }
    }

    func revokeAll(
        of participant: ParticipantID, at time: Date, recording audit: (@Sendable ([TicketID]) -> AuditEntry)?
    ) async throws -> [TicketID] {
        try await backend.write { sql in
            try await backend.lockParticipant(participant, sql)
            let revoked = try await Self.revoke(participant, at: time, sql)
            if let audit, !revoked.isEmpty { _ = try await SQLAuditLogRepository.insert(audit(revoked), into: sql) }
            return revoked
        }
    }

    func current(of participant: ParticipantID) async throws -> IssuedTicket? {
        try await backend.sql().select().column("*").from(Self.table)
            .where("participant_id", .equal, participant.rawValue)
            .where("revoked_at", .is, SQLLiteral.null)
            .first().map(Self.decode)
    }

    func current(of participants: [ParticipantID]) async throws -> [ParticipantID: IssuedTicket] {
        guard !participants.isEmpty else { return [:] }
        return try await backend.sql().select().column("*").from(Self.table)
            .where("participant_id", .in, Array(Set(participants.map(\.rawValue))))
            .where("revoked_at", .is, SQLLiteral.null)
            .all().map(Self.decode)
            .reduce(into: [:]) { found, ticket in found[ticket.participant] = ticket }
    }

    func find(_ id: TicketID) async throws -> IssuedTicket? {
        try await find(id, try backend.sql())
    }

    func revokedIDs() async throws -> [TicketID] {
        try await backend.sql().select().column("ticket_id").from(Self.table)
            .where("revoked_at", .isNot, SQLLiteral.null)
            .orderBy("ticket_id")
            .all().map { try Self.ticketID($0.decode(column: "ticket_id", as: String.self)) }
    }

    private func find(_ id: TicketID, _ sql: any SQLDatabase) async throws -> IssuedTicket? {
        try await sql.select().column("*").from(Self.table)
            .where("ticket_id", .equal, id.hex)
            .first().map(Self.decode)
    }

    /// The statement that stores `ticket` in the caller's transaction unless the participant
    /// holds a valid ticket already or its id is taken (a follow-up written twice issues once).
    /// `participantNumber`, a SQL expression, replaces the claims' number (a registration that
    /// takes the number in the same statement); with `condition`, it writes only when that holds.
    static func insertIfNoneValid(
        _ ticket: IssuedTicket, participantNumber: SQLQueryString? = nil, when condition: SQLQueryString? = nil
    ) -> SQLQueryString {
        let claims = ticket.claims
        let number = participantNumber ?? "\(bind: claims.participantNumber)"
        return """
            INSERT INTO tickets (ticket_id, participant_id, key_id, event_id, participant_number, role, \
            not_before, expiry, issued_at, revoked_at) \
            SELECT \(bind: claims.ticketID.hex), \(bind: ticket.participant.rawValue), \(bind: claims.keyID.hex), \
            \(bind: claims.event.rawValue), \(number), \(bind: claims.role.rawValue), \
            \(bind: claims.notBefore.timeIntervalSince1970), \(bind: claims.expiry.timeIntervalSince1970), \
            \(bind: ticket.issuedAt.timeIntervalSince1970), NULL \
            WHERE NOT EXISTS (SELECT 1 FROM tickets WHERE ticket_id = \(bind: claims.ticketID.hex) \
            OR (participant_id = \(bind: ticket.participant.rawValue) AND revoked_at IS NULL))
            """ + (condition.map { " AND " + $0 } ?? "")
    }

    static func revoke(_ participant: ParticipantID, at time: Date, _ sql: any SQLDatabase) async throws
        -> [TicketID]
    {
        try await sql.raw(
            """
            UPDATE tickets SET revoked_at = \(bind: time.timeIntervalSince1970) \
            WHERE participant_id = \(bind: participant.rawValue) AND revoked_at IS NULL RETURNING ticket_id
            """
        ).all().map { try Self.ticketID($0.decode(column: "ticket_id", as: String.self)) }.sorted()
    }

    private static func ticketID(_ hex: String) throws -> TicketID {
        guard let id = TicketID(hex: hex) else {
            throw StorageError.corruptValue(table: table, column: "ticket_id", value: hex)
        }
        return id
    }

    private static func decode(_ row: any SQLRow) throws -> IssuedTicket {
        let keyHex = try row.decode(column: "key_id", as: String.self)
        guard let keyID = TicketKeyID(hex: keyHex) else {
            throw StorageError.corruptValue(table: table, column: "key_id", value: keyHex)
        }
        func date(_ column: String) throws -> Date {
            Date(timeIntervalSince1970: try row.decode(column: column, as: Double.self))
        }
        let claims = TicketClaims(
            ticketID: try ticketID(row.decode(column: "ticket_id", as: String.self)),
            keyID: keyID,
            event: EventID(try row.decode(column: "event_id", as: String.self)),
            participantNumber: try row.decode(column: "participant_number", as: Int.self),
            role: Role(rawValue: try row.decode(column: "role", as: String.self)),
            notBefore: try date("not_before"),
            expiry: try date("expiry"))
        return IssuedTicket(
            claims: claims,
            participant: ParticipantID(try row.decode(column: "participant_id", as: String.self)),
            issuedAt: try date("issued_at"),
            revokedAt: try row.decodeNil(column: "revoked_at") ? nil : try date("revoked_at"))
    }
}
