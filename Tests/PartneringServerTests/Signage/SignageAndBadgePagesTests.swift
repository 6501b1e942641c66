import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PartneringCore
import PartneringServer
import Registration
import Testing

@Suite("Hall boards and badges over HTTP")
struct SignageAndBadgePagesTests {
    /// A confirmed participant with the ticket confirmation stores.
    private func insert(_ server: RegistrationServer, _ name: String, role: Role, organisation: String) async throws
        -> Participant
    {
        let participant = try await server.environment.store.participants.insert(
            ParticipantDraft(
                id: ParticipantID("p-\(UUID().uuidString.prefix(8).lowercased())"), role: role,
                category: role == .expert ? "academic-expert" : "company-delegate", name: name,
                email: "\(UUID().uuidString.prefix(8).lowercased())@example.org", organisation: organisation,
                jobTitle: "", country: "FR", topics: [], profile: "", language: .en, listedInDirectory: true,
                registeredAt: RegistrationServer.start),
            status: .confirmed)
        let service = server.environment.registration.attendees
        let desk = try #require(service.tickets)
        let id = try #require(TicketID(bytes: service.ticketID(of: participant.id)))
        _ = try await server.environment.store.tickets.issue(
            desk.claims(for: participant, ticketID: id), to: participant.id, at: RegistrationServer.start)
        return participant
    }

