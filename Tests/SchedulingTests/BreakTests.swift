import Foundation
import PropertyBased
import Scheduling
import Testing

@Suite("Breaks: the lower bound, the search that meets it, and the limits an organiser sets")
struct BreakTests {
    /// Delegate p0 must meet four others in six slots but is kept away from the third slot:
    /// its four meetings cannot be back to back, so one break is the optimum, which only the
    /// bound can prove.
    func forcedBreak() -> ProblemDocument {
        let slots = ProblemBuilder.slots(perDay: 6)
        var participants = (0..<5).map { ProblemDocument.Participant(id: "p\($0)", role: "delegate") }
        participants[0].available = slots.map(\.id).filter { $0 != slots[2].id }
        let requests = (1..<5).map { ProblemDocument.Request(from: "p0", to: "p\($0)", priority: 1) }
        return ProblemBuilder.problem(
            slots: slots, tables: 2, participants: participants, requests: requests,
            policy: [["delegate", "delegate"]])
    }

    @Test("a break is one gap of free slots on one day; a table change, consecutive meetings on one day at two tables")
    func gapsBetweenOneParticipantsMeetings() {
        let gaps = MeetingGaps(meetingsInSlotOrder: [
            (slot: 0, day: 0, table: 1), (slot: 1, day: 0, table: 2),  // back to back, another table
            (slot: 4, day: 0, table: 2),  // two free slots: one break, two idle slots
            (slot: 5, day: 1, table: 1),  // the next day: neither a break nor a change
            (slot: 7, day: 1, table: nil),  // tables not known: a break, no change counted
        ])
        #expect(gaps.breaks == 2)
        #expect(gaps.idleSlots == 3)
        #expect(gaps.tableChanges == 1)
        #expect(MeetingGaps(meetingsInSlotOrder: []) == MeetingGaps(meetingsInSlotOrder: [(slot: 3, day: 0, table: 0)]))
    }

    @Test func aForcedBreakIsFoundAndProvenOptimal() throws {
        let document = forcedBreak()
        let reference = ReferenceSolvers.bruteForceFewestBreaks(document)
        #expect(reference.breaks == 1)
        let result = Scheduler.solve(try SchedulingModel.compile(document), options: SchedulerOptions(timeLimit: 5))
        #expect(IndependentChecker.check(document, result.schedule).violations == [])
        #expect(result.schedule.objective == reference.weight)
        #expect(result.summary.breaks == reference.breaks)
        #expect(result.summary.breaksLowerBound == reference.breaks)
        #expect(result.summary.mostBreaks == 1)
    }

    @Test func everyEffortReachesTheProvenOptimum() throws {
        let model = try SchedulingModel.compile(forcedBreak())
        for effort in SearchEffort.allCases {
            var options = SchedulerOptions(timeLimit: 5)
            options.effort = effort
            let result = Scheduler.solve(model, options: options)
            #expect(result.summary.breaks == 1, "\(effort)")
            #expect(result.summary.breaksLowerBound == 1, "\(effort)")
        }
    }

    @Test func aCapThatCannotHoldIsReportedNotMet() throws {
        var options = SchedulerOptions(timeLimit: 5)
        options.maxBreaksPerPerson = 0
        let result = Scheduler.solve(try SchedulingModel.compile(forcedBreak()), options: options)
        // The weight comes first: every request is still held, and the summary says the cap is not met.
        #expect(result.schedule.objective == ReferenceSolvers.bruteForceFewestBreaks(forcedBreak()).weight)
        #expect(result.summary.breakLimitMet == false)
        #expect(result.summary.mostBreaks == 1)
    }

    /// A busy delegate with eight meetings over ten slots and a second busy one: without a
    /// limit, breaks may fall on anyone; with a spread of 0 nobody may have a break.
    @Test func spreadAndCapAreEnforced() throws {
        let slots = ProblemBuilder.slots(perDay: 10)
        let participants = (0..<12).map { ProblemDocument.Participant(id: "p\($0)", role: "delegate") }
        var requests: [ProblemDocument.Request] = []
        for other in 2..<10 { requests.append(.init(from: "p0", to: "p\(other)", priority: 1)) }
        for other in 4..<12 { requests.append(.init(from: "p1", to: "p\(other)", priority: 2)) }
        let document = ProblemBuilder.problem(
            slots: slots, tables: 2, participants: participants, requests: requests,
            policy: [["delegate", "delegate"]])
        let model = try SchedulingModel.compile(document)
        for (spread, cap) in [(0, nil), (nil, 0), (1, 3)] as [(Int?, Int?)] {
            var options = SchedulerOptions(timeLimit: 5)
            options.maxBreakSpread = spread
            options.maxBreaksPerPerson = cap
            let result = Scheduler.solve(model, options: options)
            #expect(IndependentChecker.check(document, result.schedule).violations == [])
            #expect(result.schedule.meetings.count == requests.count)
            #expect(result.summary.breakLimitMet == true)
            #expect((result.summary.breakSpread ?? .max) <= spread ?? .max)
            #expect((result.summary.mostBreaks ?? .max) <= cap ?? .max)
        }
        let free = Scheduler.solve(model, options: SchedulerOptions(timeLimit: 5))
        #expect(free.summary.breakLimitMet == nil)
        #expect(free.summary.breakSpread != nil)
    }

    @Test func breaksAndTheirBoundAgainstBruteForce() async throws {
        await propertyCheck(count: 80, input: Gen.int(in: 0...1_000_000)) { seed in
            let document = ProblemBuilder.random(seed: UInt64(seed), maxPairs: 6, bipartite: seed % 3 != 0)
            guard let model = try? SchedulingModel.compile(document) else { return }
            let result = Scheduler.solve(model, options: SchedulerOptions(timeLimit: 5, seed: UInt64(seed)))
            let reference = ReferenceSolvers.bruteForceFewestBreaks(document)
            #expect(result.schedule.objective == reference.weight, "seed \(seed)")
            #expect(result.summary.breaks == reference.breaks, "seed \(seed)")
            #expect((result.summary.breaksLowerBound ?? .max) <= reference.breaks, "seed \(seed)")
        }
    }

    /// Table stability: a company that meets experts back to back keeps its table.
    @Test func aParticipantKeepsItsTableBetweenConsecutiveMeetings() throws {
        let slots = ProblemBuilder.slots(perDay: 3)
        let participants =
            [ProblemDocument.Participant(id: "c1", role: "company"), .init(id: "c2", role: "company")]
            + (1...4).map { ProblemDocument.Participant(id: "e\($0)", role: "expert") }
        // c2's request comes first, so a first-free numbering would give it c1's table.
        let requests: [ProblemDocument.Request] = [
            .init(from: "c2", to: "e4", priority: 1, slots: [slots[1].id]),
            .init(from: "c1", to: "e1", priority: 1, slots: [slots[0].id]),
            .init(from: "c1", to: "e2", priority: 1, slots: [slots[1].id]),
            .init(from: "c1", to: "e3", priority: 1, slots: [slots[2].id]),
        ]
        let document = ProblemBuilder.problem(slots: slots, tables: 3, participants: participants, requests: requests)
        let result = Scheduler.solve(try SchedulingModel.compile(document), options: SchedulerOptions(timeLimit: 5))
        let tablesOfC1 = result.schedule.meetings.filter { $0.participants.contains("c1") }.map(\.table)
        #expect(tablesOfC1.count == 3)
        #expect(Set(tablesOfC1).count == 1)
        #expect(result.summary.tableChanges == 0)
    }
}
