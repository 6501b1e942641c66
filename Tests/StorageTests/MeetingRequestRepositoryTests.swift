import Foundation
import PartneringCore
import Storage
import Testing

extension RepositorySuite {
    @Test("Requests are stored, listed by sender, recipient and status, and answered", arguments: Backend.testable)
    func requests(backend: Backend) async throws {
        try await TestStore.with(backend) { store in
            // setup
            let company = try await store.participants.insert(Fixtures.draft(1), status: .confirmed)
            let expert = try await store.participants.insert(Fixtures.draft(2, role: .expert), status: .confirmed)
            let other = try await store.participants.insert(Fixtures.draft(3, role: .expert), status: .confirmed)

            // MUT
            let toExpert = try await store.requests.create(
                Fixtures.request(2, from: company.id, to: expert.id, priority: .second), openRequestLimit: 5)
            let toOther = try await store.requests.create(
                Fixtures.request(3, from: company.id, to: other.id, priority: .third), openRequestLimit: 5)
            let back = try await store.requests.create(
                Fixtures.request(1, from: expert.id, to: company.id), openRequestLimit: nil)
            let accepted = try await store.requests.updateStatus(toExpert.id, to: .accepted)

            // validation
            #expect(accepted.status == .accepted)
            #expect(try await store.requests.find(id: toExpert.id) == accepted)
            #expect(try await store.requests.find(id: back.id) == back)
            #expect(try await store.requests.list(.all) == [back, accepted, toOther])
            #expect(try await store.requests.list(.init(from: company.id)) == [accepted, toOther])
            #expect(try await store.requests.list(.init(to: company.id)) == [back])
            #expect(try await store.requests.list(.init(involving: expert.id)) == [back, accepted])
            #expect(try await store.requests.list(.init(statuses: [.accepted])) == [accepted])
            #expect(try await store.requests.list(.init(statuses: [])) == [])
            #expect(try await store.requests.list(.init(from: company.id, statuses: [.pending])) == [toOther])
            #expect(try await store.requests.countOpen(from: company.id) == 2)
            _ = try await store.requests.updateStatus(toOther.id, to: .withdrawn)
            #expect(try await store.requests.countOpen(from: company.id) == 1)
            await #expect(throws: RepositoryError.requestNotFound("r-missing")) {
                try await store.requests.updateStatus("r-missing", to: .declined)
            }
        }
    }

    @Test("A request needs known participants and respects the cap on open requests", arguments: Backend.testable)
    func requestRefusals(backend: Backend) async throws {
        try await TestStore.with(backend) { store in
            let company = try await store.participants.insert(Fixtures.draft(1), status: .confirmed)
            let expert = try await store.participants.insert(Fixtures.draft(2, role: .expert), status: .confirmed)

            await #expect(throws: RepositoryError.unknownRequestParticipant("p-ghost")) {
                try await store.requests.create(
                    Fixtures.request(1, from: company.id, to: "p-ghost"), openRequestLimit: nil)
            }
            let first = try await store.requests.create(
                Fixtures.request(1, from: company.id, to: expert.id), openRequestLimit: 1)
            await #expect(throws: RepositoryError.duplicateID(first.id.rawValue)) {
                try await store.requests.create(first, openRequestLimit: nil)
            }
            await #expect(throws: RepositoryError.openRequestLimitReached(company.id, limit: 1)) {
                try await store.requests.create(
                    Fixtures.request(2, from: company.id, to: expert.id), openRequestLimit: 1)
            }
        }
    }

    @Test("Concurrent requests of one sender never exceed the cap", arguments: Backend.testable)
    func concurrentRequestCap(backend: Backend) async throws {
        try await TestStore.with(backend) { store in
            let company = try await store.participants.insert(Fixtures.draft(1), status: .confirmed)
            var experts: [ParticipantID] = []
            for index in 2...21 {
                experts.append(
                    try await store.participants.insert(Fixtures.draft(index, role: .expert), status: .confirmed).id)
            }

            let created = await withTaskGroup(of: Bool.self) { group in
                for (index, expert) in experts.enumerated() {
                    group.addTask {
                        let request = Fixtures.request(index, from: company.id, to: expert)
                        return (try? await store.requests.create(request, openRequestLimit: 7)) != nil
                    }
                }
                return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }

            #expect(created == 7)
            #expect(try await store.requests.countOpen(from: company.id) == 7)
        }
    }
}
