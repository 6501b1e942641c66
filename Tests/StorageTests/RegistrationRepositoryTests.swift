import Foundation
import PartneringCore
import Storage
import Testing

extension RepositorySuite {
    @Test("Registrations confirm until the category is full, then wait in line", arguments: Backend.testable)
    func registerUpToCapacity(backend: Backend) async throws {
        try await TestStore.with(backend) { store in
            // MUT
            var outcomes: [RegistrationOutcome] = []
            for index in 1...5 {
                outcomes.append(try await store.registrations.register(Fixtures.draft(index), capacity: 3))
            }
            let expert = try await store.registrations.register(
                Fixtures.draft(6, role: .expert), capacity: 1)

            // validation
            #expect(
                outcomes.map(\.participant.status) == [.confirmed, .confirmed, .confirmed, .waitlisted, .waitlisted])
            #expect(outcomes.map(\.waitlistPosition) == [nil, nil, nil, 1, 2])
            #expect(outcomes.map(\.participant.number) == [1, 2, 3, 4, 5])
            #expect(expert.participant.status == .confirmed, "another category has its own seats")
            #expect(try await store.participants.find(id: outcomes[4].participant.id) == outcomes[4].participant)
            #expect(try await store.registrations.waitlistPosition(of: outcomes[4].participant.id) == 2)
            #expect(try await store.registrations.waitlistPosition(of: outcomes[0].participant.id) == nil)
        }
    }

    @Test("Cancelling frees the seat for the next in line", arguments: Backend.testable)
    func cancelPromotes(backend: Backend) async throws {
        try await TestStore.with(backend) { store in
            // setup
            var ids: [ParticipantID] = []
            for index in 1...4 {
                ids.append(try await store.registrations.register(Fixtures.draft(index), capacity: 2).participant.id)
            }

            // MUT
            let release = try await store.registrations.cancel(ids[0], capacity: 2)

            // validation
            #expect(release.participant.status == .cancelled)
            #expect(release.promoted.map(\.id) == [ids[2]])
            #expect(release.promoted.map(\.status) == [.confirmed])
            #expect(try await store.participants.find(id: ids[2])?.status == .confirmed)
            #expect(try await store.registrations.waitlistPosition(of: ids[3]) == 1)

            // Cancelling someone in line promotes nobody; cancelling twice is refused.
            let lineRelease = try await store.registrations.cancel(ids[3], capacity: 2)
            #expect(lineRelease.promoted.isEmpty)
            await #expect(throws: RepositoryError.invalidTransition(ids[3], from: .cancelled, to: .cancelled)) {
                try await store.registrations.cancel(ids[3], capacity: 2)
            }
            await #expect(throws: RepositoryError.participantNotFound("p-missing")) {
                try await store.registrations.cancel("p-missing", capacity: 2)
            }
        }
    }

    @Test("Approval takes a seat if one is free; rejection frees it", arguments: Backend.testable)
    func approveAndReject(backend: Backend) async throws {
        try await TestStore.with(backend) { store in
            let category = Fixtures.experts
            let first = try await store.registrations.register(
                Fixtures.draft(1, role: .expert), capacity: 1, awaitingApproval: true)
            let second = try await store.registrations.register(
                Fixtures.draft(2, role: .expert), capacity: 1, awaitingApproval: true)
            #expect(first.participant.status == .pending)
            #expect(first.waitlistPosition == nil)

            let approved = try await store.registrations.approve(first.participant.id, capacity: 1)
            let lined = try await store.registrations.approve(second.participant.id, capacity: 1)
            #expect(approved.participant.status == .confirmed)
            #expect(lined.participant.status == .waitlisted)
            #expect(lined.waitlistPosition == 1)
            await #expect(
                throws: RepositoryError.invalidTransition(first.participant.id, from: .confirmed, to: .confirmed)
            ) {
                try await store.registrations.approve(first.participant.id, capacity: 1)
            }

            let release = try await store.registrations.reject(first.participant.id, capacity: 1)
            #expect(release.participant.status == .rejected)
            #expect(release.promoted.map(\.id) == [second.participant.id])
            #expect(try await store.participants.countsByCategory()[category] == [.rejected: 1, .confirmed: 1])
        }
    }

    @Test("Raising a capacity promotes from the waiting list in order", arguments: Backend.testable)
    func promoteAfterCapacityRaise(backend: Backend) async throws {
        try await TestStore.with(backend) { store in
            var ids: [ParticipantID] = []
            for index in 1...5 {
                ids.append(try await store.registrations.register(Fixtures.draft(index), capacity: 1).participant.id)
            }

            let promoted = try await store.registrations.promoteWaitlisted(
                category: Fixtures.companies, capacity: 3)

            #expect(promoted.map(\.id) == [ids[1], ids[2]])
            #expect(try await store.registrations.waitlistPosition(of: ids[4]) == 2)
            #expect(try await store.registrations.promoteWaitlisted(category: Fixtures.companies, capacity: 3).isEmpty)
        }
    }

    @Test("A refused registration changes nothing", arguments: Backend.testable)
    func duplicateRegistration(backend: Backend) async throws {
        try await TestStore.with(backend) { store in
            let first = try await store.registrations.register(Fixtures.draft(1), capacity: 1)
            var again = Fixtures.draft(1)
            again.email = again.email.uppercased()

            await #expect(throws: RepositoryError.duplicateEmail(again.email, existing: first.participant.id)) {
                try await store.registrations.register(again, capacity: 1)
            }
            let next = try await store.registrations.register(Fixtures.draft(2), capacity: 1)
            #expect(next.participant.number == 2)
            #expect(next.waitlistPosition == 1)
        }
    }

    /// 300 people press "register" at once for 100 seats; on the databases through
    /// two store instances, as two server processes would.
    @Test("300 concurrent registrations for 100 seats confirm exactly 100", arguments: Backend.testable)
    func concurrentRegistrations(backend: Backend) async throws {
        let check: (PartneringStore, PartneringStore) async throws -> Void = { first, second in
            // MUT
            let outcomes = try await withThrowingTaskGroup(of: RegistrationOutcome.self) { group in
                for index in 1...300 {
                    let store = index.isMultiple(of: 2) ? first : second
                    group.addTask {
                        try await store.registrations.register(Fixtures.draft(index), capacity: 100)
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }

            // validation
            let confirmed = outcomes.filter { $0.participant.status == .confirmed }
            let waitlisted = outcomes.filter { $0.participant.status == .waitlisted }
            #expect(confirmed.count == 100)
            #expect(waitlisted.count == 200)
            #expect(waitlisted.compactMap(\.waitlistPosition).sorted() == Array(1...200))
            #expect(outcomes.map(\.participant.number).sorted() == Array(1...300))
            #expect(
                try await first.participants.countsByCategory()
                    == [Fixtures.companies: [.confirmed: 100, .waitlisted: 200]])
        }
        if backend == .memory {
            try await TestStore.with(backend) { store in try await check(store, store) }
        } else {
            try await TestStore.withTwo(backend) { first, second in try await check(first, second) }
        }
    }

    @Test("Concurrent cancellations promote each waiting participant once", arguments: Backend.testable)
    func concurrentCancellations(backend: Backend) async throws {
        try await TestStore.with(backend) { store in
            var confirmed: [ParticipantID] = []
            for index in 1...40 {
                let outcome = try await store.registrations.register(Fixtures.draft(index), capacity: 20)
                if outcome.participant.status == .confirmed { confirmed.append(outcome.participant.id) }
            }

            let promoted = try await withThrowingTaskGroup(of: [ParticipantID].self) { group in
                for id in confirmed.prefix(10) {
                    group.addTask { try await store.registrations.cancel(id, capacity: 20).promoted.map(\.id) }
                }
                return try await group.reduce(into: []) { $0 += $1 }
            }

            #expect(promoted.count == 10)
            #expect(Set(promoted).count == 10)
            #expect(try await store.participants.count(.init(statuses: [.confirmed])) == 20)
        }
    }
}

