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
                    profile: "", language: .en, listedInDirectory: true, registeredAt: RegistrationServer.start),
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

    @Test("run in the background, review, adjust with constraint checks, compare, publish")
    func workflow() async throws {
        try await RegistrationServer.with { server in
            try await fill(server)
            try await buildApplication(environment: server.environment).test(.router) { client in
                #expect(try await Browser(client).get("/organiser/schedule").status == .unauthorized)
                let organiser = try await server.signInOrganiser(client)
                let start = try await organiser.get("/organiser/schedule")
                #expect(start.status == .ok && start.body.contains("Run the scheduler"))
                let run = try await organiser.post(
                    "/organiser/schedule/run", [("_csrf", start.csrf), ("timeLimit", "1")])
                #expect(run.status == .seeOther)

                var versions = try await server.environment.store.schedules.versions()
                for _ in 0..<300 where versions.isEmpty {
                    try await Task.sleep(for: .milliseconds(50))
                    versions = try await server.environment.store.schedules.versions()
                }
                #expect(versions.map(\.meetingCount) == [5])
                let progress = try await organiser.get("/organiser/schedule/progress.json")
                #expect(progress.body.contains("\"state\":\"finished\""))

                let list = try await organiser.get("/organiser/schedule")
                #expect(list.body.contains("/organiser/schedule/versions/1\""))
                let review = try await organiser.get("/organiser/schedule/versions/1")
                #expect(review.body.contains("Unscheduled requests (0)"))
                #expect(review.body.contains("/organiser/schedule/versions/1/grid.html"))
                let grid = try await organiser.get("/organiser/schedule/versions/1/grid.html")
                #expect(grid.body.contains("Grace &lt;Hopper&gt;") && !grid.body.contains("Grace <Hopper>"))
                #expect(grid.body.components(separatedBy: "<svg ").count - 1 == 3)
                let csv = try await organiser.get("/organiser/schedule/versions/1/agendas.csv")
                #expect(csv.headers[.contentType] == "text/csv; charset=utf-8")

                // c1 meets e1 and e2: moving c1–e1 into the slot of c1–e2 breaks "one meeting per slot".
                let version = try #require(try await server.environment.store.schedules.version(1))
                let other = try #require(version.meetings.first { Set($0.participants) == ["c1", "e2"] })
                let refused = try await organiser.post(
                    "/organiser/schedule/versions/1/adjust",
                    [
                        ("_csrf", review.csrf), ("participants", "c1,e1"), ("action", "move"),
                        ("slot", other.slot.rawValue), ("table", other.table.rawValue),
                    ])
                let reason = refused.headers[.location]?.removingPercentEncoding ?? ""
                #expect(reason.contains("Refused: Ada Lovelace already meets e2 in \(other.slot.rawValue)"))
                let cancelled = try await organiser.post(
                    "/organiser/schedule/versions/1/adjust",
                    [("_csrf", review.csrf), ("participants", "c3,e3"), ("action", "cancel")])
                #expect(cancelled.headers[.location] == "/organiser/schedule/versions/2")
                #expect(try await server.environment.store.schedules.version(2)?.meetings.count == 4)

                _ = try await organiser.post("/organiser/schedule/versions/1/publish", [("_csrf", review.csrf)])
                let published = try await organiser.post(
                    "/organiser/schedule/versions/2/publish", [("_csrf", review.csrf)])
                let notice = try #require(published.headers[.location]).removingPercentEncoding ?? ""
                #expect(notice.contains("1 cancelled") && notice.contains("2 participant(s) to notify"))
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
                versions = try await server.environment.store.schedules.versions()
                for _ in 0..<300 where versions.count < 3 {
                    try await Task.sleep(for: .milliseconds(50))
                    versions = try await server.environment.store.schedules.versions()
                }
                #expect(versions.last?.summaryJSON?.contains("\"basedOn\":2") == true)
                let second = try #require(try await server.environment.store.schedules.version(2))
                let third = try #require(try await server.environment.store.schedules.version(3))
                #expect(Set(second.meetings).isSubset(of: Set(third.meetings)))
                #expect(third.meetings.count == 5)

                let comparison = try await organiser.get("/organiser/schedule/compare?from=1&to=2")
                #expect(comparison.body.contains("Dropped<b>1</b>"))
                #expect(comparison.body.contains("Grace &lt;Hopper&gt; – Lise Meitner"))
            }
        }
    }
}
