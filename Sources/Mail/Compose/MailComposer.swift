import Foundation
import PartneringCore

/// Turns a `MessageDraft` into an RFC 5322 file: checks the values against the kind's
/// declaration, renders the templates of the recipient's language, and attaches the
/// ticket's QR code or the agenda's iCalendar files.
public struct MailComposer: Sendable {
    public let templates: MailTemplates
    public let settings: MailSettings
    private let clock: @Sendable () -> Date

    /// - Parameter clock: the time written in `Date`, `DTSTAMP` and the Message-ID.
    public init(templates: MailTemplates, settings: MailSettings, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.templates = templates
        self.settings = settings
        self.clock = clock
    }

    /// The cause of the message `draft` would make, such as `schedule:2:p-042`.
    /// - Throws: `MailError.missingPlaceholder` if a value of the cause is missing.
    public func cause(of draft: MessageDraft) throws -> String {
        let spec = draft.kind.spec
        let parts = try spec.causeFields.map { field in
            guard let value = draft.values[field]?.trimmingCharacters(in: .whitespaces), !value.isEmpty,
                !value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
            else { throw MailError.missingPlaceholder(kind: draft.kind, name: field) }
            return value
        }
        return ([spec.causePrefix] + parts).joined(separator: ":")
    }

    /// Composes the message.
    /// - Throws: `MailError` naming the placeholder, header or file at fault.
    public func compose(_ draft: MessageDraft) throws -> ComposedMessage {
        let spec = draft.kind.spec
        try check(draft, against: spec)
        let cause = try cause(of: draft)
        let date = clock()
        let hash = Self.hash(cause)
        let messageID = "\(hash).\(Int(date.timeIntervalSince1970))@\(settings.domain)"
        let dates = EventDateText(timeZone: settings.timeZone)

        var values = commonValues(for: draft, dates: dates)
        for (name, value) in draft.values where !value.isEmpty { values[name] = value }
        var inline: [MailAttachment] = []
        var attachments: [MailAttachment] = []
        if spec.needsTicketImage, let image = draft.ticketImage {
            let contentID = "ticket-qr.\(hash.prefix(12))@\(settings.domain)"
            values["qr_cid"] = contentID
            inline.append(
                MailAttachment(fileName: "ticket-qr.png", mediaType: "image/png", data: image, contentID: contentID))
            let number = draft.values["participant_number"].map { "-\($0)" } ?? ""
            attachments.append(
                MailAttachment(fileName: Self.fileSafe("ticket\(number).png"), mediaType: "image/png", data: image))
        }
        if spec.agenda != .none, let agenda = draft.agenda {
            values["meetings"] = agenda.meetings.sorted { $0.start < $1.start }.map {
                meetingValues($0, dates, draft.language)
            }
            values["meeting_count"] = String(agenda.meetings.count)
            values["has_meetings"] = !agenda.meetings.isEmpty
            values["has_cancelled_meetings"] = !agenda.cancelled.isEmpty
            if !agenda.cancelled.isEmpty {
                values["cancelled_meetings"] = agenda.cancelled.sorted { $0.start < $1.start }.map {
                    meetingValues($0, dates, draft.language)
                }
            }
            if spec.agenda == .bodyAndCalendar {
                attachments += try calendarFiles(agenda, draft: draft, date: date)
            }
        }
        attachments += draft.attachments

        let language = draft.language
        let subject = try templates.render("\(draft.kind.rawValue).subject", language: language, values: values)
            .trimmingCharacters(in: .whitespaces)
        let textBody = try templates.render("\(draft.kind.rawValue).text", language: language, values: values)
        let message = MailMessage(
            from: settings.sender, to: [draft.recipient], replyTo: settings.replyTo, subject: subject, date: date,
            timeZone: settings.timeZone, messageID: messageID, language: language, textBody: textBody,
            htmlBody: try templates.render("\(draft.kind.rawValue).html", language: language, values: values),
            inlineFiles: inline, attachments: attachments,
            extraHeaders: [("Auto-Submitted", "auto-generated"), ("X-Partnering-Kind", draft.kind.rawValue)])
        return ComposedMessage(
            kind: draft.kind, language: language, recipient: draft.recipient, subject: subject, cause: cause,
            messageID: messageID, date: date, textBody: textBody, data: try message.rfc5322())
    }

    private func check(_ draft: MessageDraft, against spec: MessageKindSpec) throws {
        let declared = Set(spec.placeholders.map(\.name))
        if let unknown = draft.values.keys.sorted().first(where: { !declared.contains($0) }) {
            throw MailError.unknownPlaceholder(kind: draft.kind, name: unknown)
        }
        for placeholder in spec.placeholders where placeholder.isRequired {
            if draft.values[placeholder.name]?.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ?? true {
                throw MailError.missingPlaceholder(kind: draft.kind, name: placeholder.name)
            }
        }
        if spec.needsTicketImage && draft.ticketImage?.isEmpty ?? true {
            throw MailError.missingTicketImage(kind: draft.kind)
        }
        if spec.agenda != .none {
            guard let agenda = draft.agenda else { throw MailError.missingAgenda(kind: draft.kind) }
            for meeting in agenda.meetings + agenda.cancelled {
                if meeting.uid.isEmpty { throw MailError.invalidAgenda(reason: "a meeting has an empty UID") }
                if meeting.end <= meeting.start {
                    throw MailError.invalidAgenda(reason: "meeting \(meeting.uid) ends before it starts")
                }
            }
        }
    }

