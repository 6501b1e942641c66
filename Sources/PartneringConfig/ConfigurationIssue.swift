/// One defect of a configuration: where it is and what was expected.
public struct ConfigurationIssue: Sendable, Hashable, CustomStringConvertible {
    /// The file (or `environment`, `command line`) the value came from.
    public var source: String
    /// The 1-based line in `source`, when known.
    public var line: Int?
    /// The key path, e.g. `schedule.sessions[1].start`.
    public var key: String
    public var message: String

    public init(source: String, line: Int? = nil, key: String, message: String) {
        self.source = source
        self.line = line
        self.key = key
        self.message = message
    }

    public var description: String {
        let place = line.map { "\(source):\($0)" } ?? source
        return "\(place): \(key): \(message)"
    }
}

/// A configuration that cannot be used, with every defect found.
public struct ConfigurationError: Error, Sendable, CustomStringConvertible {
    public var issues: [ConfigurationIssue]

    public init(issues: [ConfigurationIssue]) { self.issues = issues }

    public var description: String {
        if issues.count == 1, let only = issues.first { return only.description }
        return "\(issues.count) configuration errors:\n"
            + issues.map { "  \($0.description)" }.joined(separator: "\n")
    }
}
