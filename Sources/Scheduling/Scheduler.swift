import Foundation
import Synchronization

/// What the caller may tune in a run.
public struct SchedulerOptions: Sendable {
    /// Wall-clock limit in seconds; the search returns its best schedule when it is reached.
    public var timeLimit: Double
    /// Same problem, options and seed give the same schedule (unless the time limit cuts the search short).
    public var seed: UInt64
    /// `--min-meetings K`: first give everyone who sent or received a request K meetings where possible.
    public var minimumMeetings: Int?
    /// `--keep`: the previous schedule to stay close to.
    public var previous: ScheduleDocument?
    /// How long the breaks phase may search (the weight phases do not depend on it).
    public var effort: SearchEffort = .balanced
    /// `--max-break-spread D`: no participant has more than D breaks above another.
    public var maxBreakSpread: Int?
    /// `--max-breaks-per-person B`: no participant has more than B breaks.
    public var maxBreaksPerPerson: Int?

    public init(
        timeLimit: Double = 10, seed: UInt64 = 1, minimumMeetings: Int? = nil, previous: ScheduleDocument? = nil
    ) {
        self.timeLimit = timeLimit
        self.seed = seed
        self.minimumMeetings = minimumMeetings
        self.previous = previous
    }
}

/// How much of the time limit the breaks phase uses once the weight is settled.
public enum SearchEffort: String, Sendable, CaseIterable {
    /// One round of the breaks search: the quickest answer.
    case fast
    /// A fixed amount of counted work (local-search rounds, exact-search nodes), sized for a
    /// one-day event in under a second, the same schedule on every run unless the time limit
    /// cuts it short.
    case balanced
    /// Searches until the breaks meet their lower bound or the phase's share of the time
    /// limit is used (where every request is held, the exact search's neighbourhoods take
    /// most of it): the best the limit allows, but no longer reproducible.
    case thorough
}

/// A snapshot of a running search, for a progress line.
public struct SolverProgress: Sendable {
    public var phase: String
    public var objective: Int
    public var upperBound: Int
    public var elapsed: Double
}

/// Lets another thread stop a run early (Ctrl-C) and watch its progress.
public final class SolverControl: Sendable {
    private let stopFlag = Atomic<Bool>(false)
    let provenBound = Atomic<Int>(Int.max)
    /// The best weight the search has reached, so the bound can stop once it is met.
    let bestWeight = Atomic<Int>(0)
    let onProgress: (@Sendable (SolverProgress) -> Void)?

    public init(onProgress: (@Sendable (SolverProgress) -> Void)? = nil) {
        self.onProgress = onProgress
    }

    /// Asks the search to finish now with the best schedule found so far.
    public func requestStop() { stopFlag.store(true, ordering: .relaxed) }

    public var isStopRequested: Bool { stopFlag.load(ordering: .relaxed) }
}

/// The outcome of a run: the schedule in the public format and what to tell the user.
public struct SolveResult: Sendable {
    public var schedule: ScheduleDocument
    public var summary: ScheduleSummary
    /// Slot of every pair of the model (-1 when not scheduled).
    public var slotOfPair: [Int32]
    /// Table of every pair of the model (-1 when not scheduled).
    public var tableOfPair: [Int32]
    /// For `--keep`: what changed against the previous schedule.
    public var changes: ScheduleChanges?
}

