import Scheduling
import Testing

@Suite("--keep re-planning and --explain reasons")
struct ReplanningTests {
    var document: ProblemDocument {
        ProblemBuilder.problem(
            slots: ProblemBuilder.slots(perDay: 4), tables: 2,
            participants: [
                .init(id: "c1", role: "company"), .init(id: "c2", role: "company"), .init(id: "e1", role: "expert"),
                .init(id: "e2", role: "expert"),
            ],
            requests: [
                .init(from: "c1", to: "e1", priority: 1), .init(from: "c2", to: "e2", priority: 2),
                .init(from: "c1", to: "e2", priority: 3),
            ])
    }

    @Test func keepsValidMeetingsAndMovesOnlyWhatMust() throws {
        var previous = ScheduleDocument(
            meetings: [
                .init(participants: ["c1", "e1"], slot: "d1-1030", table: "T2"),
                .init(participants: ["c2", "e2"], slot: "d1-0900", table: "T1"),
                .init(participants: ["c1", "e2"], slot: "d1-0930", table: "T1"),
            ], objective: 6)
        var changed = document
        changed.participants[3].available = ["d1-0930", "d1-1000", "d1-1030"]  // e2 now arrives later
        let model = try SchedulingModel.compile(changed)
        let result = Scheduler.solve(model, options: SchedulerOptions(timeLimit: 5, previous: previous))
        #expect(IndependentChecker.check(changed, result.schedule).violations == [])
        let changes = try #require(result.changes)
        #expect(
            changes.kept.compactMap(\.current).contains(
                .init(participants: ["c1", "e1"], slot: "d1-1030", table: "T2")))
        #expect(
            changes.kept.compactMap(\.current).contains(
                .init(participants: ["c1", "e2"], slot: "d1-0930", table: "T1")))
        #expect(changes.moved.map { $0.current?.participants } == [["c2", "e2"]])
        #expect(changes.dropped.isEmpty && changes.added.isEmpty)

        previous.meetings.removeLast()
        let again = Scheduler.solve(model, options: SchedulerOptions(timeLimit: 5, previous: previous))
        #expect(again.changes?.added.map { $0.current?.participants } == [["c1", "e2"]])
    }

    @Test func explainsUnscheduledRequests() throws {
        let explained = ProblemBuilder.problem(
            slots: ProblemBuilder.slots(perDay: 1), tables: 1,
            participants: [
                .init(id: "c1", role: "company", table: "T1"), .init(id: "c2", role: "company", maxMeetings: 0),
                .init(id: "e1", role: "expert", table: "T2"), .init(id: "e2", role: "expert"),
                .init(id: "e3", role: "expert", available: []),
            ],
            requests: [
                .init(from: "c1", to: "e1", priority: 1), .init(from: "c2", to: "e2", priority: 1),
                .init(from: "c1", to: "e3", priority: 1), .init(from: "c1", to: "e2", priority: 1),
                .init(from: "e2", to: "c1", priority: 2),
            ])
        var withTables = explained
        withTables.tables.append(.init(id: "T2"))
        withTables.tables.removeFirst()
        withTables.tables.insert(.init(id: "T1"), at: 0)
        let model = try SchedulingModel.compile(withTables)
        let result = Scheduler.solve(model, options: SchedulerOptions(timeLimit: 5))
        let reasons = Explanation.explain(model: model, slotOfPair: result.slotOfPair)
        func kinds(_ a: String, _ b: String) -> [String] {
            reasons.first { Set($0.participants) == Set([a, b]) }?.reasons.map(\.kind) ?? ["scheduled"]
        }
        #expect(kinds("c1", "e2") == ["scheduled"])
        #expect(kinds("c1", "e1") == ["bothHostTables"])
        #expect(kinds("c1", "e3") == ["noCommonAvailableSlot"])
        #expect(kinds("c2", "e2").contains("participantAtCap"))
        let taken = reasons.first { Set($0.participants) == Set(["c2", "e2"]) }?.reasons.first {
            $0.kind == "everyCommonSlotTaken"
        }
        #expect(taken?.slots?.first?.takenBy.first?.comparedWeight == "higher")
    }
}