    private func commonValues(for draft: MessageDraft, dates: EventDateText) -> [String: Any] {
        var values: [String: Any] = [
            "recipient_name": draft.recipient.displayName ?? draft.recipient.address,
            "event_name": settings.eventName[draft.language],
            "venue_name": settings.venue.name,
            "venue_address": settings.venue.address,
            "venue_city": settings.venue.city,
            "organiser_name": settings.sender.displayName ?? settings.sender.address,
            "organiser_email": settings.sender.address,
        ]
        if let start = settings.eventStart { values["event_date"] = dates.day(start, in: draft.language) }
        return values.filter { ($0.value as? String)?.isEmpty != true }
    }

    private func meetingValues(_ meeting: AgendaMeeting, _ dates: EventDateText, _ language: Language) -> [String: Any]
    {
        let values: [String: String] = [
            "date": dates.day(meeting.start, in: language),
            "start": dates.time(meeting.start),
            "end": dates.time(meeting.end),
            "table": meeting.table,
            "counterpart_name": meeting.counterpart.name,
            "counterpart_organisation": meeting.counterpart.organisation,
            "counterpart_job_title": meeting.counterpart.jobTitle,
            "uid": meeting.uid,
        ]
        return values.filter { !$0.value.isEmpty }
    }

    /// The agenda's meetings as one PUBLISH calendar, with the same UIDs, SEQUENCE and
    /// texts as the `agenda.ics` of the schedule messages: the subscription feed that
    /// calendar apps poll serves this, so that they update the events the e-mail added.
    /// - Parameter sequence: the schedule version the recipient's last agenda e-mail carried.
    public func agendaCalendar(_ agenda: Agenda, language: Language, recipient: MailAddress, sequence: Int) throws
        -> CalendarDocument
    {
        let draft = MessageDraft(
            kind: .schedulePublished, language: language, recipient: recipient, values: [:], agenda: agenda)
        let events = try agenda.meetings.sorted { $0.start < $1.start }.map {
            try calendarEvent($0, sequence: sequence, cancelled: false, draft: draft)
        }
        return CalendarDocument(
            method: .publish, productID: settings.productID, timeZone: settings.timeZone, stamp: clock(),
            events: events)
    }

    /// `agenda.ics` (PUBLISH) with the meetings and, when meetings were removed,
    /// `cancelled.ics` (CANCEL): one calendar object carries a single method.
    private func calendarFiles(_ agenda: Agenda, draft: MessageDraft, date: Date) throws -> [MailAttachment] {
        let versionText = draft.values["schedule_version"] ?? "0"
        guard let sequence = Int(versionText), sequence >= 0 else {
            throw MailError.invalidAgenda(reason: "schedule_version '\(versionText)' must be a whole number")
        }
        var files: [(String, CalendarMethod, [AgendaMeeting])] = []
        if !agenda.meetings.isEmpty { files.append(("agenda.ics", .publish, agenda.meetings)) }
        if !agenda.cancelled.isEmpty { files.append(("cancelled.ics", .cancel, agenda.cancelled)) }
        return try files.map { name, method, meetings in
            let events = try meetings.sorted { $0.start < $1.start }.map { meeting in
                try calendarEvent(meeting, sequence: sequence, cancelled: method == .cancel, draft: draft)
            }
            let document = CalendarDocument(
                method: method, productID: settings.productID, timeZone: settings.timeZone, stamp: date, events: events)
            return MailAttachment(
                fileName: name, mediaType: "text/calendar",
                parameters: ["charset": "UTF-8", "method": method.rawValue],
                data: Data(document.ics().utf8))
        }
    }

    private func calendarEvent(_ meeting: AgendaMeeting, sequence: Int, cancelled: Bool, draft: MessageDraft) throws
        -> CalendarEvent
    {
        var values: [String: Any] = [
            "event_name": settings.eventName[draft.language], "table": meeting.table,
            "counterpart_name": meeting.counterpart.name,
            "counterpart_organisation": meeting.counterpart.organisation,
            "counterpart_job_title": meeting.counterpart.jobTitle,
            "recipient_name": draft.recipient.displayName ?? draft.recipient.address,
        ]
        values = values.filter { ($0.value as? String)?.isEmpty != true }
        var attendees = [draft.recipient]
        if let email = meeting.counterpart.email {
            attendees.append(
                try MailAddress(email, name: meeting.counterpart.name, field: "counterpart e-mail of \(meeting.uid)"))
        }
        let location = [meeting.table, settings.venue.name, settings.venue.address, settings.venue.city]
            .filter { !$0.isEmpty }.joined(separator: ", ")
        return CalendarEvent(
            uid: meeting.uid, sequence: sequence, start: meeting.start, end: meeting.end,
            summary: try templates.render("calendar-summary.text", language: draft.language, values: values)
                .trimmingCharacters(in: .whitespacesAndNewlines),
            description: try templates.render("calendar-description.text", language: draft.language, values: values)
                .trimmingCharacters(in: .whitespacesAndNewlines),
            location: location, organizer: settings.sender, attendees: attendees, isCancelled: cancelled)
    }

    /// A file name made of the characters every mail client keeps.
    private static func fileSafe(_ name: String) -> String {
        String(name.map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "-") ? $0 : "_" })
    }

    /// FNV-1a, 64 bits, in hexadecimal: a stable short digest of a cause for ids.
    static func hash(_ text: String) -> String {
        var value: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            value ^= UInt64(byte)
            value = value &* 0x0000_0100_0000_01B3
        }
        let hex = String(value, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
