import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PartneringCore
import PartneringServer
import Testing

@Suite("JSON API")
struct RegistrationAPITests {
    private func register(
        _ client: some TestClientProtocol, _ name: String, _ email: String, role: String = "company",
        key: String? = nil
    ) async throws -> (status: HTTPResponse.Status, body: [String: Any]) {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let key, let name = HTTPField.Name("Idempotency-Key") { headers[name] = key }
        let response = try await client.execute(
            uri: "/api/v1/registrations/\(role)", method: .post, headers: headers,
            body: registrationJSON(name: name, email: email))
        return (response.status, jsonObject(response.body))
    }

    @Test(
        "register, replay with the same Idempotency-Key, refuse the key for another body", arguments: StoreKind.testable
    )
    func idempotency(kind: StoreKind) async throws {
        try await RegistrationServer.with(kind) { server in
            try await buildApplication(environment: server.environment).test(.router) { client in
                let first = try await register(client, "Zoë Müller", "zoe@example.org", key: "abc-1")
                let replay = try await register(client, "Zoë Müller", "zoe@example.org", key: "abc-1")
                let other = try await register(client, "Zoë Other", "other@example.org", key: "abc-1")

                #expect(first.status == .created)
                #expect(replay.status == .ok)
                #expect(replay.body["replayed"] as? Bool == true)
                let firstID = (first.body["participant"] as? [String: Any])?["id"] as? String
                #expect(firstID != nil)
                #expect((replay.body["participant"] as? [String: Any])?["id"] as? String == firstID)
                #expect(other.status == .unprocessableContent)
                #expect(other.body["code"] as? String == "idempotency_key_reused")
                #expect(try await server.environment.store.participants.count(.all) == 1)
            }
        }
    }

