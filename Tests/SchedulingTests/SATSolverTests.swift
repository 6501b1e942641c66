import Testing

@testable import Scheduling

@Suite("SAT solver: answers and models checked against a simple DPLL and by hand")
struct SATSolverTests {
    /// A formula as the tests build it: clauses and at-most-k constraints over DIMACS literals.
    struct Formula {
        var variables: Int
        var clauses: [[Int32]] = []
        var atMost: [(literals: [Int32], k: Int)] = []

        func isSatisfied(by value: (Int32) -> Bool) -> Bool {
            func holds(_ literal: Int32) -> Bool { value(abs(literal)) == (literal > 0) }
            return clauses.allSatisfy { $0.contains(where: holds) }
                && atMost.allSatisfy { constraint in constraint.literals.filter(holds).count <= constraint.k }
        }

        func solver() -> SATSolver {
            var solver = SATSolver()
            for _ in 0..<variables { _ = solver.newVariable() }
            for clause in clauses { solver.addClause(clause) }
            for constraint in atMost { solver.addAtMost(constraint.literals, constraint.k) }
            return solver
        }

        /// Satisfiability by plain DPLL (unit propagation over clauses and constraints, then
        /// branching), independent of the solver under test.
        func isSatisfiableByDPLL() -> Bool {
            var values = [Int8](repeating: 0, count: variables + 1)
            return dpll(&values)
        }

        private func dpll(_ values: inout [Int8]) -> Bool {
            let saved = values
            guard propagate(&values) else {
                values = saved
                return false
            }
            guard let free = (1...variables).first(where: { values[$0] == 0 }) else { return true }
            for choice: Int8 in [1, -1] {
                values[free] = choice
                if dpll(&values) { return true }
                values[free] = 0
            }
            values = saved
            return false
        }

        /// Unit propagation to a fixed point; false on a falsified clause or an exceeded bound.
        private func propagate(_ values: inout [Int8]) -> Bool {
            func state(_ literal: Int32) -> Int8 { literal > 0 ? values[Int(literal)] : -values[Int(-literal)] }
            func set(_ literal: Int32) { values[Int(abs(literal))] = literal > 0 ? 1 : -1 }
            var changed = true
            while changed {
                changed = false
                clauses: for clause in clauses {
                    var open: Int32 = 0
                    var openCount = 0
                    for literal in clause {
                        switch state(literal) {
                        case 1: continue clauses
                        case 0: (open, openCount) = (literal, openCount + 1)
                        default: break
                        }
                    }
                    if openCount == 0 { return false }
                    if openCount == 1 {
                        set(open)
                        changed = true
                    }
                }
                for (literals, k) in atMost {
                    let trueCount = literals.filter { state($0) == 1 }.count
                    if trueCount > k { return false }
                    if trueCount == k {
                        for literal in literals where state(literal) == 0 {
                            set(-literal)
                            changed = true
                        }
                    }
                }
            }
            return true
        }
    }

