import PartneringCore
import Testing

@testable import Scheduling

@Suite("Compact days by SAT: a schedule at the breaks bound, or the proof that none exists")
struct CompactSATSearchTests {
    /// Three delegates who all meet each other in three slots: each has two meetings and three
    /// free slots, so the per-participant bound says no break, yet the three meetings need three
    /// different slots and whoever has the first and the last waits in between.
    static func triangle() -> ProblemDocument {
        let participants = (0..<3).map { ProblemDocument.Participant(id: "p\($0)", role: "delegate") }
        return ProblemBuilder.problem(
            slots: ProblemBuilder.slots(perDay: 3), tables: 3, participants: participants,
            requests: [
                .init(from: "p0", to: "p1", priority: 1), .init(from: "p1", to: "p2", priority: 1),
                .init(from: "p2", to: "p0", priority: 1),
            ],
            policy: [["delegate", "delegate"]])
    }

    @Test func aBreakNoScheduleCanAvoidRaisesTheBound() throws {
        let document = Self.triangle()
        #expect(ReferenceSolvers.bruteForceFewestBreaks(document).breaks == 1)
        let model = try SchedulingModel.compile(document)
        #expect(BreakBound.lowerBound(model: model, weight: 3) == 0)
        for effort in [SearchEffort.balanced, .thorough] {
            var options = SchedulerOptions(timeLimit: 5)
            options.effort = effort
            let result = Scheduler.solve(model, options: options)
            #expect(IndependentChecker.check(document, result.schedule).violations == [])
            #expect(result.schedule.meetings.count == 3)
            #expect(result.summary.breaks == 1, "\(effort)")
            // "breaks 1, at least 1": proven, where the bound alone said 0.
            #expect(result.summary.breaksLowerBound == 1, "\(effort)")
        }
    }

    /// On small random events where every request can be held, the SAT search finds a schedule
    /// exactly when brute force says the bound is reachable, and the schedule it finds is valid
    /// with exactly the bound's breaks.
    @Test func agreesWithBruteForce() async throws {
        var decided = (found: 0, impossible: 0)
        for seed in UInt64(1)...400 {
            let document = ProblemBuilder.random(seed: seed, maxPairs: 6, bipartite: seed % 3 != 0)
            guard let model = try? SchedulingModel.compile(document) else { continue }
            let reference = ReferenceSolvers.bruteForceFewestBreaks(document)
            let result = Scheduler.solve(model, options: SchedulerOptions(timeLimit: 5, seed: seed))
            // Only events that hold every pair with an allowed slot: the search's premise.
            let state = SearchState(model: model)
            state.restore(result.slotOfPair)
            guard let shape = CompactShape(state: state) else { continue }
            var search = CompactSATSearch(shape: shape, model: model)
            let bound = BreakBound.lowerBound(model: model, weight: reference.weight)
            // Half of them without a hint, so that the solver's own choices are checked too.
            let hint = seed % 2 == 0 ? result.slotOfPair : [Int32](repeating: -1, count: model.pairCount)
            switch search.solve(hint: hint, conflictLimit: 100_000, shouldStop: { false }) {
            case .found(let slots):
                decided.found += 1
                #expect(reference.breaks == bound, "seed \(seed)")
                let check = Self.checked(document, model, slots)
                #expect(check.violations == [], "seed \(seed)")
                #expect(check.breaks == bound, "seed \(seed)")
                #expect(check.weight == reference.weight, "seed \(seed)")
            case .impossible:
                // A proof only where windows are the only way to meet at the fewest breaks.
                guard search.windowsAreExact else { continue }
                decided.impossible += 1
                #expect(reference.breaks > bound, "seed \(seed)")
            case .undecided:
                Issue.record("undecided, seed \(seed)")
            }
        }
        // Both answers were exercised.
        #expect(decided.found > 20)
        #expect(decided.impossible > 0)
    }

    /// Six delegates in three pairs, three slots and one table: without the table, every
    /// meeting could be in the first slot; with it, each takes a slot of its own.
    @Test func keepsToTheTables() throws {
        let participants = (0..<6).map { ProblemDocument.Participant(id: "p\($0)", role: "delegate") }
        let document = ProblemBuilder.problem(
            slots: ProblemBuilder.slots(perDay: 3), tables: 1, participants: participants,
            requests: stride(from: 0, to: 6, by: 2).map { .init(from: "p\($0)", to: "p\($0 + 1)", priority: 1) },
            policy: [["delegate", "delegate"]])
        let model = try SchedulingModel.compile(document)
        let slots = try #require(Self.solvedWithoutHint(model, conflictLimit: 1_000))
        #expect(Set(slots).count == 3)
        #expect(Self.checked(document, model, slots).violations == [])
    }

    /// A planted forum of 30 delegates, 14 slots and 210 meetings: the SAT search alone, from an
    /// empty hint, finds the day without a break.
    @Test func findsTheBreaklessDayOfAPlantedForum() throws {
        let document = try #require(
            (UInt64(1)...100).lazy.compactMap {
                CompactDayTests.plantedForum(seed: $0, slotCount: 14, people: 30, length: 7, startsInTwos: true)
            }.first)
        let model = try SchedulingModel.compile(document)
        let slots = try #require(Self.solvedWithoutHint(model, conflictLimit: 200_000))
        let check = Self.checked(document, model, slots)
        #expect(check.violations == [])
        #expect(check.breaks == 0)
        // Every request held.
        #expect(slots.allSatisfy { $0 >= 0 })
    }

    /// The SAT search's schedule, from no hint, on an event whose every pair the scheduler holds;
    /// nil when it finds none.
    static func solvedWithoutHint(_ model: SchedulingModel, conflictLimit: Int) -> [Int32]? {
        let state = SearchState(model: model)
        state.restore(Scheduler.solve(model, options: SchedulerOptions(timeLimit: 5)).slotOfPair)
        guard let shape = CompactShape(state: state) else { return nil }
        var search = CompactSATSearch(shape: shape, model: model)
        let noHint = [Int32](repeating: -1, count: model.pairCount)
        guard case .found(let slots) = search.solve(hint: noHint, conflictLimit: conflictLimit, shouldStop: { false })
        else { return nil }
        return slots
    }

    /// The independent checker's verdict on a schedule given as a slot per model pair, and its breaks.
    static func checked(
        _ document: ProblemDocument, _ model: SchedulingModel, _ slots: [Int32]
    ) -> (violations: [String], weight: Int, breaks: Int) {
        let tables = TableAssignment.assign(model: model, slotOf: slots)
        let meetings = (0..<model.pairCount).filter { slots[$0] >= 0 }.map { k in
            ScheduleDocument.Meeting(
                participants: [model.participantIDs[Int(model.pairA[k])], model.participantIDs[Int(model.pairB[k])]],
                slot: model.slotIDs[Int(slots[k])], table: tables[k] >= 0 ? model.tableIDs[Int(tables[k])] : "none")
        }
        let figures = ScheduleMeasures.measure(model: model, slotOf: slots)
        let schedule = ScheduleDocument(meetings: meetings, objective: figures.objective, upperBound: figures.objective)
        let verdict = IndependentChecker.check(document, schedule)
        return (verdict.violations, verdict.weight, figures.breaks)
    }
}
