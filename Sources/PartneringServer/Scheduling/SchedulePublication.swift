import Foundation
import Grids
import Mail
import PartneringCore
import Scheduling

/// Sends the agendas of a published version as e-mails with `.ics` to the outbox: to
/// everyone with a meeting on the first publication, afterwards only to those whose
/// meetings moved, were cancelled or were added (their removed meetings go out as CANCEL).
struct SchedulePublication {
    let environment: ServerEnvironment

    /// Writes the messages; returns how many.
    func send(version: ScheduleVersion, previous: ScheduleVersion?) async throws -> Int {
        let messages = try await messages(version: version, previous: previous)
        let outbox = try Outbox(
            directory: URL(fileURLWithPath: environment.settings.outboxDirectory, isDirectory: true))
        _ = try await outbox.deliver(messages)
        return messages.count
    }

    /// The messages publishing `version` sends, composed but not sent (the organiser's
    /// preview shows them before confirming).
    func messages(version: ScheduleVersion, previous: ScheduleVersion?) async throws -> [ComposedMessage] {
        let settings = environment.settings
        let event = environment.event
        let composer = MailComposer(
            templates: try MailTemplates(
                directory: URL(fileURLWithPath: settings.templatesDirectory, isDirectory: true)),
            settings: try MailSettings(
                event: event, sender: try MailAddress(parsing: settings.mailFrom), domain: settings.mailDomain))

        let current = StoredSchedule.document(version)
        let before = previous.map { StoredSchedule.document($0) }
        let recipients: Set<String>
        if let before {
            recipients = Set(ScheduleComparison(from: before, to: current).affectedParticipants)
        } else {
            recipients = Set(current.meetings.flatMap(\.participants))
        }
        let participants = try await environment.store.participants.list(.all)
        let byID = Dictionary(participants.map { ($0.id.rawValue, $0) }, uniquingKeysWith: { first, _ in first })
        let slots = Dictionary(event.slots.map { ($0.id.rawValue, $0) }, uniquingKeysWith: { first, _ in first })
        let tables = Dictionary(event.tables.map { ($0.id.rawValue, $0.name) }, uniquingKeysWith: { first, _ in first })
        func agendaMeetings(of id: String, in schedule: ScheduleDocument) -> [AgendaMeeting] {
            schedule.meetings.filter { $0.participants.contains(id) }.compactMap { meeting in
                guard let slot = slots[meeting.slot], let other = meeting.participants.first(where: { $0 != id }),
                    let counterpart = byID[other]
                else { return nil }
                return AgendaMeeting(
                    uid: AgendaMeeting.uid(
                        event: event.id.rawValue, participants: meeting.participants, domain: settings.mailDomain),
                    start: slot.start, end: slot.end, table: tables[meeting.table] ?? meeting.table,
                    counterpart: AgendaPerson(
                        name: counterpart.name, organisation: counterpart.organisation, jobTitle: counterpart.jobTitle))
            }
        }
        var messages: [ComposedMessage] = []
        for id in recipients.sorted() {
            guard let participant = byID[id], participant.status.isActive else { continue }
            let meetings = agendaMeetings(of: id, in: current)
            let kept = Set(meetings.map(\.uid))
            let cancelled = before.map { agendaMeetings(of: id, in: $0).filter { !kept.contains($0.uid) } } ?? []
            let draft = MessageDraft(
                kind: before == nil ? .schedulePublished : .scheduleChanged, language: participant.language,
                recipient: try MailAddress(participant.email, name: participant.name, field: "email of \(id)"),
                values: [
                    "participant_id": id, "schedule_version": String(version.info.version),
                    "agenda_url": settings.baseURL.appendingPathComponent("me").absoluteString,
                ], agenda: Agenda(meetings: meetings, cancelled: cancelled))
            messages.append(try composer.compose(draft))
        }
        return messages
    }
}
