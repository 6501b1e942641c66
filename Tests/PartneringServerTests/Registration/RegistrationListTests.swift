import Foundation
import Hummingbird
import HummingbirdTesting
import PartneringCore
import PartneringServer
import Registration
import Testing

@Suite("The organisers' registration list at real size")
struct RegistrationListTests {
    static let names = ["Émile Zola", "adam Smith", "Zoë Müller", "Bérénice Aubry", "Chloé Durand", "Éa Nasir"]

    /// `count` pending registrations stored directly (as an import would), numbered from 1;
    /// names cycle through ``names`` with the number added, every third one is an expert.
    static func insertPending(_ count: Int, into server: RegistrationServer) async throws -> [Participant] {
        var stored: [Participant] = []
        for index in 0..<count {
            let role: Role = index % 3 == 2 ? .expert : .company
            let draft = ParticipantDraft(
                id: ParticipantID(String(format: "p-list-%03d", index)), role: role,
                category: role == .expert ? CategoryID("academic-expert") : CategoryID("company-delegate"),
                name: "\(names[index % names.count]) \(index)", email: "person\(index)@example.org",
                organisation: "Org \(String(UnicodeScalar(UInt8(65 + (index * 7) % 26))))", jobTitle: "CSO",
                country: "FR", topics: [TopicID("aml")], profile: "Profil \(index)", language: .fr,
                listedInDirectory: true, registeredAt: RegistrationServer.start.addingTimeInterval(Double(index)))
            stored.append(try await server.environment.store.participants.insert(draft, status: .pending))
        }
        return stored
    }

