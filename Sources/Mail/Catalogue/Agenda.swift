import Foundation
import PartneringCore

/// A participant's meetings, as the schedule messages show them and the `.ics` carries them.
public struct Agenda: Sendable, Hashable {
    /// The meetings, in any order (messages list them by start time).
    public var meetings: [AgendaMeeting]
    /// Meetings of the previous schedule version that no longer take place.
    public var cancelled: [AgendaMeeting]

    public init(meetings: [AgendaMeeting], cancelled: [AgendaMeeting] = []) {
        self.meetings = meetings
        self.cancelled = cancelled
    }
}

/// One meeting of an agenda.
public struct AgendaMeeting: Sendable, Hashable {
    /// Stable across schedule versions, so that calendars update the event in place:
    /// see `AgendaMeeting.uid(event:participants:domain:)`.
    public var uid: String
    public var start: Date
    public var end: Date
    /// The table, as the venue signs it.
    public var table: String
    /// The person the recipient meets.
    public var counterpart: AgendaPerson

    public init(uid: String, start: Date, end: Date, table: String, counterpart: AgendaPerson) {
        self.uid = uid
        self.start = start
        self.end = end
        self.table = table
        self.counterpart = counterpart
    }

    /// A UID that depends only on the event and the pair of participants, so the same
    /// meeting keeps its UID when a new schedule version moves it.
    public static func uid(event: String, participants: [String], domain: String) -> String {
        let safe = { (text: String) in
            String(
                text.unicodeScalars.filter {
                    $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-" || $0 == "_")
                })
        }
        return "meeting-\(safe(event))-" + participants.sorted().map(safe).joined(separator: "-") + "@\(domain)"
    }
}

/// Who the recipient meets.
public struct AgendaPerson: Sendable, Hashable {
    public var name: String
    public var organisation: String
    public var jobTitle: String
    /// Given only when the counterpart agreed to share it: it becomes an ATTENDEE of the event.
    public var email: String?

    public init(name: String, organisation: String, jobTitle: String = "", email: String? = nil) {
        self.name = name
        self.organisation = organisation
        self.jobTitle = jobTitle
        self.email = email
    }
}

/// Composes the agenda messages of published schedule versions, a batch of recipients at a
/// time (each version read once). The notice dispatcher asks it for the agenda notices; the
/// schedule publication (`Grids.SchedulePublication`) is the one implementation.
public protocol AgendaDrafting: Sendable {
    /// The messages of `agendas`; an address the mail layer refuses is reported in
    /// `refused`, not thrown (it would be refused again).
    func drafts(for agendas: [(participant: Participant, version: Int, previous: Int?)]) async throws
        -> (drafts: [MessageDraft], refused: [any Error])
}
