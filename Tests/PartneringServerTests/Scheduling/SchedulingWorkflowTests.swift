import Foundation
import Hummingbird
import HummingbirdTesting
import Mail
import PartneringCore
import PartneringServer
import Testing

@Suite("Organiser scheduling workflow")
struct SchedulingWorkflowTests {
    /// Three companies and three experts, confirmed, with accepted requests between them.
    private func fill(_ server: RegistrationServer) async throws {
        let store = server.environment.store
        let people: [(String, Role, String)] = [
            ("c1", .company, "Ada Lovelace"), ("c2", .company, "Hélène Dupré"), ("c3", .company, "Grace <Hopper>"),
            ("e1", .expert, "Marie Curie"), ("e2", .expert, "Rosalind Franklin"), ("e3", .expert, "Lise Meitner"),
        ]
        for (id, role, name) in people {
            _ = try await store.participants.insert(
                ParticipantDraft(
                    id: ParticipantID(id), role: role,
                    category: CategoryID(role == .company ? "company-delegate" : "academic-expert"), name: name,
                    email: "\(id)@example.org", organisation: "Org \(id)", jobTitle: "", country: "FR", topics: [],
                    // Ada cannot meet in the first slot of the day.
                    profile: "", availability: id == "c1" ? server.environment.event.slots.dropFirst().map(\.id) : nil,
                    language: .en, listedInDirectory: true, registeredAt: RegistrationServer.start),
                status: .confirmed)
        }
        for (number, pair) in [("c1", "e1"), ("c1", "e2"), ("c2", "e1"), ("c3", "e3"), ("c2", "e3")].enumerated() {
            _ = try await store.requests.create(
                MeetingRequest(
                    id: RequestID("r\(number)"), from: ParticipantID(pair.0), to: ParticipantID(pair.1),
                    priority: .first, message: "", status: .accepted, createdAt: RegistrationServer.start),
                openRequestLimit: nil)
        }
    }

