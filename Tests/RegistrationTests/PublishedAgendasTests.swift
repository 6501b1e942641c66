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

    @Test("nobody meets anyone while nothing is published")
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
    }
}
