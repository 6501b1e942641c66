import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PartneringCore
import PartneringServer
import Testing

/// Input an attacker sends: numbers out of range, text the mail layer cannot write,
/// control characters; each gets a clear 4xx with a field error, never a crash.
@Suite("Hostile input")
struct HostileInputTests {
    private func register(
        _ client: some TestClientProtocol, name: String, email: String, role: String = "company"
    ) async throws -> (status: HTTPResponse.Status, body: [String: Any]) {
        let response = try await client.execute(
            uri: "/api/v1/registrations/\(role)", method: .post, headers: [.contentType: "application/json"],
            body: registrationJSON(name: name, email: email))
        return (response.status, jsonObject(response.body))
    }

    private func bearer(_ body: [String: Any]) -> HTTPFields {
        [.authorization: "Bearer \(body["sessionToken"] as? String ?? "")"]
    }

    private func fieldErrors(_ body: [String: Any]) -> [String: String] {
        let errors = body["errors"] as? [[String: Any]] ?? []
        return Dictionary(
            errors.map { ($0["field"] as? String ?? "", $0["code"] as? String ?? "") }, uniquingKeysWith: { a, _ in a })
    }

    @Test("directory pages out of range: 422 with a field error, on the API and the page, the server keeps running")
    func directoryPages() async throws {
        try await RegistrationServer.with { server in
            try await buildApplication(environment: server.environment).test(.router) { client in
                let company = try await register(client, name: "Hélène Dupré", email: "helene@example.org")
                _ = try await register(client, name: "Zoë Müller", email: "zoe@example.org", role: "expert")
                let cases = [
                    ("9223372036854775807", "out_of_range"), ("99999999999999999999999", "out_of_range"),
                    ("0", "out_of_range"), ("-3", "out_of_range"), ("1000001", "out_of_range"),
                    ("abc", "not_a_number"), ("1e3", "not_a_number"), ("%E2%80%A8", "not_a_number"),
                ]
                for (page, code) in cases {
                    let response = try await client.execute(
                        uri: "/api/v1/directory?page=\(page)", method: .get, headers: bearer(company.body))
                    let body = jsonObject(response.body)
                    #expect(response.status == .unprocessableContent, "page=\(page)")
                    #expect(body["code"] as? String == "validation_failed")
                    #expect(fieldErrors(body)["page"] == code, "page=\(page)")
                }
                let last = try await client.execute(
                    uri: "/api/v1/directory?page=1000000", method: .get, headers: bearer(company.body))
                #expect(last.status == .ok)
                #expect((jsonObject(last.body)["participants"] as? [Any])?.isEmpty == true)

                let browser = Browser(client)
                let form = try await browser.get("/register/company?lang=en")
                _ = try await browser.post(
                    "/register/company",
                    registrationFields(email: "marc@example.org", csrf: form.csrf, submission: form.submission))
                let page = try await browser.get("/me/directory?page=9223372036854775807")
                #expect(page.status == .unprocessableContent)
                #expect(page.body.contains("1 field(s) to correct: page."))
                #expect(try await browser.get("/me/directory?page=1").status == .ok)
            }
        }
    }

