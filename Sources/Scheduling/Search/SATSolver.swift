/// A small conflict-driven clause-learning (CDCL) SAT solver with native at-most-k constraints.
///
/// The scheduler's feasibility questions encode into a few tens of thousands of clauses; a
/// solver of its own keeps the package free of C dependencies and lets the cardinality
/// constraints such encodings are full of be propagated by counting instead of being expanded
/// into clauses.
///
/// The design follows MiniSat and Glucose: two watched literals per clause with a blocker
/// literal, clauses stored in one flat arena of words, unit propagation over a trail, first-UIP
/// conflict analysis with recursive clause minimisation, VSIDS in a binary heap, Luby restarts
/// and learnt-clause reduction by literal block distance (LBD); phases are saved from the best
/// partial assignment, as CaDiCaL's target phases are.
///
/// It is a value type with mutating methods, because a class's stored arrays cost dynamic
/// exclusivity checks on every access in the propagation loop. Nothing in it is random or timed,
/// so the same calls give the same answers and the same conflict counts.
///
/// Literals outside are DIMACS integers (±variable, variables numbered from 1); inside, literal
/// codes are `2 × (variable − 1) + (negative ? 1 : 0)`, so a literal's negation is `code ^ 1`.
struct SATSolver {
    /// One entry of a literal's watch list: a clause watching the negation of that literal, and
    /// one of the clause's other literals; when the blocker is true the clause is satisfied and
    /// need not be read at all, which saves most arena reads. A binary clause's watcher is
    /// marked with `binaryTag` in `clause`: its blocker is its other literal, so propagation
    /// never reads the arena for it (most clauses of the scheduler's encodings are binary).
    private struct Watcher {
        var clause: UInt32
        var blocker: UInt32
    }

    /// What conflict analysis reads about an assigned variable, kept together for locality.
    private struct Assignment {
        var reason: UInt32
        var level: Int32
        /// Where on the trail the variable was assigned, to rebuild at-most-k reasons lazily.
        var position: Int32
    }

    /// The reason of a decision or of a fact added by the caller.
    private static let noReason = UInt32.max
    /// Marks a reason or conflict that is an at-most-k constraint (its index in the low bits)
    /// rather than a clause's arena offset.
    private static let boundTag: UInt32 = 1 << 31
    /// Marks a watcher whose clause is binary.
    private static let binaryTag: UInt32 = 1 << 31
    /// No literal (the literal that a conflict implies).
    private static let noLiteral = UInt32.max
    /// Words before a clause's literals: its size, its flags (learnt, deleted, LBD), its activity.
    private static let headerWords = 3
    private static let learntFlag: UInt32 = 1
    private static let deletedFlag: UInt32 = 2

    /// False once the clauses added are unsatisfiable at level 0: every later call answers so.
    private var consistent = true
    /// Conflicts over all calls to `solve`.
    private(set) var conflicts = 0

    // Per literal code.
    /// 1 true, −1 false, 0 unassigned; kept per literal so that a literal's value is one load.
    private var assigns: [Int8] = []
    private var watches: [[Watcher]] = []
    /// For each literal, the at-most-k constraints it appears in (triggered when it turns true).
    private var boundWatches: [[UInt32]] = []

    // Per variable (index = variable − 1).
    private var variables: [Assignment] = []
    private var activity: [Double] = []
    /// The value a decision gives the variable: from `setPhase`, then the variable's value in
    /// the longest conflict-free trail of this call (CaDiCaL's "target phase"). Keeping the best
    /// partial assignment rather than the last one (MiniSat's phase saving) steers the search
    /// back towards a near-solution after each restart, which on the scheduler's satisfiable
    /// instances halved the total time against plain phase saving.
    private var phase: [Bool] = []
    /// The length of the trail prefix the phases were last saved from.
    private var bestTrail = 0
    private var seen: [UInt8] = []
    private var heapIndex: [Int32] = []
    private var model: [Bool] = []

    /// The assigned literals in order, in a buffer as long as there are variables, so that
    /// propagation can append through a pointer.
    private var trail: [UInt32] = []
    private var trailCount = 0
    private var trailLimits: [Int] = []
    /// The first trail entry clause propagation has not processed yet.
    private var queueHead = 0
    /// The first trail entry at-most-k propagation has not counted yet.
    private var boundHead = 0

