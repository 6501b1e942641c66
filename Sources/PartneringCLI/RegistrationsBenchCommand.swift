import ArgumentParser
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// `partnering bench registrations`: registrations per second and latency percentiles
/// of `POST /api/v1/registrations/company` against a real `partnering serve` on SQLite,
/// from concurrent keep-alive clients on loopback (target: 1,000/s, p99 under 50 ms).
struct RegistrationsBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "registrations",
        abstract: "Registrations per second at 64 concurrent clients against `serve` on SQLite.",
        discussion: """
            Starts `partnering serve` on a fresh data folder (SQLite, the sample event with \
            capacities raised so that every registration is confirmed: ticket signed, mail \
            queued), then each client thread sends registrations on its own keep-alive \
            connection. Reports throughput, latency percentiles and the answers' statuses.
            """)

    @Option(help: "Concurrent clients.")
    var clients = 64

    @Option(help: "Registrations measured (after the warm-up).")
    var requests = 6_000

    @Option(help: "Registrations sent first, not measured.")
    var warmup = 500

    @Option(
        help: ArgumentHelp(
            "Offered load in registrations per second, spread over the clients (default: as fast as answered).",
            discussion: "Latency then counts from each registration's scheduled time, so falling behind shows."))
    var rate: Double?

    @Option(help: "The event definition to start from.")
    var eventFile = "config/event.yaml"

    @Flag(help: "Exit with an error when under 1,000 registrations/s or p99 over 50 ms.")
    var check = false

    func validate() throws {
        guard clients > 0, requests > 0, warmup >= 0 else {
            throw ValidationError("--clients and --requests must be positive.")
        }
        if let rate, !(rate > 0) {
            throw ValidationError("--rate must be a positive number of registrations per second.")
        }
    }

    func run() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "partnering-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let event = try String(contentsOfFile: eventFile, encoding: .utf8)
            .replacingOccurrences(of: #"capacity: \d+"#, with: "capacity: 1000000", options: .regularExpression)
        let eventPath = folder.appendingPathComponent("event.yaml").path
        try event.write(toFile: eventPath, atomically: true, encoding: .utf8)

        let dataDirectory = folder.appendingPathComponent("data").path
        let server = try BenchServer.start(dataDirectory: dataDirectory, eventFile: eventPath)
        defer { server.stop() }
        print(
            "serve (SQLite) on 127.0.0.1:\(server.port); \(clients) clients, \(warmup) warm-up + \(requests) measured"
                + (rate.map { String(format: ", offered at %.0f/s", $0) } ?? ", as fast as answered"))

        _ = try LoadRun(port: server.port, clients: clients, total: warmup, prefix: "warm").execute()
        let run = try LoadRun(port: server.port, clients: clients, total: requests, prefix: "bench", rate: rate)
        let cpuBefore = server.cpuSeconds()
        let result = try run.execute()
        let cpuDuring = server.cpuSeconds() - cpuBefore

        let latencies = result.latencies.sorted()
        func percentile(_ p: Double) -> Double {
            latencies.isEmpty ? 0 : latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))] * 1000
        }
        let achieved = Double(latencies.count) / result.seconds
        print(String(format: "registrations: %d in %.2f s = %.0f/s", latencies.count, result.seconds, achieved))
        print(
            String(
                format: "latency ms: p50 %.2f  p90 %.2f  p99 %.2f  max %.2f", percentile(0.5), percentile(0.9),
                percentile(0.99), (latencies.last ?? 0) * 1000))
        print(
            "answers: "
                + result.statuses.sorted { $0.key < $1.key }.map { "\($0.key) × \($0.value)" }.joined(separator: ", "))
        print(
            String(
                format: "server CPU: %.2f s = %.2f ms per registration (%.2f cores)", cpuDuring,
                cpuDuring * 1000 / Double(max(1, latencies.count)), cpuDuring / result.seconds))
        // Every registration was confirmed, so each one queued a confirmation with its ticket.
        let expectedMail = warmup + requests
        let drained = OutboxWatch.waitForFiles(
            in: dataDirectory + "/outbox/new", count: expectedMail, timeout: 300)
        print(
            String(
                format: "outbox: %d of %d confirmations written, the last %.1f s after the last answer",
                drained.count, expectedMail, drained.seconds))
        // Paced, the throughput is the offered rate at best: it must be kept up with.
        let sustained = rate.map { $0 >= 1_000 && achieved >= 0.99 * $0 } ?? (achieved >= 1_000)
        let target = sustained && percentile(0.99) < 50 && result.statuses == [201: requests]
        print(target ? "target met (≥ 1,000/s, p99 < 50 ms)" : "target NOT met (≥ 1,000/s, p99 < 50 ms, all 201)")
        if check && !target { throw ExitCode(1) }
    }
}

