import ArgumentParser
import FileSupport
import Foundation
import Scheduling

/// `partnering schedule PROBLEM.json`: reads `partnering-problem/1`, writes `partnering-schedule/1`.
struct ScheduleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schedule",
        abstract: "Schedule the meetings of a problem file (partnering-problem/1).",
        discussion: """
            Reads PROBLEM (.json, or .json.gz through `gzip -dc`), writes the schedule \
            (partnering-schedule/1) to -o or standard output, and a summary on standard error. \
            An invalid problem lists every defect with its JSON path and exits with status 2 \
            without writing anything. Ctrl-C stops the search and writes the best schedule so far.
            """)

    @Argument(help: "The problem file (partnering-problem/1, .json or .json.gz).")
    var problem: String

    @Option(name: .shortAndLong, help: "Where to write the schedule (default: standard output).")
    var output: String?

    @Option(help: "Stop the search after this many seconds.")
    var timeLimit: Double = 10

    @Option(help: "Random seed: the same problem and seed give the same schedule.")
    var seed: UInt64 = 1

    @Option(help: "Write why each unscheduled request is not scheduled, as JSON, to this file.")
    var explain: String?

    @Option(help: "Re-plan from this previous schedule: keep what is still valid, report the changes.")
    var keep: String?

    @Option(help: "With --keep: where to write the changes as JSON (default: OUTPUT.changes.json with -o).")
    var changes: String?

    @Option(help: "Give everyone with a request at least this many meetings where possible, before weight.")
    var minMeetings: Int?

    @Option(
        help:
            "How long to compact the days once the weight is settled: fast (one round), balanced (a fixed amount of work, the same schedule on every run) or thorough (until the breaks meet their lower bound or the time limit)."
    )
    var effort: SearchEffort = .balanced

    @Option(help: "No participant has more than this many breaks above another (reported always).")
    var maxBreakSpread: Int?

    @Option(help: "No participant has more than this many breaks.")
    var maxBreaksPerPerson: Int?

    @Flag(help: "No progress line and no summary.")
    var quiet = false

    @Flag(help: "Print the summary as JSON (on standard output with -o, else on standard error).")
    var json = false

    func run() async throws {
        let document: ProblemDocument
        let model: SchedulingModel
        var previous: ScheduleDocument? = nil
        do {
            document = try ProblemDocument.decode(from: try ScheduleFiles.read(problem))
            model = try SchedulingModel.compile(document)
            if let keep { previous = try ScheduleDocument.decode(from: try ScheduleFiles.read(keep)) }
        } catch let invalid as InvalidProblem {
            for issue in invalid.issues { ScheduleFiles.printError("\(problem): \(issue)") }
            ScheduleFiles.printError("\(invalid.issues.count) defect(s); nothing written.")
            throw ExitCode(2)
        } catch let failure as ScheduleFiles.ReadFailure {
            ScheduleFiles.printError(failure.description)
            throw ExitCode(2)
        }
        if let minMeetings, minMeetings < 0 {
            throw ValidationError("--min-meetings must be 0 or more")
        }
        if let maxBreakSpread, maxBreakSpread < 0 {
            throw ValidationError("--max-break-spread must be 0 or more")
        }
        if let maxBreaksPerPerson, maxBreaksPerPerson < 0 {
            throw ValidationError("--max-breaks-per-person must be 0 or more")
        }

        let progress = ProgressLine(enabled: !quiet && isatty(2) == 1)
        let onProgress: (@Sendable (SolverProgress) -> Void)? =
            progress.enabled ? { @Sendable in progress.show($0) } : nil
        let control = SolverControl(onProgress: onProgress)
        let interrupt = InterruptHandler { control.requestStop() }
        var options = SchedulerOptions(
            timeLimit: timeLimit, seed: seed, minimumMeetings: minMeetings, previous: previous)
        options.effort = effort
        options.maxBreakSpread = maxBreakSpread
        options.maxBreaksPerPerson = maxBreaksPerPerson
        let result = Scheduler.solve(model, options: options, control: control)
        interrupt.cancel()
        progress.clear()

        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let scheduleData = try encoder.encode(result.schedule)
        if let output {
            try ScheduleFiles.writeAtomically(scheduleData, to: output)
        } else {
            FileHandle.standardOutput.write(scheduleData + Data("\n".utf8))
        }
        if let explain {
            let explanations = Explanation.explain(model: model, slotOfPair: result.slotOfPair)
            try ScheduleFiles.writeAtomically(
                try encoder.encode(ExplanationFile(unscheduled: explanations)), to: explain)
        }
        if let changes = result.changes {
            let target = self.changes ?? output.map { Self.changesPath(for: $0) }
            if let target { try ScheduleFiles.writeAtomically(try encoder.encode(changes), to: target) }
            if !quiet { ScheduleFiles.printError(Self.describe(changes)) }
        }
        if json {
            let report = SummaryReport(summary: result.summary, peakMemoryKB: PeakMemory.kilobytes())
            let summary = try encoder.encode(report) + Data("\n".utf8)
            if output != nil {
                FileHandle.standardOutput.write(summary)
            } else {
                FileHandle.standardError.write(summary)
            }
        } else if !quiet {
            ScheduleFiles.printError(Self.describe(result.summary))
        }
    }

    static func changesPath(for output: String) -> String {
        let url = URL(fileURLWithPath: output)
        return url.deletingPathExtension().path + ".changes.json"
    }

    static func describe(_ summary: ScheduleSummary) -> String {
        let priorities = summary.satisfied.keys.sorted().map { key -> String in
            let count = summary.satisfied[key] ?? .init(met: 0, requested: 0)
            return "P\(key) \(count.met)/\(count.requested)"
        }
        var lines: [String] = [
            "meetings   \(summary.meetings)",
            "objective  \(summary.objective)",
            "bound      \(summary.upperBound)  (gap \(String(format: "%.2f", summary.gapPercent)) %)",
            "breaks     \(Self.describeBreaks(summary))",
            "idle slots \(summary.idleSlots)",
            "tables     \(summary.tableChanges.map(String.init) ?? "-") change(s) between a participant's consecutive meetings",
            "fairness   \(summary.fairness) (fewest meetings of anyone with a request)",
            "satisfied  \(priorities.joined(separator: ", "))",
            "time       \(String(format: "%.2f", summary.seconds)) s\(summary.stoppedEarly ? " (cut short by the time limit or Ctrl-C)" : "")",
        ]
        if let below = summary.belowMinimum { lines.insert("below min  \(below) participant(s)", at: 7) }
        return lines.joined(separator: "\n")
    }

    /// "3, at least 2 (most 1 per person, spread 1)", and whether a limit asked for holds.
    static func describeBreaks(_ summary: ScheduleSummary) -> String {
        var text = "\(summary.breaks)"
        if let bound = summary.breaksLowerBound { text += ", at least \(bound)" }
        if let most = summary.mostBreaks, let spread = summary.breakSpread {
            text += " (most \(most) per person, spread \(spread))"
        }
        if let met = summary.breakLimitMet { text += met ? ", within the limit asked" : ", ABOVE the limit asked" }
        return text
    }

    static func describe(_ changes: ScheduleChanges) -> String {
        var lines = [
            "changes: \(changes.kept.count) kept, \(changes.moved.count) moved, \(changes.dropped.count) dropped, \(changes.added.count) added"
        ]
        func text(_ meeting: ScheduleDocument.Meeting?) -> String {
            guard let meeting else { return "-" }
            return "\(meeting.participants.joined(separator: "+")) \(meeting.slot) \(meeting.table)"
        }
        for change in changes.moved {
            lines.append(
                "  moved   \(text(change.previous)) -> \(change.current?.slot ?? "") \(change.current?.table ?? "") (\(change.reason ?? ""))"
            )
        }
        for change in changes.dropped { lines.append("  dropped \(text(change.previous)) (\(change.reason ?? ""))") }
        for change in changes.added { lines.append("  added   \(text(change.current))") }
        return lines.joined(separator: "\n")
    }
}

