import ArgumentParser
import Foundation
import Grids
import Mail
import Scheduling

/// `partnering bench grid`: how long the grid, agendas and CSV of a large event take to
/// draw (target: the `bio` instance, about 47,000 meetings, in a few seconds).
struct GridBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grid",
        abstract: "Time the grid, agendas, table sheets, CSV and calendars of a large instance.",
        discussion: """
            Schedules the instance (the scheduler, with --time-limit; or a simple greedy with \
            --greedy; or reads --schedule), then times each step: resolving the model, each HTML \
            view, each CSV view, the per-participant calendars, and writing everything to a \
            temporary folder. Run from the repository root (the default instance is \
            ../shared/bench/instances/bio-1.json.gz), on a release build for meaningful figures.
            """)

    @Option(help: "The problem (partnering-problem/1, .json or .json.gz).")
    var instance = "../shared/bench/instances/bio-1.json.gz"

    @Option(help: "Use this schedule of the instance instead of making one.")
    var schedule: String?

    @Flag(help: "Make the schedule with a simple greedy instead of the scheduler.")
    var greedy = false

    @Option(help: "The scheduler's time limit in seconds.")
    var timeLimit: Double = 30

    @Option(help: "Target in seconds for model + grid + agendas + CSV.")
    var target: Double = 3

    @Flag(help: "Exit with an error when the target is missed.")
    var check = false

    func run() async throws {
        try await reportingFailures {
            let problem: ProblemDocument
            do { problem = try ProblemDocument.decode(from: try ScheduleFiles.read(instance)) } catch let invalid
                as InvalidProblem
            {
                throw CommandFailure.badInput("\(instance): \(invalid.issues.first?.description ?? "invalid")")
            } catch let failure as ScheduleFiles.ReadFailure {
                throw CommandFailure.badInput(failure.description)
            }
            let (scheduleDocument, explanation, howMade) = try makeSchedule(problem)
            print("bench grid: \(instance)")
            print(
                "  \(problem.participants.count) participants, \(problem.slots.count) slots, \(problem.tables.count) tables, "
                    + "\(scheduleDocument.meetings.count) meetings (\(howMade))")

            var steps: [(String, Double, Int)] = []
            func time<Result>(_ name: String, _ body: () throws -> Result, bytes: (Result) -> Int) rethrows -> Result {
                let start = ContinuousClock.now
                let result = try body()
                steps.append((name, Self.seconds(since: start), bytes(result)))
                return result
            }
            let model = try time(
                "model",
                { () throws -> GridModel in
                    do {
                        return try GridModel(problem: problem, schedule: scheduleDocument, explanation: explanation)
                    } catch {
                        throw CommandFailure.badInput("\(instance): \(error)")
                    }
                }, bytes: { _ in 0 })
            let renderer = GridRenderer(
                model: model, options: GridOptions(organiser: try MailAddress("organiser@partnering.invalid")))
            var files: [RenderedFile] = []
            for (view, format) in [
                (GridView.grid, GridFormat.html), (.agendas, .html), (.grid, .csv), (.agendas, .csv), (.tables, .html),
                (.noMeetings, .html), (.agendas, .ics),
            ] {
                files += time("\(view.rawValue).\(format.rawValue)", { renderer.render(view, as: format) }) {
                    rendered in
                    rendered.reduce(0) { $0 + $1.data.count }
                }
            }
            let folder = FileManager.default.temporaryDirectory.appending(path: "partnering-bench-grid-\(getpid())")
            defer { try? FileManager.default.removeItem(at: folder) }
            try time(
                "write \(files.count) files", { try GridOutputFolder(folder.path).write(files) }, bytes: { _ in 0 })

            for (name, seconds, bytes) in steps {
                let size = bytes > 0 ? String(format: "%8.1f MB", Double(bytes) / 1e6) : ""
                let label = name.padding(toLength: max(name.count, 24), withPad: " ", startingAt: 0)
                print("  \(label)" + String(format: "%7.3f s %@", seconds, size as NSString))
            }
            let core = steps.filter {
                ["model", "grid.html", "agendas.html", "grid.csv", "agendas.csv"].contains($0.0)
            }
            .reduce(0) { $0 + $1.1 }
            if let peak = Self.peakMemoryMB() { print(String(format: "  peak memory             %7.0f MB", peak)) }
            let met = core <= target
            print(
                String(
                    format: "  model + grid + agendas + CSV: %.3f s (target < %.1f s: %@)", core, target,
                    (met ? "met" : "NOT met") as NSString))
            if check && !met { throw ExitCode.failure }
        }
    }

    private func makeSchedule(_ problem: ProblemDocument) throws -> (ScheduleDocument, ExplanationDocument?, String) {
        if let schedule {
            do {
                return (
                    try ScheduleDocument.decode(from: try ScheduleFiles.read(schedule)), nil, "read from \(schedule)"
                )
            } catch let invalid as InvalidProblem {
                throw CommandFailure.badInput("\(schedule): \(invalid.issues.first?.description ?? "invalid")")
            }
        }
        let model: SchedulingModel
        do { model = try SchedulingModel.compile(problem) } catch {
            throw CommandFailure.badInput("\(instance): \(error.issues.first?.description ?? "invalid")")
        }
        let start = ContinuousClock.now
        if greedy {
            let greedy = GreedySchedule(model)
            return (
                greedy.document,
                ExplanationDocument(unscheduled: Explanation.explain(model: model, slotOfPair: greedy.slotOfPair)),
                String(format: "greedy, %.1f s", Self.seconds(since: start))
            )
        }
        let result = Scheduler.solve(model, options: SchedulerOptions(timeLimit: timeLimit))
        return (
            result.schedule,
            ExplanationDocument(unscheduled: Explanation.explain(model: model, slotOfPair: result.slotOfPair)),
            String(format: "scheduler, %.1f s", Self.seconds(since: start))
        )
    }

    /// The process's peak resident memory (VmHWM), where /proc tells it.
    static func peakMemoryMB() -> Double? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
            let kilobytes = Double(line.split(separator: " ").dropFirst().first ?? "")
        else { return nil }
        return kilobytes / 1024
    }

    static func seconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }
}

