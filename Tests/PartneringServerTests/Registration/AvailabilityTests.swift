import Foundation
import Hummingbird
import HummingbirdTesting
import PartneringCore
import PartneringServer
import Testing

@Suite("Availability by slot")
struct AvailabilityTests {
    /// The `available` slots of `id` in the organiser's problem.json (`nil`: every slot).
    static func available(of id: String, organiser: Browser) async throws -> [String]? {
        let problem = try await organiser.get("/organiser/problem.json")
        let document = try #require(
            try JSONSerialization.jsonObject(with: Data(problem.body.utf8)) as? [String: Any])
        let participants = try #require(document["participants"] as? [[String: Any]])
        let participant = try #require(participants.first { $0["id"] as? String == id })
        return participant["available"] as? [String]
    }

    @Test("an attendee marks slots; the problem forbids them; the profile keeps them; an organiser changes them")
    func slots() async throws {
        try await RegistrationServer.with(.sqlite) { server in
            try await buildApplication(environment: server.environment).test(.router) { client in
                let slots = server.environment.event.slots.map(\.id.rawValue)
                let attendee = Browser(client)
                let form = try await attendee.get("/register/company?lang=fr")
                #expect(
                    try await attendee.post("/register/company", registrationFields(csrf: form.csrf)).status == .created
                )
                let me = try await server.environment.store.participants.find(email: "helene@example.org")
                let id = try #require(me?.id.rawValue)

                let page = try await attendee.get("/me/availability")
                #expect(page.body.contains("Mes disponibilités"))
                #expect(page.body.components(separatedBy: "name=\"unavailable\"").count - 1 == slots.count)
                let saved = try await attendee.post(
                    "/me/availability", [("_csrf", page.csrf), ("unavailable", slots[1]), ("unavailable", slots[2])])
                #expect(saved.headers[.location] == "/me/availability?saved=1")
                let again = try await attendee.get("/me/availability?saved=1")
                #expect(again.body.contains("value=\"\(slots[1])\" checked"))
                #expect(!again.body.contains("value=\"\(slots[0])\" checked"))

                let organiser = try await server.signInOrganiser(client)
                let open = try #require(try await Self.available(of: id, organiser: organiser))
                #expect(open == slots.filter { $0 != slots[1] && $0 != slots[2] })

                // Saving the profile with the same half-days keeps the slots marked.
                let profile = try await attendee.get("/me/profile")
                #expect(profile.body.contains("name=\"sessions\" value=\"morning\" checked"))
                #expect(try await attendee.post("/me/profile", registrationFields(csrf: profile.csrf)).status == .ok)
                #expect(try await Self.available(of: id, organiser: organiser) == open)

                // An unknown slot is refused with a clear error; nothing changes.
                let refused = try await attendee.post(
                    "/me/availability", [("_csrf", page.csrf), ("unavailable", "d9-2500")])
                #expect(refused.status == .unprocessableContent)
                #expect(try await Self.available(of: id, organiser: organiser) == open)

                // The organiser sets them on the registration page.
                let detail = try await organiser.get("/organiser/registrations/\(id)?lang=fr")
                #expect(detail.body.contains("value=\"\(slots[2])\" checked"))
                let changed = try await organiser.post(
                    "/organiser/registrations/\(id)/availability", [("_csrf", detail.csrf), ("unavailable", slots[0])])
                #expect(changed.status == .seeOther)
                #expect(try await Self.available(of: id, organiser: organiser) == Array(slots.dropFirst()))
                let after = try await organiser.get("/organiser/registrations/\(id)?availability=saved&lang=fr")
                #expect(after.body.contains("Disponibilités enregistrées."))
                #expect(after.body.contains("Disponibilités modifiées"))
                // None marked: available everywhere again (no `available` in the problem).
                _ = try await organiser.post("/organiser/registrations/\(id)/availability", [("_csrf", detail.csrf)])
                #expect(try await Self.available(of: id, organiser: organiser) == nil)
            }
        }
    }
}
