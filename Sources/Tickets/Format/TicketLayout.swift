import Foundation
import PartneringCore

/// The constants of the version 1 ticket format (see docs/tickets.md).
public enum TicketLayout {
    /// The text before the Base45 part: format name and version.
    public static let prefix = "PT1:"
    /// The version byte at the start of the body.
    public static let version: UInt8 = 1
    /// Bytes of the signed body.
    public static let bodyLength = 36
    /// Bytes of an Ed25519 signature.
    public static let signatureLength = 64
    /// Characters of a whole token: prefix plus the Base45 of body and signature.
    public static let tokenLength =
        prefix.utf8.count + Base45.encodedLength(ofByteCount: bodyLength + signatureLength)
    /// Bytes of the event tag.
    public static let eventTagLength = 3
    /// The largest participant number a ticket can carry (2 bytes).
    public static let maximumParticipantNumber = Int(UInt16.max)

    /// Signed before the body, so that a ticket signature can never be mistaken for the
    /// signature of anything else made with the same key.
    static let domainSeparation: [UInt8] = Array("partnering/ticket/v1".utf8) + [0]

    /// The exact bytes the signature covers: the domain-separation prefix, then the body.
    static func signedMessage(body: some Collection<UInt8>) -> [UInt8] {
        domainSeparation + body
    }

    /// The event tag of an event: the first 3 bytes of SHA-256 of the UTF-8 event id.
    /// Tickets carry the tag, not the id, to stay small; a verifier compares tags.
    public static func eventTag(of event: EventID) -> [UInt8] {
        Array(SHA256Digest.of(Array(event.rawValue.utf8)).prefix(eventTagLength))
    }
}

/// A ticket taken apart, its signature not yet checked. `TicketVerifier` decides whether
/// to trust it; this type only knows the layout.
public struct TicketToken: Sendable, Hashable {
    public let keyID: TicketKeyID
    public let ticketID: TicketID
    /// See `TicketLayout.eventTag(of:)`.
    public let eventTag: [UInt8]
    public let participantNumber: Int
    public let role: Role
    /// Seconds since 1970-01-01T00:00:00Z.
    public let notBefore: UInt32
    /// Seconds since 1970-01-01T00:00:00Z.
    public let expiry: UInt32
    public let signature: [UInt8]

    /// Why a text is not a ticket: a refusal (`malformed` or `unsupportedVersion`) and
    /// what exactly is wrong.
    public struct FormatError: Error, Equatable, CustomStringConvertible {
        public var refusal: TicketRefusal
        public var detail: String

        public var description: String { "\(refusal.code): \(detail)" }

        static func malformed(_ detail: String) -> FormatError {
            FormatError(refusal: .malformed, detail: detail)
        }
    }

    /// The 36 signed bytes, exactly as read or written.
    public let body: [UInt8]

    /// The bytes the signature covers: domain-separation prefix and body.
    public var signedMessage: [UInt8] { TicketLayout.signedMessage(body: body) }

    /// The text form: `PT1:` and the Base45 of body and signature.
    public var text: String { TicketLayout.prefix + Base45.encode(body + signature) }

    /// Takes a ticket text apart. Line breaks around the text (as scanners and `zbarimg`
    /// add them) are ignored; anything else out of place makes the text malformed.
    public init(text: String) throws(FormatError) {
        let trimmed = text.trimmingLineBreaks()
        // The prefix is looked for in the first characters only: a long text is refused
        // without reading it all.
        guard trimmed.hasPrefix("PT"), let colon = trimmed.prefix(8).firstIndex(of: ":") else {
            throw .malformed("a ticket starts with \(TicketLayout.prefix)")
        }
        let prefix = trimmed[...colon]
        guard prefix == TicketLayout.prefix else {
            let version = prefix.dropFirst(2).dropLast()
            if !version.isEmpty, version.allSatisfy(\.isASCII), version.allSatisfy(\.isNumber) {
                throw FormatError(
                    refusal: .unsupportedVersion, detail: "ticket format \(prefix.dropLast())")
            }
            throw .malformed("a ticket starts with \(TicketLayout.prefix)")
        }
        let length = trimmed.utf8.count
        guard length == TicketLayout.tokenLength else {
            throw .malformed("a ticket has \(TicketLayout.tokenLength) characters, this text \(length)")
        }
        let bytes: [UInt8]
        do {
            bytes = try Base45.decode(trimmed[trimmed.index(after: colon)...])
        } catch {
            throw .malformed("after the prefix, \(error)")
        }
        try self.init(bytes: bytes)
    }

