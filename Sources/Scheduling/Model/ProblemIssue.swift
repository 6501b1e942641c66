import Foundation
import PartneringCore

/// One defect of a problem, located by its JSON path (`participants[12].available[3]`).
public typealias ProblemIssue = DocumentIssue

/// A problem that cannot be scheduled: every defect found, all at once.
public struct InvalidProblem: Error, Sendable, CustomStringConvertible {
    public var issues: [ProblemIssue]

    public init(issues: [ProblemIssue]) { self.issues = issues }

    public var description: String {
        "invalid problem (\(issues.count) defect\(issues.count == 1 ? "" : "s")):\n"
            + issues.map { "  \($0)" }.joined(separator: "\n")
    }
}
