import Foundation
import Testing

@testable import Mail

/// The iCalendar writer: folding, escaping, time zones, and Python's `icalendar` reading it.
@Suite struct CalendarTests {
    static let paris = TimeZone(identifier: "Europe/Paris") ?? .gmt

    static func date(_ text: String) -> Date {
        (try? Date(text, strategy: .iso8601)) ?? Date(timeIntervalSince1970: 0)
    }

    static func document(method: CalendarMethod = .publish, zone: TimeZone = paris, summary: String = "Meeting")
        throws -> CalendarDocument
    {
        let organizer = try MailAddress("partnering@example.org", name: "Partnering; \"Onco\", Paris")
        let attendee = try MailAddress("helene@example.org", name: "Hélène Dupré")
        let event = CalendarEvent(
            uid: "meeting-onco-p1-p2@example.org", sequence: 3, start: date("2026-10-15T07:00:00Z"),
            end: date("2026-10-15T07:20:00Z"), summary: summary,
            description: "Line one, with comma; semicolon \\ backslash\nLine two: « Hélène »",
            location: "Table 4, Institut Curie", organizer: organizer, attendees: [attendee],
            isCancelled: method == .cancel)
        return CalendarDocument(
            method: method, productID: "-//Partnering//Tests//EN", timeZone: zone,
            stamp: date("2026-10-01T08:00:00Z"), events: [event])
    }

    @Test func textValuesAreEscaped() {
        #expect(ContentLines.escapeText("a,b;c\\d\ne\r\nf") == "a\\,b\\;c\\\\d\\ne\\nf")
        #expect(ContentLines.escapeText("bell\u{7}gone") == "bellgone")
    }

    @Test func linesAreFoldedAtSeventyFiveOctetsWithoutCuttingCharacters() throws {
        let summary = String(repeating: "Réunion très éloignée – 👩‍🔬 ", count: 8)
        let text = try Self.document(summary: summary).ics()
        #expect(text.hasSuffix("\r\n"))
        let lines = Array(text.utf8).split(separator: 10, omittingEmptySubsequences: false).dropLast()
        for line in lines {
            #expect(line.last == 13, "every line ends with CRLF")
            #expect(line.count - 1 <= 75, "at most 75 octets before CRLF")
            #expect(String(validating: line, as: UTF8.self) != nil, "folding never cuts a UTF-8 sequence")
        }
        let unfolded = text.replacing("\r\n ", with: "")
        #expect(unfolded.contains("SUMMARY:" + ContentLines.escapeText(summary) + "\r\n"))
    }

    @Test func parisTimeZoneHasItsTransitionsOfTheYear() throws {
        let text = try Self.document().ics()
        #expect(text.contains("BEGIN:VTIMEZONE\r\nTZID:Europe/Paris\r\n"))
        #expect(
            text.contains("BEGIN:DAYLIGHT\r\nDTSTART:20260329T020000\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\n"))
        #expect(
            text.contains("BEGIN:STANDARD\r\nDTSTART:20261025T030000\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\n"))
        #expect(text.contains("BEGIN:STANDARD\r\nDTSTART:20251026T030000\r\n"), "the offset in force on 1 January")
        #expect(text.contains("DTSTART;TZID=Europe/Paris:20261015T090000\r\n"))
        #expect(text.contains("DTSTAMP:20261001T080000Z\r\n"))
    }

    @Test func zoneWithoutDaylightSavingHasOneStandardBlock() throws {
        let tokyo = TimeZone(identifier: "Asia/Tokyo") ?? .gmt
        let text = try Self.document(zone: tokyo).ics()
        #expect(
            text.contains("BEGIN:STANDARD\r\nDTSTART:19700101T000000\r\nTZOFFSETFROM:+0900\r\nTZOFFSETTO:+0900\r\n"))
        #expect(!text.contains("DAYLIGHT"))
        #expect(text.contains("DTSTART;TZID=Asia/Tokyo:20261015T160000\r\n"))
    }

    @Test func offsetsWithMinutesAndSecondsAreWritten() {
        #expect(TimeZoneComponent.utcOffset(-9000) == "-0230")
        #expect(TimeZoneComponent.utcOffset(3600) == "+0100")
        #expect(TimeZoneComponent.utcOffset(561) == "+000921")
    }

    @Test func pythonICalendarReadsEventsTimesAndText() throws {
        let inspected = try TestSupport.inspect([try calendarMessage(Self.document())])
        let message = inspected[0]
        #expect(message.defects.isEmpty)
        try TestSupport.requireICalendar(message)
        let calendar = try #require(message.calendars.first)
        #expect(calendar.methodParameter == "PUBLISH" && calendar.method == "PUBLISH")
        let zone = try #require(calendar.timezones?.first)
        #expect(zone.tzid == "Europe/Paris")
        #expect(zone.blocks.map(\.kind) == ["STANDARD", "DAYLIGHT", "STANDARD"])
        let event = try #require(calendar.events?.first)
        #expect(event.uid == "meeting-onco-p1-p2@example.org")
        #expect(event.sequence == 3)
        #expect(event.startUTC == "2026-10-15T07:00:00+00:00" && event.endUTC == "2026-10-15T07:20:00+00:00")
        #expect(event.tzid == "Europe/Paris")
        #expect(event.description == "Line one, with comma; semicolon \\ backslash\nLine two: « Hélène »")
        #expect(event.location == "Table 4, Institut Curie")
        #expect(event.organizer == "mailto:partnering@example.org")
        #expect(event.attendees == ["mailto:helene@example.org"])
        #expect(event.attendeeNames == ["Hélène Dupré"])
        #expect(event.status == "CONFIRMED")
    }

    @Test func cancellationIsMethodCancelAndStatusCancelled() throws {
        let inspected = try TestSupport.inspect([try calendarMessage(Self.document(method: .cancel))])
        try TestSupport.requireICalendar(inspected[0])
        let calendar = try #require(inspected[0].calendars.first)
        #expect(calendar.methodParameter == "CANCEL")
        #expect(calendar.raw.contains("METHOD:CANCEL\r\n") || calendar.raw.contains("METHOD:CANCEL\n"))
        #expect(calendar.method == "CANCEL")
        #expect(calendar.events?.first?.status == "CANCELLED")
    }

    @Test func meetingUIDDependsOnlyOnEventAndPair() {
        let first = AgendaMeeting.uid(event: "onco-2026", participants: ["p-7", "p-3"], domain: "example.org")
        let second = AgendaMeeting.uid(event: "onco-2026", participants: ["p-3", "p-7"], domain: "example.org")
        #expect(first == second)
        #expect(first == "meeting-onco-2026-p-3-p-7@example.org")
        #expect(AgendaMeeting.uid(event: "a b/c", participants: ["x:y"], domain: "d.org") == "meeting-abc-xy@d.org")
    }

    /// A message carrying the calendar as its attachment, as the composer writes it.
    private func calendarMessage(_ document: CalendarDocument) throws -> Data {
        var message = MailMessage(
            from: try MailAddress("partnering@example.org"), to: [try MailAddress("helene@example.org")],
            subject: "Agenda", date: document.stamp, timeZone: .gmt, messageID: "cal.1@example.org",
            textBody: "See the attachment.", htmlBody: "<p>See the attachment.</p>")
        message.attachments = [
            MailAttachment(
                fileName: "agenda.ics", mediaType: "text/calendar",
                parameters: ["charset": "UTF-8", "method": document.method.rawValue], data: Data(document.ics().utf8))
        ]
        return try message.rfc5322()
    }
}
