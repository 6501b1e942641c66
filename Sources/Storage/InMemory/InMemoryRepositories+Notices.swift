import Foundation
import PartneringCore

extension InMemoryRepositories: NoticeQueueRepository {
    public func record(_ followUp: FollowUp) async throws {
        try atomically { try apply(followUp) }
    }

    private func queue(_ notice: QueuedNotice) {
        lastNoticeSequence += 1
        noticeQueue[notice.id] = (notice, lastNoticeSequence, .distantPast)
    }

    public func claim(limit: Int, now: Date, leaseEnd: Date) async throws -> [QueuedNotice] {
        let due = noticeQueue.values.filter { $0.leaseUntil < now }.sorted { $0.sequence < $1.sequence }
            .prefix(max(0, limit)).map(\.notice)
        for notice in due { noticeQueue[notice.id]?.leaseUntil = leaseEnd }
        return Array(due)
    }

    public func markSent(_ ids: [String]) async throws {
        for id in ids { noticeQueue[id] = nil }
    }

    public func release(_ ids: [String]) async throws {
        for id in ids { noticeQueue[id]?.leaseUntil = .distantPast }
    }

    public func pendingCount() async throws -> Int { noticeQueue.count }

    /// Runs an operation and its follow-up as one: when either throws, the state is as before.
    func atomically<T>(_ operation: () throws -> T) throws -> T {
        let saved = (
            participants, lastParticipantNumber, requests, requestOrder, auditEntries, idempotency, tickets,
            noticeQueue, lastNoticeSequence
        )
        do {
            return try operation()
        } catch {
            (
                participants, lastParticipantNumber, requests, requestOrder, auditEntries, idempotency, tickets,
                noticeQueue, lastNoticeSequence
            ) = saved
            throw error
        }
    }

    /// Writes what commits with an operation (inside ``atomically(_:)``); a notice id that
    /// is taken fails it, as the SQL stores' unique key does.
    func apply(_ followUp: FollowUp) throws {
        for notice in followUp.notices where noticeQueue[notice.id] != nil {
            throw RepositoryError.duplicateID(notice.id)
        }
        for revocation in followUp.revocations {
            let revoked = revokeTickets(of: revocation.participant, at: revocation.time)
            if !revoked.isEmpty { appendEntry(revocation.audit(revoked)) }
        }
        for ticket in followUp.tickets
        where tickets[ticket.claims.ticketID] == nil
            && !tickets.values.contains(where: { $0.participant == ticket.participant && $0.revokedAt == nil })
        {
            tickets[ticket.claims.ticketID] = ticket
        }
        for entry in followUp.auditEntries { appendEntry(entry) }
        for notice in followUp.notices { queue(notice) }
        if let completion = followUp.completion {
            let scoped = IdempotencyScopedKey(scope: completion.scope, key: completion.key)
            idempotency[scoped]?.response = completion.response
            idempotency[scoped]?.entityID = completion.entityID
        }
    }
}
