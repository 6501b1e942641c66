import Foundation

/// The random 96-bit identifier of one issued ticket. Reissuing a ticket gives a new id
/// and revokes the old one, so an id names one token, not one participant.
public typealias TicketID = HexIdentifier<TicketIDKind>

/// Names one ticket-signing key: the first 4 bytes of the SHA-256 digest of the raw
/// 32-byte Ed25519 public key, written as 8 lowercase hexadecimal digits.
public typealias TicketKeyID = HexIdentifier<TicketKeyIDKind>

/// What a kind of byte identifier is: its length and its name in error messages.
public protocol HexIdentifierKind {
    static var byteCount: Int { get }
    static var name: String { get }
}

public enum TicketIDKind: HexIdentifierKind {
    public static let byteCount = 12
    public static let name = "a ticket id"
}

public enum TicketKeyIDKind: HexIdentifierKind {
    public static let byteCount = 4
    public static let name = "a key id"
}

/// An identifier of a fixed number of bytes, written as lowercase hexadecimal digits in
/// files, logs and pages.
public struct HexIdentifier<Kind: HexIdentifierKind>: Hashable, Comparable, Sendable, Codable,
    CustomStringConvertible
{
    /// The number of bytes of the identifier.
    public static var byteCount: Int { Kind.byteCount }

    /// The identifier as `2 * byteCount` lowercase hexadecimal digits.
    public let hex: String

    /// The identifier of these bytes; `nil` unless there are exactly `byteCount` of them.
    public init?(bytes: some Collection<UInt8>) {
        guard bytes.count == Kind.byteCount else { return nil }
        hex = HexDigits.encode(bytes)
    }

    /// The identifier written as these hexadecimal digits (either case); `nil` for
    /// anything but `2 * byteCount` digits.
    public init?(hex: String) {
        guard let bytes = HexDigits.decode(hex), bytes.count == Kind.byteCount else { return nil }
        self.hex = HexDigits.encode(bytes)
    }

    /// The bytes of the identifier.
    public var bytes: [UInt8] { HexDigits.decode(hex) ?? [] }

    public var description: String { hex }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.hex < rhs.hex }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let id = Self(hex: text) else {
            throw DecodingError.dataCorruptedError(
                in: container,
                debugDescription:
                    "\(Kind.name) is \(2 * Kind.byteCount) hexadecimal digits, found \"\(text)\"")
        }
        self = id
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(hex)
    }
}

/// What a ticket states. No personal data: the participant is named by number only,
/// and the desk looks the number up in its roster.
public struct TicketClaims: Sendable, Hashable, Codable {
    public var ticketID: TicketID
    /// The key that signed (or will sign) the ticket.
    public var keyID: TicketKeyID
    public var event: EventID
    /// The participant's short sequential number (see `Participant.number`).
    public var participantNumber: Int
    public var role: Role
    /// The first moment the ticket admits its holder.
    public var notBefore: Date
    /// The moment the ticket stops admitting its holder.
    public var expiry: Date

    public init(
        ticketID: TicketID, keyID: TicketKeyID, event: EventID, participantNumber: Int, role: Role,
        notBefore: Date, expiry: Date
    ) {
        self.ticketID = ticketID
        self.keyID = keyID
        self.event = event
        self.participantNumber = participantNumber
        self.role = role
        self.notBefore = notBefore
        self.expiry = expiry
    }
}

/// Why a ticket does not admit its holder. The raw values are stable codes shared by the
/// desk page, the JSON API, the audit log and the command line: never rename them.
public enum TicketRefusal: String, Sendable, Codable, CaseIterable, Hashable, Error {
    /// The text is not a ticket: wrong prefix, bad Base45, wrong length or field values.
    case malformed = "malformed"
    /// A ticket of a format version this verifier does not know.
    case unsupportedVersion = "unsupported_version"
    /// Signed by a key that is not in the desk's key set.
    case unknownKey = "unknown_key"
    /// The signature does not match the content: forged or altered.
    case badSignature = "bad_signature"
    /// A genuine ticket for another event.
    case otherEvent = "other_event"
    /// The ticket was reissued or cancelled.
    case revoked = "revoked"
    /// Scanned before the ticket's not-before moment.
    case notYetValid = "not_yet_valid"
    /// Scanned after the ticket's expiry.
    case expired = "expired"
    /// The ticket was already admitted (by this or another desk).
    case alreadyCheckedIn = "already_checked_in"
    /// A genuine ticket whose participant number the desk's roster does not know.
    case unknownParticipant = "unknown_participant"
    /// A genuine ticket of a registration that is no longer confirmed (cancelled, rejected).
    case cancelled = "cancelled"

    /// The stable code, as it appears on the wire.
    public var code: String { rawValue }

    /// A short explanation for the person at the desk.
    public var message: LocalizedText {
        switch self {
        case .malformed:
            LocalizedText(
                fr: "Ce code n'est pas un billet lisible.", en: "This code is not a readable ticket.")
        case .unsupportedVersion:
            LocalizedText(
                fr: "Billet d'une version inconnue de ce poste.",
                en: "Ticket of a version this desk does not know.")
        case .unknownKey:
            LocalizedText(
                fr: "Billet signé par une clé inconnue.", en: "Ticket signed by an unknown key.")
        case .badSignature:
            LocalizedText(
                fr: "Signature invalide : billet falsifié ou altéré.",
                en: "Bad signature: forged or altered ticket.")
        case .otherEvent:
            LocalizedText(fr: "Billet d'un autre événement.", en: "Ticket for another event.")
        case .revoked:
            LocalizedText(
                fr: "Billet révoqué (réémis ou annulé).", en: "Ticket revoked (reissued or cancelled).")
        case .notYetValid:
            LocalizedText(fr: "Billet pas encore valable.", en: "Ticket not yet valid.")
        case .expired:
            LocalizedText(fr: "Billet expiré.", en: "Ticket expired.")
        case .alreadyCheckedIn:
            LocalizedText(fr: "Déjà enregistré.", en: "Already checked in.")
        case .unknownParticipant:
            LocalizedText(
                fr: "Participant inconnu de la liste des inscrits.", en: "Participant not on the attendee list.")
        case .cancelled:
            LocalizedText(
                fr: "Inscription annulée ou non confirmée.", en: "Registration cancelled or not confirmed.")
        }
    }
}

/// Lowercase hexadecimal text for the byte identifiers above.
public enum HexDigits {
    private static let digits = Array("0123456789abcdef".utf8)

    /// `bytes` as lowercase hexadecimal digits, two per byte.
    public static func encode(_ bytes: some Collection<UInt8>) -> String {
        var text: [UInt8] = []
        text.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// The bytes of hexadecimal digits (either case); `nil` for anything else.
    public static func decode(_ text: String) -> [UInt8]? {
        let characters = Array(text.utf8)
        guard characters.count.isMultiple(of: 2) else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(characters.count / 2)
        var index = 0
        while index < characters.count {
            guard let high = value(of: characters[index]), let low = value(of: characters[index + 1])
            else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }

    private static func value(of character: UInt8) -> UInt8? {
        switch character {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): character - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): character - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): character - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
