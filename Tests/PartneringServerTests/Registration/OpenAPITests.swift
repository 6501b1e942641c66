import CheckIn
import Foundation
import Hummingbird
import HummingbirdTesting
import PartneringCore
import Registration
import Testing

@testable import PartneringServer

@Suite("OpenAPI document")
struct OpenAPITests {
    /// `METHOD /path/{param}` for every operation of the document.
    static func documentedOperations(_ yaml: String) -> Set<String> {
        var operations = Set<String>()
        var path: String?
        var inPaths = false
        for line in yaml.split(separator: "\n", omittingEmptySubsequences: false) {
            if line == "paths:" { inPaths = true; continue }
            guard inPaths else { continue }
            if !line.isEmpty, !line.hasPrefix(" ") { break }
            if line.hasPrefix("  /"), line.hasSuffix(":"), !line.hasPrefix("   ") {
                path = String(line.dropFirst(2).dropLast())
            } else if let path, line.hasPrefix("    "), !line.hasPrefix("     "), line.hasSuffix(":") {
                let method = line.trimmingCharacters(in: .whitespaces).dropLast().uppercased()
                if ["GET", "POST", "PUT", "DELETE", "PATCH"].contains(method) {
                    operations.insert("\(method) \(path)")
                }
            }
        }
        return operations
    }

    /// The lines of every block whose header line matches, with the lines indented below it.
    static func blocks(_ yaml: String, headedBy isHeader: (Substring) -> Bool) -> [Substring] {
        var lines: [Substring] = []
        var headerIndent: Int?
        for line in yaml.split(separator: "\n") {
            let indent = line.prefix { $0 == " " }.count
            if let current = headerIndent, indent > current {
                lines.append(line)
                continue
            }
            headerIndent = isHeader(line) ? indent : nil
        }
        return lines
    }

    /// The refusals the desk API answers as problems, with the status each comes with.
    static let deskProblems: [any AnsweredRefusal] = [
        RequestRefusal.malformedBody(""), Refusal.invalidInput([]), Refusal.invalidCredentials,
        Refusal.tooManyAttempts(retryAfterSeconds: 60), Refusal.notSignedIn, RequestRefusal.csrfTokenInvalid,
        CheckInError.invalidNonce(""), CheckInError.nonceReused(""), CheckInError.scanInProgress(""),
        CheckInError.participantNotFound(""),
    ]

    @Test("the served document lists exactly the API's routes")
    func matchesRoutes() async throws {
        try await RegistrationServer.with { server in
            let router = buildRouter(environment: server.environment)
            let routes = Set(
                router.routes.map { route in
                    let path = route.path.description.split(separator: "/").map { part in
                        part.hasPrefix(":") ? "{\(part.dropFirst())}" : String(part)
                    }.joined(separator: "/")
                    return "\(route.method.rawValue) /\(path)"
                }.filter { $0.contains(" /api/v1/") || $0.contains(" /api/desk/") })
            try await buildApplication(environment: server.environment).test(.router) { client in
                let response = try await client.execute(uri: "/api/openapi.yaml", method: .get)
                let yaml = String(buffer: response.body)
                #expect(response.status == .ok)
                #expect(yaml.hasPrefix("openapi: 3.1"))
                let documented = Self.documentedOperations(yaml)
                #expect(documented.contains { $0.contains(" /api/desk/") })
                #expect(
                    documented.subtracting(routes).isEmpty,
                    "documented but not served: \(documented.subtracting(routes))")
                #expect(
                    routes.subtracting(documented).isEmpty,
                    "served but not documented: \(routes.subtracting(documented))")
                for code in [
                    "validation_failed", "email_already_registered", "idempotency_key_reused", "csrf_token_invalid",
                ] {
                    #expect(yaml.contains(code))
                }
                let deskPaths = Self.blocks(yaml) { $0.hasPrefix("  /api/desk/") }.joined(separator: "\n")
                for refusal in Self.deskProblems {
                    let line =
                        ##""\##(refusal.status.code)": { $ref: "#/components/responses/Problem", description: "\##(refusal.code):"##
                    #expect(
                        deskPaths.contains(line), "desk problem \(refusal.code) (\(refusal.status.code)) not documented"
                    )
                }
                // Every scan answer code, and no other, in the enum of ScanCode.
                let scanCodes = Self.blocks(yaml) { $0 == "    ScanCode:" }
                    .first { $0.contains("enum: [") }
                    .map { line in
                        Set(
                            line.drop { $0 != "[" }.dropFirst().prefix { $0 != "]" }.split(separator: ",").map {
                                $0.trimmingCharacters(in: .whitespaces)
                            })
                    }
                #expect(scanCodes == Set(TicketRefusal.allCases.map(\.code) + [ScanOutcome.admittedCode]))
            }
        }
    }
}
