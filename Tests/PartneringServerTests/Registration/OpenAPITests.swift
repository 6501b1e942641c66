import Foundation
import Hummingbird
import HummingbirdTesting
import PartneringServer
import Testing

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
                }.filter { $0.contains(" /api/v1/") })
            try await buildApplication(environment: server.environment).test(.router) { client in
                let response = try await client.execute(uri: "/api/openapi.yaml", method: .get)
                let yaml = String(buffer: response.body)
                #expect(response.status == .ok)
                #expect(yaml.hasPrefix("openapi: 3.1"))
                let documented = Self.documentedOperations(yaml)
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
            }
        }
    }
}
