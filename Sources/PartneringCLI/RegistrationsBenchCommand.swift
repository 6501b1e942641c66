import ArgumentParser
import Foundation
import Logging
import Storage

#if canImport(Glibc)
    import Glibc
#endif

/// `partnering bench registrations`: registrations per second and latency percentiles
/// of `POST /api/v1/registrations/company` against a real `partnering serve` on SQLite,
/// from concurrent keep-alive clients on loopback (target: 1,000/s, p99 under 50 ms); with
/// `--database-url`, then against `serve --no-worker` replicas and a `partnering worker` on
/// that PostgreSQL database behind nginx (target with two replicas: 1,000/s, p99 under 100 ms).
struct RegistrationsBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "registrations",
        abstract:
            "Registrations per second at 64 concurrent clients against `serve` on SQLite, or replicas on PostgreSQL.",
        discussion: """
            Starts `partnering serve` on a fresh data folder (SQLite, the sample event with \
            capacities raised so that every registration is confirmed: ticket signed, mail \
            queued), then each client thread sends registrations on its own keep-alive \
            connection. Reports throughput, latency percentiles and the answers' statuses. \
            With --database-url, the same load then goes through nginx (Debian's, run as a child \
            process with the upstream of Deployment/nginx/compose.conf listing the replicas) to \
            one `serve --no-worker` replica, then to --replicas of them, all on that database \
            with one `partnering worker` writing the e-mails; each replica's share of the \
            registrations is read from its /metrics.
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

    @Option(
        help: ArgumentHelp(
            "postgres://user@host:port/db of a PostgreSQL server: also measure replicas on it, behind nginx.",
            discussion: "Each measure creates a fresh database on that server (partnering_bench_…) and drops it after."
        ))
    var databaseURL: String?

    @Option(help: "With --database-url: the replicas of the second PostgreSQL measure (the first has one).")
    var replicas = 2

    @Option(help: "The nginx site whose upstream and proxy settings are used (with --database-url).")
    var nginxSite = "Deployment/nginx/compose.conf"

    @Option(help: "The nginx program (with --database-url).")
    var nginx = "/usr/sbin/nginx"

    @Flag(help: "Exit with an error when a target is not met.")
    var check = false

    func validate() throws {
        guard clients > 0, requests > 0, warmup >= 0 else {
            throw ValidationError("--clients and --requests must be positive.")
        }
        if let rate, !(rate > 0) {
            throw ValidationError("--rate must be a positive number of registrations per second.")
        }
        guard (1...16).contains(replicas) else {
            throw ValidationError("--replicas must be between 1 and 16, found \(replicas).")
        }
        if let databaseURL, !databaseURL.hasPrefix("postgres://") && !databaseURL.hasPrefix("postgresql://") {
            throw ValidationError("--database-url must be a postgres:// URL, found \(databaseURL).")
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
        try JSONFiles.writeAtomically(Data(event.utf8), to: eventPath)
        print(
            "\(clients) clients, \(warmup) warm-up + \(requests) measured"
                + (rate.map { String(format: ", offered at %.0f/s", $0) } ?? ", as fast as answered"))

        var targetsMet = true
        let sqliteData = folder.appendingPathComponent("sqlite").path
        do {
            let server = try BenchProcess.startServe(
                name: "serve", dataDirectory: sqliteData, eventFile: eventPath, extra: [])
            defer { server.stop() }
            print("\n== serve on SQLite, 127.0.0.1:\(server.port ?? 0)")
            let figures = try measure(port: server.port ?? 0, prefix: "sqlite", cpu: [server.cpu])
            let met = report(figures, outbox: sqliteData + "/outbox/new", p99Target: 50)
            if databaseURL == nil { targetsMet = met }
        }
        if let databaseURL {
            let site = try String(contentsOfFile: nginxSite, encoding: .utf8)
            let logger = Logger(label: "partnering.bench")
            for count in Set([1, replicas]).sorted() {
                let name = "partnering_bench_" + UUID().uuidString.prefix(8).lowercased()
                let database = try await PostgresDatabases.create(named: name, onServerOf: databaseURL, logger: logger)
                let met: Bool
                do {
                    met = try measureReplicas(
                        count, databaseURL: database, databaseName: name, eventFile: eventPath, site: site,
                        folder: folder)
                } catch {
                    try? await PostgresDatabases.drop(named: name, onServerOf: databaseURL, logger: logger)
                    throw error
                }
                try await PostgresDatabases.drop(named: name, onServerOf: databaseURL, logger: logger)
                if count == replicas { targetsMet = met }
            }
        }
        if check && !targetsMet { throw ExitCode(1) }
    }

    /// The measure of `count` replicas on the fresh database `databaseName`; whether its target is met.
    private func measureReplicas(
        _ count: Int, databaseURL: String, databaseName: String, eventFile: String, site: String, folder: URL
    ) throws -> Bool {
        let cluster = try ReplicaCluster.start(
            replicas: count, databaseURL: databaseURL, eventFile: eventFile, site: site, nginx: nginx,
            folder: folder.appendingPathComponent("postgres-\(count)"))
        defer { cluster.stop() }
        print(
            "\n== \(count) serve --no-worker + 1 worker on PostgreSQL (database \(databaseName)), "
                + "through nginx on 127.0.0.1:\(cluster.port)")
        let processes = (cluster.replicas + [cluster.worker, cluster.proxy]).map { $0.cpu }
        let figures = try measure(
            port: cluster.port, prefix: "pg\(count)",
            cpu: processes + [PostgresBackends.cpu(database: databaseName)],
            perReplica: cluster.registrationsPerReplica)
        return report(figures, outbox: cluster.outbox, p99Target: 100)
    }

    /// What one measure found.
    private struct Figures {
        var latencies: [Double]
        var statuses: [Int: Int]
        var seconds: Double
        /// CPU seconds of each process during the measure, by name.
        var cpu: [(String, Double)]
        /// CPU seconds of the whole machine (every process, the clients', other users') over
        /// the measure, and how many cores it has.
        var machineCPU: Double
        var cores: Int
        /// The measured registrations each replica answered, when there are replicas.
        var perReplica: [Int] = []
        /// The processes' CPU, and its seconds when the warm-up began: with the e-mails written
        /// after the last answer (a worker that falls behind), CPU over the measure alone
        /// would leave out part of the work.
        var sources: [CPUSource] = []
        var cpuAtWarmUp: [Double] = []
    }

    /// The warm-up then the measured registrations through 127.0.0.1:`port`.
    private func measure(
        port: Int, prefix: String, cpu sources: [CPUSource], perReplica: () -> [Int] = { [] }
    ) throws -> Figures {
        let cpuAtWarmUp = sources.map { $0.seconds() }
        _ = try LoadRun(port: port, clients: clients, total: warmup, prefix: prefix + "-warm").execute()
        let run = LoadRun(port: port, clients: clients, total: requests, prefix: prefix, rate: rate)
        let countsBefore = perReplica()
        let cpuBefore = sources.map { $0.seconds() }
        let machineBefore = MachineCPU.busySeconds()
        let result = try run.execute()
        let machineDuring = MachineCPU.busySeconds() - machineBefore
        let cpu = zip(sources, cpuBefore).map { ($0.name, $0.seconds() - $1) }
        return Figures(
            latencies: result.latencies.sorted(), statuses: result.statuses, seconds: result.seconds, cpu: cpu,
            machineCPU: machineDuring, cores: MachineCPU.cores,
            perReplica: zip(countsBefore, perReplica()).map { $1 - $0 }, sources: sources, cpuAtWarmUp: cpuAtWarmUp)
    }

    /// Prints `figures` and whether the target (1,000/s, p99 under `p99Target` ms, all 201) is met.
    private func report(_ figures: Figures, outbox: String, p99Target: Double) -> Bool {
        let latencies = figures.latencies
        func percentile(_ p: Double) -> Double {
            latencies.isEmpty ? 0 : latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))] * 1000
        }
        let achieved = Double(latencies.count) / figures.seconds
        print(String(format: "registrations: %d in %.2f s = %.0f/s", latencies.count, figures.seconds, achieved))
        print(
            String(
                format: "latency ms: p50 %.2f  p90 %.2f  p95 %.2f  p99 %.2f  max %.2f", percentile(0.5),
                percentile(0.9), percentile(0.95), percentile(0.99), (latencies.last ?? 0) * 1000))
        print(
            "answers: "
                + figures.statuses.sorted { $0.key < $1.key }.map { "\($0.key) × \($0.value)" }.joined(separator: ", "))
        let replicas = figures.perReplica
        if !replicas.isEmpty {
            let total = max(1, replicas.reduce(0, +))
            print(
                "per replica (201s counted by its /metrics): "
                    + replicas.enumerated().map {
                        String(
                            format: "#%d %d (%.0f%%)", $0.offset + 1, $0.element,
                            100 * Double($0.element) / Double(total))
                    }.joined(separator: ", "))
        }
        let count = Double(max(1, latencies.count))
        var serverCPU = 0.0
        for (name, seconds) in figures.cpu {
            serverCPU += seconds
            print(
                "CPU \(name): "
                    + String(
                        format: "%.2f s = %.3f ms per registration (%.2f cores)", seconds, seconds * 1000 / count,
                        seconds / figures.seconds))
        }
        if figures.cpu.count > 1 {
            print(
                String(
                    format: "CPU of all these: %.2f ms per registration (%.2f cores)", serverCPU * 1000 / count,
                    serverCPU / figures.seconds))
        }
        print(
            String(
                format: "machine: %.2f of %d cores busy during the measure (everything: clients, PostgreSQL, others)",
                figures.machineCPU / figures.seconds, figures.cores))
        // Every registration was confirmed, so each one queued a confirmation with its ticket.
        let expectedMail = warmup + requests
        let drained = OutboxWatch.waitForFiles(in: outbox, count: expectedMail, timeout: 300)
        print(
            String(
                format: "outbox: %d of %d confirmations written, the last %.1f s after the last answer",
                drained.count, expectedMail, drained.seconds))
        let wholeCPU = zip(figures.sources, figures.cpuAtWarmUp).reduce(0) { $0 + $1.0.seconds() - $1.1 }
        print(
            String(
                format: "CPU of all these from the warm-up to the last e-mail written: %.2f ms per registration",
                wholeCPU * 1000 / Double(max(1, expectedMail))))
        // Paced, the throughput is the offered rate at best: it must be kept up with.
        let sustained = rate.map { $0 >= 1_000 && achieved >= 0.99 * $0 } ?? (achieved >= 1_000)
        let target = sustained && percentile(0.99) < p99Target && figures.statuses == [201: requests]
        let goal = String(format: "≥ 1,000/s, p99 < %.0f ms, all 201", p99Target)
        print(target ? "target met (\(goal))" : "target NOT met (\(goal))")
        return target
    }
}

/// `serve --no-worker` replicas and one `partnering worker` on one PostgreSQL database, with
/// nginx in front: the deployment of Deployment/compose.yaml, on this machine.
private struct ReplicaCluster {
    let replicas: [BenchProcess]
    let worker: BenchProcess
    let proxy: BenchProcess
    /// nginx's port.
    let port: Int
    /// Where the worker writes the e-mails.
    let outbox: String

    /// Starts the processes in `folder`. The replicas and the worker share one data folder,
    /// as on one host: the first replica creates the signing key there, the others read it.
    static func start(
        replicas count: Int, databaseURL: String, eventFile: String, site: String, nginx: String, folder: URL
    ) throws -> ReplicaCluster {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let data = folder.appendingPathComponent("data").path
        var started: [BenchProcess] = []
        do {
            for _ in 0..<count {
                started.append(
                    try BenchProcess.startServe(
                        name: "replica \(started.count + 1)", dataDirectory: data, eventFile: eventFile,
                        extra: ["--no-worker"], databaseURL: databaseURL))
            }
            let worker = try BenchProcess.start(
                name: "worker", arguments: ["worker", "--data-dir", data, "--event-file", eventFile],
                databaseURL: databaseURL, readyLine: "Partnering worker ")
            started.append(worker)
            let replicas = Array(started.prefix(count))
            let port = try freePort()
            let configuration = try NginxConfiguration.write(
                site: site, upstreams: replicas.map { $0.port ?? 0 }, listenPort: port, folder: folder)
            let proxy = try BenchProcess.startNginx(nginx, configuration: configuration, port: port, folder: folder)
            return ReplicaCluster(
                replicas: replicas, worker: worker, proxy: proxy, port: port, outbox: data + "/outbox/new")
        } catch {
            for process in started { process.stop() }
            throw error
        }
    }

    func stop() {
        proxy.stop(signal: SIGQUIT)
        for process in replicas + [worker] { process.stop() }
    }

    /// The registrations each replica has answered 201 so far, from its `/metrics`.
    func registrationsPerReplica() -> [Int] {
        replicas.map { replica in
            guard let port = replica.port, let connection = try? Connection(port: port) else { return 0 }
            defer { connection.close() }
            guard let answer = try? connection.send("GET", "/metrics", json: nil), answer.status == 200 else {
                return 0
            }
            return String(decoding: answer.body, as: UTF8.self).split(separator: "\n").reduce(0) { sum, line in
                guard line.hasPrefix("hb_requests{"), line.contains(#"http_route="/api/v1/registrations/{role}""#),
                    line.contains(#"http_response_status_code="201""#),
                    let count = Double(line.split(separator: " ").last ?? "")
                else { return sum }
                return sum + Int(count)
            }
        }
    }

    /// A TCP port of 127.0.0.1 nothing listens on now.
    private static func freePort() throws -> Int {
        let probe = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard probe >= 0 else { throw ValidationError("socket() failed: errno \(errno)") }
        defer { close(probe) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(probe, $0, length) == 0 && getsockname(probe, $0, &length) == 0
            }
        }
        guard bound else { throw ValidationError("cannot find a free port: errno \(errno)") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

/// The nginx configuration of the bench: the site file's upstream with the replicas' ports
/// in place of its servers (their parameters kept), its `listen` on a free port of
/// 127.0.0.1, inside a main configuration whose pid, logs and temporary files are in the
/// bench's folder.
enum NginxConfiguration {
    /// Writes the configuration into `folder` and returns its path.
    static func write(site: String, upstreams: [Int], listenPort: Int, folder: URL) throws -> String {
        let text = try adapt(site: site, upstreams: upstreams, listenPort: listenPort)
        let sitePath = folder.appendingPathComponent("site.conf").path
        try JSONFiles.writeAtomically(Data(text.utf8), to: sitePath)
        let temp = folder.appendingPathComponent("nginx-temp").path
        try FileManager.default.createDirectory(atPath: temp, withIntermediateDirectories: true)
        // nginx started by root runs its workers as `nobody`, who could not write here.
        let user = geteuid() == 0 ? "user root;\n" : ""
        let main = """
            \(user)worker_processes auto;
            pid \(folder.path)/nginx.pid;
            error_log \(folder.path)/nginx-error.log;
            events { worker_connections 1024; }
            http {
                access_log off;
                client_body_temp_path \(temp)/body;
                proxy_temp_path \(temp)/proxy;
                fastcgi_temp_path \(temp)/fastcgi;
                uwsgi_temp_path \(temp)/uwsgi;
                scgi_temp_path \(temp)/scgi;
                include \(sitePath);
            }

            """
        let mainPath = folder.appendingPathComponent("nginx.conf").path
        try JSONFiles.writeAtomically(Data(main.utf8), to: mainPath)
        return mainPath
    }

    /// The site with the given upstream ports and listening port; an error naming what the
    /// site no longer has when it cannot be adapted.
    static func adapt(site: String, upstreams: [Int], listenPort: Int) throws -> String {
        var lines = site.components(separatedBy: "\n")
        let serverLines = lines.indices.filter {
            lines[$0].trimmingCharacters(in: .whitespaces).range(
                of: #"^server [A-Za-z0-9.\-]+:\d+"#, options: .regularExpression) != nil
        }
        guard let first = serverLines.first else {
            throw ValidationError("the nginx site has no `server host:port` line in its upstream")
        }
        let template = lines[first]
        let indent = String(template.prefix { $0 == " " })
        // `server NAME:PORT PARAMETERS;` keeps its parameters (max_fails, fail_timeout).
        let parameters =
            template.trimmingCharacters(in: .whitespaces).split(separator: " ", maxSplits: 2)
            .dropFirst(2).first.map { " " + $0 } ?? ";"
        for index in serverLines.reversed() { lines.remove(at: index) }
        lines.insert(
            contentsOf: upstreams.map { "\(indent)server 127.0.0.1:\($0)\(parameters)" }, at: first)
        let listens = lines.indices.filter {
            lines[$0].trimmingCharacters(in: .whitespaces).range(of: #"^listen \d+;"#, options: .regularExpression)
                != nil
        }
        guard listens.count == 1, let listen = listens.first else {
            throw ValidationError("the nginx site must have one `listen PORT;` line, found \(listens.count)")
        }
        lines[listen] = String(lines[listen].prefix { $0 == " " }) + "listen 127.0.0.1:\(listenPort);"
        return lines.joined(separator: "\n")
    }
}

/// A child process of the bench: `partnering serve`, `partnering worker` or nginx.
private struct BenchProcess {
    let name: String
    let process: Process
    /// The port it listens on, when it told.
    let port: Int?

    /// `partnering serve` on a free port; on PostgreSQL when `databaseURL` is given.
    static func startServe(
        name: String, dataDirectory: String, eventFile: String, extra: [String], databaseURL: String? = nil
    ) throws -> BenchProcess {
        try start(
            name: name,
            arguments: ["serve", "--port", "0", "--data-dir", dataDirectory, "--event-file", eventFile] + extra,
            databaseURL: databaseURL, readyLine: #"on http://[0-9.]+:(\d+)"#)
    }

    /// Starts `partnering ARGUMENTS` and waits (60 s at most) for a line of its standard
    /// output matching `readyLine`, whose first number after a colon is its port.
    static func start(name: String, arguments: [String], databaseURL: String?, readyLine: String) throws
        -> BenchProcess
    {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["PARTNERING_LOG_LEVEL"] = "warning"
        environment["PARTNERING_DATABASE_URL"] = databaseURL
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
            if let range = buffer.range(of: readyLine, options: .regularExpression) {
                let port = buffer[range].split(separator: ":").last.flatMap { Int($0) }
                return BenchProcess(name: name, process: process, port: port)
            }
        }
        process.terminate()
        throw ValidationError("\(name) did not start: \(buffer)")
    }

    /// nginx in the foreground with `configuration`, once it accepts connections on `port`.
    static func startNginx(_ program: String, configuration: String, port: Int, folder: URL) throws -> BenchProcess {
        guard FileManager.default.isExecutableFile(atPath: program) else {
            throw ValidationError(
                "\(program) not found: install nginx (Debian's package, scripts/install-dependencies.sh)")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = ["-p", folder.path, "-c", configuration, "-g", "daemon off;"]
        try process.run()
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline && process.isRunning {
            if let connection = try? Connection(port: port) {
                connection.close()
                return BenchProcess(name: "nginx", process: process, port: port)
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        process.terminate()
        let log = (try? String(contentsOfFile: folder.path + "/nginx-error.log", encoding: .utf8)) ?? ""
        throw ValidationError("nginx did not start listening on \(port): \(log)")
    }

    /// The CPU time of the process and its children.
    var cpu: CPUSource { CPUSource(name: name, seconds: cpuSeconds) }

    func stop(signal: Int32 = SIGTERM) {
        kill(process.processIdentifier, signal)
        process.waitUntilExit()
    }

    /// User and system CPU time the process and its children alive now (nginx's workers)
    /// have used so far, from `/proc`.
    func cpuSeconds() -> Double {
        let pid = process.processIdentifier
        let children =
            (try? String(contentsOfFile: "/proc/\(pid)/task/\(pid)/children", encoding: .utf8))
            .map { $0.split(separator: " ").compactMap { Int32($0) } } ?? []
        return ([pid] + children).reduce(0) { $0 + Self.cpuSeconds(of: $1) }
    }

    static func cpuSeconds(of pid: Int32) -> Double {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let afterName = stat.range(of: ") ")
        else { return 0 }
        // Fields after the command name start at field 3; utime and stime are fields 14 and 15.
        let fields = stat[afterName.upperBound...].split(separator: " ")
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return 0 }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }
}

/// Where the CPU time of a measure is read.
private struct CPUSource {
    let name: String
    /// User and system CPU seconds used so far.
    let seconds: () -> Double
}

/// The server processes of PostgreSQL serving one database (the bench's own), found by the
/// title PostgreSQL gives them (`postgres: USER DATABASE HOST(PORT) STATE`).
private enum PostgresBackends {
    static func cpu(database: String) -> CPUSource {
        CPUSource(name: "PostgreSQL backends") {
            let pids = (try? FileManager.default.contentsOfDirectory(atPath: "/proc"))?.compactMap { Int32($0) } ?? []
            return pids.reduce(0) { sum, pid in
                guard let title = try? String(contentsOfFile: "/proc/\(pid)/cmdline", encoding: .utf8),
                    title.hasPrefix("postgres: "), title.split(separator: " ").dropFirst(2).first == Substring(database)
                else { return sum }
                return sum + BenchProcess.cpuSeconds(of: pid)
            }
        }
    }
}

/// The CPU time of the whole machine, from `/proc/stat`.
private enum MachineCPU {
    static let cores = max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN)))

    /// CPU seconds spent on anything but idling and waiting for I/O since boot, all cores.
    static func busySeconds() -> Double {
        guard let stat = try? String(contentsOfFile: "/proc/stat", encoding: .utf8),
            let line = stat.split(separator: "\n").first, line.hasPrefix("cpu ")
        else { return 0 }
        // user nice system idle iowait irq softirq steal ...
        let ticks = line.split(separator: " ").dropFirst().compactMap { Double($0) }
        guard ticks.count >= 5 else { return 0 }
        let busy = ticks.reduce(0, +) - ticks[3] - ticks[4]
        return busy / Double(sysconf(Int32(_SC_CLK_TCK)))
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
        try send("POST", path, json: json).status
    }

    /// Sends a request (with a JSON body when given) and returns the status and body once the
    /// whole response is read.
    func send(_ method: String, _ path: String, json: String?) throws -> (status: Int, body: [UInt8]) {
        let body = Array((json ?? "").utf8)
        let contentType = json == nil ? "" : "Content-Type: application/json\r\n"
        let head =
            "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\n\(contentType)Content-Length: \(body.count)\r\n\r\n"
        let request = Array(head.utf8) + body
        var written = 0
        while written < request.count {
            let result = request[written...].withUnsafeBytes { Glibc.send(socket, $0.baseAddress, $0.count, 0) }
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
                let answer = Array(pending[(end + 4)..<(end + 4 + length)])
                pending.removeFirst(end + 4 + length)
                return (status, answer)
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