/// A valid schedule made the simple way, for when the scheduler's time is not what is being
/// measured: pinned meetings first, then pairs by decreasing weight, each in its first
/// allowed slot where both are free, at its host table or the first free table.
private struct GreedySchedule {
    var slotOfPair: [Int32]
    var tableOfPair: [Int32]
    let model: SchedulingModel

    init(_ model: SchedulingModel) {
        self.model = model
        let slots = model.slotCount
        slotOfPair = [Int32](repeating: -1, count: model.pairCount)
        tableOfPair = [Int32](repeating: -1, count: model.pairCount)
        var busy = [Bool](repeating: false, count: model.participantCount * slots)
        var tableUsed = [Bool](repeating: false, count: model.tableIDs.count * slots)
        var degree = [Int32](repeating: 0, count: model.participantCount)
        func freeTable(_ pair: Int, _ slot: Int) -> Int? {
            let host = Int(model.pairHostTable[pair])
            if host >= 0 { return tableUsed[host * slots + slot] ? nil : host }
            return model.freeTables.lazy.map(Int.init).first { !tableUsed[$0 * slots + slot] }
        }
        func place(_ pair: Int, _ slot: Int, _ table: Int) {
            let a = Int(model.pairA[pair]), b = Int(model.pairB[pair])
            slotOfPair[pair] = Int32(slot)
            tableOfPair[pair] = Int32(table)
            busy[a * slots + slot] = true
            busy[b * slots + slot] = true
            tableUsed[table * slots + slot] = true
            degree[a] += 1
            degree[b] += 1
        }
        for pin in model.pinned {
            if let table = pin.table >= 0 ? pin.table : freeTable(pin.pair, pin.slot) {
                place(pin.pair, pin.slot, table)
            }
        }
        let order = (0..<model.pairCount).sorted { (-model.pairWeight[$0], $0) < (-model.pairWeight[$1], $1) }
        for pair in order where slotOfPair[pair] < 0 {
            let a = Int(model.pairA[pair]), b = Int(model.pairB[pair])
            guard degree[a] < model.capacity[a], degree[b] < model.capacity[b] else { continue }
            for slot in model.allowedSlots(ofPair: pair).map(Int.init)
            where !busy[a * slots + slot] && !busy[b * slots + slot] {
                if let table = freeTable(pair, slot) {
                    place(pair, slot, table)
                    break
                }
            }
        }
    }

    var document: ScheduleDocument {
        var meetings: [ScheduleDocument.Meeting] = []
        var objective = 0
        for pair in 0..<model.pairCount where slotOfPair[pair] >= 0 {
            meetings.append(
                .init(
                    participants: [
                        model.participantIDs[Int(model.pairA[pair])], model.participantIDs[Int(model.pairB[pair])],
                    ],
                    slot: model.slotIDs[Int(slotOfPair[pair])], table: model.tableIDs[Int(tableOfPair[pair])]))
            objective += Int(model.pairWeight[pair])
        }
        return ScheduleDocument(meetings: meetings, objective: objective)
    }
}
