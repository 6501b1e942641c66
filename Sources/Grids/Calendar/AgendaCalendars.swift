import Foundation
import Mail
import Synchronization

/// One `.ics` file per participant with meetings (`ics/ID.ics`), written by the Mail part's
/// iCalendar writer so that these files and the agenda e-mails carry the same events (same
/// UIDs: a calendar that imported one updates it from the other).
struct AgendaCalendars {
    let model: GridModel
    let options: GridOptions

    private var labels: GridLabels { GridLabels(options.language) }

    /// The calendars, made on every core (each is independent), in participant order.
    func render() -> [RenderedFile] {
        let names = SafeFileNames(model.participants.map(\.id))
        let domain = String(options.organiser.address.split(separator: "@").last ?? "partnering.invalid")
        let people = model.participants.indices.filter { !model.meetingsOfParticipant[$0].isEmpty }
        let chunkSize = 256
        let chunkCount = (people.count + chunkSize - 1) / chunkSize
        let done = Mutex<[Int: [RenderedFile]]>([:])
        DispatchQueue.concurrentPerform(iterations: chunkCount) { chunk in
            let files = people[chunk * chunkSize..<min(people.count, (chunk + 1) * chunkSize)].map { participant in
                calendar(for: participant, fileName: names[participant], domain: domain)
            }
            done.withLock { $0[chunk] = files }
        }
        return done.withLock { chunks in (0..<chunkCount).flatMap { chunks[$0] ?? [] } }
    }

    private func calendar(for participant: Int, fileName: String, domain: String) -> RenderedFile {
        let events = model.meetingsOfParticipant[participant].map { index in
            event(model.meetings[Int(index)], for: participant, domain: domain)
        }
        let calendar = CalendarDocument(
            method: .publish, productID: "-//Partnering//Grids//EN", timeZone: model.timeZone,
            stamp: options.stamp, events: events)
        return RenderedFile(path: "ics/\(fileName).ics", data: Data(calendar.ics().utf8))
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