    /// The values of `attribute` in `page`, in order.
    private static func values(of attribute: String, in page: String) throws -> [String] {
        let expression = try NSRegularExpression(pattern: attribute + #"="([^"]+)""#)
        return expression.matches(in: page, range: NSRange(page.startIndex..., in: page)).compactMap {
            Range($0.range(at: 1), in: page).map { String(page[$0]) }
        }
    }

    @Test("an organiser creates a board whose address shows the pairs to anyone, until it is revoked")
    func boardLifecycle() async throws {
        try await RegistrationServer.with { server in
            let event = server.environment.event
            let ada = try await insert(server, "Ada Lovelace", role: .company, organisation: "Analytical SAS")
            let xia = try await insert(server, "Xia Wen", role: .expert, organisation: "Institut Curie")
            let version = try await server.environment.store.schedules.save(
                ScheduleDraft(
                    meetings: [Meeting(ada.id, xia.id, slot: event.slots[0].id, table: event.tables[2].id)],
                    objective: 1, createdAt: RegistrationServer.start))
            _ = try await server.environment.store.schedules.publish(version.info.version, at: RegistrationServer.start)
            // During the first slot of the day.
            server.clock.advance(by: event.slots[0].start.timeIntervalSince(server.clock.now) + 60)

            try await buildApplication(environment: server.environment).test(.router) { client in
                let stranger = Browser(client)
                let refused = try await stranger.get("/organiser/boards?lang=en")
                #expect(refused.status == .unauthorized)

                let organiser = try await server.signInOrganiser(client)
                let form = try await organiser.get("/organiser/boards?lang=en")
                let invalid = try await organiser.post(
                    "/organiser/boards", [("_csrf", form.csrf), ("name", ""), ("firstTable", "5"), ("lastTable", "2")])
                #expect(invalid.status == .unprocessableContent)
                #expect(invalid.body.contains(#"id="name-error""#) && invalid.body.contains(#"id="lastTable-error""#))
                #expect(invalid.body.contains(#"role="alert""#))
                let created = try await organiser.post(
                    "/organiser/boards",
                    [("_csrf", form.csrf), ("name", "Hall <A>"), ("firstTable", "1"), ("lastTable", "5")])
                #expect(created.status == .seeOther)
                let list = try await organiser.get("/organiser/boards?lang=en&notice=created")
                let path = try #require(Browser.Page.capture(#"href="https?://[^/"]+(/board/[^"]+)""#, in: list.body))
                let id = try #require(Browser.Page.capture(#"data-board="([0-9a-f]+)""#, in: list.body))

                let screen = Browser(client)
                let board = try await screen.get(path + "?lang=en")
                #expect(board.status == .ok)
                #expect(board.headers[.cacheControl] == "no-store")
                #expect(board.headers[HTTPField.Name("Referrer-Policy") ?? .cacheControl] == "no-referrer")
                #expect(board.body.contains("Hall &lt;A&gt;"), "the name is escaped")
                #expect(board.body.contains("Table 3") && board.body.contains("Ada Lovelace"))
                #expect(board.body.contains("Institut Curie"))
                let wrong = try await screen.get(String(path.dropLast(2)) + "xx")
                #expect(wrong.status == .notFound)

                let listAgain = try await organiser.get("/organiser/boards?lang=en")
                let revoked = try await organiser.post("/organiser/boards/\(id)/revoke", [("_csrf", listAgain.csrf)])
                #expect(revoked.status == .seeOther)
                #expect(try await screen.get(path).status == .notFound)
            }
        }
    }

    @Test("in the evening of a two-day event the board names the next slot's day")
    func nextSlotTomorrow() async throws {
        let nextDay = { (date: Date) in date.addingTimeInterval(86_400) }
        try await RegistrationServer.with(event: { event in
            let morning = try #require(event.sessions.first)
            event.sessions.append(
                Session(id: "day-2", name: morning.name, start: nextDay(morning.start), end: nextDay(morning.end)))
        }) { server in
            let environment = server.environment
            let morning = try #require(environment.event.sessions.first)
            let evening = try #require(environment.event.sessions.map(\.end).sorted().first { $0 > morning.end })
            server.clock.advance(by: evening.timeIntervalSince(server.clock.now) + 3_600)
            let board = try await environment.signageBoards.create(
                name: "Hall", firstTable: "", lastTable: "", by: "test")

            try await buildApplication(environment: environment).test(.router) { client in
                let english = try await Browser(client).get(board.path + "?lang=en")
                let french = try await Browser(client).get(board.path + "?lang=fr")

                #expect(english.body.contains(#"Next <span class="day">Friday, 19 March 2027</span>"#))
                #expect(french.body.contains(#"Ensuite <span class="day">vendredi 19 mars 2027</span>"#))
                #expect(!english.body.contains(#"id="now-title""#))
            }
        }
    }

    @Test("badges: the organiser's sheets by role with one QR code each; the desk's badge needs a desk")
    func badges() async throws {
        try await RegistrationServer.with { server in
            let ada = try await insert(server, "Ada Lovelace", role: .company, organisation: "Analytical SAS")
            let bob = try await insert(server, "Bob Martin", role: .company, organisation: "Martin & Fils")
            let cyd = try await insert(server, "Cyd Charisse", role: .company, organisation: "Danse SA")
            _ = try await insert(server, "Xia Wen", role: .expert, organisation: "Institut Curie")

            try await buildApplication(environment: server.environment).test(.router) { client in
                #expect(try await Browser(client).get("/organiser/badges").status == .unauthorized)
                let noDesk = try await Browser(client).get("/desk/badges/\(ada.id.rawValue)")
                #expect(noDesk.status == .seeOther && noDesk.headers[.location] == "/desk/login")

                let organiser = try await server.signInOrganiser(client)
                let companies = try await organiser.get("/organiser/badges?lang=en&role=company&layout=a4&back=1")
                #expect(companies.status == .ok)
                #expect(companies.body.components(separatedBy: "<svg").count - 1 == 3, "one QR code per badge")
                // Fronts by name; behind them, their backs with the columns swapped (a sheet turned
                // over its long edge), the empty fourth place kept so that Cyd's back is behind Cyd.
                let fronts = try Self.values(of: "data-participant", in: companies.body)
                let backs = try Self.values(of: "data-back-of", in: companies.body)
                #expect(fronts == [ada, bob, cyd].map(\.id.rawValue))
                #expect(backs == [bob, ada, cyd].map(\.id.rawValue))
                let backSheet = try #require(companies.body.components(separatedBy: #"<div class="sheet backs">"#).last)
                let blank = try #require(backSheet.range(of: "cell blank"))
                let cydBack = try #require(backSheet.range(of: "data-back-of=\"\(cyd.id.rawValue)\""))
                #expect(blank.lowerBound < cydBack.lowerBound)
                #expect(companies.body.contains("Martin &amp; Fils"))
                #expect(!companies.body.contains("Xia Wen"))
                #expect(companies.body.contains("size: 210mm 297mm"))
                let french = try await organiser.get("/organiser/badges?lang=fr&role=expert&layout=a6")
                #expect(french.body.contains("Expert académique") && french.body.contains("Xia Wen"))
                #expect(french.body.contains("size: 105mm 148mm"))
            }
        }
    }
}
