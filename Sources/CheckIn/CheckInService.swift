import Foundation
import Metrics
import PartneringCore
import Tickets

/// The check-in desks' rules, shared by the desk page, the JSON API and the command line.
///
/// A scan is answered in this order: the ticket's own verdict (format, key, signature,
/// event, validity — ``TicketVerifier``), then the store's revocation of its id, the
/// roster (`unknown_participant`, `cancelled`), then the admission itself, which the
/// store records once per participant, serialised on the participant's row, so two desks
/// scanning the same ticket at the same moment get one admission and one
/// `already_checked_in`. Each scan carries a nonce chosen by the desk: a scan sent twice
/// (a retried request, an offline queue uploaded again) gets the first answer replayed
/// and records nothing new. Every scan, refused ones too, is written to the audit log.
public struct CheckInService: Sendable {
    public let event: EventDefinition
    public let repositories: CheckInRepositories
    /// The public keys tickets are checked against; read on each scan, so a server can
    /// pick up a rotated key set without restarting.
    public let keys: @Sendable () throws -> TicketKeySet
    /// The current time; injected so tests and replays control it.
    public let clock: @Sendable () -> Date

    public init(
        event: EventDefinition, keys: @escaping @Sendable () throws -> TicketKeySet,
        repositories: CheckInRepositories, clock: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.event = event
        self.keys = keys
        self.repositories = repositories
        self.clock = clock
    }

    /// The idempotency scope of scan nonces.
    static let nonceScope = "checkin.scan"

    // MARK: Scanning

    /// Answers a scanned ticket at `desk` and admits its holder when everything holds.
    ///
    /// - Parameters:
    ///   - text: what the scanner typed (keyboard-layout mix-ups are undone, see ``ScannedText``).
    ///   - nonce: the desk's random id of this scan; the same nonce gets the same answer.
    ///   - scannedAt: when an offline desk scanned it; the ticket's validity is judged at
    ///     that moment (never later than now). `nil`: now.
    /// - Throws: ``CheckInError`` for a bad nonce or desk, a nonce reused for another scan.
    public func scan(_ text: String, desk: String, nonce: String, scannedAt: Date? = nil) async throws
        -> ScanOutcome
    {
        try CheckInError.checkNonce(nonce)
        try CheckInError.checkDesk(desk)
        let scanned = ScannedText(text)
        let time = scanTime(scannedAt)
        return try await once(nonce: nonce, fingerprint: "scan\n" + scanned.text) {
            try await answer(scanned, desk: desk, nonce: nonce, time: time, offline: scannedAt != nil)
        }
    }

    /// Admits a participant found by name (a lost ticket), idempotent by `nonce` like a scan.
    /// The admission names the participant's current ticket, if they have one.
    public func admitWithoutTicket(_ id: ParticipantID, desk: String, nonce: String) async throws -> ScanOutcome {
        try CheckInError.checkNonce(nonce)
        try CheckInError.checkDesk(desk)
        let time = clock()
        return try await once(nonce: nonce, fingerprint: "manual\n" + id.rawValue) {
            guard let participant = try await repositories.participants.find(id: id) else {
                throw CheckInError.participantNotFound(id.rawValue)
            }
            guard let ticket = try await repositories.tickets.current(of: id)?.claims.ticketID ?? Self.noTicket
            else { throw CheckInError.participantNotFound(id.rawValue) }
            return try await conclude(
                participant: participant, ticket: ticket, refusal: nil, repair: .none, desk: desk, nonce: nonce,
                time: time, details: ["manual": "true"])
        }
    }

    /// The ticket id recorded for an admission by name of someone who has no ticket.
    public static let noTicket = TicketID(bytes: [UInt8](repeating: 0, count: TicketID.byteCount))

    /// The verdict on a scanned text, then the admission.
    private func answer(_ scanned: ScannedText, desk: String, nonce: String, time: Date, offline: Bool)
        async throws -> ScanOutcome
    {
        let verifier = TicketVerifier(keys: try keys(), revocations: RevocationList(), event: event.id) { time }
        let verdict = verifier.verify(scanned.text)
        guard let claims = verdict.claims else {
            return try await conclude(
                participant: nil, ticket: nil, refusal: verdict.refusal ?? .malformed, repair: scanned.repair,
                desk: desk, nonce: nonce, time: time, details: offline ? ["offline": "true"] : [:])
        }
        // The store's revocation list is the live one; revoked comes before the
        // validity period, as in the verifier.
        let stored = try await repositories.tickets.find(claims.ticketID)
        var refusal = verdict.refusal
        if stored?.revokedAt != nil { refusal = .revoked }
        var participant: Participant?
        if let stored {
            participant = try await repositories.participants.find(id: stored.participant)
        } else {
            participant = try await repositories.participants.find(number: claims.participantNumber)
        }
        if participant?.number != claims.participantNumber { participant = nil }
        if refusal == nil {
            if participant == nil {
                refusal = .unknownParticipant
            } else if participant?.status != .confirmed {
                refusal = .cancelled
            }
        }
        return try await conclude(
            participant: participant, ticket: claims.ticketID, refusal: refusal, repair: scanned.repair, desk: desk,
            nonce: nonce, time: time, details: offline ? ["offline": "true"] : [:])
    }

