import Foundation
import PartneringCore
import SQLKit

/// Admissions in a SQL database. Each scan is one write transaction holding the
/// participant's row, so two desks scanning the same person at the same moment
/// are served one after the other: the first admits, the second sees the admission.
struct SQLCheckInRepository: CheckInRepository {
    let backend: SQLBackend

    func admit(
        participant: ParticipantID, ticket: TicketID, desk: String, nonce: String, at time: Date,
        followUp: @escaping @Sendable (AdmissionRecord) -> FollowUp
    ) async throws -> AdmissionRecord {
        try await backend.write { sql in
            try await backend.lockParticipant(participant, sql)
            guard try await ParticipantQueries.find(id: participant, sql) != nil else {
                throw RepositoryError.participantNotFound(participant)
            }
            let repeated =
                try await sql.select().column("nonce").from("scan_nonces")
                .where("nonce", .equal, nonce).first() != nil
            if !repeated {
                try await sql.insert(into: "scan_nonces")
                    .columns("nonce", "participant_id", "time")
                    .values(SQLBind(nonce), SQLBind(participant.rawValue), SQLBind(time.timeIntervalSince1970))
                    .run()
            }
            if let first = try await checkIn(of: participant, sql) {
                let record = AdmissionRecord(checkIn: first, admitted: first.nonce == nonce, repeatedScan: repeated)
                try await backend.apply(followUp(record), sql)
                return record
            }
            let checkIn = CheckIn(participant: participant, ticket: ticket, desk: desk, nonce: nonce, time: time)
            try await sql.insert(into: "check_ins")
                .columns("participant_id", "ticket_id", "desk", "nonce", "time")
                .values(
                    SQLBind(participant.rawValue), SQLBind(ticket.hex), SQLBind(desk), SQLBind(nonce),
                    SQLBind(time.timeIntervalSince1970)
                )
                .run()
            let record = AdmissionRecord(checkIn: checkIn, admitted: true, repeatedScan: repeated)
            try await backend.apply(followUp(record), sql)
            return record
        }
    }

    func checkIn(of participant: ParticipantID) async throws -> CheckIn? {
        try await checkIn(of: participant, try backend.sql())
    }

    func checkIns() async throws -> [CheckIn] {
        try await backend.sql().select().column("*").from("check_ins")
            .orderBy("time").orderBy("participant_id")
            .all().map(Self.decode)
    }

    private func checkIn(of participant: ParticipantID, _ sql: any SQLDatabase) async throws -> CheckIn? {
        try await sql.select().column("*").from("check_ins")
            .where("participant_id", .equal, participant.rawValue)
            .first().map(Self.decode)
    }

    private static func decode(_ row: any SQLRow) throws -> CheckIn {
        let hex = try row.decode(column: "ticket_id", as: String.self)
        guard let ticket = TicketID(hex: hex) else {
            throw StorageError.corruptValue(table: "check_ins", column: "ticket_id", value: hex)
        }
        return CheckIn(
            participant: ParticipantID(try row.decode(column: "participant_id", as: String.self)),
            ticket: ticket,
            desk: try row.decode(column: "desk", as: String.self),
            nonce: try row.decode(column: "nonce", as: String.self),
            time: Date(timeIntervalSince1970: try row.decode(column: "time", as: Double.self)))
    }
}
