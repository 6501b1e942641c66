import Foundation
import PartneringCore

/// Who stands at the desk, as the desk shows them: name, organisation, role and the
/// first meetings of the day.
public struct ArrivalCard: Sendable, Hashable, Codable {
    public var participant: ParticipantID
    public var number: Int
    public var name: String
    public var organisation: String
    public var role: Role
    /// The role as the event names it, in French and English.
    public var roleName: LocalizedText
    public var status: RegistrationStatus
    /// The participant's first meetings of the day of the scan, earliest first.
    public var meetings: [MeetingLine]

    public init(
        participant: ParticipantID, number: Int, name: String, organisation: String, role: Role,
        roleName: LocalizedText, status: RegistrationStatus, meetings: [MeetingLine]
    ) {
        self.participant = participant
        self.number = number
        self.name = name
        self.organisation = organisation
        self.role = role
        self.roleName = roleName
        self.status = status
        self.meetings = meetings
    }
}

/// One meeting on an arrival card.
public struct MeetingLine: Sendable, Hashable, Codable {
    public var start: Date
    public var end: Date
    /// The local start time, `09:20`, in the event's time zone.
    public var time: String
    public var table: String
    public var counterpart: String
    public var counterpartOrganisation: String

    public init(
        start: Date, end: Date, time: String, table: String, counterpart: String, counterpartOrganisation: String
    ) {
        self.start = start
        self.end = end
        self.time = time
        self.table = table
        self.counterpart = counterpart
        self.counterpartOrganisation = counterpartOrganisation
    }
}

/// When and where a participant was admitted.
public struct Arrival: Sendable, Hashable, Codable {
    public var time: Date
    public var desk: String

    public init(time: Date, desk: String) {
        self.time = time
        self.desk = desk
    }
}

/// The answer to one scan, as the desk page, the JSON API and the command line show it.
public struct ScanOutcome: Sendable, Hashable, Codable {
    /// `admitted`, or the refusal's stable code (``TicketRefusal``).
    public var code: String
    /// What to tell the person at the desk.
    public var message: LocalizedText
    /// Whose ticket it is, when the ticket could be trusted and the roster knows them.
    public var participant: ArrivalCard?
    public var ticket: TicketID?
    /// For `already_checked_in`: the first admission.
    public var firstArrival: Arrival?
    /// What was undone in the scanned text (keyboard layout, case).
    public var repair: ScanRepair
    public var desk: String
    public var nonce: String
    /// The moment of the scan (for offline scans, when the desk scanned it).
    public var time: Date
    /// Whether this nonce had been answered before: the stored answer is replayed and
    /// nothing was recorded again.
    public var repeatedScan: Bool

    /// The code of an admission.
    public static let admittedCode = "admitted"

    public init(
        refusal: TicketRefusal?, participant: ArrivalCard?, ticket: TicketID?, firstArrival: Arrival?,
        repair: ScanRepair, desk: String, nonce: String, time: Date, repeatedScan: Bool = false
    ) {
        self.code = refusal?.code ?? Self.admittedCode
        self.message = refusal?.message ?? LocalizedText(fr: "Bienvenue !", en: "Welcome!")
        self.participant = participant
        self.ticket = ticket
        self.firstArrival = firstArrival
        self.repair = repair
        self.desk = desk
        self.nonce = nonce
        self.time = time
        self.repeatedScan = repeatedScan
    }

    /// Whether the holder was admitted by this scan.
    public var isAdmitted: Bool { code == Self.admittedCode }

    /// The refusal, or `nil` for an admission.
    public var refusal: TicketRefusal? { TicketRefusal(rawValue: code) }
}
