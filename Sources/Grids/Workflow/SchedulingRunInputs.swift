import Foundation
import PartneringCore
import Scheduling

/// What a queued scheduler run solves and how, stored with the run (`SchedulingRun.inputs`)
/// so that whichever worker claims it, in whichever process, runs the same thing.
public struct SchedulingRunInputs: Codable, Sendable {
    public var problem: ProblemDocument
    public var timeLimit: Double
    public var seed: UInt64
    /// Keep mode: the version to stay close to, and its meetings.
    public var basedOn: Int?
    public var previous: ScheduleDocument?
    public var organiser: String

    public init(
        problem: ProblemDocument, timeLimit: Double, seed: UInt64, basedOn: Int?, previous: ScheduleDocument?,
        organiser: String
    ) {
        self.problem = problem
        self.timeLimit = timeLimit
        self.seed = seed
        self.basedOn = basedOn
        self.previous = previous
        self.organiser = organiser
    }

    /// The solver's settings for this run.
    public var options: SchedulerOptions {
        SchedulerOptions(timeLimit: timeLimit, seed: seed, previous: previous)
    }

    public func json() throws -> String { try SchedulingRunInputs.compactJSON(self) }

    /// `value` as the run's columns store it: compact JSON with sorted keys.
    public static func compactJSON(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    public static func decode(_ json: String) throws -> SchedulingRunInputs {
        try JSONDecoder().decode(SchedulingRunInputs.self, from: Data(json.utf8))
    }
}
