import Scheduling

/// The file `partnering schedule --explain FILE` writes: every unscheduled pair with the
/// scheduler's reasons.
public struct ExplanationDocument: Codable, Sendable, Hashable {
    public var unscheduled: [UnscheduledPair]

    public init(unscheduled: [UnscheduledPair]) { self.unscheduled = unscheduled }
}
