import Foundation
import PartneringCore
import Testing

@testable import Mail

/// Every kind of message, in both languages, read back by Python's `email` package.
@Suite struct MessageKindTests {
    struct Sample: Sendable {
        let kind: MessageKind
        let language: Language
        let composed: ComposedMessage
        let inspected: InspectedMessage
    }

    /// Every kind in every language, composed once and inspected in one Python run.
    static let shared = Result { try makeSamples() }

    static func samples() throws -> [Sample] { try shared.get() }

    private static func makeSamples() throws -> [Sample] {
        let composer = try TestSupport.composer()
        var composed: [(MessageKind, Language, ComposedMessage)] = []
        for kind in MessageKind.allCases {
            for language in Language.allCases {
                composed.append((kind, language, try composer.compose(try MailSamples.draft(kind, language: language))))
            }
        }
        let inspected = try TestSupport.inspect(composed.map(\.2.data))
        return zip(composed, inspected).map { Sample(kind: $0.0, language: $0.1, composed: $0.2, inspected: $1) }
    }

    @Test func everyKindInBothLanguagesParsesWithoutDefects() throws {
        let samples = try Self.samples()
        #expect(samples.count == MessageKind.allCases.count * 2)
        for sample in samples {
            let label = "\(sample.kind.rawValue) (\(sample.language.rawValue))"
            let message = sample.inspected
            #expect(message.defects.isEmpty, "\(label): \(message.defects)")
            #expect(message.bareLineFeeds == 0, "\(label): lines must end with CRLF")
            #expect(message.maxLineOctets <= 998, "\(label)")
            #expect(message.maxHeaderLineOctets <= 78, "\(label): headers are folded")
            #expect(message.mimeVersion == "1.0")
            #expect(message.messageID?.hasSuffix("@partnering.example.org>") == true, "\(label)")
            #expect(message.date == "Thu, 01 Oct 2026 10:00:00 +0200", "\(label): Date from the injected clock")
            #expect(message.contentTypes.contains("text/plain") && message.contentTypes.contains("text/html"))
            #expect(message.text?.isEmpty == false && message.html?.isEmpty == false, "\(label)")
        }
    }

    @Test func nonASCIINamesAndSubjectsRoundTrip() throws {
        for sample in try Self.samples() {
            let message = sample.inspected
            let recipient = try MailSamples.recipient(sample.language)
            #expect(message.toName == recipient.displayName)
            #expect(message.toAddress == recipient.address)
            #expect(message.fromName == "Partnering Onco-Hémato")
            #expect(message.subject == sample.composed.subject)
            #expect(message.replyTo == "Équipe d’organisation <contact@example.org>")
        }
        let french = try Self.samples().first { $0.kind == .registrationReceived && $0.language == .fr }
        #expect(french?.inspected.subject == "Inscription reçue\u{A0}: Journée partenariale Oncohématologie")
        #expect(french?.inspected.toName == "Hélène Dupré")
    }

    @Test func textIsInTheRecipientsLanguage() throws {
        for sample in try Self.samples() {
            let greeting = sample.language == .fr ? "Bonjour" : "Dear"
            #expect(sample.inspected.text?.hasPrefix("\(greeting) ") == true, "\(sample.kind.rawValue)")
            #expect(sample.inspected.html?.contains("lang=\"\(sample.language.rawValue)\"") == true)
        }
    }