    @Test("a scheduler time limit that is not a finite number in 1…600 s is refused, not run")
    func schedulerTimeLimit() async throws {
        try await RegistrationServer.with { server in
            try await buildApplication(environment: server.environment).test(.router) { client in
                let password = try #require(
                    try await server.environment.registration.organisers.bootstrap(
                        email: "org@example.org", password: nil))
                let organiser = Browser(client)
                let login = try await organiser.get("/organiser/login?lang=en")
                _ = try await organiser.post(
                    "/organiser/login", [("_csrf", login.csrf), ("email", "org@example.org"), ("password", password)])
                let start = try await organiser.get("/organiser/schedule")
                for (value, code) in [
                    ("nan", "not_a_number"), ("inf", "not_a_number"), ("-inf", "not_a_number"),
                    ("1e400", "not_a_number"),
                    ("0", "out_of_range"), ("601", "out_of_range"), ("ten", "not_a_number"),
                ] {
                    let page = try await organiser.post(
                        "/organiser/schedule/run", [("_csrf", start.csrf), ("timeLimit", value)])
                    // Refused on the workspace page, which says why, before anything runs.
                    let location = page.headers[.location]
                    #expect(
                        location == "/organiser/schedule?error=time_limit_out_of_range", "timeLimit=\(value) (\(code))")
                }
            }
        }
    }

    @Test("addresses and names the mail layer cannot write are refused at the door, with a field error")
    func unwritableAddresses() async throws {
        try await RegistrationServer.with { server in
            try await buildApplication(environment: server.environment).test(.router) { client in
                let refusedAddresses = [
                    "a,b@x.org", "\"q\"@x.org", "é@x.org", String(repeating: "l", count: 65) + "@x.org",
                    "nul\u{0}@x.org", "ls\u{2028}@x.org", "bidi\u{202E}@x.org", "user@exämple.org", "a@b@x.org",
                    "x@y",
                ]
                for (index, address) in refusedAddresses.enumerated() {
                    let result = try await register(client, name: "Person \(index)", email: address)
                    #expect(result.status == .unprocessableContent, "\(address.debugDescription)")
                    #expect(
                        ["invalid_email", "control_character"].contains(fieldErrors(result.body)["email"]),
                        "\(address.debugDescription)")
                }
                let refusedNames = [
                    "Evil\r\nBcc: v@x", "Nul\u{0}Byte", "Line\u{2028}Separator", "Para\u{2029}graph", "Bell\u{7}",
                    "C1\u{85}Next", "\u{202E}evil", "iso\u{2066}late", "Tab\tbed",
                ]
                for (index, name) in refusedNames.enumerated() {
                    let result = try await register(client, name: name, email: "name\(index)@example.org")
                    #expect(result.status == .unprocessableContent, "\(name.debugDescription)")
                    #expect(fieldErrors(result.body)["name"] == "control_character", "\(name.debugDescription)")
                }
                let zalgo = "Zoë" + String(repeating: "\u{0301}", count: 500)
                let stacked = try await register(client, name: zalgo, email: "zalgo@example.org")
                #expect(fieldErrors(stacked.body)["name"] == "too_long")
                let long = String(repeating: "l", count: 64) + "@example.org"
                #expect(try await register(client, name: "Ana Souza", email: long).status == .created)
                #expect(
                    try await register(client, name: "O'Brien-Smith", email: "o.b+tag@example.org").status == .created)
                #expect(try await server.environment.store.participants.count(.all) == 2)
                #expect(try await server.outboxMessages().count == 2)
            }
        }
    }

    @Test("only confirmed attendees browse the directory: pending and cancelled get 409")
    func directoryIsForConfirmedAttendees() async throws {
        try await RegistrationServer.with(expertsNeedApproval: true) { server in
            try await buildApplication(environment: server.environment).test(.router) { client in
                let pending = try await register(client, name: "Zoë Müller", email: "zoe@example.org", role: "expert")
                let company = try await register(client, name: "Hélène Dupré", email: "helene@example.org")
                let leaving = try await register(client, name: "Marc Lefèvre", email: "marc@example.org")
                #expect(
                    try await client.execute(uri: "/api/v1/me/cancel", method: .post, headers: bearer(leaving.body))
                        .status == .ok)
                for body in [pending.body, leaving.body] {
                    let directory = try await client.execute(
                        uri: "/api/v1/directory", method: .get, headers: bearer(body))
                    #expect(directory.status == .conflict)
                    #expect(jsonObject(directory.body)["code"] as? String == "registration_not_active")
                }
                let allowed = try await client.execute(
                    uri: "/api/v1/directory", method: .get, headers: bearer(company.body))
                #expect(allowed.status == .ok)
            }
        }
    }
}
