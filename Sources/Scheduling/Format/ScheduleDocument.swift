import Foundation

/// A schedule in the public interchange format `partnering-schedule/1`
/// (`spec/schedule-format.md`).
public struct ScheduleDocument: Codable, Sendable, Hashable {
    public static let formatName = "partnering-schedule/1"

    public var format: String
    public var meetings: [Meeting]
    /// The total weight of the scheduled pairs.
    public var objective: Int
    /// A proven bound on the best objective possible.
    public var upperBound: Int?

    public init(meetings: [Meeting], objective: Int, upperBound: Int? = nil) {
        self.format = Self.formatName
        self.meetings = meetings
        self.objective = objective
        self.upperBound = upperBound
    }

    public struct Meeting: Codable, Sendable, Hashable {
        public var participants: [String]
        public var slot: String
        public var table: String

        public init(participants: [String], slot: String, table: String) {
            self.participants = participants
            self.slot = slot
            self.table = table
        }
    }
}
