import Foundation
import PartneringCore

/// The ids of tickets that no longer admit anyone: reissued or cancelled. Desks receive
/// it with the public keys.
///
/// JSON form: `{"revoked": ["<24 hex digits>", ...]}`, ids sorted.
public struct RevocationList: Sendable, Hashable, Codable {
    /// The revoked ticket ids.
    public private(set) var revoked: Set<TicketID>

    public init(_ revoked: some Sequence<TicketID> = []) { self.revoked = Set(revoked) }

    /// Whether the ticket with this id is revoked.
    public func contains(_ id: TicketID) -> Bool { revoked.contains(id) }

    /// Revokes a ticket id. Returns whether it was not revoked before.
    @discardableResult
    public mutating func revoke(_ id: TicketID) -> Bool { revoked.insert(id).inserted }

    /// Adds every id of another list (a desk merging updates).
    public mutating func formUnion(_ other: RevocationList) { revoked.formUnion(other.revoked) }

    /// The number of revoked ids.
    public var count: Int { revoked.count }

    private enum CodingKeys: String, CodingKey { case revoked }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        revoked = Set(try container.decode([TicketID].self, forKey: .revoked))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(revoked.sorted(), forKey: .revoked)
    }

    /// Why a revocation file cannot be read.
    public struct ReadError: Error, Equatable, CustomStringConvertible {
        public var description: String
    }

    /// Reads the JSON form.
    public init(json: Data) throws(ReadError) {
        do {
            self = try JSONDecoder().decode(RevocationList.self, from: json)
        } catch {
            throw ReadError(
                description: "not a revocation list ({\"revoked\": [ticket ids]}): \(DocumentIssue(describing: error))")
        }
    }

    /// The JSON form, pretty-printed.
    public func json() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        // Encoding hexadecimal strings cannot fail.
        return (try? encoder.encode(self)) ?? Data()
    }
}