/// The `--json` summary: the scheduler's figures and this process's peak memory.
struct SummaryReport: Codable {
    var summary: ScheduleSummary
    /// VmHWM of /proc/self/status (Linux), nil elsewhere.
    var peakMemoryKB: Int?
}

/// The peak resident memory of this process.
enum PeakMemory {
    static func kilobytes() -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            return Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "")
        }
        return nil
    }
}

/// The `--explain` file: every unscheduled pair with its reasons.
struct ExplanationFile: Encodable {
    var unscheduled: [UnscheduledPair]
}

/// File access of the scheduling commands: gzip-aware reading, atomic writing.
enum ScheduleFiles {
    struct ReadFailure: Error, CustomStringConvertible {
        var description: String
    }

    /// Reads a file; `.gz` files are inflated by piping them through `gzip -dc`.
    static func read(_ path: String) throws(ReadFailure) -> Data {
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw ReadFailure(description: "\(path): cannot read the file")
        }
        guard path.hasSuffix(".gz") else {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw ReadFailure(description: "\(path): cannot read the file")
            }
            return data
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["gzip", "-dc", path]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch {
            throw ReadFailure(description: "\(path): cannot run gzip to inflate it (\(error))")
        }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw ReadFailure(description: "\(path): not a valid gzip file")
        }
        return data
    }

    /// Writes through a temporary file in the same folder, then renames it into place.
    static func writeAtomically(_ data: Data, to path: String) throws {
        do {
            try AtomicFile.write(data, to: path)
        } catch {
            throw ReadFailure(description: "\(path): cannot write the file (\(error.reason))")
        }
    }

    static func printError(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }
}

/// The live progress line on a terminal: shown once a run takes more than a second.
final class ProgressLine: Sendable {
    let enabled: Bool

    init(enabled: Bool) { self.enabled = enabled }

    func show(_ progress: SolverProgress) {
        guard enabled, progress.elapsed >= 1 else { return }
        let bound = progress.upperBound == Int.max ? "…" : String(progress.upperBound)
        let seconds = String(format: "%.1f", progress.elapsed)
        let text = "\r\u{1B}[K\(progress.phase): objective \(progress.objective), bound \(bound), \(seconds) s"
        FileHandle.standardError.write(Data(text.utf8))
    }

    func clear() {
        if enabled { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}

/// Turns SIGINT (Ctrl-C) into a request to stop, while installed.
final class InterruptHandler {
    private let source: any DispatchSourceSignal

    init(_ action: @escaping @Sendable () -> Void) {
        signal(SIGINT, SIG_IGN)
        source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        source.setEventHandler(handler: action)
        source.resume()
    }

    func cancel() {
        source.cancel()
        signal(SIGINT, SIG_DFL)
    }
}

extension SearchEffort: ExpressibleByArgument {}
