import PartneringCore
import Scheduling
import Testing

@Suite("Compact days: every request held, each delegate back to back around its forbidden slot")
struct CompactDayTests {
    /// A small forum built from a planted schedule (like `bench/generate_forum.py`): each
    /// delegate meets in one block of consecutive slots, a random perfect matching in every
    /// slot, and one forbidden slot outside its block. The optimum is no break at all, and
    /// the bound proves it. Nil when this seed's draw has an odd slot or no matching.
    static func plantedForum(
        seed: UInt64, slotCount: Int = 9, people: Int = 14, length: Int = 5, startsInTwos: Bool = false
    ) -> ProblemDocument? {
        var random = SeededRandom(seed: seed)
        func below(_ n: Int) -> Int { Int(random.next() % UInt64(n)) }
        let slots = ProblemBuilder.slots(perDay: slotCount)
        var start = (0..<people).map { _ in below(slotCount - length + 1) }
        // Delegates starting two by two keep every slot's number of busy delegates even.
        if startsInTwos { start = start.indices.map { start[$0 - $0 % 2] } }
        var met = Set<[Int]>()
        var requests: [ProblemDocument.Request] = []
        for slot in 0..<slotCount {
            let active = (0..<people).filter { start[$0] <= slot && slot < start[$0] + length }
            guard active.count % 2 == 0 else { return nil }
            var chosen: [[Int]] = []
            for _ in 0..<200 {
                var left = active
                chosen = []
                for position in stride(from: left.count - 1, to: 0, by: -1) {
                    left.swapAt(position, below(position + 1))
                }
                while let a = left.popLast() {
                    let partners = left.indices.filter { !met.contains([min(a, left[$0]), max(a, left[$0])]) }
                    guard !partners.isEmpty else { break }
                    let b = left.remove(at: partners[below(partners.count)])
                    chosen.append([min(a, b), max(a, b)])
                }
                if chosen.count * 2 == active.count { break }
            }
            guard chosen.count * 2 == active.count else { return nil }
            for pair in chosen {
                met.insert(pair)
                requests.append(.init(from: "p\(pair[0])", to: "p\(pair[1])", priority: 1 + below(3)))
            }
        }
        var participants: [ProblemDocument.Participant] = []
        for person in 0..<people {
            var participant = ProblemDocument.Participant(id: "p\(person)", role: "delegate")
            let outside = (0..<slotCount).filter { $0 < start[person] || $0 >= start[person] + length }
            let forbidden = outside[below(outside.count)]
            participant.available = slots.indices.filter { $0 != forbidden }.map { slots[$0].id }
            participants.append(participant)
        }
        return ProblemBuilder.problem(
            slots: slots, tables: people / 2, participants: participants, requests: requests,
            policy: [["delegate", "delegate"]])
    }

    @Test func everyEffortHoldsEveryRequestWithoutABreak() throws {
        let documents = (UInt64(1)...200).lazy.compactMap { Self.plantedForum(seed: $0) }.prefix(3)
        #expect(documents.count == 3)
        for document in documents {
            let model = try SchedulingModel.compile(document)
            for effort in SearchEffort.allCases {
                var options = SchedulerOptions(timeLimit: 5)
                options.effort = effort
                options.maxBreakSpread = 2
                let result = Scheduler.solve(model, options: options)
                #expect(IndependentChecker.check(document, result.schedule).violations == [])
                #expect(result.schedule.meetings.count == document.requests.count)
                #expect(result.summary.breaksLowerBound == 0)
                #expect(result.summary.breaks == 0, "\(effort)")
            }
        }
    }

    /// A forum the size of a small real one (30 delegates, 14 slots, 210 meetings): even the
    /// fast effort finds a schedule with no break at all, which the slot-by-participant search
    /// with its matching check proves reachable within its node budget.
    @Test func fastEffortFindsTheBreaklessDayOfALargerForum() throws {
        let documents = (UInt64(1)...100).lazy.compactMap {
            Self.plantedForum(seed: $0, slotCount: 14, people: 30, length: 7, startsInTwos: true)
        }.prefix(2)
        #expect(documents.count == 2)
        for document in documents {
            let model = try SchedulingModel.compile(document)
            var options = SchedulerOptions(timeLimit: 20)
            options.effort = .fast
            options.maxBreakSpread = 2
            let result = Scheduler.solve(model, options: options)
            #expect(IndependentChecker.check(document, result.schedule).violations == [])
            #expect(result.schedule.meetings.count == document.requests.count)
            #expect(result.summary.breaks == 0)
        }
    }

    /// The default effort counts its work (local-search rounds, exact-search nodes, the set-up
    /// of each neighbourhood), never time: the same problem and seed give the same schedule
    /// with a time limit twice as long, and the run is not cut short.
    @Test func balancedEffortGivesTheSameScheduleWhateverTheTimeLimit() throws {
        let document = try #require(
            (UInt64(1)...100).lazy.compactMap {
                Self.plantedForum(seed: $0, slotCount: 14, people: 30, length: 7, startsInTwos: true)
            }.first)
        let model = try SchedulingModel.compile(document)
        let results = [30.0, 60.0].map { limit in
            var options = SchedulerOptions(timeLimit: limit)
            options.maxBreakSpread = 2
            return Scheduler.solve(model, options: options)
        }
        #expect(results[0].slotOfPair == results[1].slotOfPair)
        #expect(results.allSatisfy { !$0.summary.stoppedEarly })
        #expect(results.allSatisfy { $0.schedule.meetings.count == document.requests.count })
        #expect(IndependentChecker.check(document, results[0].schedule).violations == [])
    }
}
