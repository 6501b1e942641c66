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
                let port = try #require(client.port)
                // 30 connections of their own, 10 registrations each: real concurrency over HTTP.
                let statuses = try await withThrowingTaskGroup(of: [String].self) { group in
                    for worker in 0..<30 {
                        group.addTask {
                            try await TestClient.withClient(
                                host: "127.0.0.1", port: port, configuration: .init(timeout: .seconds(120))
                            ) { connection in
                                var outcomes: [String] = []
                                for step in 0..<10 {
                                    let index = worker * 10 + step
                                    let response = try await connection.execute(
                                        TestClient.Request(
                                            "/api/v1/registrations/company", method: .post,
                                            authority: "127.0.0.1", headers: [.contentType: "application/json"],
                                            body: registrationJSON(
                                                name: "Délégué \(index)", email: "d\(index)@example.org")))
                                    outcomes.append(
                                        (jsonObject(response.body ?? ByteBuffer())["participant"] as? [String: Any])?[
                                            "status"]
                                            as? String
                                            ?? "HTTP \(response.status.code)")
                                }
                                return outcomes
                            }
                        }
                    }
                    return try await group.reduce(into: [String: Int]()) { counts, outcomes in
                        for outcome in outcomes { counts[outcome, default: 0] += 1 }
                    }
                }
                #expect(statuses == ["confirmed": 100, "waitlisted": 200])
                let counts = try await server.environment.store.participants.countsByCategory()
                #expect(counts["company-delegate"]?[.confirmed] == 100)
            }
        }
    }
}