    private var arena: [UInt32] = []
    private var originalClauses: [UInt32] = []
    private var learntClauses: [UInt32] = []

    private var heap: [UInt32] = []
    private var activityIncrement = 1.0
    private var clauseIncrement: Float = 1

    // At-most-k constraints: constraint `a` has literals boundLiterals[boundStart[a]..<boundStart[a + 1]].
    private var boundLiterals: [UInt32] = []
    private var boundStart: [Int] = [0]
    private var boundLimit: [Int32] = []
    /// True literals of the constraint among those propagation has already processed.
    private var boundCount: [Int32] = []

    // Scratch space reused by conflict analysis, so that it allocates nothing per conflict.
    private var reasonLiterals: [UInt32] = []
    private var learnt: [UInt32] = []
    private var toClear: [UInt32] = []
    private var redundancyStack: [UInt32] = []
    private var levelStamps: [UInt32] = [0]
    private var stamp: UInt32 = 0

    private var nextReduction = 2000
    private var reductionInterval = 2000

    init() {}

    var variableCount: Int { variables.count }

    /// A new variable, numbered from 1 (DIMACS style).
    mutating func newVariable() -> Int32 {
        precondition(variables.count < Int(Int32.max / 2), "too many variables")
        let variable = UInt32(variables.count)
        assigns += [0, 0]
        watches += [[], []]
        boundWatches += [[], []]
        variables.append(Assignment(reason: Self.noReason, level: 0, position: 0))
        trail.append(0)
        activity.append(0)
        phase.append(false)
        seen.append(0)
        heapIndex.append(-1)
        levelStamps.append(0)
        heapInsert(variable)
        return Int32(variables.count)
    }

    /// Preferred first value of a variable (phase), e.g. from a known near-solution; later the
    /// solver keeps the variable's value in its best partial assignment instead.
    mutating func setPhase(_ variable: Int32, _ value: Bool) {
        precondition(variable > 0 && Int(variable) <= variableCount, "no such variable")
        phase[Int(variable) - 1] = value
    }

    /// The variable's value in the last model found (false before any satisfiable answer).
    func value(_ variable: Int32) -> Bool {
        precondition(variable > 0 && Int(variable) <= variableCount, "no such variable")
        let index = Int(variable) - 1
        return index < model.count ? model[index] : false
    }

    /// The internal code of a DIMACS literal, which must name an existing variable.
    private func code(_ literal: Int32) -> UInt32 {
        precondition(literal != 0 && literal != Int32.min && Int(abs(literal)) <= variableCount, "bad literal")
        return UInt32(abs(literal) - 1) << 1 | (literal < 0 ? 1 : 0)
    }

    /// Adds a clause of DIMACS literals; false when the formula is now unsatisfiable at level 0.
    /// May be called after `solve` (the solver is then back at level 0, keeping what it learnt,
    /// which stays valid because adding clauses only removes models).
    @discardableResult mutating func addClause(_ literals: [Int32]) -> Bool {
        var codes = literals.map(code).sorted()
        cancelUntil(0)
        guard consistent else { return false }
        var kept = 0
        var previous = Self.noLiteral
        for literal in codes {
            let value = assigns[Int(literal)]
            if value == 1 || literal == previous ^ 1 { return true }  // satisfied or a tautology
            if value == 0 && literal != previous {
                codes[kept] = literal
                kept += 1
                previous = literal
            }
        }
        codes.removeLast(codes.count - kept)
        switch codes.count {
        case 0:
            consistent = false
        case 1:
            assign(codes[0], reason: Self.noReason)
            consistent = propagate() == Self.noReason
        default:
            let clause = storeClause(codes, learnt: false, lbd: 0)
            originalClauses.append(clause)
            watch(clause)
        }
        return consistent
    }

