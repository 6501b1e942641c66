import Foundation
import PartneringCore
import Registration
import Storage
import Testing

@Suite("Meeting feedback")
struct MeetingFeedbackTests {
    /// Ada meets Xia in the day's first slot and Yan in the second; Bob meets Xia in the
    /// third; Cyd has no meeting. The schedule is published.
    struct Day {
        let fixture: Fixture
        let feedback: MeetingFeedbackService
        let ada: Participant
        let bob: Participant
        let cyd: Participant
        let xia: Participant
        let yan: Participant
        let slots: [Slot]

        static func make(store: PartneringStore? = nil) async throws -> Day {
            let fixture = try await Fixture.make(store: store)
            let ada = try await fixture.register("Ada Lovelace", "ada@example.org")
            let bob = try await fixture.register("Bob Martin", "bob@example.org")
            let cyd = try await fixture.register("Cyd Charisse", "cyd@example.org")
            let xia = try await fixture.register("Xia Wen", "xia@example.org", role: .expert)
            let yan = try await fixture.register("Yan Tiersen", "yan@example.org", role: .expert)
            let event = fixture.service.event
            let slots = Array(event.slots.prefix(3))
            let tables = event.tables
            let version = try await fixture.store.schedules.save(
                ScheduleDraft(
                    meetings: [
                        Meeting(ada.id, xia.id, slot: slots[0].id, table: tables[0].id),
                        Meeting(ada.id, yan.id, slot: slots[1].id, table: tables[1].id),
                        Meeting(bob.id, xia.id, slot: slots[2].id, table: tables[0].id),
                    ], objective: 3, createdAt: Fixture.start))
            _ = try await fixture.store.schedules.publish(version.info.version, at: Fixture.start)
            let feedback = MeetingFeedbackService(
                registration: fixture.service, schedules: fixture.store.schedules,
                feedback: fixture.store.meetingFeedback)
            return Day(
                fixture: fixture, feedback: feedback, ada: ada, bob: bob, cyd: cyd, xia: xia, yan: yan, slots: slots)
        }

        /// Moves the clock to `date` (forward only).
        func move(to date: Date) {
            fixture.clock.advance(by: max(0, date.timeIntervalSince(fixture.clock.now)))
        }
    }

    static let held = FeedbackForm(attendance: "held", usefulness: "4", followUp: "nda", comment: "  Promising  ")

    @Test(
        "an answer opens when the slot ends, is stored once per meeting and can be changed",
        arguments: StoreBackend.testable)
    func recordAndChange(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let day = try await Day.make(store: store)
            let feedback = day.feedback

            // MUT: during the first meeting, then after it.
            day.move(to: day.slots[0].start.addingTimeInterval(60))
            await #expect(throws: Refusal.feedbackNotOpen) {
                try await feedback.record(Self.held, about: day.xia.id, by: day.ada)
            }
            #expect(try await feedback.pastMeetings(of: day.ada).isEmpty)
            day.move(to: day.slots[0].end)
            let first = try await feedback.record(Self.held, about: day.xia.id, by: day.ada)
            try await feedback.record(
                FeedbackForm(attendance: "counterpart-absent", usefulness: "", followUp: "", comment: nil),
                about: day.ada.id, by: day.xia)

