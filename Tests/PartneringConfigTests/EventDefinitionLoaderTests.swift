import Foundation
import PartneringConfig
import PartneringCore
import Testing

@Suite("Event definition")
struct EventDefinitionLoaderTests {
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test("the sample event loads: a one-day partnering day in Paris with 25-minute slots and 40 tables")
    func sampleEventLoads() throws {
        let event = try EventDefinitionLoader.load(
            path: Self.repositoryRoot.appendingPathComponent("config/event.yaml").path)

        #expect(event.timeZone.identifier == "Europe/Paris")
        #expect(event.slotMinutes == 25)
        #expect(event.tables.count == 40)
        #expect(event.tables.first?.id == "T01")
        #expect(event.languages == [.fr, .en])
        #expect(event.meetPolicy.allows(.expert, .company))
        #expect(!event.meetPolicy.allows(.company, .company))
        let slots = event.slots
        #expect(slots.first?.id == "d1-0900")
        #expect(slots.count == 9 + 8)
        #expect(Set(slots.map(\.id)).count == slots.count)
        #expect(event.allTopics.contains { $0.id == "car-t" })
        #expect(event.categories.map(\.role) == [.company, .expert])
    }

    @Test("a bad value is reported with file, line and key")
    func badValueNamesLineAndKey() throws {
        let yaml = try sample().replacingOccurrences(of: "slotMinutes: 25", with: "slotMinutes: twenty")

        let error = try #require(throws: ConfigurationError.self) {
            try EventDefinitionLoader.parse(yaml: yaml, source: "event.yaml")
        }

        let issue = try #require(error.issues.first)
        #expect(issue.key == "schedule.slotMinutes")
        #expect(issue.line == lineNumber(of: "slotMinutes", in: yaml))
        #expect(error.description.contains("event.yaml:\(issue.line ?? 0): schedule.slotMinutes"))
        #expect(error.description.contains("\"twenty\""))
    }

    @Test("every defect is reported at once")
    func allDefectsAtOnce() throws {
        let yaml = try sample()
            .replacingOccurrences(of: "timezone: Europe/Paris", with: "timezone: Europe/Lutece")
            .replacingOccurrences(of: "capacity: 140", with: "capacity: -3")
            .replacingOccurrences(of: "role: expert\n", with: "role: researcher\n")

        let error = try #require(throws: ConfigurationError.self) {
            try EventDefinitionLoader.parse(yaml: yaml, source: "event.yaml")
        }

        let keys = error.issues.map(\.key)
        #expect(keys.contains("timezone"))
        #expect(keys.contains("categories[0].capacity"))
        #expect(keys.contains("categories[1].role"))
        #expect(error.description.contains("Europe/Lutece"))
    }

    @Test("a missing key is named")
    func missingKey() throws {
        let yaml = try sample().replacingOccurrences(of: "  tables: 40\n", with: "")

        let error = try #require(throws: ConfigurationError.self) {
            try EventDefinitionLoader.parse(yaml: yaml, source: "event.yaml")
        }

        #expect(error.issues.map(\.key) == ["schedule.tables"])
        #expect(error.issues.first?.message.contains("missing") == true)
    }

    @Test("overlapping sessions are refused")
    func overlappingSessions() throws {
        let yaml = try sample().replacingOccurrences(of: "start: \"14:00\"", with: "start: \"12:00\"")

        let error = try #require(throws: ConfigurationError.self) {
            try EventDefinitionLoader.parse(yaml: yaml, source: "event.yaml")
        }

        #expect(error.issues.map(\.key) == ["schedule.sessions[1].start"])
    }

    @Test("a YAML syntax error names the line")
    func syntaxError() throws {
        let error = try #require(throws: ConfigurationError.self) {
            try EventDefinitionLoader.parse(yaml: "id: x\nname: [unclosed\nvenue: y\n", source: "broken.yaml")
        }

        #expect(error.issues.first?.key == "(syntax)")
        #expect(error.issues.first?.line != nil)
    }

    @Test("a missing file is one clear error")
    func missingFile() throws {
        let error = try #require(throws: ConfigurationError.self) {
            try EventDefinitionLoader.load(path: "/nonexistent/event.yaml")
        }

        #expect(error.description.contains("/nonexistent/event.yaml"))
    }

    private func sample() throws -> String {
        try String(contentsOf: Self.repositoryRoot.appendingPathComponent("config/event.yaml"), encoding: .utf8)
    }

    private func lineNumber(of key: String, in text: String) -> Int? {
        text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains(key + ":") }.map {
            $0 + 1
        }
    }
}
