import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PartneringCore
import PartneringServer
import Testing

/// Every flow that promises an e-mail writes it, and the message reads as a message:
/// headers, a blank line, a MIME body; the subject and the recipient are the ones promised.
@Suite("Notices are written")
struct NoticeMailTests {
    /// A message of the outbox split into its unfolded header fields and its body.
    struct ParsedMessage {
        var headers: [String: String] = [:]
        var body = ""

        init?(_ text: String) {
            guard let split = text.range(of: "\r\n\r\n") else { return nil }
            var lines: [String] = []
            for line in text[..<split.lowerBound].components(separatedBy: "\r\n") {
                if line.hasPrefix(" ") || line.hasPrefix("\t"), !lines.isEmpty {
                    lines[lines.count - 1] += line
                } else {
                    lines.append(line)
                }
            }
            for line in lines {
                guard let colon = line.firstIndex(of: ":") else { return nil }
                headers[line[..<colon].lowercased()] = line[line.index(after: colon)...]
                    .trimmingCharacters(in: .whitespaces)
            }
            body = String(text[split.upperBound...])
            guard headers["mime-version"] == "1.0", headers["to"] != nil, headers["subject"] != nil, !body.isEmpty
            else { return nil }
        }
    }

    @Test("registration received, confirmed, access link, request received and accepted, cancellation")
    func everyFlowWritesItsMessage() async throws {
        try await RegistrationServer.with(expertsNeedApproval: true) { server in
            try await buildApplication(environment: server.environment).test(.router) { client in
                func post(_ uri: String, _ json: String, _ headers: HTTPFields = [:]) async throws -> [String: Any] {
                    var all = headers
                    all[.contentType] = "application/json"
                    let response = try await client.execute(
                        uri: uri, method: .post, headers: all, body: ByteBuffer(string: json))
                    #expect(response.status.code < 300, "\(uri): \(String(buffer: response.body))")
                    return jsonObject(response.body)
                }
                func bearer(_ token: Any?) -> HTTPFields { [.authorization: "Bearer \(token as? String ?? "")"] }
                func messages(to address: String) async throws -> [ParsedMessage] {
                    let all = try await server.outboxMessages()
                    let parsed = all.compactMap(ParsedMessage.init)
                    #expect(parsed.count == all.count, "every message parses")
                    return parsed.filter { $0.headers["to"]?.contains(address) == true }
                }
                func subjects(to address: String) async throws -> [String] {
                    try await messages(to: address).compactMap { $0.headers["subject"] }
                }

                let registrationBody = registrationJSON(name: "Zoë Müller", email: "zoe@example.org")
                let expert = jsonObject(
                    try await client.execute(
                        uri: "/api/v1/registrations/expert", method: .post, headers: [.contentType: "application/json"],
                        body: registrationBody
                    ).body)
                #expect(try await subjects(to: "zoe@example.org").contains { $0.contains("Registration received") })
                let received = try await messages(to: "zoe@example.org").first
                #expect(received?.body.contains("/access/") == true, "the received e-mail links the personal space")

                let company = jsonObject(
                    try await client.execute(
                        uri: "/api/v1/registrations/company", method: .post,
                        headers: [.contentType: "application/json"],
                        body: registrationJSON(name: "Hélène Dupré", email: "helene@example.org")
                    ).body)
                #expect(try await subjects(to: "helene@example.org").contains { $0.contains("Your ticket") })

                _ = try await post("/api/v1/access-links", #"{"email": "helene@example.org"}"#)
                #expect(try await subjects(to: "helene@example.org").count == 2)

                let password = try #require(
                    try await server.environment.registration.organisers.bootstrap(
                        email: "org@example.org", password: nil))
                let token = try await post(
                    "/api/v1/organiser/tokens", #"{"email": "org@example.org", "password": "\#(password)"}"#)["token"]
                let expertID = (expert["participant"] as? [String: Any])?["id"] as? String ?? ""
                _ = try await post("/api/v1/organiser/registrations/\(expertID)/approve", "{}", bearer(token))
                #expect(try await subjects(to: "zoe@example.org").contains { $0.contains("Your ticket") })

                let sent = try await post(
                    "/api/v1/requests", #"{"to": "\#(expertID)", "priority": 1, "message": "Hello"}"#,
                    bearer(company["sessionToken"]))
                #expect(try await subjects(to: "zoe@example.org").count == 3)
                _ = try await post(
                    "/api/v1/requests/\(sent["id"] as? String ?? "")/accept", "{}", bearer(expert["sessionToken"]))
                #expect(try await subjects(to: "helene@example.org").count == 3)

                _ = try await post("/api/v1/me/cancel", "{}", bearer(company["sessionToken"]))
                #expect(try await subjects(to: "helene@example.org").count == 4)
            }
        }
    }
}
