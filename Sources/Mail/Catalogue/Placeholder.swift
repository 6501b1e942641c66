import PartneringCore

/// A value a message template uses, with a sample so that every template can be previewed.
public struct Placeholder: Sendable, Hashable {
    /// The name used in templates: `{{name}}`.
    public let name: String
    /// What the value is, for the documentation and `partnering mail kinds`.
    public let summary: String
    /// A realistic value in each language, used by previews and tests.
    public let sample: LocalizedText
    /// Whether a message of the kind cannot be composed without it.
    public let isRequired: Bool

    public init(_ name: String, _ summary: String, sample: LocalizedText, required: Bool = true) {
        self.name = name
        self.summary = summary
        self.sample = sample
        self.isRequired = required
    }
}

/// What a message kind needs besides text values.
public enum AgendaUse: Sendable, Hashable {
    /// No agenda.
    case none
    /// The agenda is listed in the body and attached as an iCalendar file (`agenda.ics`,
    /// plus `cancelled.ics` with METHOD:CANCEL when meetings were removed).
    case bodyAndCalendar
}

/// Everything the catalogue says about one kind of message.
public struct MessageKindSpec: Sendable {
    public let kind: MessageKind
    /// What the message tells the recipient, in a sentence.
    public let summary: String
    /// The subject line, a Mustache template rendered as plain text.
    public let subject: LocalizedText
    /// The values the kind's templates use, besides the common ones.
    public let placeholders: [Placeholder]
    /// The cause of a message is `prefix:value:value`, the values of `causeFields` in order:
    /// the outbox never sends two messages with the same cause.
    public let causePrefix: String
    public let causeFields: [String]
    /// Whether the message carries the ticket's QR code (inline and attached).
    public let needsTicketImage: Bool
    public let agenda: AgendaUse
}
