import Foundation
import PartneringCore
import Storage
import Testing

extension RepositorySuite {
    private static func notice(_ id: String, to participant: ParticipantID, kind: QueuedNotice.Kind = .accessLink)
        -> QueuedNotice
    {
        QueuedNotice(id: id, kind: kind, participant: participant, queuedAt: Fixtures.start)
    }

    private static func ticket(for participant: Participant, byte: UInt8) throws -> IssuedTicket {
        IssuedTicket(
            claims: TicketClaims(
                ticketID: try #require(TicketID(bytes: [UInt8](repeating: byte, count: 12))),
                keyID: try #require(TicketKeyID(hex: "0a1b2c3d")), event: "onco-paris-2026",
                participantNumber: participant.number, role: participant.role, notBefore: Fixtures.start,
                expiry: Fixtures.start.addingTimeInterval(86_400)),
            participant: participant.id, issuedAt: Fixtures.start)
    }

    @Test("Queued notices are claimed in order, leased, released, and gone once sent", arguments: Backend.testable)
    func noticeQueue(backend: Backend) async throws {
        try await TestStore.with(backend) { store in
            let queue = store.notices
            let now = Fixtures.start
            try await queue.enqueue([
                Self.notice("n-1", to: "p-1"), Self.notice("n-2", to: "p-2"), Self.notice("n-3", to: "p-3"),
            ])
            #expect(try await queue.pendingCount() == 3)

            let first = try await queue.claim(limit: 2, now: now, leaseEnd: now.addingTimeInterval(60))
            #expect(first.map(\.id) == ["n-1", "n-2"])
            #expect(first.first == Self.notice("n-1", to: "p-1"))
            // Leased notices are nobody else's until the lease ends.
            let second = try await queue.claim(limit: 5, now: now, leaseEnd: now.addingTimeInterval(60))
            #expect(second.map(\.id) == ["n-3"])
            #expect(try await queue.claim(limit: 5, now: now.addingTimeInterval(59), leaseEnd: now).isEmpty)

            try await queue.markSent(["n-1", "n-3"])
            #expect(try await queue.pendingCount() == 1)
            // n-2's dispatcher died: after its lease, n-2 is due again.
            let retried = try await queue.claim(
                limit: 5, now: now.addingTimeInterval(61), leaseEnd: now.addingTimeInterval(121))
            #expect(retried.map(\.id) == ["n-2"])
            // A dispatcher that stops mid-batch releases it: due again at once.
            try await queue.release(["n-2"])
            let released = try await queue.claim(
                limit: 5, now: now.addingTimeInterval(62), leaseEnd: now.addingTimeInterval(122))
            #expect(released.map(\.id) == ["n-2"])
            try await queue.markSent(["n-2"])
            #expect(try await queue.pendingCount() == 0)
        }
    }

    @Test("Two dispatchers on one store never claim the same notice", arguments: Backend.testable)
    func concurrentClaims(backend: Backend) async throws {
        try await TestStore.withTwo(backend) { one, two in
            let now = Fixtures.start
            try await one.notices.enqueue((1...60).map { Self.notice("n-\($0)", to: ParticipantID("p-\($0)")) })
            let claimed = try await withThrowingTaskGroup(of: [String].self) { group in
                for (index, store) in [one, two, one, two].enumerated() {
                    group.addTask {
                        var mine: [String] = []
                        while true {
                            let batch = try await store.notices.claim(
                                limit: 4 + index, now: now, leaseEnd: now.addingTimeInterval(60))
                            if batch.isEmpty { return mine }
                            mine += batch.map(\.id)
                        }
                    }
                }
                return try await group.reduce(into: [String]()) { $0 += $1 }
            }
            #expect(claimed.count == 60)
            #expect(Set(claimed).count == 60)
        }
    }

