import ArgumentParser
import CheckIn
import Foundation
import Grids
import PartneringConfig
import PartneringCore
import Registration
import Scheduling
import Storage

/// `partnering bench replan`: re-planning the rest of a day-sized event without some
/// absent participants, as the organisers' live page does it (target: under 1 s).
struct ReplanBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replan",
        abstract: "Re-plan the rest of a day-sized demo event with absences (target: under 1 s).",
        discussion: """
            Run in release mode: `swift run -c release partnering bench replan`. Builds the \
            demo event (in memory) on the event file, solves and publishes its schedule, sets \
            the clock just after the start of slot --at-slot, marks --absent participants with \
            later meetings absent, then times the preview of the re-plan --runs times and its \
            application once (stored, published, agendas queued).
            """)

    @Option(help: "Company delegates of the demo event.") var companies = 120
    @Option(help: "Experts of the demo event.") var experts = 150
    @Option(help: "Participants marked absent.") var absent = 10
    @Option(help: "The slot (from 1) under way when the re-plan runs.") var atSlot = 5
    @Option(help: "Timed previews.") var runs = 5
    @Option(help: "The event definition.") var eventFile = "config/event.yaml"
    @Flag(help: "Exit with an error when a re-plan takes 1 s or more.") var check = false

    func validate() throws {
        guard (1...5000).contains(companies), (1...5000).contains(experts), (0...10_000).contains(absent),
            (1...50).contains(runs), atSlot >= 1
        else { throw ValidationError("--companies, --experts, --absent, --runs or --at-slot out of range.") }
    }

    func run() async throws {
        let event = try EventDefinitionLoader.load(path: eventFile)
        guard atSlot <= event.slots.count else {
            throw ValidationError("--at-slot: the event has \(event.slots.count) slots")
        }
        // In memory: the measure is the re-plan's, not a database's.
        let store = try await PartneringStore.open(.memory)
        let data = DemoGenerator(event: event, companyCount: companies, expertCount: experts, now: Date())
            .generate(seed: 2027)
        var stored: [Participant] = []
        for draft in data.participants { stored.append(try await store.participants.insert(draft, status: .confirmed)) }
        for (index, request) in data.requests.enumerated() {
            _ = try await store.requests.create(
                MeetingRequest(
                    id: RequestID(String(format: "r%05d", index + 1)), from: stored[request.from].id,
                    to: stored[request.to].id, priority: request.priority, message: request.message, status: .pending,
                    createdAt: Date()),
                openRequestLimit: nil)
        }
        let problem = ProblemDocument(
            event: event, participants: stored, requests: try await store.requests.list(.all))
        let first = Scheduler.solve(try SchedulingModel.compile(problem), options: SchedulerOptions(timeLimit: 20))
        let version = try await store.schedules.save(
            ScheduleDraft(
                meetings: first.schedule.meetings.map(StoredSchedule.meeting), objective: first.schedule.objective,
                createdAt: Date()))
        _ = try await store.schedules.publish(version.info.version, at: Date())

        let clock = TestClock(event.slots[atSlot - 1].start.addingTimeInterval(60))
        let live = LiveDayService(
            event: event,
            repositories: LiveDayRepositories(
                participants: store.participants, requests: store.requests, schedules: store.schedules,
                checkIns: store.checkIns, absences: store.absences, auditLog: store.auditLog),
            dependencies: .controlled(clock: clock), noticesQueued: NoticeSignal())
        let later = Set(event.slots.dropFirst(atSlot).map(\.id))
        let withLaterMeetings = Set(version.meetings.filter { later.contains($0.slot) }.flatMap(\.participants))
        let chosen = stored.map(\.id).filter(withLaterMeetings.contains).prefix(absent)
        for id in chosen { _ = try await live.markAbsent(id.rawValue, by: "bench") }
        print(
            "\(stored.count) participants, \(data.requests.count) requests, \(version.meetings.count) meetings, "
                + "\(event.slots.count) slots; clock in slot \(atSlot) (\(event.slots[atSlot - 1].id)); "
                + "\(chosen.count) absent")

        let timer = ContinuousClock()
        var seconds: [Double] = []
        var preview: DayReplan?
        for _ in 0..<runs {
            let started = timer.now
            preview = try await live.preview()
            seconds.append(Self.seconds(timer.now - started))
        }
        let started = timer.now
        let applied = try await live.apply(basedOn: version.info.version, by: "bench")
        let applySeconds = Self.seconds(timer.now - started)
        if let preview {
            print(
                "re-plan: \(preview.held.count) held, \(preview.cancelled.count) cancelled, "
                    + "\(preview.changes.added.count) added, \(preview.changes.moved.count) moved, "
                    + "\(preview.changes.dropped.count) dropped; \(preview.affected.count) people told; "
                    + "objective \(first.schedule.objective) -> \(preview.schedule.objective)")
        }
        seconds.sort()
        print(
            String(
                format: "preview: median %.3f s, max %.3f s over %d runs; apply (store + publish + queue): %.3f s",
                seconds[seconds.count / 2], seconds.last ?? 0, seconds.count, applySeconds))
        print("published version \(applied.version.map(String.init) ?? "none")")
        print("  load average when measured: \(TicketsBenchCommand.loadAverage)")
        if check, (seconds.last ?? 0) >= 1 || applySeconds >= 1 {
            throw CommandFailure.badInput("a re-plan took 1 s or more")
        }
    }

    private static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
    }
}
