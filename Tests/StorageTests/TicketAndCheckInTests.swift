import Foundation
import PartneringCore
import Storage
import Testing

extension RepositorySuite {
    private static func claims(_ byte: UInt8, number: Int) throws -> TicketClaims {
        TicketClaims(
            ticketID: try #require(TicketID(bytes: [UInt8](repeating: byte, count: 12))),
            keyID: try #require(TicketKeyID(hex: "0a1b2c3d")), event: "onco-paris-2026",
            participantNumber: number, role: .company, notBefore: Fixtures.start,
            expiry: Fixtures.start.addingTimeInterval(86_400))
    }

    @Test("Reissuing a ticket revokes the previous one; cancelling revokes all", arguments: Backend.testable)
    func tickets(backend: Backend) async throws {
        try await TestStore.with(backend) { store in
            // setup
            let participant = try await store.participants.insert(Fixtures.draft(1), status: .confirmed)
            let first = try Self.claims(0x11, number: participant.number)
            let second = try Self.claims(0x22, number: participant.number)

            // MUT
            #expect(try await store.tickets.issue(first, to: participant.id, at: Fixtures.start) == [])
            let revoked = try await store.tickets.issue(
                second, to: participant.id, at: Fixtures.start.addingTimeInterval(10))

            // validation
            #expect(revoked == [first.ticketID])
            #expect(
                try await store.tickets.current(of: participant.id)
                    == IssuedTicket(claims: second, participant: participant.id, issuedAt: Fixtures.start + 10))
            #expect(try await store.tickets.find(first.ticketID)?.revokedAt == Fixtures.start + 10)
            #expect(try await store.tickets.revokedIDs() == [first.ticketID])
            let unticketed = try await store.participants.insert(Fixtures.draft(2), status: .confirmed)
            #expect(
                try await store.tickets.current(of: [unticketed.id, participant.id, "p-missing"])
                    == [
                        participant.id: IssuedTicket(
                            claims: second, participant: participant.id, issuedAt: Fixtures.start + 10)
                    ])
            await #expect(throws: RepositoryError.duplicateID(second.ticketID.hex)) {
                try await store.tickets.issue(second, to: participant.id, at: Fixtures.start)
            }
            await #expect(throws: RepositoryError.participantNotFound("p-missing")) {
                try await store.tickets.issue(try Self.claims(0x33, number: 9), to: "p-missing", at: Fixtures.start)
            }

            let revocationEntry = { @Sendable (revoked: [TicketID]) in
                AuditEntry(
                    time: Fixtures.start, actor: "test", action: "ticket.revoke", subject: participant.id.rawValue,
                    details: revoked.map(\.hex).joined(separator: ","))
            }
            #expect(
                try await store.tickets.revokeAll(
                    of: participant.id, at: Fixtures.start + 20, recording: revocationEntry)
                    == [second.ticketID])
            #expect(try await store.tickets.current(of: participant.id) == nil)
            #expect(try await store.tickets.current(of: [participant.id]) == [:])
            #expect(try await store.tickets.revokedIDs() == [first.ticketID, second.ticketID])
            // Nothing left to revoke: no entry.
            #expect(
                try await store.tickets.revokeAll(
                    of: participant.id, at: Fixtures.start + 30, recording: revocationEntry
                )
                .isEmpty)
            let revocations = try await store.auditLog.list(AuditFilter(action: "ticket.revoke"))
            #expect(revocations.map(\.details) == [second.ticketID.hex])
        }
    }

    @Test("A ticket and its audit entry are stored together or not at all", arguments: Backend.testable)
    func ticketWithAudit(backend: Backend) async throws {
        try await TestStore.with(backend) { store in
            let participant = try await store.participants.insert(Fixtures.draft(1), status: .confirmed)
            let entry: @Sendable ([TicketID]) -> AuditEntry = { revoked in
                AuditEntry(
                    time: Fixtures.start, actor: "test", action: revoked.isEmpty ? "ticket.issue" : "ticket.reissue",
                    subject: "ticket")
            }

            // MUT
            _ = try await store.tickets.issue(
                try Self.claims(0x11, number: participant.number), to: participant.id, at: Fixtures.start,
                recording: entry)
            _ = try await store.tickets.issue(
                try Self.claims(0x22, number: participant.number), to: participant.id, at: Fixtures.start,
                recording: entry)
            await #expect(throws: RepositoryError.participantNotFound("p-missing")) {
                try await store.tickets.issue(
                    try Self.claims(0x33, number: 9), to: "p-missing", at: Fixtures.start, recording: entry)
            }

            // validation
            let actions = try await store.auditLog.list(AuditFilter(subject: "ticket")).map(\.action)
            #expect(actions == ["ticket.reissue", "ticket.issue"], "none for the refused ticket")
            #expect(try await store.tickets.find(try Self.claims(0x33, number: 9).ticketID) == nil)
        }
    }

    @Test("A participant is admitted once; a repeated scan upload counts once", arguments: Backend.testable)
    func checkIn(backend: Backend) async throws {
        try await TestStore.with(backend) { store in
            let participant = try await store.participants.insert(Fixtures.draft(1), status: .confirmed)
            let ticket = try Self.claims(0x44, number: participant.number).ticketID

            let first = try await store.checkIns.admit(
                participant: participant.id, ticket: ticket, desk: "desk-1", nonce: "n-1", at: Fixtures.start)
            let again = try await store.checkIns.admit(
                participant: participant.id, ticket: ticket, desk: "desk-2", nonce: "n-2", at: Fixtures.start + 30)
            let upload = try await store.checkIns.admit(
                participant: participant.id, ticket: ticket, desk: "desk-1", nonce: "n-1", at: Fixtures.start + 60)

            let admission = CheckIn(
                participant: participant.id, ticket: ticket, desk: "desk-1", nonce: "n-1", time: Fixtures.start)
            #expect(first == AdmissionRecord(checkIn: admission, admitted: true, repeatedScan: false))
            #expect(again == AdmissionRecord(checkIn: admission, admitted: false, repeatedScan: false))
            #expect(upload == AdmissionRecord(checkIn: admission, admitted: true, repeatedScan: true))
            #expect(try await store.checkIns.checkIn(of: participant.id) == admission)
            #expect(try await store.checkIns.checkIns() == [admission])
            await #expect(throws: RepositoryError.participantNotFound("p-missing")) {
                try await store.checkIns.admit(
                    participant: "p-missing", ticket: ticket, desk: "desk-1", nonce: "n-3", at: Fixtures.start)
            }
        }
    }

    @Test(
        "A scan's follow-up commits with it and is built from what was recorded; a scan of nobody writes none",
        arguments: Backend.testable)
    func checkInFollowUp(backend: Backend) async throws {
        try await TestStore.with(backend) { store in
            let participant = try await store.participants.insert(Fixtures.draft(1), status: .confirmed)
            let ticket = try Self.claims(0x46, number: participant.number).ticketID
            let audit = { @Sendable (record: AdmissionRecord) in
                FollowUp(auditEntries: [
                    AuditEntry(
                        time: Fixtures.start, actor: "desk:d",
                        action: record.admitted ? "checkin.admit" : "checkin.refuse",
                        subject: participant.id.rawValue, details: record.checkIn.desk)
                ])
            }

            _ = try await store.checkIns.admit(
                participant: participant.id, ticket: ticket, desk: "desk-1", nonce: "n-1", at: Fixtures.start,
                followUp: audit)
            _ = try await store.checkIns.admit(
                participant: participant.id, ticket: ticket, desk: "desk-2", nonce: "n-2", at: Fixtures.start + 30,
                followUp: audit)
            await #expect(throws: RepositoryError.participantNotFound("p-missing")) {
                try await store.checkIns.admit(
                    participant: "p-missing", ticket: ticket, desk: "desk-1", nonce: "n-3", at: Fixtures.start,
                    followUp: audit)
            }

            let entries = try await store.auditLog.list(AuditFilter(actor: "desk:d"))
            #expect(
                entries.map { "\($0.action) \($0.details)" }.sorted() == [
                    "checkin.admit desk-1", "checkin.refuse desk-1",
                ])
        }
    }

    @Test("Two desks scanning the same ticket at once give exactly one admission", arguments: Backend.testableSQL)
    func concurrentCheckIn(backend: Backend) async throws {
        try await TestStore.withTwo(backend) { first, second in
            let participant = try await first.participants.insert(Fixtures.draft(1), status: .confirmed)
            let ticket = try Self.claims(0x55, number: participant.number).ticketID

            let records = try await withThrowingTaskGroup(of: AdmissionRecord.self) { group in
                for desk in 0..<20 {
                    let store = desk.isMultiple(of: 2) ? first : second
                    group.addTask {
                        try await store.checkIns.admit(
                            participant: participant.id, ticket: ticket, desk: "desk-\(desk)", nonce: "n-\(desk)",
                            at: Fixtures.start + Double(desk))
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }

            #expect(records.count { $0.admitted } == 1)
            #expect(Set(records.map(\.checkIn)).count == 1)
            #expect(try await second.checkIns.checkIns().count == 1)
        }
    }
}
