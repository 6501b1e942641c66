import Foundation
import Scheduling
import Testing

@Suite("The scheduler honours every hard constraint and the objective")
struct SolverTests {
    func solve(_ document: ProblemDocument, options: SchedulerOptions = SchedulerOptions(timeLimit: 5)) throws
        -> SolveResult
    {
        let result = Scheduler.solve(try SchedulingModel.compile(document), options: options)
        let check = IndependentChecker.check(document, result.schedule)
        #expect(check.violations == [])
        return result
    }

    let company = ProblemDocument.Participant(id: "c1", role: "company")

    @Test func schedulesEveryRequestWhenAllFit() throws {
        let document = ProblemBuilder.problem(
            slots: ProblemBuilder.slots(perDay: 3), tables: 1,
            participants: [company, .init(id: "e1", role: "expert"), .init(id: "e2", role: "expert")],
            requests: [.init(from: "c1", to: "e1", priority: 1), .init(from: "e2", to: "c1", priority: 3)])
        let result = try solve(document)
        #expect(result.schedule.meetings.count == 2)
        #expect(result.schedule.objective == 4)
        #expect(result.summary.upperBound == 4)
        #expect(result.summary.breaks == 0)
    }

    @Test func tablesLimitMeetingsPerSlotAndWeightDecides() throws {
        let document = ProblemBuilder.problem(
            slots: ProblemBuilder.slots(perDay: 1), tables: 1,
            participants: [
                company, .init(id: "c2", role: "company"), .init(id: "e1", role: "expert"),
                .init(id: "e2", role: "expert"),
            ],
            requests: [.init(from: "c1", to: "e1", priority: 3), .init(from: "c2", to: "e2", priority: 1)])
        let result = try solve(document)
        #expect(result.schedule.meetings.map(\.participants) == [["c2", "e2"]])
        #expect(result.summary.upperBound == 3)
    }

    @Test func hostTablesAreExclusiveAndTwoHostsNeverMeet() throws {
        let document = ProblemBuilder.problem(
            slots: ProblemBuilder.slots(perDay: 2), tables: 2,
            participants: [
                .init(id: "c1", role: "company", table: "T1"), .init(id: "c2", role: "company"),
                .init(id: "e1", role: "expert", table: "T2"), .init(id: "e2", role: "expert"),
            ],
            requests: [
                .init(from: "c1", to: "e1", priority: 1), .init(from: "c1", to: "e2", priority: 1),
                .init(from: "c2", to: "e2", priority: 1),
            ])
        let result = try solve(document)
        // c2-e2 has no table left (both tables are host tables), c1-e1 are two hosts.
        #expect(result.schedule.meetings.map(\.participants) == [["c1", "e2"]])
        #expect(result.schedule.meetings.first?.table == "T1")
    }

    @Test func availabilityRestrictionsAndCapsHold() throws {
        let document = ProblemBuilder.problem(
            slots: ProblemBuilder.slots(perDay: 3), tables: 3,
            participants: [
                .init(id: "c1", role: "company", available: ["d1-0930"]),
                .init(id: "c2", role: "company", maxMeetings: 1),
                .init(id: "e1", role: "expert"), .init(id: "e2", role: "expert"),
            ],
            requests: [
                .init(from: "c1", to: "e1", priority: 1), .init(from: "c2", to: "e1", priority: 2, slots: ["d1-0930"]),
                .init(from: "c2", to: "e2", priority: 3), .init(from: "e2", to: "c1", priority: 3, slots: ["d1-1000"]),
            ])
        let result = try solve(document)
        // c1 can only meet at 09:30, where c2-e1 would also have to be; c2 is capped at one:
        // c1-e1 (3) + c2-e2 (1) beats c2-e1 (2) alone.
        #expect(result.schedule.objective == 4)
        #expect(result.schedule.meetings.first { $0.participants == ["c1", "e1"] }?.slot == "d1-0930")
        #expect(result.schedule.meetings.contains { $0.participants == ["c2", "e2"] })
    }