    /// Adds "at most k of these literals are true", propagated by counting as MiniCard does:
    /// once k are true the others are set false, explained by the clause (¬l1 ∨ … ∨ ¬lk ∨ ¬l).
    /// False when the formula is now unsatisfiable at level 0.
    @discardableResult mutating func addAtMost(_ literals: [Int32], _ k: Int) -> Bool {
        let codes = literals.map(code).sorted()
        cancelUntil(0)
        guard consistent else { return false }
        guard k >= 0 else {
            consistent = false  // at most −1 true: no assignment has that
            return false
        }
        // A literal listed twice counts twice; a literal with its negation counts exactly once.
        var distinct: [UInt32] = []
        var limit = k
        var trueAlready = 0
        for literal in codes {
            if let last = distinct.last, last == literal ^ 1 {
                distinct.removeLast()
                limit -= 1
            } else {
                distinct.append(literal)
            }
        }
        var open: [UInt32] = []
        for literal in distinct {
            switch assigns[Int(literal)] {
            case 1: trueAlready += 1
            case 0: open.append(literal)
            default: break
            }
        }
        limit -= trueAlready
        if limit < 0 {
            consistent = false
            return false
        }
        if limit >= open.count { return true }
        if limit == 0 {
            for literal in open where assigns[Int(literal)] == 0 {
                assign(literal ^ 1, reason: Self.noReason)
            }
            consistent = propagate() == Self.noReason
            return consistent
        }
        let index = UInt32(boundLimit.count)
        precondition(index < Self.boundTag, "too many constraints")
        boundLiterals += open
        boundStart.append(boundLiterals.count)
        boundLimit.append(Int32(clamping: limit))
        boundCount.append(0)
        for literal in open { boundWatches[Int(literal)].append(index) }
        return true
    }

    /// true: satisfiable (then `value(_:)` gives the model); false: unsatisfiable; nil: gave up
    /// after `conflictLimit` conflicts in this call or when `shouldStop()` says so, which is asked
    /// every 256 conflicts (work is counted, not timed, so runs are reproducible).
    mutating func solve(conflictLimit: Int, shouldStop: () -> Bool) -> Bool? {
        cancelUntil(0)
        guard consistent else { return false }
        if propagate() != Self.noReason {
            consistent = false
            return false
        }
        let start = conflicts
        var restart = 0
        bestTrail = 0
        while true {
            let budget = Self.luby(restart) * 100
            restart += 1
            var conflictsSinceRestart = 0
            while true {
                let conflict = propagate()
                if conflict != Self.noReason {
                    conflicts += 1
                    conflictsSinceRestart += 1
                    if let levelStart = trailLimits.last, levelStart > bestTrail {
                        // Below the conflict's level the trail is conflict-free: a new best.
                        bestTrail = levelStart
                        for literal in trail[0..<levelStart] { phase[Int(literal >> 1)] = literal & 1 == 0 }
                    }
                    if trailLimits.isEmpty {
                        consistent = false
                        return false
                    }
                    learnFrom(conflict)
                    if conflicts - start >= conflictLimit || (conflicts & 255 == 0 && shouldStop()) {
                        cancelUntil(0)
                        return nil
                    }
                    if conflicts >= nextReduction {
                        reductionInterval += 300
                        nextReduction = conflicts + reductionInterval
                        reduceLearntClauses()
                    }
                } else if conflictsSinceRestart >= budget {
                    cancelUntil(0)
                    break
                } else if let decision = nextDecision() {
                    trailLimits.append(trailCount)
                    assign(decision, reason: Self.noReason)
                } else {
                    model = (0..<variableCount).map { assigns[2 * $0] == 1 }
                    cancelUntil(0)
                    return true
                }
            }
        }
    }

    /// The Luby sequence 1, 1, 2, 1, 1, 2, 4, … (index from 0): restart lengths that are
    /// within a log factor of optimal for any runtime distribution.
    private static func luby(_ index: Int) -> Int {
        var size = 1
        var sequence = 0
        while size < index + 1 {
            sequence += 1
            size = 2 * size + 1
        }
        var rest = index
        while size - 1 != rest {
            size = (size - 1) >> 1
            sequence -= 1
            rest %= size
        }
        return 1 << sequence
    }

    // MARK: Assignment and propagation

    private mutating func assign(_ literal: UInt32, reason: UInt32) {
        let variable = Int(literal >> 1)
        assigns[Int(literal)] = 1
        assigns[Int(literal ^ 1)] = -1
        variables[variable].level = Int32(trailLimits.count)
        variables[variable].reason = reason
        variables[variable].position = Int32(trailCount)
        trail[trailCount] = literal
        trailCount += 1
    }

