import Foundation
import Mail
import PartneringCore

/// What the published schedule holds for one attendee, as their personal pages show it.
public struct PublishedAgendas: Sendable {
    public let event: EventDefinition
    public let participants: any ParticipantRepository
    public let schedules: any ScheduleRepository
    /// The domain of the calendar events' UIDs (the agenda e-mails' own).
    public let mailDomain: String

    public init(
        event: EventDefinition, participants: any ParticipantRepository, schedules: any ScheduleRepository,
        mailDomain: String
    ) {
        self.event = event
        self.participants = participants
        self.schedules = schedules
        self.mailDomain = mailDomain
    }

    /// The people `participant` meets in the published schedule (none while nothing is published).
    public func counterparts(of participant: ParticipantID) async throws -> Set<ParticipantID> {
        guard let published = try await schedules.published() else { return [] }
        return Set(
            try await schedules.meetings(of: participant, inVersion: published.info.version)
                .compactMap { $0.counterpart(of: participant) })
    }

    /// The programme of `participant`, or `nil` while no schedule is published.
    public func programme(of participant: Participant) async throws -> AttendeeProgramme? {
        let published = try await schedules.versions().filter { $0.publishedAt != nil }
            .sorted { ($0.publishedAt ?? .distantPast, $0.version) < ($1.publishedAt ?? .distantPast, $1.version) }
        guard let current = published.last else { return nil }
        // The e-mails go out on the first publication to everyone with meetings, later only
        // to those whose meetings changed: the SEQUENCE is the last version that wrote to them.
        var sequence = current.version
        var before: [Meeting]?
        for info in published {
            let mine = try await schedules.meetings(of: participant.id, inVersion: info.version)
            if let before {
                if Set(mine) != Set(before) { sequence = info.version }
            } else if !mine.isEmpty {
                sequence = info.version
            }
            before = mine
        }
        let meetings = try await schedules.meetings(of: participant.id, inVersion: current.version)
        let previousInfo = published.count > 1 ? published[published.count - 2] : nil
        let previous =
            if let previousInfo {
                try await schedules.meetings(of: participant.id, inVersion: previousInfo.version)
            } else { [Meeting]() }
        var people: [ParticipantID: Participant] = [:]
        for id in Set((meetings + previous).compactMap { $0.counterpart(of: participant.id) }) {
            people[id] = try await participants.find(id: id)
        }
        // An erased counterpart's meeting is not shown (nobody will come to it).
        let known = { (meeting: Meeting) in meeting.counterpart(of: participant.id).map { people[$0] != nil } ?? false }
        let domain = mailDomain
        let agenda = try Agenda.personal(
            for: participant.id, meetings: meetings.filter(known), previous: previous.filter(known),
            event: event, people: people, domain: domain)
        let earlier = try Agenda.personal(
            for: participant.id, meetings: previous.filter(known), event: event, people: people,
            domain: domain)
        let earlierByUID = Dictionary(earlier.meetings.map { ($0.uid, $0) }, uniquingKeysWith: { first, _ in first })
        var counterpartByUID: [String: Participant] = [:]
        for meeting in meetings {
            guard let other = meeting.counterpart(of: participant.id), let person = people[other] else { continue }
            let uid = AgendaMeeting.uid(
                event: event.id.rawValue, participants: meeting.participants.map(\.rawValue),
                domain: domain)
            counterpartByUID[uid] = person
        }
        let entries = agenda.meetings.compactMap { meeting -> AttendeeProgramme.Entry? in
            guard let person = counterpartByUID[meeting.uid] else { return nil }
            let change: AttendeeProgramme.Change
            if previousInfo == nil {
                change = .unchanged
            } else if let old = earlierByUID[meeting.uid] {
                change = old.start == meeting.start && old.table == meeting.table ? .unchanged : .moved(from: old)
            } else {
                change = .added
            }
            return AttendeeProgramme.Entry(meeting: meeting, counterpart: person, change: change)
        }
        return AttendeeProgramme(
            version: current, hasPreviousVersion: previousInfo != nil, entries: entries, cancelled: agenda.cancelled,
            agenda: agenda, sequence: sequence)
    }
}

/// A participant's meetings in the published schedule, as `/me` shows them and the
/// subscription feed serves them: the same agenda (UIDs) and SEQUENCE as their last
/// agenda e-mail, with what changed since the version published before.
public struct AttendeeProgramme: Sendable {
    /// How a meeting differs from the version published before.
    public enum Change: Sendable, Equatable {
        case unchanged
        /// Not in the previous published version.
        case added
        /// Same person, another time or table: where it was.
        case moved(from: AgendaMeeting)
    }

    public struct Entry: Sendable {
        public let meeting: AgendaMeeting
        public let counterpart: Participant
        public let change: Change
    }

    /// The published version shown.
    public let version: ScheduleVersionInfo
    /// Whether a version was published before this one (changes are marked against it).
    public let hasPreviousVersion: Bool
    public let entries: [Entry]
    /// Meetings of the previous published version that no longer take place.
    public let cancelled: [AgendaMeeting]
    /// The agenda as the e-mails carry it.
    public let agenda: Agenda
    /// The version of the participant's last agenda e-mail: the events' SEQUENCE.
    public let sequence: Int
}
