import Foundation
import PartneringCore

/// The public keys a verifier trusts: every key that signed tickets still in circulation,
/// so that rotating the signing key never invalidates a ticket already issued.
///
/// Its JSON form is a JSON Web Key Set (RFC 7517) of Ed25519 keys (RFC 8037):
/// `{"keys": [{"kty": "OKP", "crv": "Ed25519", "alg": "EdDSA", "use": "sig",
/// "kid": "<8 hex digits>", "x": "<base64url raw key>"}]}`.
public struct TicketKeySet: Sendable, Hashable {
    /// The keys, in the order they were added.
    public private(set) var keys: [TicketPublicKey]
    private var index: [TicketKeyID: TicketPublicKey]

    /// A key set of these keys; a key given twice is kept once.
    public init(_ keys: [TicketPublicKey] = []) {
        self.keys = []
        self.index = [:]
        for key in keys { insert(key) }
    }

    /// Adds a key, unless a key with the same id is already there.
    public mutating func insert(_ key: TicketPublicKey) {
        guard index[key.keyID] == nil else { return }
        keys.append(key)
        index[key.keyID] = key
    }

    /// The key with this id, if the set has it.
    public func key(_ id: TicketKeyID) -> TicketPublicKey? { index[id] }

    /// Why a key set file cannot be read.
    public struct ReadError: Error, Equatable, CustomStringConvertible {
        public var description: String
    }

    /// Reads the JSON Web Key Set form. Each key's `kid` must match its `x`, so that a
    /// key set edited by hand cannot name one key with another's id.
    public init(json: Data) throws(ReadError) {
        let document: KeySetDocument
        do {
            document = try JSONDecoder().decode(KeySetDocument.self, from: json)
        } catch {
            throw ReadError(description: "not a JSON key set ({\"keys\": [...]}): \(DocumentIssue(describing: error))")
        }
        var keys: [TicketPublicKey] = []
        for (position, entry) in document.keys.enumerated() {
            let label = "key \(position + 1)\(entry.kid.map { " (kid \($0))" } ?? "")"
            guard entry.kty == "OKP", entry.crv == "Ed25519" else {
                throw ReadError(description: "\(label): expected kty OKP and crv Ed25519")
            }
            guard let raw = Base64URL.decode(entry.x) else {
                throw ReadError(description: "\(label): x is not base64url")
            }
            let key: TicketPublicKey
            do { key = try TicketPublicKey(raw: raw) } catch {
                throw ReadError(description: "\(label): \(error)")
            }
            if let kid = entry.kid, kid.lowercased() != key.keyID.hex {
                throw ReadError(
                    description: "\(label): kid does not match the key, whose id is \(key.keyID)")
            }
            keys.append(key)
        }
        self.init(keys)
    }

    /// The JSON Web Key Set form, pretty-printed with sorted keys.
    public func json() -> Data {
        let document = KeySetDocument(
            keys: keys.map {
                KeySetDocument.Entry(
                    kty: "OKP", crv: "Ed25519", alg: "EdDSA", use: "sig", kid: $0.keyID.hex,
                    x: Base64URL.encode($0.raw))
            })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Encoding plain strings into JSON cannot fail.
        return (try? encoder.encode(document)) ?? Data()
    }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.keys == rhs.keys }
    public func hash(into hasher: inout Hasher) { hasher.combine(keys) }
}

private struct KeySetDocument: Codable {
    struct Entry: Codable {
        var kty: String
        var crv: String
        var alg: String?
        var use: String?
        var kid: String?
        var x: String
    }
    var keys: [Entry]
}