    /// Undoes every assignment above `level`.
    private mutating func cancelUntil(_ level: Int) {
        guard trailLimits.count > level else { return }
        let limit = trailLimits[level]
        if !boundLimit.isEmpty && limit < boundHead {
            // Only literals propagation has processed were counted in their constraints.
            for literal in trail[limit..<boundHead] {
                for constraint in boundWatches[Int(literal)] { boundCount[Int(constraint)] -= 1 }
            }
        }
        // Through buffer pointers, as in propagation: this loop runs once per conflict over
        // thousands of literals.
        var assigns: [Int8] = []
        swap(&assigns, &self.assigns)
        trail.withUnsafeBufferPointer { trail in
            assigns.withUnsafeMutableBufferPointer { assigns in
                for literal in trail[limit..<trailCount] {
                    assigns[Int(literal)] = 0
                    assigns[Int(literal ^ 1)] = 0
                }
            }
        }
        swap(&assigns, &self.assigns)
        var index = trailCount - 1
        while index >= limit {
            let variable = trail[index] >> 1
            if heapIndex[Int(variable)] < 0 { heapInsert(variable) }
            index -= 1
        }
        trailCount = limit
        queueHead = min(queueHead, limit)
        boundHead = min(boundHead, limit)
        trailLimits.removeLast(trailLimits.count - level)
    }

    /// Propagates every assignment on the trail not yet processed; the conflict found (a clause's
    /// arena offset or a tagged constraint index), or `noReason` when there is none.
    /// Clauses are propagated to a fixed point first, then the at-most-k constraints count the
    /// new literals, which may assign more, and so on.
    private mutating func propagate() -> UInt32 {
        while true {
            let conflict = propagateClauses()
            if conflict != Self.noReason { return conflict }
            if boundHead == trailCount { return Self.noReason }
            while boundHead < trailCount {
                let literal = trail[boundHead]
                boundHead += 1
                if boundWatches[Int(literal)].isEmpty { continue }
                let conflict = propagateBounds(literal)
                if conflict != Self.noReason { return conflict }
            }
        }
    }

    /// Unit propagation over the watched clauses: the solver's hot loop. The arrays it touches
    /// are moved out of `self` and read through buffer pointers, which spares the uniqueness
    /// and bounds checks of array accesses in a mutating method.
    private mutating func propagateClauses() -> UInt32 {
        if queueHead == trailCount { return Self.noReason }
        var arena: [UInt32] = []
        var assigns: [Int8] = []
        var trail: [UInt32] = []
        var variables: [Assignment] = []
        var watches: [[Watcher]] = []
        swap(&arena, &self.arena)
        swap(&assigns, &self.assigns)
        swap(&trail, &self.trail)
        swap(&variables, &self.variables)
        swap(&watches, &self.watches)
        var head = queueHead
        var count = trailCount
        let level = Int32(trailLimits.count)
        let conflict = arena.withUnsafeMutableBufferPointer { arena in
            assigns.withUnsafeMutableBufferPointer { assigns in
                trail.withUnsafeMutableBufferPointer { trail in
                    variables.withUnsafeMutableBufferPointer { variables in
                        watches.withUnsafeMutableBufferPointer { watches in
                            Self.propagateClauses(
                                arena: arena, assigns: assigns, trail: trail, variables: variables,
                                watches: watches, head: &head, count: &count, level: level)
                        }
                    }
                }
            }
        }
        swap(&arena, &self.arena)
        swap(&assigns, &self.assigns)
        swap(&trail, &self.trail)
        swap(&variables, &self.variables)
        swap(&watches, &self.watches)
        queueHead = head
        trailCount = count
        return conflict
    }

