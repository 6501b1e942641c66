import Foundation
import Grids
import Mail
import PartneringCore
import Registration
import Scheduling

/// The agendas of a published version as e-mails with `.ics`: to everyone with a meeting on
/// the first publication, afterwards only to those whose meetings moved, were cancelled or
/// were added (their removed meetings go out as CANCEL).
///
/// Publishing is resumable: the version is marked published and one agenda notice per
/// recipient queued in one transaction (``recipients(of:previous:)``); the notice
/// dispatcher writes them (``drafts(for:)``), so a crash at any moment leaves either
/// nothing published or every agenda on its way.
struct SchedulePublication: Sendable {
    let event: EventDefinition
    let participants: any ParticipantRepository
    let schedules: any ScheduleRepository
    /// The public address of the service, for the link to the personal agenda.
    let baseURL: URL
    /// The domain of the calendar events' UIDs.
    let mailDomain: String

    /// Who must hear of `version`, given the version published before it.
    static func recipients(of version: ScheduleVersion, previous: ScheduleVersion?) -> [ParticipantID] {
        let current = StoredSchedule.document(version)
        let recipients: Set<String>
        if let previous {
            recipients = Set(
                ScheduleComparison(from: StoredSchedule.document(previous), to: current).affectedParticipants)
        } else {
            recipients = Set(current.meetings.flatMap(\.participants))
        }
        return recipients.sorted().map { ParticipantID($0) }
    }

    /// One agenda notice per recipient, to queue with the publication.
    static func notices(
        of version: ScheduleVersion, previous: ScheduleVersion?, service: RegistrationService, at time: Date
    ) -> [QueuedNotice] {
        recipients(of: version, previous: previous).map { participant in
            service.notice(
                .agenda, to: participant, reference: String(version.info.version),
                detail: previous.map { String($0.info.version) }, at: time)
        }
    }

    /// The agenda messages of `agendas`, each schedule version read once; participants who
    /// are no longer active get none. An address the mail layer refuses is reported in
    /// `refused`, not thrown: it would be refused again.
    func drafts(for agendas: [(participant: Participant, version: Int, previous: Int?)]) async throws
        -> (drafts: [MessageDraft], refused: [any Error])
    {
        guard !agendas.isEmpty else { return ([], []) }
        let everyone = try await participants.list(.all)
        let byID = Dictionary(everyone.map { ($0.id.rawValue, $0) }, uniquingKeysWith: { first, _ in first })
        var documents: [Int: ScheduleDocument] = [:]
        func document(_ number: Int) async throws -> ScheduleDocument? {
            if let known = documents[number] { return known }
            guard let version = try await schedules.version(number) else { return nil }
            let loaded = StoredSchedule.document(version)
            documents[number] = loaded
            return loaded
        }
        let slots = Dictionary(event.slots.map { ($0.id.rawValue, $0) }, uniquingKeysWith: { first, _ in first })
        let tables = Dictionary(event.tables.map { ($0.id.rawValue, $0.name) }, uniquingKeysWith: { first, _ in first })
        func agendaMeetings(of id: String, in schedule: ScheduleDocument) -> [AgendaMeeting] {
            schedule.meetings.filter { $0.participants.contains(id) }.compactMap { meeting in
                guard let slot = slots[meeting.slot], let other = meeting.participants.first(where: { $0 != id }),
                    let counterpart = byID[other]
                else { return nil }
                return AgendaMeeting(
                    uid: AgendaMeeting.uid(
                        event: event.id.rawValue, participants: meeting.participants, domain: mailDomain),
                    start: slot.start, end: slot.end, table: tables[meeting.table] ?? meeting.table,
                    counterpart: AgendaPerson(
                        name: counterpart.name, organisation: counterpart.organisation, jobTitle: counterpart.jobTitle))
            }
        }
        var drafts: [MessageDraft] = []
        var refused: [any Error] = []
        for agenda in agendas where agenda.participant.status.isActive {
            guard let current = try await document(agenda.version) else { continue }
            let before = try await agenda.previous.asyncMap(document) ?? nil
            let id = agenda.participant.id.rawValue
            let meetings = agendaMeetings(of: id, in: current)
            let kept = Set(meetings.map(\.uid))
            let cancelled = before.map { agendaMeetings(of: id, in: $0).filter { !kept.contains($0.uid) } } ?? []
            let recipient: MailAddress
            do {
                recipient = try MailAddress(
                    agenda.participant.email, name: agenda.participant.name, field: "email of \(id)")
            } catch {
                refused.append(error)
                continue
            }
            drafts.append(
                MessageDraft(
                    kind: agenda.previous == nil ? .schedulePublished : .scheduleChanged,
                    language: agenda.participant.language, recipient: recipient,
                    values: [
                        "participant_id": id, "schedule_version": String(agenda.version),
                        "agenda_url": baseURL.appendingPathComponent("me").absoluteString + "?lang="
                            + agenda.participant.language.rawValue,
                    ], agenda: Agenda(meetings: meetings, cancelled: cancelled)))
        }
        return (drafts, refused)
    }
}

extension Optional {
    /// The value transformed by the asynchronous `transform`, or `nil`.
    fileprivate func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}

extension ServerEnvironment {
    /// A composer of the event's messages with the templates of `templatesDir`.
    func mailComposer() throws -> MailComposer {
        MailComposer(
            templates: try MailTemplates(
                directory: URL(fileURLWithPath: settings.templatesDirectory, isDirectory: true)),
            settings: try MailSettings(
                event: event, sender: try MailAddress(parsing: settings.mailFrom), domain: settings.mailDomain),
            clock: registration.attendees.dependencies.now)
    }
}

extension SchedulePublication {
    /// The publication of `environment`'s event and store.
    init(environment: ServerEnvironment) {
        self.init(
            event: environment.event, participants: environment.store.participants,
            schedules: environment.store.schedules, baseURL: environment.settings.baseURL,
            mailDomain: environment.settings.mailDomain)
    }

    /// The messages publishing `version` would send, composed but neither queued nor written:
    /// the organiser's preview shows them before confirming.
    func preview(version: ScheduleVersion, previous: ScheduleVersion?, composer: MailComposer) async throws
        -> [ComposedMessage]
    {
        let everyone = try await participants.list(.all)
        let byID = Dictionary(everyone.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let agendas = Self.recipients(of: version, previous: previous).compactMap { id in
            byID[id].map { (participant: $0, version: version.info.version, previous: previous?.info.version) }
        }
        return try await drafts(for: agendas).drafts.map { try composer.compose($0) }
    }
}