    @Test(
        "A registration's ticket, audit entry, notice and idempotency key commit with it", arguments: Backend.testable)
    func followUpCommitsWithRegistration(backend: Backend) async throws {
        try await TestStore.with(backend) { store in
            #expect(
                try await store.idempotency.claim(
                    key: "k-1", scope: "registration", fingerprint: "f", at: Fixtures.start)
                    == .claimed)
            let draft = Fixtures.draft(1)
            let outcome = try await store.registrations.register(draft, capacity: 5, awaitingApproval: false) {
                outcome in
                FollowUp(
                    tickets: [(try? Self.ticket(for: outcome.participant, byte: 1))].compactMap { $0 },
                    auditEntries: [
                        AuditEntry(
                            time: Fixtures.start, actor: "system", action: "ticket.issue", subject: draft.id.rawValue)
                    ],
                    notices: [Self.notice("n-1", to: outcome.participant.id, kind: .registrationConfirmed)],
                    completion: IdempotencyCompletion(
                        key: "k-1", scope: "registration", response: draft.id.rawValue, entityID: draft.id.rawValue))
            }
            #expect(outcome.participant.status == .confirmed)
            #expect(
                try await store.tickets.current(of: draft.id)?.claims.participantNumber == outcome.participant.number)
            #expect(try await store.auditLog.list(.init(subject: draft.id.rawValue)).map(\.action) == ["ticket.issue"])
            let claimed = try await store.notices.claim(
                limit: 5, now: Fixtures.start, leaseEnd: Fixtures.start.addingTimeInterval(60))
            #expect(claimed.map(\.id) == ["n-1"])
            guard
                case .completed(let record) = try await store.idempotency.claim(
                    key: "k-1", scope: "registration", fingerprint: "f", at: Fixtures.start)
            else {
                Issue.record("the key should be completed")
                return
            }
            #expect(record.entityID == draft.id.rawValue)
        }
    }

    @Test("A follow-up that fails undoes its registration: no seat without its ticket", arguments: Backend.testable)
    func failedFollowUpUndoesRegistration(backend: Backend) async throws {
        try await TestStore.with(backend) { store in
            let first = try await store.registrations.register(Fixtures.draft(1), capacity: 5)
            try await store.notices.enqueue([Self.notice("n-taken", to: first.participant.id)])
            let draft = Fixtures.draft(2)
            // The notice id is taken: the follow-up's insert fails inside the transaction.
            await #expect(throws: (any Error).self) {
                try await store.registrations.register(draft, capacity: 5, awaitingApproval: false) { outcome in
                    FollowUp(
                        tickets: [(try? Self.ticket(for: outcome.participant, byte: 2))].compactMap { $0 },
                        notices: [Self.notice("n-taken", to: outcome.participant.id)])
                }
            }
            #expect(try await store.participants.find(id: draft.id) == nil)
            #expect(try await store.tickets.current(of: draft.id) == nil)
            #expect(try await store.notices.pendingCount() == 1)
            let counts = try await store.participants.countsByCategory()
            #expect(counts[Fixtures.companies]?[.confirmed] == 1)
        }
    }

    @Test("A registration writes the follow-up of the status it got and no other", arguments: Backend.testable)
    func followUpOfTheStatusGot(backend: Backend) async throws {
        try await TestStore.with(backend) { store in
            let drafts = (1...3).map { Fixtures.draft($0) }
            // Confirmed: a ticket, its audit entry and a confirmation; otherwise a notice naming the status.
            let followUp: @Sendable (RegistrationOutcome) -> FollowUp = { outcome in
                let participant = outcome.participant
                let notice = "n-" + participant.status.rawValue + "-" + participant.id.rawValue
                guard participant.status == .confirmed else {
                    return FollowUp(notices: [Self.notice(notice, to: participant.id)])
                }
                let byte = UInt8(drafts.firstIndex { $0.id == participant.id } ?? 9) + 1
                return FollowUp(
                    tickets: [(try? Self.ticket(for: participant, byte: byte))].compactMap { $0 },
                    auditEntries: [
                        AuditEntry(
                            time: Fixtures.start, actor: "system", action: "ticket.issue",
                            subject: participant.id.rawValue)
                    ],
                    notices: [Self.notice(notice, to: participant.id, kind: .registrationConfirmed)])
            }

            // MUT: one seat, then the waiting list, then a registration awaiting approval.
            let seated = try await store.registrations.register(
                drafts[0], capacity: 1, awaitingApproval: false, followUp: followUp)
            let waiting = try await store.registrations.register(
                drafts[1], capacity: 1, awaitingApproval: false, followUp: followUp)
            let pending = try await store.registrations.register(
                drafts[2], capacity: 1, awaitingApproval: true, followUp: followUp)

            // validation
            #expect([seated, waiting, pending].map(\.participant.status) == [.confirmed, .waitlisted, .pending])
            #expect([seated, waiting, pending].map(\.participant.number) == [1, 2, 3])
            #expect(waiting.waitlistPosition == 1)
            #expect(try await store.tickets.current(of: drafts[0].id)?.claims.participantNumber == 1)
            #expect(try await store.tickets.current(of: drafts[1].id) == nil)
            #expect(try await store.tickets.current(of: drafts[2].id) == nil)
            #expect(
                try await store.auditLog.list(.init(action: "ticket.issue")).map(\.subject) == [drafts[0].id.rawValue])
            let claimed = try await store.notices.claim(
                limit: 10, now: Fixtures.start, leaseEnd: Fixtures.start.addingTimeInterval(60))
            #expect(
                claimed.map(\.id) == [
                    "n-confirmed-" + drafts[0].id.rawValue, "n-waitlisted-" + drafts[1].id.rawValue,
                    "n-pending-" + drafts[2].id.rawValue,
                ])
        }
    }

    @Test("A cancellation revokes, promotes, issues and queues in one transaction", arguments: Backend.testable)
    func cancellationFollowUp(backend: Backend) async throws {
        try await TestStore.with(backend) { store in
            let holder = try await store.registrations.register(Fixtures.draft(1), capacity: 1).participant
            _ = try await store.tickets.issue(
                try Self.ticket(for: holder, byte: 1).claims, to: holder.id, at: Fixtures.start, recording: nil)
            let waiting = try await store.registrations.register(Fixtures.draft(2), capacity: 1).participant
            #expect(waiting.status == .waitlisted)
            let release = try await store.registrations.cancel(holder.id, capacity: 1) { release in
                var followUp = FollowUp(
                    revocations: [
                        TicketRevocation(participant: holder.id, at: Fixtures.start) { revoked in
                            AuditEntry(
                                time: Fixtures.start, actor: "system", action: "ticket.revoke",
                                subject: holder.id.rawValue, details: revoked.map(\.hex).joined())
                        }
                    ],
                    notices: [Self.notice("n-cancel", to: holder.id, kind: .registrationCancelled)])
                for promoted in release.promoted {
                    followUp.tickets += [(try? Self.ticket(for: promoted, byte: 2))].compactMap { $0 }
                    followUp.notices.append(Self.notice("n-promoted", to: promoted.id, kind: .waitlistPromoted))
                }
                return followUp
            }
            #expect(release.promoted.map(\.id) == [waiting.id])
            #expect(try await store.tickets.current(of: holder.id) == nil)
            #expect(try await store.tickets.current(of: waiting.id) != nil)
            #expect(try await store.auditLog.list(.init(action: "ticket.revoke")).count == 1)
            let claimed = try await store.notices.claim(
                limit: 5, now: Fixtures.start, leaseEnd: Fixtures.start.addingTimeInterval(60))
            #expect(claimed.map(\.id) == ["n-cancel", "n-promoted"])
        }
    }

    @Test("A claim in progress whose lease ended is taken over by a retry", arguments: Backend.testable)
    func staleIdempotencyClaim(backend: Backend) async throws {
        try await TestStore.with(backend) { store async throws in
            let keys = store.idempotency
            let time = Fixtures.start
            #expect(
                try await keys.claim(key: "k", scope: "s", fingerprint: "f", at: time, staleBefore: .distantPast)
                    == .claimed)
            // Still within the lease: in progress.
            #expect(
                try await keys.claim(
                    key: "k", scope: "s", fingerprint: "f", at: time.addingTimeInterval(5),
                    staleBefore: time.addingTimeInterval(-10)) == .inProgress)
            // After the lease: taken over once; the new claim has a lease of its own.
            let later = time.addingTimeInterval(20)
            #expect(
                try await keys.claim(
                    key: "k", scope: "s", fingerprint: "f", at: later, staleBefore: later.addingTimeInterval(-15))
                    == .claimed)
            #expect(
                try await keys.claim(
                    key: "k", scope: "s", fingerprint: "f", at: later, staleBefore: later.addingTimeInterval(-15))
                    == .inProgress)
            // A completed key stays when a slower try of the same request releases it.
            try await keys.complete(key: "k", scope: "s", response: "p-1", entityID: "p-1")
            try await keys.release(key: "k", scope: "s")
            guard case .completed = try await keys.claim(key: "k", scope: "s", fingerprint: "f", at: later) else {
                Issue.record("a completed key was released")
                return
            }
            // Another request body never takes a key over.
            #expect(
                try await keys.claim(
                    key: "k", scope: "s", fingerprint: "g", at: later.addingTimeInterval(100),
                    staleBefore: later.addingTimeInterval(50)) == .fingerprintMismatch)
        }
    }
}