    private static func propagateClauses(
        arena: UnsafeMutableBufferPointer<UInt32>, assigns: UnsafeMutableBufferPointer<Int8>,
        trail: UnsafeMutableBufferPointer<UInt32>, variables: UnsafeMutableBufferPointer<Assignment>,
        watches: UnsafeMutableBufferPointer<[Watcher]>, head: inout Int, count: inout Int, level: Int32
    ) -> UInt32 {
        var conflict = noReason
        while head < count && conflict == noReason {
            let literal = trail[head]
            head += 1
            let falseLiteral = literal ^ 1
            // The list is rewritten in place while watchers move to other lists: a watcher never
            // moves to this list (its new watch is not false), so the accesses never overlap.
            let kept = watches[Int(literal)].withUnsafeMutableBufferPointer { list in
                let size = list.count
                var read = 0
                var write = 0
                while read < size {
                    let watcher = list[read]
                    read += 1
                    if assigns[Int(watcher.blocker)] == 1 {
                        list[write] = watcher
                        write += 1
                        continue
                    }
                    // The clause is unit or false unless a long clause has another true or
                    // unassigned literal; a binary clause's other literal is its blocker.
                    var unit = watcher
                    if watcher.clause & binaryTag == 0 {
                        let clause = Int(watcher.clause)
                        let first = clause + headerWords
                        if arena[first] == falseLiteral {
                            arena[first] = arena[first + 1]
                            arena[first + 1] = falseLiteral
                        }
                        let other = arena[first]
                        unit = Watcher(clause: watcher.clause, blocker: other)
                        if other != watcher.blocker && assigns[Int(other)] == 1 {
                            list[write] = unit
                            write += 1
                            continue
                        }
                        let end = first + Int(arena[clause])
                        var candidate = first + 2
                        while candidate < end && assigns[Int(arena[candidate])] == -1 { candidate += 1 }
                        if candidate < end {
                            let replacement = arena[candidate]
                            arena[first + 1] = replacement
                            arena[candidate] = falseLiteral
                            watches[Int(replacement ^ 1)].append(unit)
                            continue
                        }
                    }
                    list[write] = unit
                    write += 1
                    let implied = unit.blocker
                    let reason = unit.clause & ~binaryTag
                    if assigns[Int(implied)] == -1 {
                        conflict = reason
                        while read < size {
                            list[write] = list[read]
                            write += 1
                            read += 1
                        }
                    } else {
                        assigns[Int(implied)] = 1
                        assigns[Int(implied ^ 1)] = -1
                        variables[Int(implied >> 1)] = Assignment(
                            reason: reason, level: level, position: Int32(truncatingIfNeeded: count))
                        trail[count] = implied
                        count += 1
                    }
                }
                return write
            }
            let removed = watches[Int(literal)].count - kept
            if removed > 0 { watches[Int(literal)].removeLast(removed) }
        }
        return conflict
    }

    /// Counts `literal` (just made true) in its at-most-k constraints; a constraint that reaches
    /// its bound sets its other literals false, and one that exceeds it is a conflict.
    private mutating func propagateBounds(_ literal: UInt32) -> UInt32 {
        let constraints = boundWatches[Int(literal)]
        // Every constraint is counted before any can fail, so that backtracking uncounts exactly
        // what was counted.
        for constraint in constraints { boundCount[Int(constraint)] += 1 }
        for constraint in constraints {
            let index = Int(constraint)
            let count = boundCount[index]
            let limit = boundLimit[index]
            if count > limit { return Self.boundTag | constraint }
            if count < limit { continue }
            for position in boundStart[index]..<boundStart[index + 1] {
                let other = boundLiterals[position]
                switch assigns[Int(other)] {
                case 0:
                    assign(other ^ 1, reason: Self.boundTag | constraint)
                case 1 where Int(variables[Int(other >> 1)].position) >= boundHead:
                    return Self.boundTag | constraint  // true but not yet counted: k + 1 true
                default:
                    break
                }
            }
        }
        return Self.noReason
    }

    // MARK: Conflict analysis

    /// Fills `reasonLiterals` with the false literals of an at-most-k constraint as a reason or
    /// conflict, the clause it stands for being built here, on demand: the negations of k of its
    /// literals that were true before the one it implied on `impliedVariable` (k + 1 true
    /// literals for a conflict, `impliedVariable` < 0). Any k true literals imply the others
    /// false, so which k does not matter. Clause reasons are read in place instead; in a long
    /// clause the implied literal is the first, in a binary clause it may be either.
    private mutating func fillBoundReason(_ reason: UInt32, impliedVariable: Int) {
        reasonLiterals.removeAll(keepingCapacity: true)
        let index = Int(reason & ~Self.boundTag)
        var wanted = Int(boundLimit[index])
        var before = Int32.max
        if impliedVariable < 0 {
            wanted += 1
        } else {
            before = variables[impliedVariable].position
        }
        for position in boundStart[index]..<boundStart[index + 1] where reasonLiterals.count < wanted {
            let literal = boundLiterals[position]
            if assigns[Int(literal)] == 1 && variables[Int(literal >> 1)].position < before {
                reasonLiterals.append(literal ^ 1)
            }
        }
    }