extension RepositorySuite {
    /// Many registrations at once, a third of them with an address already taken: the
    /// refused ones leave no trace and the others all persist, however the store groups
    /// concurrent writes into commits.
    @Test("Refused and accepted registrations at once: only the accepted persist", arguments: Backend.testableSQL)
    func concurrentMixedRegistrations(backend: Backend) async throws {
        let test = try await TestStore.make(backend)
        var store = try await test.open()
        for index in 1...20 { _ = try await store.registrations.register(Fixtures.draft(index), capacity: 1000) }

        // MUT: 60 new addresses and 30 repeats of the first 20, interleaved.
        let attempts = (0..<90).map { index in index.isMultiple(of: 3) ? index / 3 % 20 + 1 : 100 + index }
        let results = await withTaskGroup(of: (Int, Bool).self) { group in
            for email in attempts {
                group.addTask { [store] in
                    do {
                        _ = try await store.registrations.register(Fixtures.draft(email), capacity: 1000)
                        return (email, true)
                    } catch RepositoryError.duplicateEmail {
                        return (email, false)
                    } catch {
                        Issue.record("unexpected \(error)")
                        return (email, false)
                    }
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        store = try await test.reopen(store)

        // validation
        #expect(results.filter(\.1).map(\.0).sorted() == attempts.filter { $0 > 20 }.sorted())
        #expect(results.filter { !$0.1 }.count == 30)
        let stored = try await store.participants.list(ParticipantFilter())
        #expect(stored.count == 80)
        #expect(stored.map(\.number).sorted() == Array(1...80), "refused registrations use no number")
        #expect(try await store.participants.countsByCategory() == [Fixtures.companies: [.confirmed: 80]])
        try await store.shutdown()
    }
}
