/// The figures an organiser reads after a run (the `partnering schedule` summary).
public struct ScheduleSummary: Sendable, Hashable, Codable {
    public var meetings: Int
    public var objective: Int
    public var upperBound: Int
    /// (bound - objective) / bound, in per cent.
    public var gapPercent: Double
    public var breaks: Int
    /// Fewest breaks of any schedule at least as heavy as this one (`BreakBound`); nil in
    /// summaries written before it existed, as are the figures below.
    public var breaksLowerBound: Int?
    /// Most breaks of one participant.
    public var mostBreaks: Int?
    /// Most breaks of one participant minus fewest of another (those with a request).
    public var breakSpread: Int?
    /// With `--max-breaks-per-person` or `--max-break-spread`: whether the schedule keeps to it.
    public var breakLimitMet: Bool?
    /// Consecutive meetings of a participant on one day at different tables, summed.
    public var tableChanges: Int?
    public var idleSlots: Int
    /// The fewest meetings of any participant who sent or received a request.
    public var fairness: Int
    /// Participants with a request but fewer meetings than `--min-meetings` asked for.
    public var belowMinimum: Int?
    /// Per priority ("1", "2", "3"): requests whose pair is scheduled, and all requests.
    public var satisfied: [String: PriorityCount]
    public var seconds: Double
    /// Whether the search stopped because of the time limit or an interruption.
    public var stoppedEarly: Bool

    public struct PriorityCount: Sendable, Hashable, Codable {
        public var met: Int
        public var requested: Int

        public init(met: Int, requested: Int) {
            self.met = met
            self.requested = requested
        }
    }
}

/// Measures of an assignment, computed from scratch (not from the search's counters).
enum ScheduleMeasures {
    struct Figures {
        var meetings = 0
        var objective = 0
        var breaks = 0
        var mostBreaks = 0
        var breakSpread = 0
        var idleSlots = 0
        var fairness = 0
        var meetingsOf: [Int] = []
        var satisfied: [String: ScheduleSummary.PriorityCount] = [:]
    }

    static func measure(model: SchedulingModel, slotOf: [Int32]) -> Figures {
        var figures = Figures()
        var slotsOf = [[Int]](repeating: [], count: model.participantCount)
        for k in 0..<model.pairCount where slotOf[k] >= 0 {
            figures.meetings += 1
            figures.objective += Int(model.pairWeight[k])
            slotsOf[Int(model.pairA[k])].append(Int(slotOf[k]))
            slotsOf[Int(model.pairB[k])].append(Int(slotOf[k]))
        }
        var fewestBreaks = Int.max
        for (i, slots) in slotsOf.enumerated() {
            let gaps = MeetingGaps(
                meetingsInSlotOrder: slots.sorted().map { (slot: $0, day: Int(model.slotDay[$0]), table: nil) })
            let own = gaps.breaks
            figures.idleSlots += gaps.idleSlots
            figures.breaks += own
            figures.mostBreaks = max(figures.mostBreaks, own)
            if model.involved[i] { fewestBreaks = min(fewestBreaks, own) }
        }
        figures.breakSpread = fewestBreaks == Int.max ? 0 : figures.mostBreaks - fewestBreaks
        figures.meetingsOf = slotsOf.map(\.count)
        let involvedCounts = (0..<model.participantCount).filter { model.involved[$0] }.map { slotsOf[$0].count }
        figures.fairness = involvedCounts.min() ?? 0
        for priority in 1...3 { figures.satisfied[String(priority)] = .init(met: 0, requested: 0) }
        for (r, pair) in model.requestPair.enumerated() {
            let key = String(model.requestPriority[r])
            figures.satisfied[key, default: .init(met: 0, requested: 0)].requested += 1
            if pair >= 0 && slotOf[Int(pair)] >= 0 { figures.satisfied[key]?.met += 1 }
        }
        return figures
    }
}