    /// First-UIP analysis of `conflict`, then backjumping and asserting the learnt clause.
    private mutating func learnFrom(_ conflict: UInt32) {
        learnt.removeAll(keepingCapacity: true)
        learnt.append(0)
        let currentLevel = Int32(trailLimits.count)
        var pending = 0
        var implied = -1
        var uip = Self.noLiteral
        var reason = conflict
        var index = trailCount - 1
        repeat {
            if reason & Self.boundTag == 0 && arena[Int(reason) + 1] & Self.learntFlag != 0 {
                bumpClause(Int(reason))
            }
            func visit(_ literal: UInt32) {
                let variable = Int(literal >> 1)
                if seen[variable] == 0 && variables[variable].level > 0 {
                    bumpVariable(variable)
                    seen[variable] = 1
                    if variables[variable].level >= currentLevel {
                        pending += 1
                    } else {
                        learnt.append(literal)
                    }
                }
            }
            if reason & Self.boundTag == 0 {
                // A clause is read in place (see `fillBoundReason`), the common case.
                let first = Int(reason) + Self.headerWords
                for position in first..<(first + Int(arena[Int(reason)])) {
                    let literal = arena[position]
                    if Int(literal >> 1) != implied { visit(literal) }
                }
            } else {
                fillBoundReason(reason, impliedVariable: implied)
                for literal in reasonLiterals { visit(literal) }
            }
            while seen[Int(trail[index] >> 1)] == 0 { index -= 1 }
            uip = trail[index]
            implied = Int(uip >> 1)
            index -= 1
            reason = variables[implied].reason
            seen[implied] = 0
            pending -= 1
        } while pending > 0
        learnt[0] = uip ^ 1
        minimiseLearnt()

        var backtrackLevel = 0
        if learnt.count > 1 {
            var highest = 1
            for position in 2..<learnt.count
            where variables[Int(learnt[position] >> 1)].level > variables[Int(learnt[highest] >> 1)].level {
                highest = position
            }
            learnt.swapAt(1, highest)
            backtrackLevel = Int(variables[Int(learnt[1] >> 1)].level)
        }
        let lbd = literalBlockDistance(learnt)
        cancelUntil(backtrackLevel)
        if learnt.count == 1 {
            assign(learnt[0], reason: Self.noReason)
        } else {
            let clause = storeClause(learnt, learnt: true, lbd: lbd)
            learntClauses.append(clause)
            watch(clause)
            bumpClause(Int(clause))
            assign(learnt[0], reason: clause)
        }
        activityIncrement /= 0.95
        clauseIncrement /= 0.999
    }

    /// Drops literals of the learnt clause implied by its other literals (recursive
    /// minimisation as in MiniSat), then clears the marks analysis left.
    private mutating func minimiseLearnt() {
        toClear.removeAll(keepingCapacity: true)
        toClear += learnt
        var levelsPresent: UInt32 = 0
        for literal in learnt[1...] { levelsPresent |= Self.levelBit(variables[Int(literal >> 1)].level) }
        var write = 1
        for position in 1..<learnt.count {
            let literal = learnt[position]
            if variables[Int(literal >> 1)].reason == Self.noReason || !isRedundant(literal, levelsPresent) {
                learnt[write] = literal
                write += 1
            }
        }
        learnt.removeLast(learnt.count - write)
        for literal in toClear { seen[Int(literal >> 1)] = 0 }
    }

    private static func levelBit(_ level: Int32) -> UInt32 { 1 << UInt32(level & 31) }

