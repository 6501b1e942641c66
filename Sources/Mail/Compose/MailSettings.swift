import Foundation
import PartneringCore

/// What every message of an event shares: who sends it, the domain of its Message-ID,
/// and the event's name, venue and zone.
public struct MailSettings: Sendable {
    /// The `From` address; its display name is the organiser's name in templates.
    public var sender: MailAddress
    public var replyTo: MailAddress?
    /// The domain after `@` in Message-IDs, Content-IDs and calendar UIDs.
    public var domain: String
    public var eventID: String
    public var eventName: LocalizedText
    /// The start of the event, written out as `event_date`.
    public var eventStart: Date?
    public var venue: Venue
    /// The event's zone: dates in bodies, the `Date` header and the calendar's TZID.
    public var timeZone: TimeZone
    /// The calendar's PRODID.
    public var productID: String

    public init(
        sender: MailAddress, replyTo: MailAddress? = nil, domain: String, eventID: String,
        eventName: LocalizedText, eventStart: Date?, venue: Venue, timeZone: TimeZone,
        productID: String = "-//Partnering//Partnering Mail//EN"
    ) throws {
        _ = try MailAddress("postmaster@\(domain)", field: "domain")
        self.sender = sender
        self.replyTo = replyTo
        self.domain = domain
        self.eventID = eventID
        self.eventName = eventName
        self.eventStart = eventStart
        self.venue = venue
        self.timeZone = timeZone
        self.productID = productID
    }

    /// Settings for an event as organisers defined it.
    /// - Throws: `MailError.invalidAddress` if `domain` is not a domain name.
    public init(event: EventDefinition, sender: MailAddress, replyTo: MailAddress? = nil, domain: String) throws {
        try self.init(
            sender: sender, replyTo: replyTo, domain: domain, eventID: event.id.rawValue, eventName: event.name,
            eventStart: event.sessions.map(\.start).min(), venue: event.venue, timeZone: event.timeZone)
    }
}
