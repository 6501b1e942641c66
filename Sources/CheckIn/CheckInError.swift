import Foundation
import PartneringCore

/// Why a scan request itself was refused (as opposed to the ticket it carries, whose
/// refusals are ``TicketRefusal`` codes in a ``ScanOutcome``).
public enum CheckInError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The nonce must be 8 to 128 characters among `A-Z a-z 0-9 - _`.
    case invalidNonce(String)
    /// The desk name must be 1 to 64 characters, without control characters.
    case invalidDesk(String)
    /// The nonce was first used for another scan (another ticket or participant).
    case nonceReused(String)
    /// A scan with the same nonce is being recorded right now; retry.
    case scanInProgress(String)
    /// No participant has this id or number.
    case participantNotFound(String)
    /// An offline upload holds more scans than one request may carry.
    case tooManyScans(limit: Int)

    public var description: String {
        switch self {
        case .invalidNonce(let nonce):
            "nonce \"\(nonce.prefix(40))\": expected 8 to 128 characters among A-Z a-z 0-9 - _"
        case .invalidDesk(let desk): "desk \"\(desk.prefix(40))\": expected 1 to 64 printable characters"
        case .nonceReused(let nonce): "nonce \(nonce) was already used for another scan"
        case .scanInProgress(let nonce): "the scan with nonce \(nonce) is being recorded; retry"
        case .participantNotFound(let id): "no participant \(id)"
        case .tooManyScans(let limit): "at most \(limit) scans per upload"
        }
    }

    /// Throws ``invalidNonce(_:)`` unless `nonce` is 8 to 128 characters among `A-Z a-z 0-9 - _`.
    public static func checkNonce(_ nonce: String) throws(CheckInError) {
        let allowed = nonce.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII
                && (CharacterSet.alphanumerics.contains(scalar) || scalar == "-" || scalar == "_")
        }
        guard (8...128).contains(nonce.count), allowed else { throw .invalidNonce(nonce) }
    }

    /// Throws ``invalidDesk(_:)`` unless `desk` is 1 to 64 printable characters.
    public static func checkDesk(_ desk: String) throws(CheckInError) {
        let printable = !desk.unicodeScalars.contains { CharacterSet.controlCharacters.contains($0) }
        guard (1...64).contains(desk.count), printable, !desk.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw .invalidDesk(desk)
        }
    }
}