/// A `partnering serve` child process.
private struct BenchServer {
    let process: Process
    let port: Int

    static func start(dataDirectory: String, eventFile: String) throws -> BenchServer {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL
        process.arguments = ["serve", "--port", "0", "--data-dir", dataDirectory, "--event-file", eventFile]
        var environment = ProcessInfo.processInfo.environment
        environment["PARTNERING_LOG_LEVEL"] = "warning"
        environment["PARTNERING_DATABASE_URL"] = nil
        environment["PARTNERING_ORGANISER_PASSWORD"] = "bench organiser password"
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        var buffer = ""
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            let data = output.fileHandleForReading.availableData
            if data.isEmpty {
                guard process.isRunning else { break }
                continue
            }
            buffer += String(decoding: data, as: UTF8.self)
            if let range = buffer.range(of: #"on http://[0-9.]+:(\d+)"#, options: .regularExpression),
                let port = Int(buffer[range].split(separator: ":").last ?? "")
            {
                return BenchServer(process: process, port: port)
            }
        }
        process.terminate()
        throw ValidationError("serve did not start: \(buffer)")
    }

    func stop() {
        process.terminate()
        process.waitUntilExit()
    }

    /// User and system CPU time the server has used so far, from `/proc`.
    func cpuSeconds() -> Double {
        guard let stat = try? String(contentsOfFile: "/proc/\(process.processIdentifier)/stat", encoding: .utf8),
            let afterName = stat.range(of: ") ")
        else { return 0 }
        // Fields after the command name start at field 3; utime and stime are fields 14 and 15.
        let fields = stat[afterName.upperBound...].split(separator: " ")
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return 0 }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }
}

/// Watching the server's outbox from outside.
private enum OutboxWatch {
    /// Waits until `folder` holds `count` files (or `timeout` seconds pass); returns how
    /// many it holds and how long that took.
    static func waitForFiles(in folder: String, count: Int, timeout: Double) -> (count: Int, seconds: Double) {
        let start = Date()
        var found = 0
        while Date().timeIntervalSince(start) < timeout {
            found = (try? FileManager.default.contentsOfDirectory(atPath: folder).count) ?? 0
            if found >= count { break }
            Thread.sleep(forTimeInterval: 0.05)
        }
        return (found, Date().timeIntervalSince(start))
    }
}

/// `clients` threads, each on one keep-alive connection, sending `total` registrations.
private struct LoadRun {
    let port: Int
    let clients: Int
    let total: Int
    let prefix: String
    /// Registrations per second to offer; `nil`: each client sends its next one on the answer.
    var rate: Double? = nil

    struct Result {
        var latencies: [Double]
        var statuses: [Int: Int]
        var seconds: Double
    }

    final class Collector: @unchecked Sendable {
        private let lock = NSLock()
        private var latencies: [Double] = []
        private var statuses: [Int: Int] = [:]
        private var next = 0
        private var failure: String?

        func take(limit: Int) -> Int? {
            lock.lock()
            defer { lock.unlock() }
            guard next < limit else { return nil }
            next += 1
            return next - 1
        }

        func record(_ latency: Double, status: Int) {
            lock.lock()
            latencies.append(latency)
            statuses[status, default: 0] += 1
            lock.unlock()
        }

        func fail(_ message: String) {
            lock.lock()
            failure = failure ?? message
            lock.unlock()
        }