    @Test("pages, orders both ways and filters over the store", arguments: StoreKind.testable)
    func pagingSortingFiltering(kind: StoreKind) async throws {
        try await RegistrationServer.with(kind) { server in
            let service = server.environment.registration.organisers
            let stored = try await Self.insertPending(120, into: server)

            let first = try await service.registrationPage(RegistrationQuery())
            #expect(first.total == 120 && first.participants.count == 50 && first.pageCount == 3)
            #expect((first.firstPosition, first.lastPosition) == (1, 50))
            let last = try await service.registrationPage(RegistrationQuery(page: 3))
            #expect(last.participants.count == 20 && (last.firstPosition, last.lastPosition) == (101, 120))
            #expect(try await service.registrationPage(RegistrationQuery(page: 99)).page == 3, "past the end: the last")

            // By name, accents and case aside; the pages cover every registration once.
            var byName: [Participant] = []
            for page in 1...3 {
                byName += try await service.registrationPage(RegistrationQuery(sort: .name, page: page)).participants
            }
            #expect(Set(byName.map(\.id)) == Set(stored.map(\.id)) && byName.count == 120)
            #expect(byName.first?.name.hasPrefix("adam Smith") == true)
            #expect(byName.last?.name.hasPrefix("Zoë Müller") == true)
            let firstNames = byName.map { String($0.name.split(separator: " ")[0]) }
            let runs = firstNames.reduce(into: [String]()) { runs, name in
                if runs.last != name { runs.append(name) }
            }
            #expect(runs == ["adam", "Bérénice", "Chloé", "Éa", "Émile", "Zoë"])
            let descending = try await service.registrations(RegistrationQuery(sort: .name, descending: true))
            #expect(descending.map(\.id) == byName.reversed().map(\.id))
            let newest = try await service.registrationPage(RegistrationQuery(sort: .registered, descending: true))
            #expect(newest.participants.first?.id == stored.last?.id)

            // Filters: status, role, category, words (an e-mail address too).
            let experts = try await service.registrationPage(RegistrationQuery(role: "expert"))
            #expect(experts.total == 40 && experts.participants.allSatisfy { $0.role == .expert })
            #expect(try await service.registrationPage(RegistrationQuery(category: "academic-expert")).total == 40)
            #expect(try await service.registrationPage(RegistrationQuery(status: "confirmed")).total == 0)
            #expect(try await service.registrationPage(RegistrationQuery(status: "nonsense")).total == 0)
            let found = try await service.registrationPage(RegistrationQuery(text: "zoe mull"))
            #expect(found.total == 20 && found.participants.allSatisfy { $0.name.hasPrefix("Zoë") })
            #expect(try await service.registrationPage(RegistrationQuery(text: "person7@example.org")).total == 1)

            await #expect(throws: Refusal.self) {
                _ = try await service.registrationPage(RegistrationQuery(pageSize: 0))
            }
        }
    }

    @Test(
        "bulk decisions: seats, waiting list, skipped, one reason in every rejection e-mail",
        arguments: StoreKind.testable)
    func bulkDecisions(kind: StoreKind) async throws {
        try await RegistrationServer.with(kind, capacity: 2) { server in
            let service = server.environment.registration.organisers
            let stored = try await Self.insertPending(8, into: server)
            let companies = stored.filter { $0.role == .company }.map(\.id.rawValue)

            let approved = try await service.decide(
                .approve, ids: Array(companies.prefix(3)) + [companies[0], "p-unknown"], reason: nil,
                by: "org@example.org")
            #expect(approved.confirmed == 2 && approved.waitlisted == 1 && approved.skipped == 1)

            let rejected = try await service.decide(
                .reject, ids: [companies[3], companies[4], companies[0]], reason: "  complet ", by: "org@example.org")
            #expect(rejected.rejected == 3 && rejected.reason == "complet")
            // The confirmed one rejected: its seat went to the waiting list.
            let promoted = try await service.participant(companies[2])
            #expect(promoted.status == .confirmed)

            // Nothing is decided on a bad request.
            await #expect(throws: Refusal.self) {
                _ = try await service.decide(.reject, ids: [], reason: nil, by: "org@example.org")
            }
            await #expect(throws: Refusal.self) {
                _ = try await service.decide(
                    .reject, ids: [companies[1]], reason: String(repeating: "x", count: 501), by: "org@example.org")
            }
            #expect(try await service.participant(companies[1]).status == .confirmed)

            let record = try await service.record(companies[3])
            #expect(record.participant.status == .rejected)
            #expect(record.history.contains { $0.action == "registration.reject" && $0.details == "complet" })
            #expect(record.ticket == nil)
            #expect(try await service.record(companies[1]).ticket != nil)

            let messages = try await server.decodedOutboxMessages()
            let rejections = messages.filter { $0.contains("pouvons malheureusement pas retenir") }
            #expect(rejections.count == 3)
            #expect(rejections.allSatisfy { $0.contains("Motif\u{A0}: complet") })
        }
    }

    @Test("the list page: count, pager, sortable headers, bulk reject back to the same list, detail page")
    func pages() async throws {
        try await RegistrationServer.with(.sqlite, capacity: 100) { server in
            try await buildApplication(environment: server.environment).test(.router) { client in
                let organiser = try await server.signInOrganiser(client)
                let stored = try await Self.insertPending(60, into: server)

                let list = try await organiser.get("/organiser/registrations?status=pending&sort=name&lang=fr")
                #expect(list.body.contains("60 inscriptions, 1–50"))
                #expect(list.body.components(separatedBy: "<tr data-id=").count - 1 == 50)
                #expect(list.body.contains("href=\"/organiser/registrations?status=pending&amp;sort=name&amp;page=2\""))
                #expect(
                    list.body.contains(
                        "aria-sort=\"ascending\"><a href=\"/organiser/registrations?status=pending&amp;sort=name&amp;dir=desc\""
                    ))
                #expect(list.body.contains("En attente de validation") && !list.body.contains(">pending<"))

                let chosen = stored.prefix(3).map(\.id.rawValue)
                let back = "/organiser/registrations?status=pending&sort=name&page=2"
                let done = try await organiser.post(
                    "/organiser/registrations/decisions",
                    [("_csrf", list.csrf), ("decision", "reject"), ("reason", "complet"), ("return", back)]
                        + chosen.map { ("id", $0) })
                #expect(done.status == .seeOther)
                let location = try #require(done.headers[.location])
                #expect(location.hasPrefix(back + "&done=reject&rejected=3&reason=complet"))
                let after = try await organiser.get(location)
                #expect(after.body.contains("3 inscriptions refusées\u{A0}: complet."))
                #expect(after.body.contains("57 inscriptions, 51–57"))
                #expect(after.body.contains("<option value=\"pending\" selected>"))
                #expect(
                    try await organiser.get(location + "&lang=en").body.contains("3 registrations rejected: complet."))

                // A return address elsewhere goes back to the list; a single approval says so.
                let single = try await organiser.post(
                    "/organiser/registrations/\(stored[10].id.rawValue)/approve",
                    [("_csrf", list.csrf), ("return", "https://evil.example/organiser/registrations")])
                #expect(single.headers[.location] == "/organiser/registrations?done=approve&confirmed=1")
                let approvedPage = try await organiser.get("/organiser/registrations?done=approve&confirmed=1&lang=fr")
                #expect(approvedPage.body.contains("1 inscription approuvée."))
                let bad = try await organiser.post(
                    "/organiser/registrations/decisions", [("_csrf", list.csrf), ("decision", "erase"), ("id", "x")])
                #expect(bad.status.code == 422 || bad.status.code == 400)

                let detail = try await organiser.get("/organiser/registrations/\(chosen[0])?lang=fr")
                #expect(detail.status == .ok)
                #expect(detail.body.contains(stored[0].name) && detail.body.contains("person0@example.org"))
                #expect(detail.body.contains("<strong id=\"status\">Refusée</strong>"))
                #expect(detail.body.contains("Inscription refusée") && detail.body.contains("complet"))
                #expect(detail.body.contains("Aucun billet valable."))
                #expect(try await organiser.get("/organiser/registrations/p-nobody").status == .notFound)
            }
        }
    }

    @Test("the API rejects with a reason that reaches the e-mail")
    func apiRejection() async throws {
        try await RegistrationServer.with(.sqlite) { server in
            try await buildApplication(environment: server.environment).test(.router) { client in
                let stored = try await Self.insertPending(1, into: server)
                let password = try #require(
                    try await server.environment.registration.organisers.bootstrap(
                        email: "org@example.org", password: nil))
                let json: HTTPFields = [.contentType: "application/json"]
                let tokens = try await client.execute(
                    uri: "/api/v1/organiser/tokens", method: .post, headers: json,
                    body: ByteBuffer(string: #"{"email": "org@example.org", "password": "\#(password)"}"#))
                let token = try #require(jsonObject(tokens.body)["token"] as? String)
                var headers = json
                headers[.authorization] = "Bearer \(token)"
                let rejected = try await client.execute(
                    uri: "/api/v1/organiser/registrations/\(stored[0].id.rawValue)/reject", method: .post,
                    headers: headers, body: ByteBuffer(string: #"{"reason": "complet"}"#))
                #expect(rejected.status == .ok)
                #expect(jsonObject(rejected.body)["status"] as? String == "rejected")
                let messages = try await server.decodedOutboxMessages()
                #expect(
                    messages.contains { $0.contains("pouvons malheureusement pas retenir") && $0.contains("complet") })
            }
        }
    }
}
