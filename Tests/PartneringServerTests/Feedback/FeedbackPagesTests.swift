import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PartneringCore
import PartneringServer
import Registration
import Testing

@Suite("Meeting feedback over HTTP")
struct FeedbackPagesTests {
    private func insert(_ server: RegistrationServer, _ name: String, role: Role, language: Language) async throws
        -> Participant
    {
        try await server.environment.store.participants.insert(
            ParticipantDraft(
                id: ParticipantID("p-\(UUID().uuidString.prefix(8).lowercased())"), role: role,
                category: role == .expert ? "academic-expert" : "company-delegate", name: name,
                email: "\(name.split(separator: " ")[0].lowercased())@example.org", organisation: "Org of \(name)",
                jobTitle: "", country: "FR", topics: [], profile: "", language: language, listedInDirectory: true,
                registeredAt: RegistrationServer.start),
            status: .confirmed)
    }

    @Test("after the day the e-mail leads each participant, in their language, to a form per meeting they can change")
    func feedbackJourney() async throws {
        try await RegistrationServer.with { server in
            let event = server.environment.event
            let ada = try await insert(server, "Ada Lovelace", role: .company, language: .en)
            let xia = try await insert(server, "Xia Wen", role: .expert, language: .fr)
            let version = try await server.environment.store.schedules.save(
                ScheduleDraft(
                    meetings: [Meeting(ada.id, xia.id, slot: event.slots[1].id, table: event.tables[2].id)],
                    objective: 1, createdAt: RegistrationServer.start))
            _ = try await server.environment.store.schedules.publish(version.info.version, at: RegistrationServer.start)
            server.clock.advance(by: event.slots[1].start.timeIntervalSince(server.clock.now) + 60)

            try await buildApplication(environment: server.environment).test(.router) { client in
                // During the meeting: too early for the e-mail.
                let organiser = try await server.signInOrganiser(client)
                let feedbackPage = try await organiser.get("/organiser/feedback?lang=en")
                #expect(feedbackPage.status == .ok)
                let early = try await organiser.post("/organiser/feedback/invitations", [("_csrf", feedbackPage.csrf)])
                #expect(early.status == .conflict)
                #expect(early.body.contains("A meeting can be rated once its slot has ended."))

                // After it: one e-mail each, in their language, whose link opens the feedback page.
                server.clock.advance(by: event.slots[1].end.timeIntervalSince(server.clock.now) + 60)
                let sent = try await organiser.post("/organiser/feedback/invitations", [("_csrf", feedbackPage.csrf)])
                #expect(sent.status == .seeOther)
                #expect(sent.headers[.location] == "/organiser/feedback?sent=2")
                #expect(try await organiser.get("/organiser/feedback?sent=2").body.contains(#"data-sent="2""#))
                await server.environment.registration.mail?.drain()
                let mails = try await server.decodedOutboxMessages().filter {
                    $0.contains("X-Partnering-Kind: feedback-invitation")
                }
                #expect(mails.count == 2)
                let english = try #require(mails.first { $0.contains("ada@example.org") })
                let french = try #require(mails.first { $0.contains("xia@example.org") })
                #expect(english.contains("How did your meetings go?"))
                #expect(french.contains("Merci d’avoir participé"))
                let link = try #require(
                    Browser.Page.capture(#"https?://[^/\s]+(/access/[A-Za-z0-9._-]+\?next=/me/feedback)"#, in: english))
                let visitor = Browser(client)
                let opened = try await visitor.get(link)
                #expect(opened.headers[.location] == "/me/feedback")

                let page = try await visitor.get("/me/feedback?lang=en")
                #expect(page.status == .ok)
                #expect(page.body.contains(#"id="m-\#(xia.id.rawValue)""#))
                #expect(page.body.contains("0 of 1 answered."))
                let me = try await visitor.get("/me?lang=en")
                #expect(me.body.contains(#"href="/me/feedback#m-\#(xia.id.rawValue)""#))

                // A wrong form comes back with its messages and what was typed.
                let invalid = try await visitor.post(
                    "/me/feedback/\(xia.id.rawValue)",
                    [("_csrf", page.csrf), ("attendance", "held"), ("usefulness", "9"), ("comment", "Très <bien>")])
                #expect(invalid.status == .unprocessableContent)
                #expect(invalid.body.contains(#"id="m-\#(xia.id.rawValue)-usefulness-error""#))
                #expect(invalid.body.contains("Très &lt;bien&gt;"))
                #expect(invalid.body.contains(#"value="held" checked"#))

                // Saved, then changed: one answer.
                let saved = try await visitor.post(
                    "/me/feedback/\(xia.id.rawValue)",
                    [
                        ("_csrf", page.csrf), ("attendance", "held"), ("usefulness", "4"),
                        ("followUp", "material-transfer"), ("comment", "Samples"),
                    ])
                #expect(saved.status == .seeOther)
                #expect(saved.headers[.location] == "/me/feedback?saved=\(xia.id.rawValue)#m-\(xia.id.rawValue)")
                let after = try await visitor.get("/me/feedback?saved=\(xia.id.rawValue)&lang=en")
                #expect(after.body.contains(#"data-saved="\#(xia.id.rawValue)""#))
                #expect(after.body.contains(#"value="material-transfer" selected"#))
                #expect(after.body.contains("1 of 1 answered."))
                _ = try await visitor.post(
                    "/me/feedback/\(xia.id.rawValue)",
                    [("_csrf", page.csrf), ("attendance", "counterpart-absent"), ("followUp", "none")])
                let answers = try await server.environment.store.meetingFeedback.allFeedback()
                #expect(answers.count == 1)
                #expect(answers.first?.attendance == .counterpartAbsent)
                #expect(answers.first?.usefulness == nil)

                // Nobody answers about someone else's meeting, nor without signing in.
                let notMine = try await visitor.post(
                    "/me/feedback/\(ada.id.rawValue)",
                    [("_csrf", page.csrf), ("attendance", "held"), ("usefulness", "5")])
                #expect(notMine.status == .notFound)
                #expect(try await Browser(client).get("/me/feedback").status == .unauthorized)
                let answerCount = try await organiser.get("/organiser/feedback?lang=en")
                #expect(answerCount.body.contains(#"data-answers="1""#))
            }
        }
    }
}

@Suite("Event report over HTTP")
struct ReportPagesTests {
    @Test("the report page, its CSV files and the JSON API show the same figures, to organisers only")
    func reportEverywhere() async throws {
        try await RegistrationServer.with { server in
            let event = server.environment.event
            let store = server.environment.store
            let ada = try await store.participants.insert(
                ParticipantDraft(
                    id: "p-ada", role: .company, category: "company-delegate", name: "Ada Lovelace",
                    email: "ada@example.org", organisation: "Analytical", jobTitle: "", country: "GB", topics: [],
                    profile: "", language: .en, listedInDirectory: true, registeredAt: RegistrationServer.start),
                status: .confirmed)
            let xia = try await store.participants.insert(
                ParticipantDraft(
                    id: "p-xia", role: .expert, category: "academic-expert", name: "Xia Wen", email: "xia@example.org",
                    organisation: "Curie", jobTitle: "", country: "FR", topics: [], profile: "", language: .fr,
                    listedInDirectory: true, registeredAt: RegistrationServer.start),
                status: .confirmed)
            let version = try await store.schedules.save(
                ScheduleDraft(
                    meetings: [Meeting(ada.id, xia.id, slot: event.slots[0].id, table: event.tables[0].id)],
                    objective: 1, createdAt: RegistrationServer.start))
            _ = try await store.schedules.publish(version.info.version, at: RegistrationServer.start)
            server.clock.advance(by: event.slots[0].end.timeIntervalSince(server.clock.now) + 60)
            let feedback = MeetingFeedbackService(
                registration: server.environment.registration.attendees, schedules: store.schedules,
                feedback: store.meetingFeedback)
            try await feedback.record(
                FeedbackForm(attendance: "held", usefulness: "4", followUp: "call", comment: nil), about: xia.id,
                by: ada)

            try await buildApplication(environment: server.environment).test(.router) { client in
                #expect(try await Browser(client).get("/organiser/report").status == .unauthorized)
                #expect(
                    try await client.execute(uri: "/api/v1/organiser/report", method: .get).status == .unauthorized)
                let (organiser, password) = try await server.signInOrganiserWithPassword(client)

                let page = try await organiser.get("/organiser/report?lang=en")
                #expect(page.status == .ok)
                #expect(page.body.contains(#"<span data-figure="held">1</span>"#))
                #expect(page.body.contains(#"<span data-figure="response-rate">50 %</span>"#))
                #expect(page.body.contains(#"<span data-figure="average-usefulness">4.0</span>"#))
                #expect(page.body.contains(#"<tr data-key="GB"><th scope="row">United Kingdom</th>"#))
                #expect(page.body.contains("Call or meeting"))
                let french = try await organiser.get("/organiser/report?lang=fr")
                #expect(french.body.contains(#"<span data-figure="average-usefulness">4,0</span>"#))
                #expect(french.body.contains("Appel ou rendez-vous"))

                let csv = try await organiser.get("/organiser/report/meetings.csv")
                #expect(csv.headers[.contentType] == "text/csv; charset=utf-8")
                #expect(csv.body.contains("scheduled,1\r\nheld,1\r\n"))
                #expect(try await organiser.get("/organiser/report/secrets.csv").status == .notFound)
                #expect(try await organiser.get("/organiser/report/meetings.txt").status == .notFound)

                let token = try await client.execute(
                    uri: "/api/v1/organiser/tokens", method: .post,
                    body: ByteBuffer(string: #"{"email": "org@example.org", "password": "\#(password)"}"#))
                let bearer: HTTPFields = [.authorization: "Bearer \(jsonObject(token.body)["token"] as? String ?? "")"]
                let api = try await client.execute(uri: "/api/v1/organiser/report", method: .get, headers: bearer)
                #expect(api.status == .ok)
                let json = jsonObject(api.body)
                #expect((json["meetings"] as? [String: Any])?["held"] as? Int == 1)
                #expect(json["usefulness"] as? [Int] == [0, 0, 0, 1, 0])
                #expect(json["averageUsefulness"] as? Double == 4.0)
                #expect((json["responses"] as? [String: Any])?["participantRate"] as? Int == 50)
            }
        }
    }
}