    @Test func pinnedMeetingsStayWithAndWithoutTable() throws {
        var document = ProblemBuilder.problem(
            slots: ProblemBuilder.slots(perDay: 2), tables: 2,
            participants: [company, .init(id: "e1", role: "expert"), .init(id: "e2", role: "expert")],
            requests: [.init(from: "c1", to: "e1", priority: 3), .init(from: "c1", to: "e2", priority: 1)])
        document.pinned = [
            .init(participants: ["e1", "c1"], slot: "d1-0900", table: "T2"),
            .init(participants: ["c1", "e2"], slot: "d1-0930"),
        ]
        let result = try solve(document)
        #expect(result.schedule.meetings.contains(.init(participants: ["c1", "e1"], slot: "d1-0900", table: "T2")))
        #expect(result.schedule.meetings.contains { $0.participants == ["c1", "e2"] && $0.slot == "d1-0930" })
    }

    @Test func nonBipartiteEventsAreScheduled() throws {
        let document = ProblemBuilder.problem(
            slots: ProblemBuilder.slots(perDay: 3), tables: 1,
            participants: ["b1", "b2", "b3"].map { .init(id: $0, role: "business") },
            requests: [
                .init(from: "b1", to: "b2", priority: 1), .init(from: "b2", to: "b3", priority: 1),
                .init(from: "b3", to: "b1", priority: 2),
            ], policy: [["business", "business"]])
        let result = try solve(document)
        #expect(result.schedule.objective == 8)
        #expect(result.summary.fairness == 2)
    }

    @Test func breaksAreAvoidedWhenTheWeightAllowsIt() throws {
        // e1 meets three companies in five slots; compact days put them back to back.
        let document = ProblemBuilder.problem(
            slots: ProblemBuilder.slots(perDay: 5), tables: 3,
            participants: [
                .init(id: "c1", role: "company"), .init(id: "c2", role: "company"), .init(id: "c3", role: "company"),
                .init(id: "e1", role: "expert"),
            ],
            requests: ["c1", "c2", "c3"].map { .init(from: $0, to: "e1", priority: 1) })
        let result = try solve(document)
        #expect(result.schedule.objective == 9)
        #expect(result.summary.breaks == 0)
        #expect(result.summary.idleSlots == 0)
    }

    @Test func sameSeedSameSchedule() throws {
        let document = ProblemBuilder.random(seed: 42, maxPairs: 12)
        let model = try SchedulingModel.compile(document)
        let first = Scheduler.solve(model, options: SchedulerOptions(timeLimit: 30, seed: 7))
        let second = Scheduler.solve(model, options: SchedulerOptions(timeLimit: 30, seed: 7))
        #expect(first.schedule.meetings == second.schedule.meetings)
    }

    @Test func aStopRequestReturnsAValidSchedule() throws {
        let document = ProblemBuilder.random(seed: 5, maxPairs: 12)
        let control = SolverControl()
        control.requestStop()
        let result = Scheduler.solve(
            try SchedulingModel.compile(document), options: SchedulerOptions(), control: control)
        #expect(IndependentChecker.check(document, result.schedule).violations == [])
        #expect(result.summary.stoppedEarly)
    }

    @Test func minimumMeetingsServesEveryoneBeforeWeight() throws {
        // Weight alone gives c1 both slots of the only table; with --min-meetings 1, c2 gets one.
        let document = ProblemBuilder.problem(
            slots: ProblemBuilder.slots(perDay: 2), tables: 1,
            participants: [
                .init(id: "c1", role: "company"), .init(id: "c2", role: "company"), .init(id: "e1", role: "expert"),
                .init(id: "e2", role: "expert"),
            ],
            requests: [
                .init(from: "c1", to: "e1", priority: 1), .init(from: "c1", to: "e2", priority: 1),
                .init(from: "c2", to: "e2", priority: 3),
            ])
        let plain = try solve(document)
        #expect(plain.summary.fairness == 0)
        let fair = try solve(document, options: SchedulerOptions(timeLimit: 5, minimumMeetings: 1))
        #expect(fair.summary.fairness == 1)
        #expect(fair.summary.belowMinimum == 0)
        #expect(fair.schedule.objective == 4)
    }

    @Test func publicInstanceTiny1ReachesTheProvenOptimum() throws {
        let root = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let path = root.deletingLastPathComponent().appendingPathComponent("shared/bench/instances/tiny-1.json").path
        try #require(FileManager.default.fileExists(atPath: path), "needs ../shared beside the clone")
        let document = try ProblemDocument.decode(from: try Data(contentsOf: URL(fileURLWithPath: path)))
        let result = try solve(document)
        #expect(result.schedule.objective == 48)
        #expect(result.summary.upperBound >= 48)
    }
}
