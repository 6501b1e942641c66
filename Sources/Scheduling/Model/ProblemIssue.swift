import Foundation

/// One defect of a problem, located by its JSON path (`participants[12].available[3]`).
public struct ProblemIssue: Sendable, Hashable, CustomStringConvertible {
    /// Where the defect is, as a JSON path from the document root; empty for the whole document.
    public var path: String
    /// What is wrong, in words an organiser understands.
    public var message: String

    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { path.isEmpty ? message : "\(path): \(message)" }
}

/// A problem that cannot be scheduled: every defect found, all at once.
public struct InvalidProblem: Error, Sendable, CustomStringConvertible {
    public var issues: [ProblemIssue]

    public init(issues: [ProblemIssue]) { self.issues = issues }

    public var description: String {
        "invalid problem (\(issues.count) defect\(issues.count == 1 ? "" : "s")):\n"
            + issues.map { "  \($0)" }.joined(separator: "\n")
    }
}
