import Foundation
import PartneringCore

/// The repositories the check-in service works on: the store's, on SQLite, PostgreSQL
/// or in memory.
public struct CheckInRepositories: Sendable {
    public var participants: any ParticipantRepository
    public var tickets: any TicketRepository
    public var checkIns: any CheckInRepository
    public var schedules: any ScheduleRepository
    public var auditLog: any AuditLogRepository
    public var idempotency: any IdempotencyRepository

    public init(
        participants: any ParticipantRepository, tickets: any TicketRepository, checkIns: any CheckInRepository,
        schedules: any ScheduleRepository, auditLog: any AuditLogRepository, idempotency: any IdempotencyRepository
    ) {
        self.participants = participants
        self.tickets = tickets
        self.checkIns = checkIns
        self.schedules = schedules
        self.auditLog = auditLog
        self.idempotency = idempotency
    }
}
