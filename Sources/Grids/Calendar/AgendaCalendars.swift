import Foundation
import Mail

/// One `.ics` file per participant with meetings (`ics/ID.ics`), written by the Mail part's
/// iCalendar writer so that these files and the agenda e-mails carry the same events (same
/// UIDs: a calendar that imported one updates it from the other).
struct AgendaCalendars {
    let model: GridModel
    let options: GridOptions

    private var labels: GridLabels { GridLabels(options.language) }

    func render() -> [RenderedFile] {
        let names = SafeFileNames(model.participants.map(\.id))
        let domain = String(options.organiser.address.split(separator: "@").last ?? "partnering.invalid")
        var files: [RenderedFile] = []
        for participant in model.participants.indices where !model.meetingsOfParticipant[participant].isEmpty {
            let events = model.meetingsOfParticipant[participant].map { index in
                event(model.meetings[Int(index)], for: participant, domain: domain)
            }
            let calendar = CalendarDocument(
                method: .publish, productID: "-//Partnering//Grids//EN", timeZone: model.timeZone,
                stamp: options.stamp, events: events)
            files.append(RenderedFile(path: "ics/\(names[participant]).ics", data: Data(calendar.ics().utf8)))
        }
        return files
    }

    private func event(_ meeting: GridMeeting, for participant: Int, domain: String) -> CalendarEvent {
        let other = model.participants[model.counterpart(of: participant, in: meeting)]
        let slot = model.slots[meeting.slot]
        let table = model.tables[meeting.table].name
        let counterpart = other.organisation.isEmpty ? other.name : "\(other.name) (\(other.organisation))"
        var description = ["\(labels.counterpart): \(counterpart)", "\(labels.table): \(table)"]
        if !other.topics.isEmpty { description.append("\(labels.topics): \(other.topics.joined(separator: ", "))") }
        description.append(model.eventName)
        return CalendarEvent(
            uid: AgendaMeeting.uid(
                event: model.eventName,
                participants: [model.participants[meeting.first].id, model.participants[meeting.second].id],
                domain: domain),
            sequence: 0, start: slot.start, end: slot.end, summary: "\(labels.meeting): \(counterpart)",
            description: description.joined(separator: "\n"), location: "\(table) — \(model.eventName)",
            organizer: options.organiser, attendees: [])
    }
}
