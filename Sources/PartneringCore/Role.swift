/// Tag of ``Role``.
public enum RoleTag {}

/// A participant's role at the event (`company`, `expert`, ...): a name, since
/// events define their own roles and which of them may meet.
public typealias Role = Identifier<RoleTag>

extension Identifier where Tag == RoleTag {
    /// A company delegate (biotech, pharma, medtech, diagnostics).
    public static let company: Role = "company"
    /// An academic expert (researcher, clinician).
    public static let expert: Role = "expert"
}

/// Which pairs of roles may meet. Order inside a pair does not matter, and a
/// role may meet its own kind (a B2B event of `business` only, say).
public struct MeetPolicy: Hashable, Sendable, Codable {
    public let pairs: [[Role]]

    public init(pairs: [[Role]]) { self.pairs = pairs }

    /// Companies meet experts: the partnering day's default.
    public static let companiesMeetExperts = MeetPolicy(pairs: [[.company, .expert]])

    /// Whether a participant of `first` may meet one of `second`.
    public func allows(_ first: Role, _ second: Role) -> Bool {
        pairs.contains { pair in
            pair.count == 2
                && ((pair[0] == first && pair[1] == second) || (pair[0] == second && pair[1] == first))
        }
    }

    /// The roles a participant of `role` may meet.
    public func counterparts(of role: Role) -> Set<Role> {
        var result = Set<Role>()
        for pair in pairs where pair.count == 2 {
            if pair[0] == role { result.insert(pair[1]) }
            if pair[1] == role { result.insert(pair[0]) }
        }
        return result
    }

    public init(from decoder: any Decoder) throws {
        pairs = try decoder.singleValueContainer().decode([[Role]].self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(pairs)
    }
}