/// The scheduler: a proven bound and a schedule, for a compiled problem.
public enum Scheduler {
    /// Solves `model`. Pure computation: no I/O; runs the bound on a second thread.
    public static func solve(
        _ model: SchedulingModel, options: SchedulerOptions = SchedulerOptions(),
        control: SolverControl = SolverControl()
    ) -> SolveResult {
        let clock = ContinuousClock()
        let started = clock.now
        let deadline = started.advanced(by: .milliseconds(Int(max(0, options.timeLimit) * 1000)))
        func elapsed() -> Double {
            let d = clock.now - started
            return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
        }
        let state = SearchState(model: model)
        let weightSearch = WeightSearch(state: state, seed: options.seed)
        let previous = options.previous.map { PreviousSchedule(document: $0, model: model) }
        if let previous { previous.seed(into: state) }
        if let minimum = options.minimumMeetings, minimum > 0 {
            weightSearch.guaranteeMinimum(minimum)
        }
        weightSearch.greedyFill()

        // The bound runs beside the search on the second core, for a fixed amount of work
        // (pair-slot evaluations, not time), so its value does not depend on the machine.
        let boundDone = DispatchSemaphore(value: 0)
        let boundWork = Scheduler.boundWork(model)
        let guidanceReady = DispatchSemaphore(value: 0)
        let guidingBound = Mutex<LagrangianBound?>(nil)
        let plan = WeightPlan(model: model, options: options)
        // See `clockFreeWeightSteps`.
        let weightIgnoresClock = plan.steps <= Scheduler.clockFreeWeightSteps
        Thread.detachNewThread { [model] in
            var bound = LagrangianBound(model: model)
            var guided = false
            let value = bound.improve(
                work: boundWork, target: { control.bestWeight.load(ordering: .relaxed) },
                shouldStop: { current in
                    control.provenBound.store(current, ordering: .relaxed)
                    // When the weight phases ignore the clock, the search waits for the guidance
                    // whatever the time: the clock cuts the bound only after it, so that the
                    // guidance, and with it the weight, are those of an idle machine.
                    let clockMayCut = guided || !weightIgnoresClock
                    return control.isStopRequested || (clockMayCut && clock.now >= deadline)
                },
                onGuidance: { guide in
                    guided = true
                    guidingBound.withLock { $0 = guide }
                    guidanceReady.signal()
                })
            control.provenBound.store(value, ordering: .relaxed)
            boundDone.signal()
        }

        var lastReport = started
        var stoppedEarly = false
        var cutByTime = false
        var phase = "weight"
        var phaseDeadline = deadline
        let shouldStop: () -> Bool = {
            let now = clock.now
            // See `clockFreeWeightSteps`: only Ctrl-C stops the weight phases of a small problem.
            let clockMayCut = phase == "breaks" || !weightIgnoresClock
            if control.isStopRequested || (clockMayCut && now >= deadline) {
                stoppedEarly = true
                return true
            }
            if clockMayCut && now >= phaseDeadline {
                // A phase cut by its share of the time limit: the run is no longer reproducible.
                cutByTime = true
                return true
            }
            publish(weightSearch.bestWeight, control: control)
            // Proven optimal: the weight phase ends in the state where this weight was first
            // reached, as it would after its whole budget, so stopping now changes nothing.
            if phase == "weight" && weightSearch.bestWeight >= control.provenBound.load(ordering: .relaxed) {
                return true
            }
            if let report = control.onProgress, now - lastReport >= .milliseconds(200) {
                lastReport = now
                report(
                    SolverProgress(
                        phase: phase, objective: control.bestWeight.load(ordering: .relaxed),
                        upperBound: control.provenBound.load(ordering: .relaxed), elapsed: elapsed()))
            }
            return false
        }
        let limit = max(0, options.timeLimit)
        func share(_ fraction: Double) -> ContinuousClock.Instant {
            started.advanced(by: .milliseconds(Int(limit * fraction * 1000)))
        }
        let dayScale = plan.dayScale
        phaseDeadline = share(0.6)
        if let previous {
            weightSearch.protect(previous.keptSlot)
        } else {
            weightSearch.improve(iterations: plan.annealingSteps, temperature: 0.3, shouldStop: shouldStop)
        }
        if !shouldStop() {
            weightSearch.improve(iterations: plan.descentSteps, temperature: 0, shouldStop: shouldStop)
        }
        if !stoppedEarly && dayScale {
            // Not proven optimal yet: search again, guided by the bound's multipliers as soon as
            // they are good (at a fixed point of the bound's work, so the run stays reproducible).
            guidanceReady.wait()
            if state.weight < control.provenBound.load(ordering: .relaxed), let bound = guidingBound.withLock({ $0 }) {
                phase = "guided"
                phaseDeadline = share(0.8)
                if plan.narrows {
                    narrowedSearch(
                        bound: bound, state: state, seed: options.seed, iterations: plan.guidedSteps,
                        control: control, shouldStop: shouldStop)
                } else {
                    // Keep and fairness modes: their rules apply to every move, so the guided
                    // search continues from the current schedule under the same rules.
                    let guided = WeightSearch(
                        state: state, seed: options.seed ^ 0x6D1D_ED,
                        guidance: ReducedWeights(bound.entries(withinLoss: 0).pairValue))
                    if let previous { guided.protect(previous.keptSlot) }
                    if let floor = weightSearch.fairnessFloor { guided.require(floor) }
                    guided.improve(iterations: plan.guidedSteps, temperature: 0) {
                        publish(guided.bestWeight, control: control)
                        return guided.bestWeight >= control.provenBound.load(ordering: .relaxed) || shouldStop()
                    }
                }
                // A small problem still short of its bound: an exact search settles it.
                if plan.narrows && model.pairCount <= ExactWeightSearch.largestProblem && !stoppedEarly,
                    state.weight < control.provenBound.load(ordering: .relaxed),
                    let slots = ExactWeightSearch.search(
                        model: model, floor: state.weight, ceiling: control.provenBound.load(ordering: .relaxed))
                {
                    state.restore(slots)
                }
            }
        }
        phase = "breaks"
        phaseDeadline = share(0.92)
        // Every schedule at least this heavy has at least this many breaks.
        var breaksBound = BreakBound.lowerBound(model: model, weight: state.weight)
        let breakLimit = Scheduler.breakLimit(options)
        if let breakLimit { state.breakLimit = breakLimit }
        if !stoppedEarly {
            let breakSearch = BreakSearch(
                state: state, seed: options.seed, frozen: previous?.keptPairs,
                swapsPairs: previous == nil && options.minimumMeetings == nil, chainLimit: dayScale ? 400 : 40)
            // At day scale the guided search leaves time to compact the days further.
            let iterations = Int((dayScale ? 240 : 120) * Double(max(1, state.meetings)) * plan.sizeScale)
            // Every request held (so everyone's meetings are known) and few enough slots: an
            // exact search for a schedule where everyone meets its own fewest breaks, first on
            // the whole event, then (after the local search) on neighbourhoods of its schedule.
            let shape =
                previous == nil && options.minimumMeetings == nil
                    && (state.breaks > breaksBound || state.excessBreaks > 0)
                ? CompactShape(state: state) : nil
            var compact = shape.map { CompactSearch(shape: $0, state: state, seed: options.seed) }
            // Work of the local search (rounds) and of the exact search (nodes, a neighbourhood's
            // set-up counted as nodes too): counted, not timed, so that fast and balanced runs
            // give the same schedule on every machine; balanced is sized to answer a one-day
            // event in under a second. Thorough runs go on until the phase's share of the time
            // limit; where the exact searches apply, the SAT search and the neighbourhoods share it.
            let rounds: Int
            let nodes: Int
            // Conflicts of the SAT search (`CompactSATSearch`) where the exact search applies:
            // about 0.2 s (fast) and 0.5 s (balanced) at most on the forum family.
            let satConflicts: Int
            switch options.effort {
            case .fast:
                rounds = 1
                nodes = 4_000
                satConflicts = 5_000
            case .balanced:
                // Where the exact search applies, 9 rounds and 28,000 nodes: since a Kempe swap
                // is judged before it is made, they cost about what 6 rounds and 14,000 did.
                rounds = compact != nil ? 9 : state.meetings <= 20_000 ? 2 : 1
                nodes = 28_000
                satConflicts = 20_000
            case .thorough:
                // Where the exact searches apply, balanced's rounds (so the SAT search starts
                // from the same schedule), then the SAT search and the neighbourhoods.
                rounds = compact == nil ? Int.max : 9
                nodes = Int.max / 2
                satConflicts = 20_000
            }
            // Thorough runs are meant to use the phase's share of the time: reaching it is no cut.
            let stopBreaks: () -> Bool =
                options.effort == .thorough
                ? { control.isStopRequested || clock.now >= phaseDeadline || shouldStop() } : shouldStop
            if var search = compact {
                // A quarter of the nodes on the whole event (thorough runs: balanced's quarter,
                // since the SAT search below does the whole event's exhaustive work better); the
                // rest is for the neighbourhoods.
                if let slots = search.solve(
                    nodeLimit: options.effort == .thorough ? 7_000 : nodes / 4, pinnedSlot: model.pinnedSlot,
                    shouldStop: stopBreaks)
                {
                    state.restore(slots)
                }
                compact = search
            }
            breakSearch.minimise(
                roundIterations: iterations, rounds: rounds, target: breaksBound, shouldStop: stopBreaks)
            // Still above the bound: the solver with clause learning, from the local search's
            // schedule, settles most such events in a few thousand conflicts.
            // Fast and balanced runs keep it to events of up to 600 meetings: beyond, a conflict
            // costs several times more and their budget is seldom enough (`docs/scheduler.md`).
            let satApplies = options.effort == .thorough || state.meetings <= 600
            if let shape, satApplies, state.breaks > breaksBound || state.excessBreaks > 0,
                !stoppedEarly
            {
                var exact = CompactSATSearch(shape: shape, model: model)
                let hint = state.snapshot()
                var outcome = exact.solve(hint: hint, conflictLimit: satConflicts, shouldStop: stopBreaks)
                if case .undecided = outcome, options.effort == .thorough {
                    // Thorough runs go on (keeping what the solver learnt) for half of what is
                    // left of the phase; the rest is for the neighbourhoods.
                    let satDeadline = clock.now.advanced(by: (phaseDeadline - clock.now) / 2)
                    outcome = exact.solve(
                        hint: hint, conflictLimit: Int.max / 2, shouldStop: { clock.now >= satDeadline || stopBreaks() }
                    )
                }
                switch outcome {
                case .found(let slots):
                    state.restore(slots)
                case .impossible:
                    // Every pair must be held for this weight, and no schedule holding them all
                    // keeps everyone to their fewest breaks: one more is needed.
                    if exact.windowsAreExact && model.pairWeight.allSatisfy({ $0 > 0 }) { breaksBound += 1 }
                case .undecided:
                    break
                }
            }
            if var search = compact, state.breaks > breaksBound, !stoppedEarly {
                let slots = search.improve(
                    schedule: state.snapshot(), pinnedSlot: model.pinnedSlot, nodeLimit: nodes, shouldStop: stopBreaks)
                state.restore(slots)
            }
        }
        control.bestWeight.store(state.weight, ordering: .relaxed)
        boundDone.wait()

        let slotOf = state.snapshot()
        let bound = max(control.provenBound.load(ordering: .relaxed), state.weight)
        let tables = TableAssignment.assign(
            model: model, slotOf: slotOf, preferred: previous?.tableOfPair, previousSlot: previous?.previousSlot)
        let figures = ScheduleMeasures.measure(model: model, slotOf: slotOf)
        var meetings: [ScheduleDocument.Meeting] = []
        let order = (0..<model.pairCount).filter { slotOf[$0] >= 0 }.sorted {
            (slotOf[$0], tables[$0]) < (slotOf[$1], tables[$1])
        }
        for k in order {
            meetings.append(
                ScheduleDocument.Meeting(
                    participants: [
                        model.participantIDs[Int(model.pairA[k])], model.participantIDs[Int(model.pairB[k])],
                    ],
                    slot: model.slotIDs[Int(slotOf[k])], table: model.tableIDs[Int(tables[k])]))
        }
        var belowMinimum: Int? = nil
        if let minimum = options.minimumMeetings {
            belowMinimum =
                (0..<model.participantCount).filter { model.involved[$0] && figures.meetingsOf[$0] < minimum }.count
        }
        let summary = ScheduleSummary(
            meetings: figures.meetings, objective: figures.objective, upperBound: bound,
            gapPercent: bound > 0 ? Double(bound - figures.objective) / Double(bound) * 100 : 0,
            breaks: figures.breaks, breaksLowerBound: min(breaksBound, figures.breaks), mostBreaks: figures.mostBreaks,
            breakSpread: figures.breakSpread,
            breakLimitMet: breakLimit.map { _ in
                figures.breakSpread <= options.maxBreakSpread ?? Int.max
                    && figures.mostBreaks <= options.maxBreaksPerPerson ?? Int.max
            }, tableChanges: TableAssignment.changes(model: model, slotOf: slotOf, tableOf: tables),
            idleSlots: figures.idleSlots, fairness: figures.fairness,
            belowMinimum: belowMinimum, satisfied: figures.satisfied, seconds: elapsed(),
            stoppedEarly: stoppedEarly || cutByTime)
        let changes = previous.map { $0.changes(slotOf: slotOf, tableOf: tables) }
        return SolveResult(
            schedule: ScheduleDocument(meetings: meetings, objective: figures.objective, upperBound: bound),
            summary: summary, slotOfPair: slotOf, tableOfPair: tables, changes: changes)
    }

