import Foundation
import Scheduling

/// A running search's progress as a heartbeat stores it, for the pages of every process.
public struct SchedulingRunProgress: Codable, Sendable, Hashable {
    /// The phase of the search the solver is in, as it names it.
    public var phase: String
    /// The objective of the best schedule found so far.
    public var objective: Int
    /// `nil` while no bound is proven.
    public var upperBound: Int?
    /// Seconds since the search started.
    public var elapsed: Double

    public init(_ progress: SolverProgress) {
        phase = progress.phase
        objective = progress.objective
        upperBound = progress.upperBound == Int.max ? nil : progress.upperBound
        elapsed = progress.elapsed
    }

    /// The progress as a heartbeat stores it.
    public func json() throws -> String { try SchedulingRunInputs.compactJSON(self) }

    /// The progress a heartbeat stored, `nil` when there is none or it is unreadable.
    public static func decode(_ json: String?) -> SchedulingRunProgress? {
        guard let json else { return nil }
        return try? JSONDecoder().decode(SchedulingRunProgress.self, from: Data(json.utf8))
    }
}
