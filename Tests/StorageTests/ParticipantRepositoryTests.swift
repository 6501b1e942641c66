import Foundation
import PartneringCore
import Storage
import Testing

extension RepositorySuite {
    @Test("Insert gives sequential numbers and stores every field", arguments: Backend.testable)
    func insertAndFind(backend: Backend) async throws {
        try await TestStore.with(backend) { store in
            // setup
            let first = Fixtures.draft(
                2, name: "Hélène Dupré-Lefèvre", organisation: "Institut Curie", country: "FR")
            let second = Fixtures.draft(3, role: .expert, name: "Jürgen Weiß")

            // MUT
            let stored = try await store.participants.insert(first, status: .confirmed)
            let other = try await store.participants.insert(second, status: .pending)

            // validation
            #expect(stored == first.participant(number: 1, status: .confirmed))
            #expect(other.number == 2)
            #expect(try await store.participants.find(id: first.id) == stored)
            #expect(try await store.participants.find(number: 2) == other)
            #expect(try await store.participants.find(email: "  PARTICIPANT2@Example.org") == stored)
            #expect(try await store.participants.find(id: "p-missing") == nil)
            #expect(try await store.participants.find(number: 99) == nil)
            #expect(
                try await store.participants.find(ids: [other.id, "p-missing", first.id, other.id])
                    == [first.id: stored, other.id: other])
            #expect(try await store.participants.find(ids: []) == [:])
        }
    }

    @Test("An e-mail address registers once, whatever its case", arguments: Backend.testable)
    func duplicateEmail(backend: Backend) async throws {
        try await TestStore.with(backend) { store in
            let first = try await store.participants.insert(Fixtures.draft(1), status: .confirmed)
            var again = Fixtures.draft(2)
            again.email = "Participant1@EXAMPLE.org"

            await #expect(throws: RepositoryError.duplicateEmail(again.email, existing: first.id)) {
                try await store.participants.insert(again, status: .confirmed)
            }
            // The refused insert used no participant number.
            let next = try await store.participants.insert(Fixtures.draft(3), status: .confirmed)
            #expect(next.number == 2)
        }
    }

    @Test(
        "Update changes details but neither number nor status; its audit entry commits with it, a refused update writes none",
        arguments: Backend.testable)
    func update(backend: Backend) async throws {
        try await TestStore.with(backend) { store in
            // setup
            var participant = try await store.participants.insert(Fixtures.draft(1), status: .confirmed)
            let other = try await store.participants.insert(Fixtures.draft(2), status: .confirmed)

            // MUT
            participant.name = "Émilie Carré"
            participant.topics = ["myeloma", "bispecifics"]
            participant.availability = nil
            participant.phone = nil
            participant.maxMeetings = 5
            participant.number = 40
            let audit = { (action: String) in
                FollowUp(auditEntries: [
                    AuditEntry(
                        time: Fixtures.start, actor: "participant:p", action: action, subject: participant.id.rawValue)
                ])
            }
            let updated = try await store.participants.update(participant, followUp: audit("profile.update"))

            // validation
            #expect(updated.number == 1)
            #expect(updated.name == "Émilie Carré")
            #expect(try await store.participants.find(id: participant.id) == updated)

            var statusChange = updated
            statusChange.status = .cancelled
            await #expect(throws: RepositoryError.statusChangeRequiresRegistrationOperation(participant.id)) {
                try await store.participants.update(statusChange)
            }
            var stolenEmail = updated
            stolenEmail.email = other.email
            await #expect(throws: RepositoryError.duplicateEmail(other.email, existing: other.id)) {
                try await store.participants.update(stolenEmail, followUp: audit("refused.update"))
            }
            #expect(
                try await store.auditLog.list(AuditFilter(subject: participant.id.rawValue)).map(\.action) == [
                    "profile.update"
                ])
            var missing = updated
            missing.id = "p-missing"
            await #expect(throws: RepositoryError.participantNotFound("p-missing")) {
                try await store.participants.update(missing)
            }
        }
    }

    @Test("List filters by role, status, category, topic, country and text", arguments: Backend.testable)
    func listFilters(backend: Backend) async throws {
        try await TestStore.with(backend) { store in
            // setup
            let hematology = try await store.participants.insert(
                Fixtures.draft(
                    1, name: "Hélène Müller", organisation: "Hôpital Saint-Louis", country: "FR",
                    topics: ["aml", "mrd"], profile: "Leucémies aiguës myéloïdes, MRD par NGS."),
                status: .confirmed)
            let biotech = try await store.participants.insert(
                Fixtures.draft(
                    2, organisation: "Bispecifix GmbH", country: "DE", topics: ["bispecifics"],
                    profile: "T-cell engagers for myeloma."),
                status: .waitlisted)
            let expert = try await store.participants.insert(
                Fixtures.draft(
                    3, role: .expert, name: "Zoë O'Neil", organisation: "University of Oxford",
                    country: "GB", topics: ["myeloma", "car-t"], profile: "Myeloma 100% focus_",
                    listed: false),
                status: .confirmed)
            let participants = store.participants

            // MUT and validation
            #expect(try await participants.list(.all) == [hematology, biotech, expert])
            #expect(try await participants.list(.init(role: .expert)) == [expert])
            #expect(try await participants.list(.init(statuses: [.waitlisted])) == [biotech])
            #expect(
                try await participants.list(.init(statuses: [.waitlisted, .confirmed])).count == 3)
            #expect(try await participants.list(.init(statuses: [])) == [])
            #expect(try await participants.list(.init(category: Fixtures.experts)) == [expert])
            #expect(try await participants.list(.init(topic: "myeloma")) == [expert])
            #expect(try await participants.list(.init(topic: "mye")) == [])
            #expect(try await participants.list(.init(country: "de")) == [biotech])
            #expect(try await participants.list(.init(listedInDirectory: false)) == [expert])
            // Text search ignores case and accents, in name, organisation and profile.
            #expect(try await participants.list(.init(text: "HELENE")) == [hematology])
            #expect(try await participants.list(.init(text: "saint-louis")) == [hematology])
            #expect(try await participants.list(.init(text: "leucemies ngs")) == [hematology])
            #expect(try await participants.list(.init(text: "myeloma")) == [biotech, expert])
            #expect(try await participants.list(.init(text: "zoe o'neil")) == [expert])
            // Wildcard characters are searched literally.
            #expect(try await participants.list(.init(text: "100%")) == [expert])
            #expect(try await participants.list(.init(text: "s_int")) == [])
            #expect(try await participants.list(.init(role: .company, text: "myeloma")) == [biotech])
            // Paging, in number order.
            #expect(try await participants.list(.init(limit: 2)) == [hematology, biotech])
            #expect(try await participants.list(.init(limit: 2, offset: 2)) == [expert])
            #expect(try await participants.count(.init(role: .company)) == 2)
            #expect(try await participants.count(.init(text: "myeloma", limit: 1)) == 2)
        }
    }

    @Test("Counts per category and status", arguments: Backend.testable)
    func countsByCategory(backend: Backend) async throws {
        try await TestStore.with(backend) { store in
            for index in 1...3 {
                _ = try await store.participants.insert(Fixtures.draft(index), status: .confirmed)
            }
            _ = try await store.participants.insert(Fixtures.draft(4), status: .waitlisted)
            _ = try await store.participants.insert(Fixtures.draft(5, role: .expert), status: .pending)

            let counts = try await store.participants.countsByCategory()

            #expect(
                counts == [
                    Fixtures.companies: [.confirmed: 3, .waitlisted: 1],
                    Fixtures.experts: [.pending: 1],
                ])
        }
    }

    @Test("Erasing a participant removes their meeting requests", arguments: Backend.testable)
    func delete(backend: Backend) async throws {
        try await TestStore.with(backend) { store in
            let company = try await store.participants.insert(Fixtures.draft(1), status: .confirmed)
            let expert = try await store.participants.insert(
                Fixtures.draft(2, role: .expert), status: .confirmed)
            let third = try await store.participants.insert(Fixtures.draft(3), status: .confirmed)
            _ = try await store.requests.create(
                Fixtures.request(1, from: company.id, to: expert.id), openRequestLimit: nil)
            let kept = try await store.requests.create(
                Fixtures.request(2, from: third.id, to: expert.id), openRequestLimit: nil)

            try await store.participants.delete(id: company.id)

            #expect(try await store.participants.find(id: company.id) == nil)
            #expect(try await store.requests.list(.all) == [kept])
            await #expect(throws: RepositoryError.participantNotFound(company.id)) {
                try await store.participants.delete(id: company.id)
            }
        }
    }
}
