import Foundation
import Hummingbird
import HummingbirdTesting
import PartneringServer
import Testing

@Suite("Home page and health")
struct HomePageTests {
    @Test("the home page follows Accept-Language")
    func negotiatesLanguage() async throws {
        try await RegistrationServer.with { server in
            let environment = server.environment
            let app = buildApplication(environment: environment)

            try await app.test(.router) { client in
                try await client.execute(uri: "/", method: .get, headers: [.acceptLanguage: "en-US,en;q=0.9"]) {
                    response in
                    let body = String(buffer: response.body)
                    #expect(response.status == .ok)
                    #expect(response.headers[.contentType] == "text/html; charset=utf-8")
                    #expect(body.contains("<html lang=\"en\">"))
                    #expect(body.contains("Paris Onco-Haematology Partnering Day 2027"))
                    #expect(body.contains("Register: Company"))
                }
                try await client.execute(uri: "/", method: .get, headers: [.acceptLanguage: "fr-FR"]) { response in
                    let body = String(buffer: response.body)
                    #expect(body.contains("<html lang=\"fr\">"))
                    #expect(body.contains("Journée de partenariat Onco-Hématologie Paris 2027"))
                    #expect(body.contains("Leucémie aiguë myéloïde"))
                }
            }
        }
    }

    @Test("the home page shows the programme: sessions, slots and tables")
    func programme() async throws {
        try await RegistrationServer.with { server in
            let environment = server.environment
            let app = buildApplication(environment: environment)

            try await app.test(.router) { client in
                try await client.execute(uri: "/?lang=en", method: .get) { response in
                    let body = String(buffer: response.body)
                    #expect(body.contains("17 slots of 25 minutes, 40 tables"))
                    #expect(body.contains("09:00–12:45 (9 slots)"))
                    #expect(body.contains("14:00–17:30 (8 slots)"))
                }
            }
        }
    }

    @Test("a chosen language is remembered in a cookie and wins over Accept-Language")
    func remembersChoice() async throws {
        try await RegistrationServer.with { server in
            let environment = server.environment
            let app = buildApplication(environment: environment)

            try await app.test(.router) { client in
                try await client.execute(uri: "/?lang=en", method: .get, headers: [.acceptLanguage: "fr"]) { response in
                    #expect(response.headers[.setCookie]?.contains("lang=en") == true)
                    #expect(response.headers[.setCookie]?.contains("HttpOnly") == true)
                }
                try await client.execute(uri: "/", method: .get, headers: [.acceptLanguage: "fr", .cookie: "lang=en"]) {
                    response in
                    #expect(String(buffer: response.body).contains("<html lang=\"en\">"))
                }
            }
        }
    }

    @Test("names from the event are HTML-escaped")
    func escapes() async throws {
        try await RegistrationServer.with(event: { $0.venue.name = "<script>alert(1)</script>" }) { server in
            let app = buildApplication(environment: server.environment)

            try await app.test(.router) { client in
                try await client.execute(uri: "/", method: .get) { response in
                    let body = String(buffer: response.body)
                    #expect(!body.contains("<script>alert(1)</script>"))
                    #expect(body.contains("&lt;script&gt;"))
                }
            }
        }
    }

    @Test("/health answers with the event id and the kind of store")
    func health() async throws {
        try await RegistrationServer.with { server in
            let environment = server.environment
            let app = buildApplication(environment: environment)

            try await app.test(.router) { client in
                try await client.execute(uri: "/health", method: .get) { response in
                    #expect(response.status == .ok)
                    let body = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: String]
                    #expect(body == ["status": "ok", "event": "onco-hemato-paris-2027", "database": "sqlite"])
                }
            }
        }
    }

    @Test("/ready is 503 with the reason until the store is migrated, then 200 with the signing key; 503 once draining")
    func readiness() async throws {
        try await RegistrationServer.with(migrated: false) { server in
            let environment = server.environment
            let app = buildApplication(environment: environment)
            try await app.test(.router) { client in
                try await client.execute(uri: "/ready", method: .get) { response in
                    #expect(response.status == .serviceUnavailable)
                    let body = String(buffer: response.body)
                    #expect(body.contains("\"status\":\"not ready\"") && body.contains("migrations not applied"))
                }
                _ = try await environment.store.migrate()
                let key = try #require(environment.registration.ticketKey)
                try await client.execute(uri: "/ready", method: .get) { response in
                    #expect(response.status == .ok)
                    #expect(
                        String(buffer: response.body)
                            == "{\"reason\":\"\",\"signingKey\":\"\(key)\",\"status\":\"ready\"}")
                }
                // `/health` says only that the process lives, migrated or not.
                try await client.execute(uri: "/health", method: .get) { response in #expect(response.status == .ok) }
                // SIGTERM received: the process still answers, but asks for no more requests.
                environment.readiness.startDraining()
                try await client.execute(uri: "/ready", method: .get) { response in
                    #expect(response.status == .serviceUnavailable)
                    #expect(String(buffer: response.body).contains("draining"))
                }
                try await client.execute(uri: "/health", method: .get) { response in #expect(response.status == .ok) }
            }
        }
    }
}