    /// Admits when nothing was refused, writes the audit entry and builds the answer.
    private func conclude(
        participant: Participant?, ticket: TicketID?, refusal: TicketRefusal?, repair: ScanRepair, desk: String,
        nonce: String, time: Date, details: [String: String]
    ) async throws -> ScanOutcome {
        var refusal = refusal
        var firstArrival: Arrival?
        if refusal == nil, let participant, participant.status != .confirmed { refusal = .cancelled }
        let clock = clock
        // The scan's audit entry: what was decided, with the details a desk supervisor reads.
        let audit = { @Sendable (refusal: TicketRefusal?, firstArrival: Arrival?) in
            var entry = details
            entry["code"] = refusal?.code ?? ScanOutcome.admittedCode
            entry["nonce"] = nonce
            if let ticket { entry["ticket"] = ticket.hex }
            if repair != .none { entry["repair"] = repair.rawValue }
            if let firstArrival { entry["firstDesk"] = firstArrival.desk }
            return AuditEntry(
                time: clock(), actor: "desk:\(desk)", action: refusal == nil ? "checkin.admit" : "checkin.refuse",
                subject: participant?.id.rawValue ?? ticket?.hex ?? "unknown", details: Self.json(entry))
        }
        if refusal == nil, let participant, let ticket {
            // The admission and its audit entry commit together.
            let record = try await repositories.checkIns.admit(
                participant: participant.id, ticket: ticket, desk: desk, nonce: nonce, at: time
            ) { record in
                FollowUp(auditEntries: [
                    record.admitted
                        ? audit(nil, nil)
                        : audit(.alreadyCheckedIn, Arrival(time: record.checkIn.time, desk: record.checkIn.desk))
                ])
            }
            if !record.admitted {
                refusal = .alreadyCheckedIn
                firstArrival = Arrival(time: record.checkIn.time, desk: record.checkIn.desk)
            }
        } else {
            // A refusal changes nothing but the log.
            _ = try await repositories.auditLog.append(audit(refusal, nil))
        }
        Counter(label: Self.scansCounter, dimensions: [("verdict", refusal?.code ?? ScanOutcome.admittedCode)])
            .increment()
        var card: ArrivalCard?
        if let participant { card = try await arrivalCard(for: participant, at: time) }
        return ScanOutcome(
            refusal: refusal, participant: card, ticket: ticket, firstArrival: firstArrival, repair: repair,
            desk: desk, nonce: nonce, time: time)
    }

    /// The swift-metrics counter of desk scans (and admissions by name) by verdict: `admitted`
    /// or the refusal's code. A repeated upload of one scan (same nonce) counts once.
    static let scansCounter = "partnering_desk_scans_total"

    /// How long a scan's nonce stays "in progress" before another upload of the scan may take
    /// it over (its process died); far longer than recording a scan takes.
    static let nonceLease: TimeInterval = 15

    /// Runs `body` once per nonce: a nonce answered before gets its stored answer back.
    private func once(nonce: String, fingerprint: String, _ body: () async throws -> ScanOutcome) async throws
        -> ScanOutcome
    {
        for _ in 0..<50 {
            let now = clock()
            // A nonce claimed by a process that died before answering is taken over after the lease.
            switch try await repositories.idempotency.claim(
                key: nonce, scope: Self.nonceScope, fingerprint: fingerprint, at: now,
                staleBefore: now.addingTimeInterval(-Self.nonceLease))
            {
            case .claimed:
                do {
                    let outcome = try await body()
                    try await repositories.idempotency.complete(
                        key: nonce, scope: Self.nonceScope, response: try Self.encode(outcome),
                        entityID: outcome.participant?.participant.rawValue)
                    return outcome
                } catch {
                    try? await repositories.idempotency.release(key: nonce, scope: Self.nonceScope)
                    throw error
                }
            case .completed(let record):
                var outcome = try Self.decoder.decode(ScanOutcome.self, from: Data(record.response.utf8))
                outcome.repeatedScan = true
                return outcome
            case .inProgress:
                // The same scan, sent twice at once: the first answer is a moment away.
                try await Task.sleep(for: .milliseconds(100))
            case .fingerprintMismatch:
                throw CheckInError.nonceReused(nonce)
            }
        }
        throw CheckInError.scanInProgress(nonce)
    }

    /// The moment a scan counts at: an offline desk's own time, never in the future.
    private func scanTime(_ scannedAt: Date?) -> Date {
        let now = clock()
        guard let scannedAt else { return now }
        return min(scannedAt, now)
    }

    // MARK: Arrival cards

    /// How many of the day's meetings an arrival card lists.
    public static let meetingsOnCard = 3

    /// The card of `participant`: the first meetings of the published schedule that
    /// are not over at `time`, on the day of the first of them.
    public func arrivalCard(for participant: Participant, at time: Date) async throws -> ArrivalCard {
        let lines = MeetingLines(event: event)
        var all: [MeetingLine] = []
        let published = try await repositories.schedules.versions()
            .filter { $0.publishedAt != nil }
            .max { ($0.publishedAt ?? .distantPast, $0.version) < ($1.publishedAt ?? .distantPast, $1.version) }
        if let published {
            for meeting in try await repositories.schedules.meetings(of: participant.id, inVersion: published.version) {
                var other: Participant?
                if let id = meeting.counterpart(of: participant.id) {
                    other = try await repositories.participants.find(id: id)
                }
                if let line = lines.line(meeting, counterpart: other) { all.append(line) }
            }
        }
        return card(of: participant, meetings: lines.firstOfTheDay(all, after: time, count: Self.meetingsOnCard))
    }

    // MARK: Encoding

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .secondsSince1970
        return decoder
    }()

    static func encode(_ outcome: ScanOutcome) throws -> String {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .secondsSince1970
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(outcome), as: UTF8.self)
    }

    static func json(_ fields: [String: String]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(fields)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}
