/// The work of the weight phases, in search steps: fixed by the size of the problem and the
/// mode of the run (never by time), so that the weight is the same on every run.
struct WeightPlan {
    /// Large problems get proportionally less work per pair (they converge sooner per pair,
    /// and the time targets grow slower than the problems): 3,000 / pairs, between 0.45 and 1.
    let sizeScale: Double
    /// The unit of every phase's steps: the pairs, scaled down for large problems.
    let pairs: Int
    /// Day scale (at most 100,000 allowed pair-slots): a guided phase follows the weight search
    /// (larger problems would wait for a bound that leaves too much open).
    let dayScale: Bool
    /// Default mode at day scale: the guided phase restarts on narrowed problems.
    let narrows: Bool
    /// Keep mode: one search at temperature 0 instead of annealing then descent.
    let keeps: Bool

    /// Rounds of the narrowed guided search.
    static let narrowedRounds = 12

    init(model: SchedulingModel, options: SchedulerOptions) {
        sizeScale = min(1, max(0.45, 3_000 / Double(max(1, model.pairCount))))
        // Beyond 50,000 pairs the weight search has converged long before its full work (bio:
        // 118,203 after half of it, 118,207 after all of it, against a bound of 118,214); finishing
        // well within its time share keeps the run reproducible on a busy machine.
        let largeScale = min(1, max(0.5, 50_000 / Double(max(1, model.pairCount))))
        pairs = Int(Double(max(1, model.pairCount)) * sizeScale * largeScale)
        dayScale = model.pairSlots.count <= 100_000
        keeps = options.previous != nil
        narrows = dayScale && !keeps && options.minimumMeetings == nil
    }

    /// Steps of the weight search at a cooling temperature (none in keep mode). At day scale in
    /// the default mode the narrowed search does the last steps: a third of the work here.
    var annealingSteps: Int { keeps ? 0 : Int(45 * mainScale) * pairs }
    /// Steps of the weight search at temperature 0 that follow.
    var descentSteps: Int { keeps ? 40 * pairs : Int(15 * mainScale) * pairs }
    /// Steps of one guided search (of each round when it narrows).
    var guidedSteps: Int { 25 * pairs }

    private var mainScale: Double { narrows ? 1.0 / 3 : 1 }

    /// All the steps of the weight phases.
    var steps: Int {
        annealingSteps + descentSteps + (dayScale ? guidedSteps * (narrows ? Self.narrowedRounds : 1) : 0)
    }
}