            // validation
            #expect(first.usefulness == 4)
            #expect(first.followUp == .nda)
            #expect(first.comment == "Promising")
            let past = try await feedback.pastMeetings(of: day.ada)
            #expect(past.map(\.counterpart.id) == [day.xia.id], "the second meeting has not ended")
            #expect(past.first?.answer == first)
            #expect(past.first?.slot == day.slots[0])
            await #expect(throws: Refusal.feedbackNotOpen) {
                try await feedback.record(Self.held, about: day.yan.id, by: day.ada)
            }

            // MUT: Ada changes her mind.
            day.move(to: day.slots[1].end)
            try await feedback.record(
                FeedbackForm(attendance: "cancelled", usefulness: "5", followUp: "call", comment: ""),
                about: day.xia.id, by: day.ada)

            // validation: one answer per participant per meeting; no rating of a meeting not held.
            let all = try await store.meetingFeedback.allFeedback()
            #expect(all.count == 2)
            let ada = try #require(all.first { $0.author == day.ada.id })
            #expect(ada.attendance == .cancelled)
            #expect(ada.usefulness == nil)
            #expect(ada.followUp == .call)
            #expect(ada.recordedAt == day.fixture.clock.now)
            let xia = try #require(all.first { $0.author == day.xia.id })
            #expect(xia.attendance == .counterpartAbsent)
            #expect(xia.followUp == .none, "an empty follow-up is none")
            #expect(try await feedback.pastMeetings(of: day.ada).map(\.counterpart.id) == [day.xia.id, day.yan.id])

            // The GDPR export gives Ada her own answer, not Xia's about her.
            let export = try #require(
                try JSONSerialization.jsonObject(with: try await day.fixture.service.export(day.ada).json())
                    as? [String: Any])
            let answers = try #require(export["meetingFeedback"] as? [[String: Any]])
            #expect(answers.count == 1)
            #expect(answers.first?["counterpart"] as? String == day.xia.id.rawValue)
            #expect(answers.first?["attendance"] as? String == "cancelled")
            #expect(answers.first?["followUp"] as? String == "call")
        }
    }

    @Test("only the two participants of a meeting of the published schedule answer about it")
    func onlyOwnMeetings() async throws {
        let day = try await Day.make()
        day.move(to: day.slots[2].end)

        // MUT + validation
        await #expect(throws: Refusal.notFound) {
            try await day.feedback.record(Self.held, about: day.bob.id, by: day.ada)
        }
        await #expect(throws: Refusal.notFound) {
            try await day.feedback.record(Self.held, about: day.xia.id, by: day.cyd)
        }
        await #expect(throws: Refusal.notFound) {
            try await day.feedback.record(Self.held, about: ParticipantID("p-unknown"), by: day.ada)
        }
        let cancelled = try await day.fixture.service.cancel(day.bob, actor: "participant:\(day.bob.id)").participant
        await #expect(throws: Refusal.registrationNotActive) {
            try await day.feedback.record(Self.held, about: day.xia.id, by: cancelled)
        }
        #expect(try await day.fixture.store.meetingFeedback.allFeedback().isEmpty)
    }

    @Test(
        "a form is refused field by field",
        arguments: [
            (
                FeedbackForm(attendance: "", usefulness: "", followUp: "", comment: ""),
                [FieldIssue("attendance", .required)]
            ),
            (
                FeedbackForm(attendance: "maybe", usefulness: "", followUp: "", comment: ""),
                [FieldIssue("attendance", .unknownChoice)]
            ),
            (
                FeedbackForm(attendance: "held", usefulness: "", followUp: "", comment: ""),
                [FieldIssue("usefulness", .required)]
            ),
            (
                FeedbackForm(attendance: "held", usefulness: "6", followUp: "", comment: ""),
                [FieldIssue("usefulness", .outOfRange(min: 1, max: 5))]
            ),
            (
                FeedbackForm(attendance: "held", usefulness: "99999999999999999999", followUp: "", comment: ""),
                [FieldIssue("usefulness", .notANumber)]
            ),
            (
                FeedbackForm(attendance: "held", usefulness: "3", followUp: "grant", comment: ""),
                [FieldIssue("followUp", .unknownChoice)]
            ),
            (
                FeedbackForm(
                    attendance: "held", usefulness: "3", followUp: "", comment: String(repeating: "é", count: 501)),
                [FieldIssue("comment", .tooLong(max: 500))]
            ),
            (
                FeedbackForm(attendance: "cancelled", usefulness: "", followUp: "", comment: "a\u{202E}b"),
                [FieldIssue("comment", .controlCharacter)]
            ),
        ])
    func refusals(form: FeedbackForm, issues: [FieldIssue]) async throws {
        let day = try await Day.make()
        day.move(to: day.slots[0].end)
        await #expect(throws: Refusal.invalidInput(issues)) {
            try await day.feedback.record(form, about: day.xia.id, by: day.ada)
        }
        #expect(try await day.fixture.store.meetingFeedback.allFeedback().isEmpty)
    }

    @Test(
        "after the day, one e-mail per confirmed participant with meetings, linking to their feedback page",
        arguments: StoreBackend.testable)
    func invitations(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let day = try await Day.make(store: store)

            // MUT: before the day's last meeting ended, then after.
            day.move(to: day.slots[1].end)
            await #expect(throws: Refusal.feedbackNotOpen) { try await day.feedback.sendInvitations(by: "alice") }
            _ = try await day.fixture.service.cancel(day.yan, actor: "participant:\(day.yan.id)")
            day.move(to: day.slots[2].end)
            let count = try await day.feedback.sendInvitations(by: "alice")

            // validation
            #expect(count == 3, "Ada, Bob and Xia; not Cyd (no meeting) nor Yan (cancelled)")
            let invitations = await day.fixture.notices.notices.compactMap { notice -> (Participant, String, Int)? in
                if case .feedbackInvitation(let participant, let url, let meetings) = notice {
                    return (participant, url, meetings)
                }
                return nil
            }
            #expect(Set(invitations.map(\.0.id)) == [day.ada.id, day.bob.id, day.xia.id])
            #expect(invitations.first { $0.0.id == day.ada.id }?.2 == 2)
            #expect(invitations.first { $0.0.id == day.xia.id }?.2 == 2)
            #expect(invitations.first { $0.0.id == day.bob.id }?.2 == 1)
            for (participant, url, _) in invitations {
                #expect(url.hasPrefix("https://partnering.example.org/access/"))
                #expect(url.hasSuffix("?next=/me/feedback"))
                let token = try #require(url.split(separator: "?").first?.split(separator: "/").last)
                let signedIn = try await day.fixture.service.signIn(accessToken: String(token))
                #expect(signedIn.participant.id == participant.id)
            }
            let audit = try await store.auditLog.list(AuditFilter(subject: "schedule-1"))
            #expect(audit.map(\.action) == ["feedback.invite"])
            #expect(audit.first?.details == "3 participants")
        }
    }

    @Test(
        "erasing a participant removes the answers they gave and those about meetings with them",
        arguments: StoreBackend.testable)
    func erasure(backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let day = try await Day.make(store: store)
            day.move(to: day.slots[2].end)
            try await day.feedback.record(Self.held, about: day.xia.id, by: day.ada)
            try await day.feedback.record(Self.held, about: day.ada.id, by: day.xia)
            try await day.feedback.record(Self.held, about: day.xia.id, by: day.bob)

            // MUT
            try await day.fixture.service.erase(day.ada)

            // validation
            let left = try await store.meetingFeedback.allFeedback()
            #expect(left.map(\.author) == [day.bob.id])
            #expect(try await store.meetingFeedback.feedback(by: day.xia.id).isEmpty)
        }
    }
}