    /// Restarts of the weight search on narrowed problems, guided by the reduced weights of
    /// `bound`'s multipliers, until `state` reaches the proven bound or the rounds run out.
    /// Even rounds use a tight heuristic narrowing (entries that lose at most 0.6 of the bound),
    /// which usually holds an optimal schedule; odd ones keep every entry a better schedule
    /// than the current one may use, so that nothing is out of reach.
    static func narrowedSearch(
        bound: LagrangianBound, state: SearchState, seed: UInt64, iterations: Int, control: SolverControl,
        shouldStop: () -> Bool
    ) {
        let tight = bound.entries(withinLoss: 0.6)
        let guidance = ReducedWeights(tight.pairValue)
        let tightModel = state.model.restricted(keeping: tight.keep)
        var wideModel: SchedulingModel? = nil
        var wideFor = -1
        let proven = { control.provenBound.load(ordering: .relaxed) }
        for round in 0..<WeightPlan.narrowedRounds where state.weight < proven() && !shouldStop() {
            let narrow: SchedulingModel
            if round % 2 == 0 {
                narrow = tightModel
            } else {
                if wideFor != state.weight {
                    wideModel = state.model.restricted(keeping: bound.entries(reaching: state.weight + 1).keep)
                    wideFor = state.weight
                }
                guard let wideModel else { break }
                narrow = wideModel
            }
            let narrowState = SearchState(model: narrow)
            let roundSeed = seed &* 0x9E37_79B9_7F4A_7C15 &+ UInt64(round + 1) &* 0xBF58_476D_1CE4_E5B9
            let search = WeightSearch(state: narrowState, seed: roundSeed, guidance: guidance)
            search.greedyFill(order: guidance.value)
            search.improve(iterations: iterations, temperature: 0) {
                publish(search.bestWeight, control: control)
                return search.bestWeight >= proven() || shouldStop()
            }
            if narrowState.weight > state.weight { state.restore(narrowState.snapshot()) }
        }
    }

