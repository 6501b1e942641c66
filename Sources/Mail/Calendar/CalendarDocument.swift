import Foundation

/// The iTIP method of a calendar object (RFC 5546), also written in the MIME part's
/// `method=` parameter.
public enum CalendarMethod: String, Sendable, Hashable {
    /// Events to add to a calendar, no reply expected.
    case publish = "PUBLISH"
    /// An invitation.
    case request = "REQUEST"
    /// Events that no longer take place.
    case cancel = "CANCEL"
}

/// One meeting as an iCalendar VEVENT.
public struct CalendarEvent: Sendable, Hashable {
    public var uid: String
    /// Raised by each revision, so that calendars replace the older copy.
    public var sequence: Int
    public var start: Date
    public var end: Date
    public var summary: String
    public var description: String
    public var location: String
    public var organizer: MailAddress
    public var attendees: [MailAddress]
    /// Written as STATUS:CANCELLED rather than STATUS:CONFIRMED.
    public var isCancelled: Bool

    public init(
        uid: String, sequence: Int, start: Date, end: Date, summary: String, description: String,
        location: String, organizer: MailAddress, attendees: [MailAddress], isCancelled: Bool = false
    ) {
        self.uid = uid
        self.sequence = sequence
        self.start = start
        self.end = end
        self.summary = summary
        self.description = description
        self.location = location
        self.organizer = organizer
        self.attendees = attendees
        self.isCancelled = isCancelled
    }
}

/// An iCalendar object (RFC 5545): one VCALENDAR with its method, the VTIMEZONE of the
/// events' zone and one VEVENT per event.
public struct CalendarDocument: Sendable {
    public var method: CalendarMethod
    /// PRODID: who made the object.
    public var productID: String
    /// The zone the events are written in (DTSTART;TZID=...).
    public var timeZone: TimeZone
    /// DTSTAMP: when the object was made.
    public var stamp: Date
    public var events: [CalendarEvent]

    public init(method: CalendarMethod, productID: String, timeZone: TimeZone, stamp: Date, events: [CalendarEvent]) {
        self.method = method
        self.productID = productID
        self.timeZone = timeZone
        self.stamp = stamp
        self.events = events
    }

    /// The object as text: CRLF line endings, lines folded at 75 octets.
    public func ics() -> String {
        var lines = ContentLines()
        let local = LocalTimeFormatter(timeZone: timeZone)
        lines.add("BEGIN", "VCALENDAR")
        lines.add("VERSION", "2.0")
        lines.add("PRODID", ContentLines.escapeText(productID))
        lines.add("CALSCALE", "GREGORIAN")
        lines.add("METHOD", method.rawValue)
        TimeZoneComponent.write(timeZone, covering: events.flatMap { [$0.start, $0.end] }, into: &lines)
        let stampText = LocalTimeFormatter.utc.string(stamp) + "Z"
        let zoneParameter = [("TZID", timeZone.identifier)]
        for event in events {
            lines.add("BEGIN", "VEVENT")
            lines.add("UID", ContentLines.escapeText(event.uid))
            lines.add("SEQUENCE", String(event.sequence))
            lines.add("DTSTAMP", stampText)
            lines.add("DTSTART", local.string(event.start), parameters: zoneParameter)
            lines.add("DTEND", local.string(event.end), parameters: zoneParameter)
            lines.add("SUMMARY", ContentLines.escapeText(event.summary))
            lines.add("DESCRIPTION", ContentLines.escapeText(event.description))
            lines.add("LOCATION", ContentLines.escapeText(event.location))
            lines.add("ORGANIZER", "mailto:" + event.organizer.address, parameters: person(event.organizer))
            for attendee in event.attendees {
                lines.add(
                    "ATTENDEE", "mailto:" + attendee.address,
                    parameters: person(attendee) + [
                        ("ROLE", "REQ-PARTICIPANT"), ("PARTSTAT", "ACCEPTED"), ("RSVP", "FALSE"),
                    ])
            }
            lines.add("STATUS", event.isCancelled ? "CANCELLED" : "CONFIRMED")
            lines.add("TRANSP", event.isCancelled ? "TRANSPARENT" : "OPAQUE")
            lines.add("END", "VEVENT")
        }
        lines.add("END", "VCALENDAR")
        return lines.text
    }

    private func person(_ address: MailAddress) -> [(String, String)] {
        address.displayName.map { [("CN", $0)] } ?? []
    }
}
