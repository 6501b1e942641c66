import Foundation
import PartneringCore
import Testing

@testable import Mail

/// The composer refuses drafts that do not match their kind's declaration.
@Suite struct ComposerTests {
    @Test func missingRequiredPlaceholderIsNamed() throws {
        var draft = try MailSamples.draft(.accessLink, language: .fr)
        draft.values["access_url"] = "  "
        #expect(throws: MailError.missingPlaceholder(kind: .accessLink, name: "access_url")) {
            try TestSupport.composer().compose(draft)
        }
    }

    @Test func unknownPlaceholderIsRefused() throws {
        var draft = try MailSamples.draft(.accessLink, language: .en)
        draft.values["acess_url"] = "https://example.org"
        #expect(throws: MailError.unknownPlaceholder(kind: .accessLink, name: "acess_url")) {
            try TestSupport.composer().compose(draft)
        }
    }

    @Test func optionalPlaceholderMayBeLeftOut() throws {
        var draft = try MailSamples.draft(.requestReceived, language: .en)
        draft.values["request_message"] = nil
        draft.values["requester_job_title"] = ""
        let inspected = try TestSupport.inspect([try TestSupport.composer().compose(draft).data])
        #expect(inspected[0].text?.contains("Their message") == false)
        #expect(inspected[0].text?.contains("Marc Lefèvre (OncoThéra SAS) would like to meet you") == true)
    }

    @Test func ticketMessageNeedsTheQRCode() throws {
        var draft = try MailSamples.draft(.registrationConfirmed, language: .en)
        draft.ticketImage = nil
        #expect(throws: MailError.missingTicketImage(kind: .registrationConfirmed)) {
            try TestSupport.composer().compose(draft)
        }
    }

    @Test func scheduleMessageNeedsAnAgenda() throws {
        var draft = try MailSamples.draft(.schedulePublished, language: .en)
        draft.agenda = nil
        #expect(throws: MailError.missingAgenda(kind: .schedulePublished)) {
            try TestSupport.composer().compose(draft)
        }
    }

    @Test func scheduleVersionMustBeANumber() throws {
        var draft = try MailSamples.draft(.schedulePublished, language: .en)
        draft.values["schedule_version"] = "v2"
        #expect(throws: MailError.invalidAgenda(reason: "schedule_version 'v2' must be a whole number")) {
            try TestSupport.composer().compose(draft)
        }
    }

    @Test func headerInjectionThroughAValueIsRefused() throws {
        var draft = try MailSamples.draft(.requestAccepted, language: .en)
        draft.values["counterpart_name"] = "Mallory\r\nBcc: everyone@example.org"
        #expect(throws: MailError.headerInjection(field: "Subject")) {
            try TestSupport.composer().compose(draft)
        }
    }

    @Test func emptyAgendaSaysSoAndAttachesNoCalendar() throws {
        var draft = try MailSamples.draft(.schedulePublished, language: .fr)
        draft.agenda = Agenda(meetings: [])
        let inspected = try TestSupport.inspect([try TestSupport.composer().compose(draft).data])
        #expect(inspected[0].defects.isEmpty)
        #expect(inspected[0].calendars.isEmpty)
        #expect(inspected[0].text?.contains("Aucun rendez-vous n’a pu vous être attribué.") == true)
    }

    @Test func sameDraftAndClockGiveTheSameBytes() throws {
        let draft = try MailSamples.draft(.scheduleChanged, language: .fr)
        #expect(try TestSupport.composer().compose(draft).data == TestSupport.composer().compose(draft).data)
    }

    @Test func batchCompositionKeepsOrderAndMatchesOneByOne() async throws {
        let composer = try TestSupport.composer()
        let drafts = try (0..<40).map { index in
            var draft = try MailSamples.draft(
                index.isMultiple(of: 2) ? .registrationConfirmed : .schedulePublished, language: .en)
            draft.values["participant_id"] = "p-\(index)"
            return draft
        }
        let batch = try await composer.compose(drafts)
        let causes = try drafts.map { try composer.cause(of: $0) }
        let oneByOne = try drafts.map { try composer.compose($0).data }
        #expect(batch.map(\.cause) == causes)
        #expect(batch.map(\.data) == oneByOne)
    }

    @Test func htmlTemplateWritingAValueUnescapedIsRefused() throws {
        let folder = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.copyItem(at: TestSupport.templatesFolder, to: folder.appending(path: "templates"))
        let file = folder.appending(path: "templates/mail/en/access-link.html.mustache")
        try "<p>{{{recipient_name}}}</p>\n".write(to: file, atomically: true, encoding: .utf8)
        #expect(
            throws: MailError.invalidTemplate(
                path: file.path, reason: "line 1 writes a value unescaped ({{{...}}} or {{&...}}); use {{...}}")
        ) {
            try MailTemplates(directory: folder.appending(path: "templates"))
        }
    }

    @Test func missingTemplateIsNamed() throws {
        let folder = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.copyItem(at: TestSupport.templatesFolder, to: folder.appending(path: "templates"))
        let file = folder.appending(path: "templates/mail/fr/access-link.text.mustache")
        try FileManager.default.removeItem(at: file)
        #expect(throws: MailError.missingTemplate(path: file.path)) {
            try MailTemplates(directory: folder.appending(path: "templates"))
        }
    }

    @Test func textTemplatesAreNotEscaped() throws {
        var draft = try MailSamples.draft(.registrationCancelled, language: .en)
        draft.values["reason"] = "Seats < demand & \"fairness\""
        let message = try TestSupport.composer().compose(draft)
        let inspected = try TestSupport.inspect([message.data])
        #expect(inspected[0].text?.contains("Reason: Seats < demand & \"fairness\"") == true)
        #expect(inspected[0].html?.contains("Reason: Seats &lt; demand &amp; &quot;fairness&quot;") == true)
    }
}