    /// Takes the binary form (body then signature) apart.
    public init(bytes: [UInt8]) throws(FormatError) {
        let expected = TicketLayout.bodyLength + TicketLayout.signatureLength
        guard bytes.count == expected else {
            throw .malformed("a ticket holds \(expected) bytes, this one \(bytes.count)")
        }
        guard bytes[0] == TicketLayout.version else {
            throw FormatError(refusal: .unsupportedVersion, detail: "body version \(bytes[0])")
        }
        var reader = ByteReader(bytes: bytes, offset: 1)
        guard let keyID = TicketKeyID(bytes: reader.take(TicketKeyID.byteCount)),
            let ticketID = TicketID(bytes: reader.take(TicketID.byteCount))
        else { throw .malformed("truncated identifiers") }
        let eventTag = Array(reader.take(TicketLayout.eventTagLength))
        let participantNumber = Int(reader.integer(byteCount: 2))
        let roleValue = reader.integer(byteCount: RoleCode.byteCount)
        let notBefore = UInt32(reader.integer(byteCount: 4))
        let expiry = UInt32(reader.integer(byteCount: 4))
        guard let role = RoleCode.decode(roleValue) else {
            throw .malformed("the role field holds no role name")
        }
        guard notBefore < expiry else {
            throw .malformed("the ticket expires before it becomes valid")
        }
        self.keyID = keyID
        self.ticketID = ticketID
        self.eventTag = eventTag
        self.participantNumber = participantNumber
        self.role = role
        self.notBefore = notBefore
        self.expiry = expiry
        self.body = Array(bytes[0..<TicketLayout.bodyLength])
        self.signature = Array(reader.take(TicketLayout.signatureLength))
    }

    /// A token from its fields, signed by `key`: how the issuer makes one. The fields must
    /// have been checked (participant number and role within range).
    init(
        keyID: TicketKeyID, ticketID: TicketID, eventTag: [UInt8], participantNumber: Int,
        role: Role, notBefore: UInt32, expiry: UInt32, signedBy key: TicketSigningKey
    ) throws(TicketKeyError) {
        self.keyID = keyID
        self.ticketID = ticketID
        self.eventTag = eventTag
        self.participantNumber = participantNumber
        self.role = role
        self.notBefore = notBefore
        self.expiry = expiry
        var body: [UInt8] = [TicketLayout.version]
        body.reserveCapacity(TicketLayout.bodyLength)
        body += keyID.bytes
        body += ticketID.bytes
        body += eventTag
        body += BigEndian.bytes(of: UInt64(participantNumber), count: 2)
        body += BigEndian.bytes(of: (try? RoleCode.encode(role)) ?? 0, count: RoleCode.byteCount)
        body += BigEndian.bytes(of: UInt64(notBefore), count: 4)
        body += BigEndian.bytes(of: UInt64(expiry), count: 4)
        self.body = body
        self.signature = try key.sign(TicketLayout.signedMessage(body: body))
    }

    /// The claims of the ticket, given the event it was checked against.
    public func claims(event: EventID) -> TicketClaims {
        TicketClaims(
            ticketID: ticketID, keyID: keyID, event: event, participantNumber: participantNumber,
            role: role, notBefore: Date(timeIntervalSince1970: TimeInterval(notBefore)),
            expiry: Date(timeIntervalSince1970: TimeInterval(expiry)))
    }
}

/// Reads fixed-width fields in order.
private struct ByteReader {
    let bytes: [UInt8]
    var offset: Int

    mutating func take(_ count: Int) -> ArraySlice<UInt8> {
        let end = min(offset + count, bytes.count)
        defer { offset = end }
        return bytes[offset..<end]
    }

    mutating func integer(byteCount: Int) -> UInt64 {
        take(byteCount).reduce(0) { $0 << 8 | UInt64($1) }
    }
}

/// Big-endian integers of a given width.
enum BigEndian {
    static func bytes(of value: UInt64, count: Int) -> [UInt8] {
        (0..<count).reversed().map { UInt8(truncatingIfNeeded: value >> (8 * UInt64($0))) }
    }
}

extension String {
    fileprivate func trimmingLineBreaks() -> Substring {
        let isBreak: (Character) -> Bool = { $0 == "\n" || $0 == "\r" || $0 == "\r\n" }
        var text = self[...]
        while let last = text.last, isBreak(last) { text = text.dropLast() }
        while let first = text.first, isBreak(first) { text = text.dropFirst() }
        return text
    }
}
