import Foundation
import PartneringCore
import Storage
import Testing

extension RepositorySuite {
    @Test("The audit log keeps entries in order and filters them", arguments: Backend.testable)
    func auditLog(backend: Backend) async throws {
        try await TestStore.with(backend) { store in
            let approve = try await store.auditLog.append(
                AuditEntry(
                    time: Fixtures.start, actor: "organiser:claire", action: "registration.approve",
                    subject: "p-1", details: #"{"category":"academic-expert"}"#))
            let checkIn = try await store.auditLog.append(
                AuditEntry(
                    time: Fixtures.start.addingTimeInterval(5), actor: "desk:2", action: "checkin.admit",
                    subject: "p-1"))
            let other = try await store.auditLog.append(
                AuditEntry(
                    time: Fixtures.start.addingTimeInterval(9), actor: "organiser:claire",
                    action: "registration.reject", subject: "p-2"))

            #expect(approve.sequence < checkIn.sequence)
            #expect(checkIn.sequence < other.sequence)
            #expect(try await store.auditLog.list(.all) == [other, checkIn, approve])
            #expect(try await store.auditLog.list(.init(subject: "p-1")) == [checkIn, approve])
            #expect(try await store.auditLog.list(.init(actor: "organiser:claire", limit: 1)) == [other])
            #expect(try await store.auditLog.list(.init(action: "checkin.admit")) == [checkIn])
        }
    }

    @Test("An idempotency key runs its operation once", arguments: Backend.testable)
    func idempotency(backend: Backend) async throws {
        try await TestStore.with(backend) { store in
            let keys = store.idempotency
            let time = Fixtures.start

            #expect(try await keys.claim(key: "k-1", scope: "registrations", fingerprint: "f1", at: time) == .claimed)
            #expect(
                try await keys.claim(key: "k-1", scope: "registrations", fingerprint: "f1", at: time) == .inProgress)
            #expect(
                try await keys.claim(key: "k-1", scope: "registrations", fingerprint: "f2", at: time)
                    == .fingerprintMismatch)
            #expect(try await keys.claim(key: "k-1", scope: "requests", fingerprint: "f1", at: time) == .claimed)

            try await keys.complete(key: "k-1", scope: "registrations", response: #"{"id":"p-1"}"#, entityID: "p-1")
            let replay = IdempotencyRecord(
                key: "k-1", scope: "registrations", fingerprint: "f1", response: #"{"id":"p-1"}"#,
                entityID: "p-1", createdAt: time)
            #expect(
                try await keys.claim(key: "k-1", scope: "registrations", fingerprint: "f1", at: time)
                    == .completed(replay))

            try await keys.release(key: "k-1", scope: "requests")
            #expect(try await keys.claim(key: "k-1", scope: "requests", fingerprint: "f3", at: time) == .claimed)

            _ = try await keys.claim(
                key: "k-2", scope: "registrations", fingerprint: "f", at: time.addingTimeInterval(100))
            #expect(try await keys.purge(before: time.addingTimeInterval(50)) == 2)
            #expect(try await keys.claim(key: "k-1", scope: "registrations", fingerprint: "f9", at: time) == .claimed)
        }
    }

    @Test("Concurrent claims of one key: exactly one wins", arguments: Backend.testable)
    func concurrentIdempotencyClaims(backend: Backend) async throws {
        try await TestStore.with(backend) { store in
            let claims = try await withThrowingTaskGroup(of: IdempotencyClaim.self) { group in
                for _ in 0..<20 {
                    group.addTask {
                        try await store.idempotency.claim(
                            key: "double-submit", scope: "registrations", fingerprint: "f", at: Fixtures.start)
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(claims.count { $0 == .claimed } == 1)
            #expect(claims.count { $0 == .inProgress } == 19)
        }
    }
}