    /// SplitMix64: a fixed, seedable generator, so that every instance is the same on every run.
    struct Generator {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Int((z ^ (z >> 31)) % UInt64(bound))
        }
        mutating func literals(_ count: Int, of variables: Int) -> [Int32] {
            var chosen: [Int32] = []
            while chosen.count < count {
                let variable = Int32(next(variables) + 1)
                if !chosen.contains(variable) && !chosen.contains(-variable) {
                    chosen.append(next(2) == 0 ? variable : -variable)
                }
            }
            return chosen
        }
    }

    /// n + 1 pigeons in n holes; variable p·n + h + 1 puts pigeon p in hole h.
    func pigeonhole(_ holes: Int, cardinality: Bool) -> Formula {
        var formula = Formula(variables: (holes + 1) * holes)
        func variable(_ pigeon: Int, _ hole: Int) -> Int32 { Int32(pigeon * holes + hole + 1) }
        for pigeon in 0...holes { formula.clauses.append((0..<holes).map { variable(pigeon, $0) }) }
        for hole in 0..<holes {
            let inHole = (0...holes).map { variable($0, hole) }
            if cardinality {
                formula.atMost.append((inHole, 1))
            } else {
                for first in 0..<inHole.count {
                    for second in (first + 1)..<inHole.count {
                        formula.clauses.append([-inHole[first], -inHole[second]])
                    }
                }
            }
        }
        return formula
    }

    /// Solves and checks the answer against DPLL and, when satisfiable, the model against the
    /// formula; returns DPLL's answer.
    @discardableResult func expectAgreement(_ formula: Formula, _ label: String) -> Bool {
        var solver = formula.solver()
        let answer = solver.solve(conflictLimit: .max) { false }
        let expected = formula.isSatisfiableByDPLL()
        #expect(answer == expected, "\(label)")
        if answer == true {
            #expect(formula.isSatisfied(by: solver.value), "\(label): the model breaks a constraint")
        }
        return expected
    }

    @Test("n + 1 pigeons do not fit in n holes, with pairwise clauses or with at-most-1 constraints", arguments: 5...7)
    func pigeonholeIsUnsatisfiable(holes: Int) {
        for cardinality in [false, true] {
            var solver = pigeonhole(holes, cardinality: cardinality).solver()
            #expect(solver.solve(conflictLimit: .max) { false } == false, "cardinality \(cardinality)")
        }
        var fits = pigeonhole(holes, cardinality: true)
        fits.clauses.removeLast()  // the last pigeon may stay out: now n pigeons fit
        var solver = fits.solver()
        #expect(solver.solve(conflictLimit: .max) { false } == true)
        #expect(fits.isSatisfied(by: solver.value))
    }

    @Test func random3SATNearTheThresholdAgreesWithDPLL() {
        var generator = Generator(state: 1)
        var answers = [false: 0, true: 0]
        for instance in 0..<200 {
            var formula = Formula(variables: 30)
            for _ in 0..<128 { formula.clauses.append(generator.literals(3, of: 30)) }
            answers[expectAgreement(formula, "instance \(instance)"), default: 0] += 1
        }
        // Near the threshold both answers are common, so both code paths were exercised.
        #expect(answers[false, default: 0] > 20 && answers[true, default: 0] > 20)
    }

    @Test func randomClausesWithAtMostKAgreeWithDPLL() {
        var generator = Generator(state: 2)
        for instance in 0..<200 {
            var formula = Formula(variables: 24)
            for _ in 0..<(50 + generator.next(30)) { formula.clauses.append(generator.literals(3, of: 24)) }
            for _ in 0..<(4 + generator.next(8)) {
                let literals = generator.literals(3 + generator.next(6), of: 24)
                formula.atMost.append((literals, 1 + generator.next(3)))
            }
            expectAgreement(formula, "instance \(instance)")
        }
    }

    @Test("at-most-k with repeated and complementary literals counts each occurrence")
    func atMostWithRepeatedLiterals() {
        var formula = Formula(variables: 3)
        formula.atMost = [([1, 1, 2], 1), ([2, -2, 3], 1)]
        formula.clauses = [[1, 3]]
        // 1 counts twice, so 1 is false; 2 or ¬2 is always true, so 3 is false: no model.
        var solver = formula.solver()
        #expect(solver.solve(conflictLimit: .max) { false } == false)
        #expect(formula.isSatisfiableByDPLL() == false)
    }

    @Test("incremental use: blocking each model in turn enumerates exactly the models")
    func enumeratingModelsIncrementally() {
        var generator = Generator(state: 3)
        for _ in 0..<20 {
            var formula = Formula(variables: 10)
            for _ in 0..<25 { formula.clauses.append(generator.literals(3, of: 10)) }
            formula.atMost.append((generator.literals(5, of: 10), 2))
            let expected = (0..<(1 << 10)).filter { bits in
                formula.isSatisfied { bits & (1 << Int($0 - 1)) != 0 }
            }.count
            var solver = formula.solver()
            var found = 0
            while solver.solve(conflictLimit: .max, shouldStop: { false }) == true {
                #expect(formula.isSatisfied(by: solver.value))
                found += 1
                let model = (1...Int32(10)).map { solver.value($0) ? -$0 : $0 }
                solver.addClause(model)
                if found > expected { break }
            }
            #expect(found == expected)
        }
    }

    @Test func aPreferredPhaseIsTheFirstValueTried() {
        var solver = SATSolver()
        for _ in 0..<8 { _ = solver.newVariable() }
        for variable: Int32 in 1...8 { solver.setPhase(variable, variable % 3 == 0) }
        #expect(solver.solve(conflictLimit: .max) { false } == true)
        #expect((1...Int32(8)).allSatisfy { solver.value($0) == ($0 % 3 == 0) })
        #expect(solver.conflicts == 0)
    }

    @Test func contradictoryFactsAreUnsatisfiableAtOnce() {
        var solver = SATSolver()
        let x = solver.newVariable()
        let first = solver.addClause([x])
        let second = solver.addClause([-x])
        #expect(first && !second)
        #expect(solver.solve(conflictLimit: .max) { false } == false)
        var bounded = SATSolver()
        let (a, b) = (bounded.newVariable(), bounded.newVariable())
        let facts = bounded.addClause([a]) && bounded.addClause([b])
        let bound = bounded.addAtMost([a, b], 1)
        #expect(facts && !bound)
        var negative = SATSolver()
        let added = negative.addAtMost([negative.newVariable()], -1)
        #expect(!added && negative.solve(conflictLimit: .max) { false } == false)
    }

    @Test func aConflictLimitOrAStopRequestGivesUpOnAHardInstance() {
        var solver = pigeonhole(8, cardinality: false).solver()
        #expect(solver.solve(conflictLimit: 10) { false } == nil)
        #expect(solver.conflicts == 10)
        var asked = 0
        #expect(
            solver.solve(conflictLimit: .max) {
                asked += 1
                return true
            } == nil)
        #expect(asked == 1)
        #expect(solver.conflicts <= 10 + 256)
    }
}
