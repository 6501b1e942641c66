import Foundation
import PartneringCore
import Tickets

/// What a desk needs to keep verifying when the network is gone: the public keys, the
/// revocation list and the roster (names, organisations, roles, meetings, arrivals).
///
/// The JSON form is also a key set and a revocation list: its `keys` and `revoked` fields
/// are those of the JSON Web Key Set and of `{"revoked": [...]}`, so
/// `partnering ticket verify TOKEN --keys bundle.json --revoked bundle.json` reads it.
/// It holds personal data (the roster): desks download it signed in, and it should not
/// outlive the event.
public struct DeskBundle: Sendable, Hashable, Codable {
    /// The format name and version of the file.
    public static let currentFormat = "partnering-desk-bundle/1"

    public var format: String
    public var event: EventID
    public var eventName: LocalizedText
    /// The 3-byte event tag tickets carry, as 6 hexadecimal digits (see docs/tickets.md).
    public var eventTag: String
    public var generatedAt: Date
    /// The public keys, as JSON Web Keys (RFC 8037).
    public var keys: [JSONWebKey]
    public var revoked: [TicketID]
    public var roster: [RosterEntry]

    /// One Ed25519 public key in JSON Web Key form.
    public struct JSONWebKey: Sendable, Hashable, Codable {
        public var kty: String
        public var crv: String
        public var alg: String?
        public var use: String?
        public var kid: String?
        public var x: String
    }

    /// The bundle's keys as a key set (each `kid` checked against its key).
    public func keySet() throws -> TicketKeySet {
        let encoder = JSONEncoder()
        return try TicketKeySet(json: encoder.encode(["keys": keys]))
    }

    /// The JSON form: pretty-printed, sorted keys, ISO 8601 times.
    public func json() throws -> Data {
        try Self.encoder.encode(self)
    }

    /// Reads the JSON form.
    public init(json: Data) throws {
        self = try Self.decoder.decode(DeskBundle.self, from: json)
    }

    init(
        event: EventDefinition, generatedAt: Date, keys: TicketKeySet, revoked: [TicketID], roster: [RosterEntry]
    ) throws {
        format = Self.currentFormat
        self.event = event.id
        eventName = event.name
        eventTag = HexDigits.encode(TicketLayout.eventTag(of: event.id))
        self.generatedAt = generatedAt
        self.keys = try JSONDecoder().decode(KeyList.self, from: keys.json()).keys
        self.revoked = revoked
        self.roster = roster
    }

    private struct KeyList: Codable {
        var keys: [JSONWebKey]
    }

    /// The encoder of bundles and API answers: ISO 8601 times, sorted keys.
    public static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }()

    /// The decoder matching ``encoder``.
    public static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()
}

extension CheckInService {
    /// The offline bundle as of now.
    public func bundle() async throws -> DeskBundle {
        try DeskBundle(
            event: event, generatedAt: clock(), keys: try keys(),
            revoked: try await repositories.tickets.revokedIDs(), roster: try await roster())
    }
}
