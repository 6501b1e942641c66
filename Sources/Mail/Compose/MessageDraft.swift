import Foundation
import PartneringCore

/// What a caller asks for: a kind of message, in a language, to a recipient, with the
/// values of the kind's placeholders and the files it needs.
public struct MessageDraft: Sendable {
    public var kind: MessageKind
    public var language: Language
    public var recipient: MailAddress
    /// Placeholder values by name (see `MessageKind.spec.placeholders`).
    public var values: [String: String]
    /// The ticket's QR code as PNG, for `registration-confirmed`.
    public var ticketImage: Data?
    /// The recipient's meetings, for the schedule kinds.
    public var agenda: Agenda?
    /// Further files to attach.
    public var attachments: [MailAttachment]

    public init(
        kind: MessageKind, language: Language, recipient: MailAddress, values: [String: String],
        ticketImage: Data? = nil, agenda: Agenda? = nil, attachments: [MailAttachment] = []
    ) {
        self.kind = kind
        self.language = language
        self.recipient = recipient
        self.values = values
        self.ticketImage = ticketImage
        self.agenda = agenda
        self.attachments = attachments
    }
}

/// A message ready to be written: its bytes and what the outbox records about it.
public struct ComposedMessage: Sendable {
    public let kind: MessageKind
    public let language: Language
    public let recipient: MailAddress
    public let subject: String
    /// Why the message exists (`confirmation:p-042`): the outbox sends one message per cause.
    public let cause: String
    /// The Message-ID without angle brackets.
    public let messageID: String
    public let date: Date
    /// The plain-text body as the recipient reads it (previews show it before sending).
    public let textBody: String
    /// The complete RFC 5322 file.
    public let data: Data
}
