import Foundation
import PartneringCore

/// A scan a desk made while the server was out of reach, as it uploads it.
public struct OfflineScan: Sendable, Hashable, Codable {
    /// What the scanner typed.
    public var text: String
    /// The desk's random id of the scan.
    public var nonce: String
    /// When the desk scanned it, by its own clock.
    public var scannedAt: Date
    /// What the desk answered offline: `admitted` or a refusal code.
    public var localCode: String

    public init(text: String, nonce: String, scannedAt: Date, localCode: String) {
        self.text = text
        self.nonce = nonce
        self.scannedAt = scannedAt
        self.localCode = localCode
    }
}

/// A scan admitted offline that the server does not confirm.
public struct CheckInConflict: Sendable, Hashable, Codable {
    /// Why: `admitted_twice` (the same participant was admitted at another desk first,
    /// both offline) or `refused_by_server` (revoked, cancelled... since the bundle).
    public var kind: String
    public var nonce: String
    public var desk: String
    public var scannedAt: Date
    /// What the server answers: `already_checked_in` or another refusal code.
    public var serverCode: String
    public var participant: ArrivalCard?
    /// The admission that counts (for `admitted_twice`).
    public var firstArrival: Arrival?

    public static let admittedTwice = "admitted_twice"
    public static let refusedByServer = "refused_by_server"
}

/// What an upload of offline scans did.
public struct UploadReport: Sendable, Hashable, Codable {
    /// The server's answer to each scan, in the order they were scanned.
    public var outcomes: [ScanOutcome]
    /// The admissions made offline that the server does not confirm.
    public var conflicts: [CheckInConflict]
    /// Scans recorded by this upload (not seen before).
    public var recorded: Int
    /// Scans whose nonce was uploaded before: nothing recorded again.
    public var repeated: Int
}

extension CheckInService {
    /// The most scans one upload may carry.
    public static let uploadLimit = 2_000

    /// Records the scans an offline desk queued, in the order they were scanned, each
    /// judged at its scan time (never later than now) and idempotent by nonce, so an
    /// upload that is retried records nothing twice. Reports the admissions the desk made
    /// that the server does not confirm: the same participant admitted at two desks while
    /// both were offline, or a ticket revoked or cancelled after the desk's bundle.
    public func upload(_ scans: [OfflineScan], desk: String) async throws -> UploadReport {
        guard scans.count <= Self.uploadLimit else { throw CheckInError.tooManyScans(limit: Self.uploadLimit) }
        try CheckInError.checkDesk(desk)
        for scan in scans { try CheckInError.checkNonce(scan.nonce) }
        var outcomes: [ScanOutcome] = []
        var conflicts: [CheckInConflict] = []
        for scan in scans.sorted(by: { ($0.scannedAt, $0.nonce) < ($1.scannedAt, $1.nonce) }) {
            let outcome = try await self.scan(scan.text, desk: desk, nonce: scan.nonce, scannedAt: scan.scannedAt)
            outcomes.append(outcome)
            guard scan.localCode == ScanOutcome.admittedCode, !outcome.isAdmitted else { continue }
            let conflict = CheckInConflict(
                kind: outcome.refusal == .alreadyCheckedIn
                    ? CheckInConflict.admittedTwice : CheckInConflict.refusedByServer,
                nonce: scan.nonce, desk: desk, scannedAt: outcome.time, serverCode: outcome.code,
                participant: outcome.participant, firstArrival: outcome.firstArrival)
            conflicts.append(conflict)
            if !outcome.repeatedScan {
                var details = ["kind": conflict.kind, "nonce": scan.nonce, "serverCode": outcome.code]
                if let first = outcome.firstArrival { details["firstDesk"] = first.desk }
                _ = try await repositories.auditLog.append(
                    AuditEntry(
                        time: clock(), actor: "desk:\(desk)", action: "checkin.conflict",
                        subject: outcome.participant?.participant.rawValue ?? outcome.ticket?.hex ?? "unknown",
                        details: Self.json(details)))
            }
        }
        return UploadReport(
            outcomes: outcomes, conflicts: conflicts, recorded: outcomes.count { !$0.repeatedScan },
            repeated: outcomes.count { $0.repeatedScan })
    }
}
