import Foundation
import PartneringCore

extension Agenda {
    /// The agenda of `participant` in a schedule version: its meetings in time order and,
    /// when `previous` (the meetings of the version before) is given, the meetings that
    /// no longer take place. A meeting keeps its UID while the same two people meet, so a
    /// moved meeting is updated in calendars, not cancelled.
    ///
    /// - Parameters:
    ///   - people: the participants by id, for the counterparts' names.
    ///   - shareEmails: whether counterparts' addresses become ATTENDEEs of the `.ics`.
    /// - Throws: `MailError.invalidAgenda` naming a slot, table or participant the event lacks.
    public static func personal(
        for participant: ParticipantID, meetings: [Meeting], previous: [Meeting] = [], event: EventDefinition,
        people: [ParticipantID: Participant], domain: String, shareEmails: Bool = false
    ) throws -> Agenda {
        let slots = Dictionary(event.slots.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let tables = Dictionary(event.tables.map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
        func entry(_ meeting: Meeting) throws -> AgendaMeeting? {
            guard let other = meeting.counterpart(of: participant) else { return nil }
            guard let slot = slots[meeting.slot] else {
                throw MailError.invalidAgenda(
                    reason: "meeting with \(other) is in slot \(meeting.slot), which the event does not have")
            }
            guard let table = tables[meeting.table] else {
                throw MailError.invalidAgenda(
                    reason: "meeting with \(other) is at table \(meeting.table), which the event does not have")
            }
            guard let person = people[other] else {
                throw MailError.invalidAgenda(
                    reason: "meeting in slot \(meeting.slot) is with \(other), who is not among the participants")
            }
            return AgendaMeeting(
                uid: AgendaMeeting.uid(
                    event: event.id.rawValue, participants: meeting.participants.map(\.rawValue), domain: domain),
                start: slot.start, end: slot.end, table: table,
                counterpart: AgendaPerson(
                    name: person.name, organisation: person.organisation, jobTitle: person.jobTitle,
                    email: shareEmails ? person.email : nil))
        }
        let current = try meetings.compactMap(entry).sorted { $0.start < $1.start }
        let kept = Set(current.map(\.uid))
        let gone = try previous.compactMap(entry).filter { !kept.contains($0.uid) }.sorted { $0.start < $1.start }
        return Agenda(meetings: current, cancelled: gone)
    }
}
