import PropertyBased
import Scheduling
import Testing

@Suite("Random small problems against brute force and a greedy")
struct PropertyTests {
    @Test func schedulesAreValidOptimalAndBounded() async throws {
        await propertyCheck(count: 150, input: Gen.int(in: 0...1_000_000)) { seed in
            let document = ProblemBuilder.random(seed: UInt64(seed), bipartite: seed % 4 != 0)
            guard let model = try? SchedulingModel.compile(document) else { return }
            let result = Scheduler.solve(model, options: SchedulerOptions(timeLimit: 5, seed: UInt64(seed)))
            let check = IndependentChecker.check(document, result.schedule)
            #expect(check.violations == [], "seed \(seed)")
            let optimum = ReferenceSolvers.bruteForceOptimum(document)
            #expect(result.schedule.objective == optimum, "seed \(seed)")
            #expect(result.summary.upperBound >= optimum, "seed \(seed)")
            #expect(result.schedule.objective >= ReferenceSolvers.greedy(document), "seed \(seed)")
        }
    }

    /// A time limit that is over before the search starts stands for a machine so busy that
    /// any limit passes before the search gets the processor: a small problem still gets its
    /// optimal weight, the same as on an idle machine.
    @Test func aSmallProblemsWeightDoesNotDependOnTheClock() async throws {
        await propertyCheck(count: 100, input: Gen.int(in: 0...1_000_000)) { seed in
            let document = ProblemBuilder.random(seed: UInt64(seed), bipartite: seed % 4 != 0)
            guard let model = try? SchedulingModel.compile(document) else { return }
            let result = Scheduler.solve(model, options: SchedulerOptions(timeLimit: 0, seed: UInt64(seed)))
            #expect(IndependentChecker.check(document, result.schedule).violations == [], "seed \(seed)")
            #expect(result.schedule.objective == ReferenceSolvers.bruteForceOptimum(document), "seed \(seed)")
        }
    }

    @Test func largerRandomProblemsBeatTheGreedy() async throws {
        await propertyCheck(count: 20, input: Gen.int(in: 0...1_000_000)) { seed in
            let document = ProblemBuilder.random(seed: UInt64(seed), maxPairs: 14)
            guard let model = try? SchedulingModel.compile(document) else { return }
            let result = Scheduler.solve(model, options: SchedulerOptions(timeLimit: 5, seed: 3))
            #expect(IndependentChecker.check(document, result.schedule).violations == [], "seed \(seed)")
            #expect(result.schedule.objective >= ReferenceSolvers.greedy(document), "seed \(seed)")
        }
    }
}
