import Foundation
import PartneringCore
import Testing

@testable import Mail

/// Building a participant's agenda from the domain's schedule.
@Suite struct AgendaTests {
    static let zone = TimeZone(identifier: "Europe/Paris") ?? .gmt

    static func event() -> EventDefinition {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let start = calendar.date(from: DateComponents(year: 2026, month: 10, day: 15, hour: 9)) ?? Date()
        return EventDefinition(
            id: "onco-2026", name: LocalizedText(fr: "Journée", en: "Day"),
            venue: Venue(name: "Institut Curie", address: "26 rue d’Ulm", city: "Paris"), timeZone: zone,
            slotMinutes: 20,
            sessions: [Session(id: "am", name: LocalizedText("AM"), start: start, end: start.addingTimeInterval(3600))],
            tables: [Table(id: "t1", name: "Table 1"), Table(id: "t2", name: "Table 2")],
            roles: [], meetPolicy: .companiesMeetExperts, categories: [], topics: [],
            registrationWindow: DateInterval(start: start.addingTimeInterval(-86_400 * 30), duration: 86_400),
            languages: [.fr, .en],
            requestRules: RequestRules(maxOpenRequests: 10, acceptanceRequired: false, defaultMaxMeetings: 8))
    }

    static func person(_ id: ParticipantID, _ name: String) -> Participant {
        Participant(
            id: id, number: 1, role: .expert, category: "experts", status: .confirmed, name: name,
            email: "\(id.rawValue)@example.org", organisation: "Org \(name)", jobTitle: "Researcher", country: "FR",
            topics: [], profile: "", language: .fr, listedInDirectory: true, registeredAt: Date())
    }

    static let people: [ParticipantID: Participant] = [
        "p1": person("p1", "Hélène"), "p2": person("p2", "Marc"), "p3": person("p3", "Ana"),
    ]

    @Test func movedMeetingKeepsItsUIDAndRemovedOneIsCancelled() throws {
        let previous = [
            Meeting("p1", "p2", slot: "d1-0900", table: "t1"), Meeting("p1", "p3", slot: "d1-0920", table: "t2"),
        ]
        let current = [Meeting("p2", "p1", slot: "d1-0940", table: "t2")]
        let agenda = try Agenda.personal(
            for: "p1", meetings: current, previous: previous, event: Self.event(), people: Self.people,
            domain: "example.org")
        #expect(agenda.meetings.count == 1)
        #expect(agenda.meetings[0].uid == "meeting-onco-2026-p1-p2@example.org")
        #expect(agenda.meetings[0].table == "Table 2" && agenda.meetings[0].counterpart.name == "Marc")
        #expect(agenda.meetings[0].counterpart.email == nil, "addresses are shared only when asked")
        #expect(agenda.cancelled.map(\.uid) == ["meeting-onco-2026-p1-p3@example.org"])
        #expect(agenda.cancelled[0].counterpart.name == "Ana")
    }

    @Test func meetingsOfOthersAreLeftOut() throws {
        let agenda = try Agenda.personal(
            for: "p3", meetings: [Meeting("p1", "p2", slot: "d1-0900", table: "t1")], event: Self.event(),
            people: Self.people, domain: "example.org")
        #expect(agenda.meetings.isEmpty && agenda.cancelled.isEmpty)
    }

    @Test func unknownSlotIsNamed() {
        #expect(
            throws: MailError.invalidAgenda(reason: "meeting with p2 is in slot d9-0900, which the event does not have")
        ) {
            try Agenda.personal(
                for: "p1", meetings: [Meeting("p1", "p2", slot: "d9-0900", table: "t1")], event: Self.event(),
                people: Self.people, domain: "example.org")
        }
    }
}
