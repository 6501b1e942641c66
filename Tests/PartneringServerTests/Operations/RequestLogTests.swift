import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import PartneringServer
import Synchronization
import Testing

/// The lines a ``JSONLogHandler`` wrote, kept for the test to read.
final class CapturedLines: Sendable {
    private let lines = Mutex<[String]>([])

    func append(_ line: String) { lines.withLock { $0.append(line) } }

    /// Every line, parsed as a JSON object.
    func objects() throws -> [[String: Any]] {
        try lines.withLock { $0 }.map { line in
            #expect(line.hasSuffix("\n") && line.dropLast().firstIndex(of: "\n") == nil, "one line: \(line)")
            return try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        }
    }

    func logger(level: Logger.Level = .debug) -> Logger {
        var logger = Logger(label: "partnering") { label in JSONLogHandler(label: label) { self.append($0) } }
        logger.logLevel = level
        return logger
    }
}

@Suite("Logs as JSON lines, with a request id")
struct RequestLogTests {
    @Test("an entry is one JSON line: time, level, label, message, metadata; newlines and quotes escaped")
    func jsonLine() throws {
        let captured = CapturedLines()
        var logger = captured.logger(level: .info)
        logger[metadataKey: "run"] = "r-1"
        logger.debug("not written below the level")
        logger.warning(
            "cannot write \"notice\"\nsecond line",
            metadata: ["error": .stringConvertible(42), "ids": ["a", "b"], "nested": ["k": "v"]])
        let objects = try captured.objects()
        #expect(objects.count == 1)
        let entry = try #require(objects.first)
        #expect(entry["level"] as? String == "warning")
        #expect(entry["label"] as? String == "partnering")
        #expect(entry["message"] as? String == "cannot write \"notice\"\nsecond line")
        let time = try #require(entry["timestamp"] as? String)
        #expect(time.hasSuffix("Z") && time.contains("."), "UTC with milliseconds: \(time)")
        let parser = ISO8601DateFormatter()
        parser.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let date = try #require(parser.date(from: time))
        #expect(abs(date.timeIntervalSinceNow) < 60)
        let metadata = try #require(entry["metadata"] as? [String: Any])
        #expect(metadata["run"] as? String == "r-1")
        #expect(metadata["error"] as? String == "42")
        #expect(metadata["ids"] as? [String] == ["a", "b"])
        #expect(metadata["nested"] as? [String: String] == ["k": "v"])
    }

    @Test("every answer carries X-Request-Id: the caller's when plausible, a fresh one otherwise; logs name it")
    func requestIDs() async throws {
        try await RegistrationServer.with { server in
            let captured = CapturedLines()
            var environment = server.environment
            environment.logger = captured.logger()
            let app = buildApplication(environment: environment)
            try await app.test(.router) { client in
                try await client.execute(uri: "/health", method: .get, headers: [.requestID: "proxy-4f2a.7:1"]) {
                    response in
                    #expect(response.status == .ok)
                    #expect(response.headers[.requestID] == "proxy-4f2a.7:1")
                }
                var fresh: [String] = []
                for unacceptable in ["has space", "quote\"d", String(repeating: "x", count: 129)] {
                    try await client.execute(uri: "/health", method: .get, headers: [.requestID: unacceptable]) {
                        response in
                        let id = try #require(response.headers[.requestID])
                        #expect(id.count == 32 && id.allSatisfy(\.isHexDigit), "\(id)")
                        fresh.append(id)
                    }
                }
                try await client.execute(uri: "/health", method: .get) { response in
                    fresh.append(try #require(response.headers[.requestID]))
                }
                #expect(Set(fresh).count == 4)
                // A route that does not exist is answered by an error, which carries the id too.
                try await client.execute(uri: "/no-such-page", method: .get, headers: [.requestID: "missing-1"]) {
                    response in
                    #expect(response.status == .notFound)
                    #expect(response.headers[.requestID] == "missing-1")
                }
            }
            let ids = try captured.objects().compactMap { ($0["metadata"] as? [String: Any])?["request_id"] as? String }
            #expect(ids.contains("proxy-4f2a.7:1"))
            #expect(ids.contains("missing-1"))
        }
    }
}

extension HTTPField.Name {
    static let requestID = Self("X-Request-Id") ?? .contentType
}
