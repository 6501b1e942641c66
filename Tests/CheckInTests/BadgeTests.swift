import CheckIn
import Foundation
import PartneringCore
import Storage
import Testing

@Suite("Badges")
struct BadgeTests {
    @Test(
        "badges: confirmed participants of the role asked, by name, each in its role's colour with its first meetings",
        arguments: Backend.testable)
    func badgesOfARole(backend: Backend) async throws {
        try await DeskFixture.with(backend) { desk in
            let zoe = try await desk.participant("Zoé Peña", role: .company, organisation: "Théra Gen SAS")
            let ana = try await desk.participant("Ana Silva", role: .company, organisation: "")
            _ = try await desk.participant("Aaron Pending", role: .company, status: .pending)
            let expert = try await desk.participant("Nadia Rey", role: .expert, organisation: "Institut Curie")
            let other = try await desk.participant("Olivier Roy", role: .expert, organisation: "CHU de Lille")
            let slots = desk.event.slots
            let tables = desk.event.tables
            let version = try await desk.store.schedules.save(
                ScheduleDraft(
                    meetings: [
                        Meeting(zoe.id, expert.id, slot: slots[0].id, table: tables[0].id),
                        Meeting(zoe.id, other.id, slot: slots[3].id, table: tables[2].id),
                        Meeting(ana.id, other.id, slot: slots[0].id, table: tables[1].id),
                    ], objective: 3, createdAt: DeskFixture.morning))
            _ = try await desk.store.schedules.publish(version.info.version, at: DeskFixture.morning)

            // MUT: at 08:30, before the first slot.
            let companies = try await desk.service.badges(role: .company, at: DeskFixture.morning)
            let everyone = try await desk.service.badges(role: nil, at: DeskFixture.morning)
            // During the first slot (09:00–09:25): that meeting is still on the back.
            let during = try await desk.service.badges(role: .company, at: slots[0].start.addingTimeInterval(600))
            // After it: only what remains.
            let later = try await desk.service.badges(role: .company, at: slots[1].start)

            // validation
            #expect(companies.map(\.participant.name) == ["Ana Silva", "Zoé Peña"], "pending is not printed")
            #expect(everyone.map(\.participant.name) == ["Ana Silva", "Nadia Rey", "Olivier Roy", "Zoé Peña"])
            #expect(Set(companies.map(\.roleIndex)) == [0])
            #expect(everyone.filter { $0.participant.role == .expert }.allSatisfy { $0.roleIndex == 1 })
            #expect(companies.first?.roleName.en == "Company")
            let zoeBack = try #require(companies.last?.meetings)
            #expect(zoeBack.map(\.counterpart) == ["Nadia Rey", "Olivier Roy"])
            #expect(zoeBack.map(\.time) == ["09:00", "10:15"])
            #expect(zoeBack.map(\.table) == [tables[0].name, tables[2].name])
            #expect(zoeBack.first?.counterpartOrganisation == "Institut Curie")
            #expect(during.last?.meetings.map(\.counterpart) == ["Nadia Rey", "Olivier Roy"])
            #expect(later.last?.meetings.map(\.counterpart) == ["Olivier Roy"])
            #expect(later.first?.meetings == [], "Ana's only meeting is over")
        }
    }

    @Test("one badge for the desk: a confirmed participant's, unknown or unconfirmed ones are refused")
    func oneBadge() async throws {
        try await DeskFixture.with(.memory) { desk in
            let company = try await desk.participant("Marc Lambert")
            let waiting = try await desk.participant("Léa Attente", status: .waitlisted)
            let expert = try await desk.participant("Nadia Rey", role: .expert)
            let version = try await desk.store.schedules.save(
                ScheduleDraft(
                    meetings: [
                        Meeting(company.id, expert.id, slot: desk.event.slots[1].id, table: desk.event.tables[4].id)
                    ], objective: 1, createdAt: DeskFixture.morning))

            // Before publication the back is empty; after, it lists the meeting.
            let unpublished = try await desk.service.badge(for: company.id, at: DeskFixture.morning)
            _ = try await desk.store.schedules.publish(version.info.version, at: DeskFixture.morning)
            let badge = try await desk.service.badge(for: company.id, at: DeskFixture.morning)

            #expect(unpublished.meetings.isEmpty)
            #expect(badge.participant.name == "Marc Lambert")
            #expect(badge.roleIndex == 0)
            #expect(badge.meetings.map(\.time) == ["09:25"])
            #expect(badge.meetings.first?.table == desk.event.tables[4].name)
            await #expect(throws: CheckInError.participantNotFound(waiting.id.rawValue)) {
                try await desk.service.badge(for: waiting.id, at: DeskFixture.morning)
            }
            await #expect(throws: CheckInError.participantNotFound("p-nobody")) {
                try await desk.service.badge(for: ParticipantID("p-nobody"), at: DeskFixture.morning)
            }
        }
    }
}