    @Test func ticketCarriesTheQRCodeInlineAndAttachedAndTheTokenAsText() throws {
        for sample in try Self.samples() where sample.kind == .registrationConfirmed {
            let message = sample.inspected
            let pngs = message.files.filter { $0.contentType == "image/png" }
            #expect(pngs.count == 2)
            let inline = try #require(pngs.first { $0.disposition == "inline" })
            let attached = try #require(pngs.first { $0.disposition == "attachment" })
            #expect(inline.pngSize == [132, 132], "a valid PNG: chunks' CRCs and deflate data check out")
            #expect(attached.pngSize == [132, 132])
            #expect(attached.filename == "ticket-042.png")
            let contentID = try #require(inline.contentID?.trimmingCharacters(in: CharacterSet(charactersIn: "<>")))
            #expect(message.html?.contains("src=\"cid:\(contentID)\"") == true)
            #expect(message.contentTypes.contains("multipart/related"))
            let token = try #require(
                MessageKind.registrationConfirmed.spec.placeholders.first { $0.name == "ticket_token" })
            #expect(message.text?.contains(token.sample[sample.language]) == true)
        }
    }

    @Test func scheduleMessagesCarryTheAgendaAndItsCalendar() throws {
        for sample in try Self.samples() where sample.kind == .schedulePublished || sample.kind == .scheduleChanged {
            let message = sample.inspected
            try TestSupport.requireICalendar(message)
            #expect(message.text?.contains("Marc Lefèvre") == true)
            #expect(message.html?.contains("Dr Siobhán O’Connor") == true)
            let agenda = try #require(message.calendars.first { $0.methodParameter == "PUBLISH" })
            #expect(message.files.contains { $0.filename == "agenda.ics" && $0.contentType == "text/calendar" })
            #expect(agenda.method == "PUBLISH")
            #expect(agenda.events?.count == 3)
            #expect(agenda.events?.allSatisfy { $0.tzid == "Europe/Paris" && $0.status == "CONFIRMED" } == true)
            if sample.kind == .scheduleChanged {
                let cancelled = try #require(message.calendars.first { $0.methodParameter == "CANCEL" })
                #expect(cancelled.method == nil || cancelled.method == "CANCEL")
                #expect(cancelled.events?.map(\.status) == ["CANCELLED"])
                #expect(cancelled.events?.first?.summary?.contains("Ana Souza") == true)
            }
        }
    }

    @Test func changedScheduleKeepsUIDsAndRaisesSequence() throws {
        let composer = try TestSupport.composer()
        var published = try MailSamples.draft(.schedulePublished, language: .en)
        published.values["schedule_version"] = "1"
        var changed = try MailSamples.draft(.scheduleChanged, language: .en)
        changed.values["schedule_version"] = "2"
        let inspected = try TestSupport.inspect([composer.compose(published).data, composer.compose(changed).data])
        try TestSupport.requireICalendar(inspected[0])
        let before = Dictionary(
            uniqueKeysWithValues: (inspected[0].calendars[0].events ?? []).map { ($0.uid ?? "", $0) })
        let after = inspected[1].calendars.flatMap { $0.events ?? [] }
        let marc = try #require(after.first { $0.summary?.contains("Marc Lefèvre") == true })
        let marcBefore = try #require(before[marc.uid ?? ""], "the moved meeting keeps its UID")
        #expect(marc.sequence == 2 && marcBefore.sequence == 1)
        #expect(marc.startUTC != marcBefore.startUTC, "the meeting moved from 09:00 to 09:40")
        #expect(marc.startUTC == "2026-10-15T07:40:00+00:00")
        let ana = try #require(after.first { $0.summary?.contains("Ana Souza") == true })
        #expect(before[ana.uid ?? ""] != nil && ana.status == "CANCELLED" && ana.sequence == 2)
    }

    @Test func participantNamedScriptStaysTextInHTML() throws {
        let composer = try TestSupport.composer()
        var draft = try MailSamples.draft(.requestAccepted, language: .en)
        draft.values["counterpart_name"] = "<script>alert('x')</script>"
        draft.values["counterpart_organisation"] = "Fish & \"Chips\" <b>Ltd</b>"
        let message = try composer.compose(draft)
        let inspected = try #require(try TestSupport.inspect([message.data]).first)
        #expect(inspected.defects.isEmpty)
        let html = try #require(inspected.html)
        #expect(!html.contains("<script>"))
        #expect(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"))
        #expect(html.contains("Fish &amp; &quot;Chips&quot; &lt;b&gt;Ltd&lt;/b&gt;"))
        #expect(inspected.text?.contains("<script>alert('x')</script> (Fish & \"Chips\" <b>Ltd</b>)") == true)
        #expect(inspected.subject == "<script>alert('x')</script> accepted your meeting request")
    }

    @Test func recipientNamedScriptRoundTripsInTheToHeader() throws {
        var draft = try MailSamples.draft(.accessLink, language: .fr)
        draft.recipient = try MailAddress("eve@example.org", name: "<script> \"Ève\" \\ O’Neil, Jr.")
        let inspected = try TestSupport.inspect([try TestSupport.composer().compose(draft).data])
        #expect(inspected[0].defects.isEmpty)
        #expect(inspected[0].toName == "<script> \"Ève\" \\ O’Neil, Jr.")
        #expect(inspected[0].html?.contains("Bonjour &lt;script&gt; &quot;Ève&quot;") == true)
    }

    @Test func causesFollowTheCatalogue() throws {
        let composer = try TestSupport.composer()
        #expect(
            try composer.cause(of: MailSamples.draft(.registrationConfirmed, language: .fr)) == "confirmation:p-042")
        #expect(try composer.cause(of: MailSamples.draft(.schedulePublished, language: .en)) == "schedule:2:p-042")
        #expect(try composer.cause(of: MailSamples.draft(.scheduleChanged, language: .fr)) == "schedule:2:p-042")
        #expect(
            try composer.cause(of: MailSamples.draft(.requestDeclined, language: .fr)) == "request-declined:req-318")
        let causes = try MessageKind.allCases.map { try composer.cause(of: MailSamples.draft($0, language: .fr)) }
        #expect(Set(causes).count == causes.count - 1, "only the two schedule kinds share a cause")
    }

    @Test func catalogueDeclaresSamplesAndCauseFieldsForEveryKind() {
        for kind in MessageKind.allCases {
            let spec = kind.spec
            let names = Set(spec.placeholders.map(\.name))
            #expect(names.count == spec.placeholders.count, "\(kind): placeholder names are unique")
            #expect(Set(spec.causeFields).isSubset(of: names), "\(kind): the cause is made of placeholders")
            for placeholder in spec.placeholders + MessageCatalogue.commonPlaceholders {
                #expect(
                    !placeholder.sample.fr.isEmpty && !placeholder.sample.en.isEmpty, "\(kind): \(placeholder.name)")
            }
            #expect(!spec.subject.fr.isEmpty && !spec.subject.en.isEmpty && spec.subject.fr != spec.subject.en)
        }
    }
}
