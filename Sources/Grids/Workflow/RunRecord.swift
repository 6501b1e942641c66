import Foundation
import Scheduling

/// What the organiser area keeps of a scheduler run or a hand adjustment beside its meetings
/// (stored as a schedule version's summary JSON): its input problem, its summary, how it
/// was made, and the pins organisers set for the next run.
public struct RunRecord: Codable, Sendable {
    /// How the version was made.
    public enum Origin: String, Codable, Sendable {
        /// A scheduler run on the registrations of the time.
        case run
        /// A re-plan in keep mode from an earlier version.
        case replan
        /// A meeting moved, cancelled, pinned or unpinned by hand.
        case adjustment
    }

    public var origin: Origin
    public var problem: ProblemDocument
    public var summary: ScheduleSummary?
    public var timeLimit: Double?
    /// The organiser stopped the run before its time limit.
    public var cancelled: Bool
    /// The version this one started from (keep mode, adjustments).
    public var basedOn: Int?
    /// In words: "moved c1–e1 to d1-0930 T2".
    public var note: String?
    /// The changes made by hand, in order (a saved draft).
    public var adjustments: [MeetingAdjustment]?
    /// Who started the run or saved the changes.
    public var organiser: String?

    public init(
        origin: Origin, problem: ProblemDocument, summary: ScheduleSummary? = nil, timeLimit: Double? = nil,
        cancelled: Bool = false, basedOn: Int? = nil, note: String? = nil, adjustments: [MeetingAdjustment]? = nil,
        organiser: String? = nil
    ) {
        self.origin = origin
        self.problem = problem
        self.summary = summary
        self.timeLimit = timeLimit
        self.cancelled = cancelled
        self.basedOn = basedOn
        self.note = note
        self.adjustments = adjustments
        self.organiser = organiser
    }

    /// The record as stored (compact JSON).
    public func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    /// Reads a stored record; nil when the version was not made by the organiser area.
    public static func decode(_ json: String?) -> RunRecord? {
        guard let json else { return nil }
        return try? JSONDecoder().decode(RunRecord.self, from: Data(json.utf8))
    }

    /// The scheduler's explanation of what `schedule` leaves out of `problem`, recomputed
    /// (explanations of large events are too big to store).
    public static func explain(_ schedule: ScheduleDocument, of problem: ProblemDocument) throws(InvalidProblem)
        -> ExplanationDocument
    {
        let model = try SchedulingModel.compile(problem)
        var slotOfPair = [Int32](repeating: -1, count: model.pairCount)
        let slotIndex = Dictionary(model.slotIDs.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        for meeting in schedule.meetings where meeting.participants.count == 2 {
            guard let a = model.participantIndex[meeting.participants[0]],
                let b = model.participantIndex[meeting.participants[1]], let pair = model.pair(a, b),
                let slot = slotIndex[meeting.slot]
            else { continue }
            slotOfPair[pair] = Int32(slot)
        }
        return ExplanationDocument(unscheduled: Explanation.explain(model: model, slotOfPair: slotOfPair))
    }
}
