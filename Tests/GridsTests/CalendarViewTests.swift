import Foundation
import Testing

@testable import Grids

@Suite struct CalendarViewTests {
    /// Parses each `.ics` file with the `icalendar` package and prints its events as JSON.
    private static let parser = """
        import json, sys
        from icalendar import Calendar
        result = {}
        for path in sys.argv[1:]:
            with open(path, "rb") as f:
                calendar = Calendar.from_ical(f.read())
            result[path.rsplit("/", 1)[-1]] = [
                {
                    "uid": str(event["UID"]),
                    "summary": str(event["SUMMARY"]),
                    "description": str(event["DESCRIPTION"]),
                    "location": str(event["LOCATION"]),
                    "start": event.decoded("DTSTART").isoformat(),
                    "end": event.decoded("DTEND").isoformat(),
                    "organizer": str(event["ORGANIZER"]),
                }
                for event in calendar.walk("VEVENT")
            ]
        print(json.dumps(result))
        """

    private struct Event: Decodable, Equatable {
        var uid, summary, description, location, start, end, organizer: String
    }

    private func parsed() throws -> [String: [Event]] {
        let files = try GridFixture.render(.agendas, .ics)
        let paths = try files.map { try Python.temporaryFile($0.data, name: String($0.path.dropFirst("ics/".count))) }
        return try Python.json([String: [Event]].self, Self.parser, arguments: paths)
    }

    @Test func oneCalendarPerParticipantWithMeetings() throws {
        let calendars = try parsed()
        #expect(calendars.keys.sorted() == ["c1.ics", "c2.ics", "c3.ics", "e1.ics", "e2.ics"])
        #expect(calendars.mapValues(\.count) == ["c1.ics": 1, "c2.ics": 2, "c3.ics": 2, "e1.ics": 3, "e2.ics": 2])
    }

    @Test func eventsCarryTimeTableAndCounterpart() throws {
        let hostCo = try #require(try parsed()["c3.ics"])
        #expect(hostCo.map(\.start) == ["2026-11-13T09:30:00+01:00", "2026-11-14T09:00:00+01:00"])
        #expect(hostCo.map(\.end) == ["2026-11-13T10:00:00+01:00", "2026-11-14T09:30:00+01:00"])
        #expect(hostCo[0].summary == "Meeting: O'Brien & Sons (Université Paris-Saclay)")
        #expect(hostCo[0].location == "Stand Host — LEUKEMIA 360")
        #expect(hostCo[0].description.contains("Table: Stand Host"))
        #expect(hostCo[0].organizer == "mailto:organiser@leukemia360.example")
    }

    @Test func bothSidesOfAMeetingShareItsUID() throws {
        let calendars = try parsed()
        let marie = try #require(calendars["e1.ics"])
        let hostCo = try #require(calendars["c3.ics"])
        #expect(marie.last?.uid == hostCo.last?.uid)
        #expect(Set(marie.map(\.uid)).count == 3)
        #expect(marie.first?.summary == "Meeting: \(GridFixture.scriptName) (Onco Bio SAS)")
    }
}