extension RepositorySuite {
    @Test("A publication is recorded with all its agendas queued, or not at all", arguments: Backend.testable)
    func publicationQueuesAgendas(backend: Backend) async throws {
        try await TestStore.with(backend) { store in
            let version = try await store.schedules.save(
                ScheduleDraft(meetings: [], objective: 0, createdAt: Fixtures.start))
            let agendas = (1...3).map {
                QueuedNotice(
                    id: "n-agenda-\($0)", kind: .agenda, participant: ParticipantID("p-\($0)"), reference: "1",
                    queuedAt: Fixtures.start)
            }
            try await store.notices.enqueue([
                QueuedNotice(id: "n-agenda-3", kind: .accessLink, participant: "p-9", queuedAt: Fixtures.start)
            ])
            // One notice id is taken: the publication fails whole.
            await #expect(throws: (any Error).self) {
                try await store.schedules.publish(
                    version.info.version, at: Fixtures.start, followUp: FollowUp(notices: agendas))
            }
            #expect(try await store.schedules.published() == nil)
            #expect(try await store.notices.pendingCount() == 1)

            _ = try await store.schedules.publish(
                version.info.version, at: Fixtures.start, followUp: FollowUp(notices: Array(agendas.prefix(2))))
            #expect(try await store.schedules.published()?.info.version == version.info.version)
            let claimed = try await store.notices.claim(
                limit: 10, now: Fixtures.start, leaseEnd: Fixtures.start.addingTimeInterval(60))
            #expect(claimed.map(\.id) == ["n-agenda-3", "n-agenda-1", "n-agenda-2"])
            #expect(claimed.last?.kind == .agenda && claimed.last?.reference == "1")
        }
    }
}
