import Foundation
import Hummingbird
import HummingbirdTesting
import PartneringCore
import PartneringServer
import Testing

@Suite("No overselling")
struct ConcurrencyTests {
    @Test("300 simultaneous HTTP registrations for 100 seats confirm exactly 100", arguments: StoreKind.testable)
    func threeHundredForAHundred(kind: StoreKind) async throws {
        try await RegistrationServer.with(kind, capacity: 100) { server in
            try await buildApplication(environment: server.environment).test(.live) { client in
                let statuses = try await withThrowingTaskGroup(of: String.self) { group in
                    for index in 0..<300 {
                        group.addTask {
                            let response = try await client.execute(
                                uri: "/api/v1/registrations/company", method: .post,
                                headers: [.contentType: "application/json"],
                                body: registrationJSON(name: "Délégué \(index)", email: "d\(index)@example.org"))
                            return (jsonObject(response.body)["participant"] as? [String: Any])?["status"] as? String
                                ?? "HTTP \(response.status.code)"
                        }
                    }
                    return try await group.reduce(into: [String: Int]()) { $0[$1, default: 0] += 1 }
                }
                #expect(statuses == ["confirmed": 100, "waitlisted": 200])
                let counts = try await server.environment.store.participants.countsByCategory()
                #expect(counts["company-delegate"]?[.confirmed] == 100)
            }
        }
    }
}
