import Foundation
import Grids
import PartneringCore
import Scheduling

/// A running search's progress as a heartbeat stores it, for the pages of every process.
struct SchedulingRunProgress: Codable, Sendable, Hashable {
    var phase: String
    var objective: Int
    /// `nil` while no bound is proven.
    var upperBound: Int?
    var elapsed: Double

    init(_ progress: SolverProgress) {
        phase = progress.phase
        objective = progress.objective
        upperBound = progress.upperBound == Int.max ? nil : progress.upperBound
        elapsed = progress.elapsed
    }

    func json() throws -> String { try SchedulingRunInputs.compactJSON(self) }

    static func decode(_ json: String?) -> SchedulingRunProgress? {
        guard let json else { return nil }
        return try? JSONDecoder().decode(SchedulingRunProgress.self, from: Data(json.utf8))
    }
}

extension SchedulingRun {
    /// The fields of `progress.json` for a run as the store has it.
    func progressFields(words: SchedulingWords) -> [String: String] {
        var fields: [String: String] = ["run": id]
        switch state {
        case .queued:
            fields["state"] = "queued"
            fields["text"] = words.runQueued
        case .running:
            fields["state"] = "running"
            let progress = SchedulingRunProgress.decode(self.progress)
            if let progress {
                fields["phase"] = progress.phase
                fields["objective"] = String(progress.objective)
                fields["bound"] = progress.upperBound.map(String.init) ?? ""
                fields["elapsed"] = String(format: "%.1f", progress.elapsed)
            }
            fields["text"] =
                cancelRequested
                ? words.runStopping
                : words.progress(
                    objective: progress?.objective, upperBound: progress?.upperBound, elapsed: progress?.elapsed)
        case .finished, .cancelled:
            fields["state"] = state == .finished ? "finished" : "stopped"
            if let summary = self.summary.flatMap({
                try? JSONDecoder().decode(ScheduleSummary.self, from: Data($0.utf8))
            }) {
                let bound = summary.upperBound == Int.max ? nil : summary.upperBound
                fields["objective"] = String(summary.objective)
                fields["meetings"] = String(summary.meetings)
                fields["text"] = words.result(objective: summary.objective, upperBound: bound)
            } else {
                fields["text"] = words.runCancelledBeforeStart
            }
        case .failed:
            fields["state"] = "failed"
            fields["text"] = words.runFailed
        }
        return fields
    }
}
