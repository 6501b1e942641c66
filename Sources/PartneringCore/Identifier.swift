/// A typed identifier: the tag keeps a participant id from being passed where
/// a slot id is expected, while the raw value stays a plain string on the wire.
public struct Identifier<Tag>: Hashable, Comparable, Sendable, Codable, RawRepresentable,
    ExpressibleByStringLiteral, CustomStringConvertible
{
    public let rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    public var description: String { rawValue }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// Tags for the identifiers of the domain.
public enum ParticipantTag {}
public enum SlotTag {}
public enum TableTag {}
public enum EventTag {}
public enum CategoryTag {}
public enum TopicTag {}
public enum RequestTag {}

public typealias ParticipantID = Identifier<ParticipantTag>
public typealias SlotID = Identifier<SlotTag>
public typealias TableID = Identifier<TableTag>
public typealias EventID = Identifier<EventTag>
public typealias CategoryID = Identifier<CategoryTag>
public typealias TopicID = Identifier<TopicTag>
public typealias RequestID = Identifier<RequestTag>
