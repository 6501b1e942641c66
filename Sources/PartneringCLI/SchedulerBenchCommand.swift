import ArgumentParser
import Foundation
import Scheduling

/// `partnering bench scheduler`: runs the scheduler on every benchmark instance, each in
/// its own process (so the peak memory is that instance's own), beside the anchor figures.
struct SchedulerBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scheduler",
        abstract: "Benchmark the scheduler on ../shared/bench/instances against RESULTS.md.",
        discussion: """
            Run from the repository root, in release mode: \
            `swift run -c release partnering bench scheduler`. Each instance is solved by a \
            child `partnering schedule --json` process; with --check the schedule is also \
            checked by ../shared/bench/check_schedule.py.
            """)

    @Option(help: "Folder of problem files (.json, .json.gz).")
    var instances = "../shared/bench/instances"

    @Option(help: "The anchor results (Markdown) to print beside ours.")
    var results = "../shared/bench/RESULTS.md"

    @Option(help: "Time limit per instance, in seconds.")
    var timeLimit: Double = 25

    @Option(help: "Seed of every run.")
    var seed: UInt64 = 1

    @Option(help: "The effort of every run (fast, balanced, thorough).")
    var effort: SearchEffort = .balanced

    @Option(help: "Pass --max-break-spread to every run.")
    var maxBreakSpread: Int?

    @Option(help: "Only instances whose name contains this text.")
    var only: String?

    @Flag(help: "Check every schedule with check_schedule.py (next to RESULTS.md).")
    var check = false

    func run() async throws {
        let folder = URL(fileURLWithPath: instances)
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.hasSuffix(".json") || $0.hasSuffix(".json.gz") }
            .filter { only.map($0.contains) ?? true }
            .sorted { (Self.sizeRank($0), $0) < (Self.sizeRank($1), $1) }
        guard !names.isEmpty else { throw ValidationError("no .json or .json.gz instances in \(folder.path)") }
        let anchors =
            (try? String(contentsOfFile: results, encoding: .utf8)).map(AnchorResults.init)
            ?? AnchorResults(markdown: "")
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("partnering-bench-\(getpid())")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let checker = URL(fileURLWithPath: results).deletingLastPathComponent().appendingPathComponent(
            "check_schedule.py")

        print(
            "| instance | objective | bound | gap % | breaks | breaks bound | breaks gap | spread | table changes | idle | fairness | time s | peak MB | best obj (anchor) | best bound (anchor) | greedy | ours vs best % |\(check ? " valid |" : "")"
        )
        print(
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\(check ? "---|" : "")"
        )
        for name in names {
            let instance = name.replacingOccurrences(of: ".json.gz", with: "").replacingOccurrences(
                of: ".json", with: "")
            let problem = folder.appendingPathComponent(name).path
            let output = scratch.appendingPathComponent("\(instance).schedule.json").path
            let process = Process()
            process.executableURL = executable
            process.arguments =
                [
                    "schedule", problem, "-o", output, "--json", "--quiet", "--time-limit", String(timeLimit), "--seed",
                    String(seed), "--effort", effort.rawValue,
                ] + (maxBreakSpread.map { ["--max-break-spread", String($0)] } ?? [])
            let pipe = Pipe()
            process.standardOutput = pipe
            try process.run()
            let data = pipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            guard process.terminationStatus == 0, let report = try? JSONDecoder().decode(SummaryReport.self, from: data)
            else {
                print("| \(instance) | failed (exit \(process.terminationStatus)) |")
                continue
            }
            let s = report.summary
            let anchor = anchors.figures[instance]
            let versus =
                anchor?.bestObjective.map { String(format: "%.2f", Double(s.objective) / Double($0) * 100) } ?? "–"
            let peak: String = report.peakMemoryKB.map { String($0 / 1024) } ?? "–"
            let bestObjective: String = anchor?.bestObjective.map { String($0) } ?? "–"
            let bestBound: String = anchor?.bestBound.map { String($0) } ?? "–"
            let greedy: String = anchor?.greedy.map { String($0) } ?? "–"
            var row: [String] = [instance, String(s.objective), String(s.upperBound)]
            row.append(String(format: "%.2f", s.gapPercent))
            row.append(String(s.breaks))
            row.append(s.breaksLowerBound.map(String.init) ?? "–")
            row.append(s.breaksLowerBound.map { String(s.breaks - $0) } ?? "–")
            row.append(s.breakSpread.map(String.init) ?? "–")
            row.append(s.tableChanges.map(String.init) ?? "–")
            row += [String(s.idleSlots), String(s.fairness)]
            row.append(String(format: "%.2f", s.seconds))
            row += [peak, bestObjective, bestBound, greedy, versus]
            if check { row.append(Self.runChecker(checker, problem: problem, schedule: output)) }
            print("| " + row.joined(separator: " | ") + " |")
        }
    }

    /// Small instances first, so the table fills quickly.
    static func sizeRank(_ name: String) -> Int {
        ["tiny", "forum", "b2b", "day", "tight", "roomy", "regional", "bio"].firstIndex { name.hasPrefix($0) } ?? 99
    }

    static func runChecker(_ checker: URL, problem: String, schedule: String) -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", checker.path, problem, schedule]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return "no checker" }
        process.waitUntilExit()
        return process.terminationStatus == 0 ? "yes" : "NO (exit \(process.terminationStatus))"
    }
}

/// The anchor figures of RESULTS.md: best objective and bound per instance, and the greedy's objective.
struct AnchorResults {
    struct Figures {
        var bestObjective: Int?
        var bestBound: Int?
        var greedy: Int?
    }

    var figures: [String: Figures] = [:]

    init(markdown: String) {
        var header: [String] = []
        for line in markdown.split(separator: "\n") {
            let cells = line.split(separator: "|", omittingEmptySubsequences: false).dropFirst().dropLast()
                .map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count > 2 else {
                header = []
                continue
            }
            if cells.first == "instance" {
                header = cells
                continue
            }
            guard let name = cells.first, !name.hasPrefix("-"), header.count == cells.count else { continue }
            func value(_ column: String) -> Int? {
                header.firstIndex(of: column).flatMap { Int(cells[$0].split(separator: " ").first ?? "") }
            }
            var entry = figures[name] ?? Figures()
            if let best = value("best objective") { entry.bestObjective = best }
            if let bound = value("best bound") { entry.bestBound = bound }
            if let solver = header.firstIndex(of: "solver"), cells[solver] == "greedy" {
                entry.greedy = value("objective")
            }
            figures[name] = entry
        }
    }
}