    /// Whether the false literal `literal` follows from literals already in the learnt clause.
    private mutating func isRedundant(_ literal: UInt32, _ levelsPresent: UInt32) -> Bool {
        if !redundancyStack.isEmpty { redundancyStack.removeAll(keepingCapacity: true) }
        redundancyStack.append(literal)
        let clearFrom = toClear.count
        /// Whether `other` may follow from the learnt clause: it is in it, or fixed at level 0, or
        /// implied at a level the clause has (then its own reason is looked at in turn).
        func mayFollow(_ other: UInt32) -> Bool {
            let variable = Int(other >> 1)
            let assignment = variables[variable]
            if seen[variable] != 0 || assignment.level == 0 { return true }
            guard assignment.reason != Self.noReason && Self.levelBit(assignment.level) & levelsPresent != 0
            else { return false }
            seen[variable] = 1
            redundancyStack.append(other)
            toClear.append(other)
            return true
        }
        while let next = redundancyStack.popLast() {
            let variable = Int(next >> 1)
            let reason = variables[variable].reason
            var follows = true
            if reason & Self.boundTag == 0 {
                // A clause is read in place (see `fillBoundReason`), the common case.
                let first = Int(reason) + Self.headerWords
                for position in first..<(first + Int(arena[Int(reason)])) where Int(arena[position] >> 1) != variable {
                    follows = mayFollow(arena[position])
                    if !follows { break }
                }
            } else {
                fillBoundReason(reason, impliedVariable: variable)
                for index in reasonLiterals.indices where follows { follows = mayFollow(reasonLiterals[index]) }
            }
            if !follows {
                for cleared in toClear[clearFrom...] { seen[Int(cleared >> 1)] = 0 }
                toClear.removeLast(toClear.count - clearFrom)
                return false
            }
        }
        return true
    }

    /// The number of distinct decision levels among the literals: Glucose's measure of how
    /// useful a learnt clause is likely to be.
    private mutating func literalBlockDistance(_ literals: [UInt32]) -> Int {
        stamp &+= 1
        if stamp == 0 {
            for index in levelStamps.indices { levelStamps[index] = 0 }
            stamp = 1
        }
        var distance = 0
        for literal in literals {
            let level = Int(variables[Int(literal >> 1)].level)
            if levelStamps[level] != stamp {
                levelStamps[level] = stamp
                distance += 1
            }
        }
        return distance
    }

    // MARK: Clause storage

    private mutating func storeClause(_ literals: [UInt32], learnt: Bool, lbd: Int) -> UInt32 {
        precondition(arena.count + literals.count + Self.headerWords < Int(Self.boundTag), "clause arena full")
        let clause = UInt32(arena.count)
        arena.append(UInt32(literals.count))
        arena.append((learnt ? Self.learntFlag : 0) | UInt32(min(lbd, 1 << 20)) << 2)
        arena.append(Float(0).bitPattern)
        arena += literals
        return clause
    }

    /// Watches the clause's first two literals.
    private mutating func watch(_ clause: UInt32) {
        let first = Int(clause) + Self.headerWords
        let a = arena[first]
        let b = arena[first + 1]
        let tagged = arena[Int(clause)] == 2 ? clause | Self.binaryTag : clause
        watches[Int(a ^ 1)].append(Watcher(clause: tagged, blocker: b))
        watches[Int(b ^ 1)].append(Watcher(clause: tagged, blocker: a))
    }

    private mutating func bumpClause(_ clause: Int) {
        let bumped = Float(bitPattern: arena[clause + 2]) + clauseIncrement
        arena[clause + 2] = bumped.bitPattern
        if bumped > 1e20 {
            for learntClause in learntClauses {
                let index = Int(learntClause) + 2
                arena[index] = (Float(bitPattern: arena[index]) * 1e-20).bitPattern
            }
            clauseIncrement *= 1e-20
        }
    }

    /// Whether the clause is the reason of a current assignment, and so must be kept.
    /// (A long clause's implied literal is its first; a binary clause's may be either.)
    private func isLocked(_ clause: UInt32) -> Bool {
        let first = Int(clause) + Self.headerWords
        let watched = arena[Int(clause)] == 2 ? first...(first + 1) : first...first
        return watched.contains { position in
            let literal = arena[position]
            return assigns[Int(literal)] == 1 && variables[Int(literal >> 1)].reason == clause
        }
    }