    /// Weight phases (weight and guided searches) of at most this many steps in all, a few
    /// milliseconds of work, run to their end whatever the clock, stopped only by Ctrl-C: a
    /// small problem's weight is then the same on a busy machine, or with a time limit shorter
    /// than those milliseconds, as on an idle one. A time limit is overshot by them at most.
    static let clockFreeWeightSteps = 50_000

    /// The most breaks anyone may have under `--max-breaks-per-person` and
    /// `--max-break-spread`, or nil. The spread is enforced as a cap of D breaks per
    /// participant: someone has no break at all in nearly every schedule (a participant
    /// with one meeting), and where nobody does, the cap is stricter than the spread.
    static func breakLimit(_ options: SchedulerOptions) -> Int? {
        let limits = [options.maxBreaksPerPerson, options.maxBreakSpread].compactMap { $0 }
        return limits.min().map { max(0, $0) }
    }

    /// Tells the bound the best weight reached so far (it stops once it proves that weight optimal).
    static func publish(_ weight: Int, control: SolverControl) {
        if weight > control.bestWeight.load(ordering: .relaxed) {
            control.bestWeight.store(weight, ordering: .relaxed)
        }
    }

    /// The bound's work budget in pair-slot evaluations: enough to reach the LP value at
    /// day scale, a few seconds of one core at the largest scales.
    static func boundWork(_ model: SchedulingModel) -> Int {
        150_000_000 + 40 * model.pairSlots.count
    }
}