        var snapshot: ([Double], [Int: Int], String?) {
            lock.lock()
            defer { lock.unlock() }
            return (latencies, statuses, failure)
        }
    }

    func execute() throws -> Result {
        let collector = Collector()
        let group = DispatchGroup()
        let start = Date()
        let (port, total, prefix, rate) = (port, total, prefix, rate)
        for _ in 0..<clients {
            group.enter()
            let thread = Thread {
                defer { group.leave() }
                do {
                    let connection = try Connection(port: port)
                    defer { connection.close() }
                    while let index = collector.take(limit: total) {
                        let body = """
                            {"name":"Délégué \(prefix) \(index)","email":"\(prefix)-\(index)@bench.example.org",\
                            "organisation":"Bench SAS","jobTitle":"CSO","country":"FR","topics":["aml","car-t"],\
                            "profile":"Cell therapies in AML.","sessions":["morning","afternoon"],"language":"fr",\
                            "acceptPrivacy":true,"listInDirectory":true}
                            """
                        // Paced: wait for this registration's turn, and count from it, so that a
                        // server falling behind shows as latency instead of a slower schedule.
                        var sent = Date()
                        if let rate {
                            let scheduled = start.addingTimeInterval(Double(index) / rate)
                            let wait = scheduled.timeIntervalSince(sent)
                            if wait > 0 { Thread.sleep(forTimeInterval: wait) }
                            sent = scheduled
                        }
                        let status = try connection.post("/api/v1/registrations/company", json: body)
                        collector.record(Date().timeIntervalSince(sent), status: status)
                    }
                } catch {
                    collector.fail("\(error)")
                }
            }
            thread.stackSize = 1 << 20
            thread.start()
        }
        group.wait()
        let (latencies, statuses, failure) = collector.snapshot
        if let failure { throw ValidationError("a client failed: \(failure)") }
        return Result(latencies: latencies, statuses: statuses, seconds: Date().timeIntervalSince(start))
    }
}

/// A blocking HTTP/1.1 keep-alive connection to 127.0.0.1.
private final class Connection {
    private let socket: Int32
    private var pending: [UInt8] = []

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    init(port: Int) throws {
        socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw Failure(description: "socket() failed") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else { throw Failure(description: "connect() failed: errno \(errno)") }
        var one: Int32 = 1
        setsockopt(socket, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
    }

    func close() { _ = Glibc.close(socket) }

    /// Sends a JSON POST and returns the status once the whole response is read.
    func post(_ path: String, json: String) throws -> Int {
        let body = Array(json.utf8)
        let head =
            "POST \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: \(body.count)\r\n\r\n"
        let request = Array(head.utf8) + body
        var written = 0
        while written < request.count {
            let result = request[written...].withUnsafeBytes { send(socket, $0.baseAddress, $0.count, 0) }
            guard result > 0 else { throw Failure(description: "send() failed: errno \(errno)") }
            written += result
        }
        // Headers, then Content-Length bytes of body.
        while true {
            if let end = headerEnd() {
                let header = String(decoding: pending[..<end], as: UTF8.self)
                let lines = header.split(separator: "\r\n")
                let status = Int(lines.first?.split(separator: " ").dropFirst().first ?? "") ?? 0
                let length =
                    lines.first { $0.lowercased().hasPrefix("content-length:") }
                    .flatMap { Int($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) } ?? 0
                while pending.count < end + 4 + length { try receive() }
                pending.removeFirst(end + 4 + length)
                return status
            }
            try receive()
        }
    }

    private func headerEnd() -> Int? {
        guard pending.count >= 4 else { return nil }
        for index in 0...(pending.count - 4)
        where pending[index] == 13 && pending[index + 1] == 10 && pending[index + 2] == 13 && pending[index + 3] == 10 {
            return index
        }
        return nil
    }

    private func receive() throws {
        var buffer = [UInt8](repeating: 0, count: 16_384)
        let count = buffer.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { throw Failure(description: "connection closed by the server") }
        pending.append(contentsOf: buffer[..<count])
    }
}
