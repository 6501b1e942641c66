import Foundation
import PartneringCore
import Registration
import Storage
import Testing

@Suite("Published agendas")
struct PublishedAgendasTests {
    static func agendas(_ fixture: Fixture) -> PublishedAgendas {
        PublishedAgendas(
            event: fixture.service.event, participants: fixture.store.participants,
            schedules: fixture.store.schedules, mailDomain: "partnering.example.org")
    }

    @Test(
        "the people an attendee meets come from the published schedule only", arguments: StoreBackend.testable)
    func counterparts(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let day = try await MeetingFeedbackTests.Day.make(store: store)
            let agendas = Self.agendas(day.fixture)
            #expect(try await agendas.counterparts(of: day.ada.id) == [day.xia.id, day.yan.id])
            #expect(try await agendas.counterparts(of: day.xia.id) == [day.ada.id, day.bob.id])
            #expect(try await agendas.counterparts(of: day.cyd.id).isEmpty)

            // A later version saved but not published changes nothing.
            let event = day.fixture.service.event
            _ = try await store.schedules.save(
                ScheduleDraft(
                    meetings: [Meeting(day.cyd.id, day.xia.id, slot: day.slots[0].id, table: event.tables[0].id)],
                    objective: 1, createdAt: Fixture.start))
            #expect(try await agendas.counterparts(of: day.cyd.id).isEmpty)
        }
    }

    @Test(
        "a programme marks moves and cancellations since the previous publication, with the last e-mail's SEQUENCE",
        arguments: StoreBackend.testable)
    func programme(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let day = try await MeetingFeedbackTests.Day.make(store: store)
            let agendas = Self.agendas(day.fixture)
            let first = try #require(try await agendas.programme(of: day.ada))
            #expect(first.entries.map(\.counterpart.id) == [day.xia.id, day.yan.id])
            #expect(first.entries.allSatisfy { $0.change == .unchanged })
            #expect(!first.hasPreviousVersion)
            #expect(first.cancelled.isEmpty)
            #expect(first.sequence == first.version.version)

            // Version 2 moves Ada's meeting with Yan to another table and cancels the one with Xia.
            let tables = day.fixture.service.event.tables
            let second = try await store.schedules.save(
                ScheduleDraft(
                    meetings: [
                        Meeting(day.ada.id, day.yan.id, slot: day.slots[1].id, table: tables[2].id),
                        Meeting(day.bob.id, day.xia.id, slot: day.slots[2].id, table: tables[0].id),
                    ], objective: 2, createdAt: Fixture.start))
            _ = try await store.schedules.publish(second.info.version, at: Fixture.start.addingTimeInterval(60))
            let changed = try #require(try await agendas.programme(of: day.ada))
            #expect(changed.version.version == second.info.version)
            #expect(changed.hasPreviousVersion)
            #expect(changed.entries.map(\.counterpart.id) == [day.yan.id])
            guard case .moved(let from) = changed.entries.first?.change else {
                Issue.record("the meeting with Yan is not marked as moved")
                return
            }
            #expect(from.table != changed.entries.first?.meeting.table)
            #expect(changed.cancelled.count == 1)
            #expect(changed.sequence == second.info.version, "Ada's meetings changed: she was written to")
            let bob = try #require(try await agendas.programme(of: day.bob))
            #expect(bob.sequence == first.version.version, "Bob's meeting did not change: no new e-mail")
        }
    }

    @Test("nobody meets anyone and nobody has a programme while nothing is published")
    func nothingPublished() async throws {
        let fixture = try await Fixture.make()
        let ada = try await fixture.register("Ada Lovelace", "ada@example.org")
        let xia = try await fixture.register("Xia Wen", "xia@example.org", role: .expert)
        _ = try await fixture.store.schedules.save(
            ScheduleDraft(
                meetings: [
                    Meeting(
                        ada.id, xia.id, slot: fixture.service.event.slots[0].id,
                        table: fixture.service.event.tables[0].id)
                ], objective: 1, createdAt: Fixture.start))
        #expect(try await Self.agendas(fixture).counterparts(of: ada.id).isEmpty)
        #expect(try await Self.agendas(fixture).programme(of: ada) == nil)
    }
}