    /// Deletes about half of the learnt clauses, those with the highest LBD (then the least
    /// active), keeping clauses of LBD 2 and reasons; then compacts the arena and rebuilds the
    /// watch lists, which keeps the propagation loop free of deleted-clause checks.
    private mutating func reduceLearntClauses() {
        func lbd(_ clause: UInt32) -> UInt32 { arena[Int(clause) + 1] >> 2 }
        func clauseActivity(_ clause: UInt32) -> Float { Float(bitPattern: arena[Int(clause) + 2]) }
        let order = learntClauses.sorted { a, b in
            let (lbdA, lbdB) = (lbd(a), lbd(b))
            if lbdA != lbdB { return lbdA > lbdB }
            let (activityA, activityB) = (clauseActivity(a), clauseActivity(b))
            return activityA != activityB ? activityA < activityB : a < b
        }
        var toDelete = order.count / 2
        for clause in order where toDelete > 0 {
            if lbd(clause) > 2 && !isLocked(clause) {
                arena[Int(clause) + 1] |= Self.deletedFlag
                toDelete -= 1
            }
        }
        compactArena()
    }

    private mutating func compactArena() {
        var compacted: [UInt32] = []
        compacted.reserveCapacity(arena.count)
        func move(_ clauses: inout [UInt32]) {
            var kept = 0
            for clause in clauses {
                let start = Int(clause)
                guard arena[start + 1] & Self.deletedFlag == 0 else { continue }
                let moved = UInt32(compacted.count)
                compacted += arena[start..<(start + Self.headerWords + Int(arena[start]))]
                arena[start + 2] = moved  // forwarding address, read below for reasons
                clauses[kept] = moved
                kept += 1
            }
            clauses.removeLast(clauses.count - kept)
        }
        move(&originalClauses)
        move(&learntClauses)
        for literal in trail[0..<trailCount] {
            let variable = Int(literal >> 1)
            let reason = variables[variable].reason
            if reason != Self.noReason && reason & Self.boundTag == 0 {
                variables[variable].reason = arena[Int(reason) + 2]
            }
        }
        arena = compacted
        for index in watches.indices { watches[index].removeAll(keepingCapacity: true) }
        for clause in originalClauses { watch(clause) }
        for clause in learntClauses { watch(clause) }
    }

    // MARK: Variable order (VSIDS)

    private mutating func bumpVariable(_ variable: Int) {
        activity[variable] += activityIncrement
        if activity[variable] > 1e100 {
            for index in activity.indices { activity[index] *= 1e-100 }
            activityIncrement *= 1e-100
        }
        let position = heapIndex[variable]
        if position >= 0 { siftUp(Int(position)) }
    }

    /// The unassigned variable of highest activity, with its saved phase; nil when all are set.
    private mutating func nextDecision() -> UInt32? {
        while let variable = heap.first {
            heapRemoveTop()
            if assigns[Int(variable) << 1] == 0 {
                return variable << 1 | (phase[Int(variable)] ? 0 : 1)
            }
        }
        return nil
    }

    private mutating func heapInsert(_ variable: UInt32) {
        heapIndex[Int(variable)] = Int32(heap.count)
        heap.append(variable)
        siftUp(heap.count - 1)
    }

    private mutating func heapRemoveTop() {
        let top = heap[0]
        heapIndex[Int(top)] = -1
        let last = heap.removeLast()
        if !heap.isEmpty {
            heap[0] = last
            heapIndex[Int(last)] = 0
            siftDown(0)
        }
    }

    private mutating func siftUp(_ start: Int) {
        var position = start
        let variable = heap[position]
        let key = activity[Int(variable)]
        while position > 0 {
            let parent = (position - 1) >> 1
            let parentVariable = heap[parent]
            guard activity[Int(parentVariable)] < key else { break }
            heap[position] = parentVariable
            heapIndex[Int(parentVariable)] = Int32(position)
            position = parent
        }
        heap[position] = variable
        heapIndex[Int(variable)] = Int32(position)
    }

    private mutating func siftDown(_ start: Int) {
        var position = start
        let variable = heap[position]
        let key = activity[Int(variable)]
        let count = heap.count
        while true {
            var child = 2 * position + 1
            guard child < count else { break }
            if child + 1 < count && activity[Int(heap[child + 1])] > activity[Int(heap[child])] { child += 1 }
            let childVariable = heap[child]
            guard activity[Int(childVariable)] > key else { break }
            heap[position] = childVariable
            heapIndex[Int(childVariable)] = Int32(position)
            position = child
        }
        heap[position] = variable
        heapIndex[Int(variable)] = Int32(position)
    }
}