    @Test("refusals are problem+json with stable codes and field errors")
    func problems() async throws {
        try await RegistrationServer.with { server in
            try await buildApplication(environment: server.environment).test(.router) { client in
                _ = try await register(client, "Zoë Müller", "zoe@example.org")
                let duplicate = try await client.execute(
                    uri: "/api/v1/registrations/company", method: .post, headers: [.contentType: "application/json"],
                    body: registrationJSON(name: "Zoë", email: "ZOE@example.org"))
                #expect(duplicate.status == .conflict)
                #expect(duplicate.headers[.contentType] == "application/problem+json")
                #expect(jsonObject(duplicate.body)["code"] as? String == "email_already_registered")

                let invalid = try await client.execute(
                    uri: "/api/v1/registrations/company", method: .post, headers: [.acceptLanguage: "fr"],
                    body: ByteBuffer(string: #"{"name": "", "email": "x@y", "topics": ["aml"]}"#))
                let problem = jsonObject(invalid.body)
                #expect(invalid.status == .unprocessableContent)
                #expect(problem["code"] as? String == "validation_failed")
                let errors = problem["errors"] as? [[String: Any]] ?? []
                #expect(errors.contains { $0["field"] as? String == "name" && $0["code"] as? String == "required" })
                #expect(
                    errors.contains { $0["field"] as? String == "email" && $0["code"] as? String == "invalid_email" })
                #expect(errors.contains { ($0["message"] as? String)?.contains("obligatoire") == true })

                let malformed = try await client.execute(
                    uri: "/api/v1/registrations/company", method: .post, headers: [:],
                    body: ByteBuffer(string: #"{"name": 3}"#))
                #expect(jsonObject(malformed.body)["code"] as? String == "malformed_body")
                let unknownRole = try await register(client, "A", "a@example.org", role: "sponsor")
                #expect(unknownRole.body["code"] as? String == "unknown_role")
                let anonymous = try await client.execute(uri: "/api/v1/me", method: .get)
                #expect(anonymous.status == .unauthorized)
                #expect(jsonObject(anonymous.body)["code"] as? String == "not_signed_in")
                let missing = try await client.execute(uri: "/api/v1/nothing", method: .get)
                #expect(jsonObject(missing.body)["code"] as? String == "not_found")
                let oversized = try await client.execute(
                    uri: "/api/v1/registrations/company", method: .post, headers: [.contentType: "application/json"],
                    body: ByteBuffer(string: #"{"profile": ""# + String(repeating: "x", count: 300_000) + #""}"#))
                #expect(oversized.status == .contentTooLarge)
                #expect(oversized.headers[.contentType] == "application/problem+json")
                #expect(jsonObject(oversized.body)["code"] as? String == "body_too_large")
            }
        }
    }

    @Test("requests through the API: send, cap, answer, withdraw; never another's", arguments: StoreKind.testable)
    func requests(kind: StoreKind) async throws {
        try await RegistrationServer.with(kind) { server in
            try await buildApplication(environment: server.environment).test(.router) { client in
                let company = try await register(client, "Hélène Dupré", "helene@example.org")
                let expert = try await register(client, "Zoë Müller", "zoe@example.org", role: "expert")
                let intruder = try await register(client, "Marc Lefèvre", "marc@example.org")
                func bearer(_ body: [String: Any]) -> HTTPFields {
                    [.authorization: "Bearer \(body["sessionToken"] as? String ?? "")"]
                }
                let expertID = (expert.body["participant"] as? [String: Any])?["id"] as? String ?? ""

                let directory = try await client.execute(
                    uri: "/api/v1/directory?q=zoe", method: .get, headers: bearer(company.body))
                let entries = jsonObject(directory.body)["participants"] as? [[String: Any]] ?? []
                #expect(entries.map { $0["id"] as? String } == [expertID])
                #expect(entries.first?["email"] == nil)

                let sent = try await client.execute(
                    uri: "/api/v1/requests", method: .post, headers: bearer(company.body),
                    body: ByteBuffer(string: #"{"to": "\#(expertID)", "priority": 1, "message": "Hello"}"#))
                #expect(sent.status == .created)
                let requestID = jsonObject(sent.body)["id"] as? String ?? ""
                let stolen = try await client.execute(
                    uri: "/api/v1/requests/\(requestID)/accept", method: .post, headers: bearer(intruder.body))
                #expect(stolen.status == .forbidden)
                #expect(jsonObject(stolen.body)["code"] as? String == "forbidden")
                let accepted = try await client.execute(
                    uri: "/api/v1/requests/\(requestID)/accept", method: .post, headers: bearer(expert.body))
                #expect(jsonObject(accepted.body)["status"] as? String == "accepted")
                let again = try await client.execute(
                    uri: "/api/v1/requests/\(requestID)/decline", method: .post, headers: bearer(expert.body))
                #expect(jsonObject(again.body)["code"] as? String == "request_not_pending")
                let withdrawn = try await client.execute(
                    uri: "/api/v1/requests/\(requestID)/withdraw", method: .post, headers: bearer(company.body))
                #expect(jsonObject(withdrawn.body)["status"] as? String == "withdrawn")

                let erase = try await client.execute(uri: "/api/v1/me", method: .delete, headers: bearer(intruder.body))
                #expect(erase.status == .noContent)
                let gone = try await client.execute(uri: "/api/v1/me", method: .get, headers: bearer(intruder.body))
                #expect(gone.status == .unauthorized)
            }
        }
    }

    @Test("organiser tokens: approve, list, occupancy, problem; wrong password refused")
    func organiserAPI() async throws {
        try await RegistrationServer.with(expertsNeedApproval: true) { server in
            let password = try #require(
                try await server.environment.registration.organisers.bootstrap(email: "org@example.org", password: nil))
            try await buildApplication(environment: server.environment).test(.router) { client in
                let expert = try await register(client, "Zoë Müller", "zoe@example.org", role: "expert")
                let expertID = (expert.body["participant"] as? [String: Any])?["id"] as? String ?? ""
                #expect((expert.body["participant"] as? [String: Any])?["status"] as? String == "pending")

                let wrong = try await client.execute(
                    uri: "/api/v1/organiser/tokens", method: .post,
                    body: ByteBuffer(string: #"{"email": "org@example.org", "password": "nope"}"#))
                #expect(wrong.status == .unauthorized)
                #expect(jsonObject(wrong.body)["code"] as? String == "invalid_credentials")
                let token = try await client.execute(
                    uri: "/api/v1/organiser/tokens", method: .post,
                    body: ByteBuffer(string: #"{"email": "org@example.org", "password": "\#(password)"}"#))
                let bearer: HTTPFields = [.authorization: "Bearer \(jsonObject(token.body)["token"] as? String ?? "")"]
                let attendeeToken: HTTPFields = [
                    .authorization: "Bearer \(expert.body["sessionToken"] as? String ?? "")"
                ]
                let refused = try await client.execute(
                    uri: "/api/v1/organiser/registrations", method: .get, headers: attendeeToken)
                #expect(refused.status == .unauthorized)

                let approved = try await client.execute(
                    uri: "/api/v1/organiser/registrations/\(expertID)/approve", method: .post, headers: bearer)
                #expect(jsonObject(approved.body)["status"] as? String == "confirmed")
                let list = try await client.execute(
                    uri: "/api/v1/organiser/registrations?status=confirmed", method: .get, headers: bearer)
                #expect(String(buffer: list.body).contains(expertID))
                let occupancy = try await client.execute(
                    uri: "/api/v1/organiser/occupancy", method: .get, headers: bearer)
                #expect(String(buffer: occupancy.body).contains("\"confirmed\":1"))
                let problem = try await client.execute(uri: "/api/v1/organiser/problem", method: .get, headers: bearer)
                #expect(String(buffer: problem.body).contains("partnering-problem/1"))
                let audit = try await server.environment.registration.organisers.auditLog()
                #expect(
                    audit.contains { $0.action == "registration.approve" && $0.actor == "organiser:org@example.org" })
            }
        }
    }
}
