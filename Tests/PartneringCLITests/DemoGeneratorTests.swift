import Foundation
import PartneringConfig
import PartneringCore
import Testing

@testable import PartneringCLI

@Suite("Demo data")
struct DemoGeneratorTests {
    static let event: EventDefinition? = {
        let root = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return try? EventDefinitionLoader.load(path: root.appendingPathComponent("config/event.yaml").path)
    }()

    private func generate(seed: UInt64) throws -> DemoGenerator.DemoData {
        let event = try #require(Self.event)
        return DemoGenerator(
            event: event, companyCount: 120, expertCount: 150, now: Date(timeIntervalSince1970: 1_800_000_000)
        )
        .generate(seed: seed)
    }

    @Test("the same seed gives the same data; another seed other data")
    func deterministic() throws {
        let first = try generate(seed: 7)
        let again = try generate(seed: 7)
        let other = try generate(seed: 8)

        #expect(first.participants == again.participants)
        #expect(first.requests.map { [$0.from, $0.to] } == again.requests.map { [$0.from, $0.to] })
        #expect(first.participants.map(\.name) != other.participants.map(\.name))
    }

    @Test("about 120 companies and 150 experts with unique e-mails and accented names")
    func population() throws {
        let data = try generate(seed: 2027)

        #expect(data.participants.filter { $0.role == .company }.count == 120)
        #expect(data.participants.filter { $0.role == .expert }.count == 150)
        #expect(Set(data.participants.map(\.email)).count == 270)
        #expect(data.participants.contains { $0.name.contains("é") || $0.name.contains("ë") || $0.name.contains("ø") })
        #expect(Set(data.participants.map(\.country)).count > 5)
        let topics = Set(try #require(Self.event).allTopics.map(\.id))
        #expect(data.participants.allSatisfy { !$0.topics.isEmpty && Set($0.topics).isSubset(of: topics) })
    }

    @Test("requests go between roles that may meet, never twice in one direction, with skewed popularity")
    func requests() throws {
        let data = try generate(seed: 2027)
        let roles = data.participants.map(\.role)

        #expect(data.requests.count > 800)
        #expect(data.requests.allSatisfy { roles[$0.from] != roles[$0.to] })
        #expect(Set(data.requests.map { [$0.from, $0.to] }).count == data.requests.count)
        var received: [Int: Int] = [:]
        for request in data.requests { received[request.to, default: 0] += 1 }
        let counts = received.values.sorted(by: >)
        let topTenth = counts.prefix(counts.count / 10).reduce(0, +)
        #expect(Double(topTenth) > 0.25 * Double(data.requests.count))
    }
}
