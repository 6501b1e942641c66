import PartneringCore

/// Every message the product sends to attendees.
public enum MessageKind: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    /// The registration arrived and waits for an organiser's approval.
    case registrationReceived = "registration-received"
    /// The registration is confirmed: the ticket (QR code and token).
    case registrationConfirmed = "registration-confirmed"
    /// A personal sign-in link (magic link).
    case accessLink = "access-link"
    /// Someone asks the recipient for a meeting.
    case requestReceived = "request-received"
    /// The recipient's meeting request was accepted.
    case requestAccepted = "request-accepted"
    /// The recipient's meeting request was declined.
    case requestDeclined = "request-declined"
    /// The schedule is out: the personal agenda and an `.ics`.
    case schedulePublished = "schedule-published"
    /// A new version of the schedule changed the recipient's meetings.
    case scheduleChanged = "schedule-changed"
    /// A seat was freed and the recipient moves up from the waiting list.
    case waitlistPromoted = "waitlist-promoted"
    /// The registration is cancelled.
    case registrationCancelled = "registration-cancelled"
    /// An organiser refused the registration (with their reason, when given).
    case registrationRejected = "registration-rejected"
    /// After the day: "how did your meetings go?", with a link to the feedback page.
    case feedbackInvitation = "feedback-invitation"

    public var description: String { rawValue }

    /// The kind's placeholders, subject, cause and needs.
    public var spec: MessageKindSpec { MessageCatalogue.spec(for: self) }
}
