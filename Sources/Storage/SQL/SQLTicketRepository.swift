import Foundation
import PartneringCore
import SQLKit

/// Issued tickets in a SQL database.
struct SQLTicketRepository: TicketRepository {
    let backend: SQLBackend
    static let table = "tickets"

    func issue(_ claims: TicketClaims, to participant: ParticipantID, at time: Date) async throws
        -> [TicketID]
    {
        try await backend.write { sql in
            // One issuer at a time per participant, so exactly one ticket stays valid.
            try await backend.lockParticipant(participant, sql)
            guard try await ParticipantQueries.find(id: participant, sql) != nil else {
                throw RepositoryError.participantNotFound(participant)
            }
            if try await find(claims.ticketID, sql) != nil {
                throw RepositoryError.duplicateID(claims.ticketID.hex)
            }
            let revoked = try await revoke(participant, at: time, sql)
            try await sql.insert(into: Self.table)
                .columns(
                    "ticket_id", "participant_id", "key_id", "event_id", "participant_number", "role",
                    "not_before", "expiry", "issued_at", "revoked_at"
                )
                .values(
                    SQLBind(claims.ticketID.hex), SQLBind(participant.rawValue), SQLBind(claims.keyID.hex),
                    SQLBind(claims.event.rawValue), SQLBind(claims.participantNumber), SQLBind(claims.role.rawValue),
                    SQLBind(claims.notBefore.timeIntervalSince1970), SQLBind(claims.expiry.timeIntervalSince1970),
                    SQLBind(time.timeIntervalSince1970), SQLLiteral.null
                )
                .run()
            return revoked
        }
    }

    func revokeAll(of participant: ParticipantID, at time: Date) async throws -> [TicketID] {
        try await backend.write { sql in
            try await backend.lockParticipant(participant, sql)
            return try await revoke(participant, at: time, sql)
        }
    }

    func current(of participant: ParticipantID) async throws -> IssuedTicket? {
        try await backend.sql().select().column("*").from(Self.table)
            .where("participant_id", .equal, participant.rawValue)
            .where("revoked_at", .is, SQLLiteral.null)
            .first().map(Self.decode)
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

    private func revoke(_ participant: ParticipantID, at time: Date, _ sql: any SQLDatabase) async throws
        -> [TicketID]
    {
        let valid = try await sql.select().column("ticket_id").from(Self.table)
            .where("participant_id", .equal, participant.rawValue)
            .where("revoked_at", .is, SQLLiteral.null)
            .all().map { try Self.ticketID($0.decode(column: "ticket_id", as: String.self)) }
        guard !valid.isEmpty else { return [] }
        try await sql.update(Self.table)
            .set("revoked_at", to: time.timeIntervalSince1970)
            .where("participant_id", .equal, participant.rawValue)
            .where("revoked_at", .is, SQLLiteral.null)
            .run()
        return valid.sorted()
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