    private func signIn(_ server: RegistrationServer, _ client: any TestClientProtocol) async throws -> Browser {
        let password = try #require(
            try await server.environment.registration.organisers.bootstrap(email: "org@example.org", password: nil))
        let organiser = Browser(client)
        let login = try await organiser.get("/organiser/login?lang=en")
        let signedIn = try await organiser.post(
            "/organiser/login", [("_csrf", login.csrf), ("email", "org@example.org"), ("password", password)])
        #expect(signedIn.status == .seeOther)
        return organiser
    }

    /// Waits until the store holds `count` versions.
    private func waitForVersions(_ server: RegistrationServer, _ count: Int) async throws -> [ScheduleVersionInfo] {
        var versions = try await server.environment.store.schedules.versions()
        for _ in 0..<300 where versions.count < count {
            try await Task.sleep(for: .milliseconds(50))
            versions = try await server.environment.store.schedules.versions()
        }
        return versions
    }

    @Test("run in the background, review in words, adjust by names into one version, compare, preview and publish")
    func workflow() async throws {
        try await RegistrationServer.with { server in
            try await fill(server)
            try await buildApplication(environment: server.environment).test(.router) { client in
                #expect(try await Browser(client).get("/organiser/schedule").status == .unauthorized)
                let organiser = try await server.signInOrganiser(client)
                let start = try await organiser.get("/organiser/schedule")
                #expect(start.status == .ok && start.body.contains("Run the scheduler"))
                #expect(start.body.contains("<nav class=\"area\"") && start.body.contains("<header class=\"site\""))

                // Time limits out of range or not numbers are refused before anything runs.
                for bad in ["nan", "inf", "0", "601", "-5", "ten"] {
                    let refused = try await organiser.post(
                        "/organiser/schedule/run", [("_csrf", start.csrf), ("timeLimit", bad)])
                    #expect(refused.headers[.location] == "/organiser/schedule?error=time_limit_out_of_range", "\(bad)")
                }
                let notice = try await organiser.get("/organiser/schedule?error=time_limit_out_of_range")
                #expect(notice.body.contains("The time limit must be a number of seconds between 1 and 600."))
                #expect(try await server.environment.store.schedules.versions().isEmpty)

                let run = try await organiser.post(
                    "/organiser/schedule/run", [("_csrf", start.csrf), ("timeLimit", "1")])
                #expect(run.status == .seeOther)
                var versions = try await waitForVersions(server, 1)
                #expect(versions.map(\.meetingCount) == [5])
                let progress = try await organiser.get("/organiser/schedule/progress.json")
                #expect(progress.body.contains("\"state\":\"finished\""))
                #expect(progress.body.contains("\"text\":\""))

                let list = try await organiser.get("/organiser/schedule")
                #expect(list.body.contains("/organiser/schedule/versions/1\""))
                #expect(list.body.contains("5 meetings") && list.body.contains("Scheduler run, by org@example.org"))
                let review = try await organiser.get("/organiser/schedule/versions/1")
                #expect(review.body.contains("Requested meetings not scheduled (0)"))
                #expect(review.body.contains("best possible schedule"))
                #expect(review.body.contains("0 people with no meeting"))
                #expect(review.body.contains("/organiser/schedule/versions/1/grid.html"))
                #expect(review.body.contains("<option value=\"c1\">Ada Lovelace — Org c1</option>"))
                let grid = try await organiser.get("/organiser/schedule/versions/1/grid.html")
                #expect(grid.body.contains("Grace &lt;Hopper&gt;") && !grid.body.contains("Grace <Hopper>"))
                #expect(grid.body.components(separatedBy: "<svg ").count - 1 == 3)
                let csv = try await organiser.get("/organiser/schedule/versions/1/agendas.csv")
                #expect(csv.headers[.contentType] == "text/csv; charset=utf-8")

                // c1 meets e1 and e2: moving c1–e1 into the slot of c1–e2 breaks "one meeting per
                // slot"; the refusal names the people and the time, and says where it would fit.
                let version = try #require(try await server.environment.store.schedules.version(1))
                let other = try #require(version.meetings.first { Set($0.participants) == ["c1", "e2"] })
                let refused = try await organiser.post(
                    "/organiser/schedule/versions/1/adjust",
                    [
                        ("_csrf", review.csrf), ("draft", ""), ("action", "move"), ("a", "c1"), ("b", "e1"),
                        ("slot", other.slot.rawValue), ("table", other.table.rawValue),
                    ])
                #expect(refused.status == .unprocessableContent)
                #expect(refused.body.contains("Ada Lovelace already meets Rosalind Franklin at "))
                #expect(refused.body.contains("a person holds one meeting per slot"))
                #expect(refused.body.contains("Possible places: "))
                #expect(!refused.body.contains("c1") || refused.body.contains("value=\"c1\""))

                // Two changes collect in one draft; saving makes one version.
                let cancelled = try await organiser.post(
                    "/organiser/schedule/versions/1/adjust",
                    [("_csrf", review.csrf), ("draft", ""), ("action", "cancel"), ("a", "c3"), ("b", "e3")])
                let location = try #require(cancelled.headers[.location])
                #expect(location.hasPrefix("/organiser/schedule/versions/1?draft="))
                let drafted = try await organiser.get(location)
                #expect(drafted.body.contains("Changes in progress, not saved: 1 change"))
                #expect(drafted.body.contains("Cancel the meeting Grace &lt;Hopper&gt; – Lise Meitner"))
                let draft = try #require(Browser.Page.capture(#"name="draft" value="([^"]+)""#, in: drafted.body))
                    .replacingOccurrences(of: "&quot;", with: "\"")
                let pinned = try await organiser.post(
                    "/organiser/schedule/versions/1/adjust",
                    [("_csrf", review.csrf), ("draft", draft), ("action", "pin"), ("a", "c1"), ("b", "e1")])
                let twoChanges = try await organiser.get(try #require(pinned.headers[.location]))
                #expect(twoChanges.body.contains("2 changes"))
                let twoDraft = try #require(
                    Browser.Page.capture(#"name="draft" value="([^"]+)""#, in: twoChanges.body)
                ).replacingOccurrences(of: "&quot;", with: "\"")
                let saved = try await organiser.post(
                    "/organiser/schedule/versions/1/save", [("_csrf", review.csrf), ("draft", twoDraft)])
                #expect(saved.headers[.location] == "/organiser/schedule/versions/2?notice=saved")
                #expect(try await server.environment.store.schedules.versions().count == 2)
                #expect(try await server.environment.store.schedules.version(2)?.meetings.count == 4)
                let second = try await organiser.get("/organiser/schedule/versions/2?notice=saved")
                #expect(second.body.contains("Changed by hand from version 1 (2 changes), by org@example.org"))

                // Publishing asks first: who is told, a sample message, then the confirmation.
                let unconfirmed = try await organiser.post(
                    "/organiser/schedule/versions/1/publish", [("_csrf", review.csrf)])
                #expect(unconfirmed.headers[.location] == "/organiser/schedule/publication/1")
                #expect(try await server.environment.store.schedules.published() == nil)
                let preview = try await organiser.get("/organiser/schedule/publication/1")
                #expect(preview.body.contains("6 people will receive their schedule by e-mail"))
                #expect(preview.body.contains("Confirm: publish and send 6 e-mails"))
                #expect(preview.body.contains("Subject: <strong>"))
                #expect(try await Outbox(directory: server.outbox).records().isEmpty)
                _ = try await organiser.post(
                    "/organiser/schedule/versions/1/publish", [("_csrf", review.csrf), ("confirm", "yes")])
                let secondPreview = try await organiser.get("/organiser/schedule/publication/2")
                #expect(secondPreview.body.contains("2 people will receive"))
                #expect(secondPreview.body.contains("Grace &lt;Hopper&gt; – Lise Meitner"))
                let published = try await organiser.post(
                    "/organiser/schedule/versions/2/publish", [("_csrf", review.csrf), ("confirm", "yes")])
                let answer = try await organiser.get(try #require(published.headers[.location]))
                #expect(
                    answer.body.contains(
                        "Version 2 published: 2 e-mails with the schedule and its .ics file are in the outbox."))
                #expect(try await server.environment.store.schedules.published()?.info.version == 2)
                // The audit log shows each publication: who, which version, after which, how many told.
                let audit = try await organiser.get("/organiser/audit?action=schedule.publish")
                #expect(
                    audit.body.contains(
                        "<td>organiser:org@example.org</td><td>schedule.publish</td><td>2</td><td>after version 1; told 2</td>"
                    ))
                #expect(audit.body.contains("<td>schedule.publish</td><td>1</td><td>first publication; told 6</td>"))
                // A confirmation from a preview shown before version 2 was published is refused.
                let stale = try await organiser.post(
                    "/organiser/schedule/versions/1/publish",
                    [("_csrf", review.csrf), ("confirm", "yes"), ("expected", "none")])
                #expect(stale.status == .conflict)
                #expect(stale.body.contains("Another version was published since the preview"))
                #expect(try await server.environment.store.schedules.published()?.info.version == 2)
                // Everyone got the first version; only Grace and Lise hear about the second.
                await server.environment.registration.mail?.drain()
                let records = try await Outbox(directory: server.outbox).records()
                #expect(records.filter { $0.kind == .schedulePublished }.count == 6)
                let changed = records.filter { $0.kind == .scheduleChanged }.map(\.recipient).sorted()
                #expect(
                    changed.count == 2 && changed[0].contains("c3@example.org") && changed[1].contains("e3@example.org")
                )

                // Re-plan in keep mode from the published version 2: its four meetings stay where
                // they are, and the cancelled pair (whose request still stands) comes back.
                let replan = try await organiser.post(
                    "/organiser/schedule/run", [("_csrf", review.csrf), ("timeLimit", "1"), ("keep", "1")])
                #expect(replan.status == .seeOther)
                versions = try await waitForVersions(server, 3)
                #expect(versions.last?.summaryJSON?.contains("\"basedOn\":2") == true)
                let secondVersion = try #require(try await server.environment.store.schedules.version(2))
                let third = try #require(try await server.environment.store.schedules.version(3))
                #expect(Set(secondVersion.meetings).isSubset(of: Set(third.meetings)))
                #expect(third.meetings.count == 5)

                // A page per person: Grace's cancelled meeting shows as a request not scheduled, with why.
                let grace = try await organiser.get("/organiser/schedule/versions/2/people/c3")
                #expect(grace.body.contains("<h1>Grace &lt;Hopper&gt;</h1>"))
                #expect(grace.body.contains("0 meetings in this version; 1 request to schedule."))
                #expect(
                    grace.body.contains(
                        "sent to</td><td><a href=\"/organiser/schedule/versions/2/people/e3\">Lise Meitner"))
                #expect(grace.body.contains("not scheduled"))
                let ada = try await organiser.get("/organiser/schedule/versions/2/people/c1")
                #expect(ada.body.contains("2 meetings in this version; 2 requests to schedule."))
                #expect(ada.body.contains("scheduled at "))
                // Her unavailable slot is shown, with the way to change it; no meeting is in it.
                #expect(ada.body.contains("<p id=\"unavailable\">Not available: <span class=\"badge requested\">"))
                #expect(ada.body.contains("href=\"/organiser/registrations/c1#availability\""))
                let firstSlot = try #require(server.environment.event.slots.first?.id)
                #expect(!secondVersion.meetings.contains { $0.participants.contains("c1") && $0.slot == firstSlot })
                #expect(
                    try await organiser.get("/organiser/schedule/versions/2/people/e1").body.contains(
                        "Available in every slot."))
                #expect(try await organiser.get("/organiser/schedule/versions/2/people/zz").status == .notFound)

                let comparison = try await organiser.get("/organiser/schedule/compare?from=1&to=2")
                #expect(comparison.body.contains("1 meeting cancelled"))
                #expect(comparison.body.contains("Grace &lt;Hopper&gt; – Lise Meitner"))
                // The French pages speak French.
                let french = try await organiser.get("/organiser/schedule/versions/2?lang=fr")
                #expect(french.body.contains("Rencontres demandées non planifiées"))
                #expect(visibleText(french.body).contains("1 personne sans rendez-vous"))
                #expect(visibleText(french.body).contains("du meilleur programme possible"))
                // The board: one draggable meeting per cell, dropped on a table at a time.
                #expect(french.body.components(separatedBy: "draggable=\"true\"").count - 1 == 4)
                let words = Set(visibleText(french.body).split(whereSeparator: { !$0.isLetter }).map(String.init))
                for english in ["meeting", "meetings", "Unscheduled", "pinned", "Published", "people", "objective"] {
                    #expect(!words.contains(english), "\(english)")
                }

            }
        }
    }
}

/// The words of a page a person sees: without styles, scripts and tags.
func visibleText(_ html: String) -> String {
    html.replacingOccurrences(of: "<style>[\\s\\S]*?</style>", with: " ", options: .regularExpression)
        .replacingOccurrences(of: "<script>[\\s\\S]*?</script>", with: " ", options: .regularExpression)
        .replacingOccurrences(of: "<[^>]+>", with: " ", options: .regularExpression)
}
