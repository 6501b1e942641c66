import Foundation
import PartneringCore

/// A participant as a desk's roster lists them: the card and, once arrived, the arrival.
public struct RosterEntry: Sendable, Hashable, Codable {
    public var card: ArrivalCard
    public var arrival: Arrival?

    public init(card: ArrivalCard, arrival: Arrival?) {
        self.card = card
        self.arrival = arrival
    }
}

/// Arrived and expected participants, per role and in all.
public struct ArrivalCounters: Sendable, Hashable, Codable {
    public struct RoleCount: Sendable, Hashable, Codable {
        public var role: Role
        public var name: LocalizedText
        /// Confirmed participants of the role who were admitted.
        public var arrived: Int
        /// Confirmed participants of the role.
        public var expected: Int
    }

    public var roles: [RoleCount]
    public var arrived: Int
    public var expected: Int
}

extension CheckInService {
    /// How many confirmed participants of each role arrived, of how many expected.
    public func counters() async throws -> ArrivalCounters {
        let confirmed = try await repositories.participants.list(ParticipantFilter(statuses: [.confirmed]))
        let arrived = Set(try await repositories.checkIns.checkIns().map(\.participant))
        var roles = event.roles.map(\.role)
        for role in Set(confirmed.map(\.role)).sorted() where !roles.contains(role) { roles.append(role) }
        let counts = roles.map { role in
            let people = confirmed.filter { $0.role == role }
            return ArrivalCounters.RoleCount(
                role: role, name: event.role(role)?.name ?? LocalizedText(role.rawValue),
                arrived: people.count { arrived.contains($0.id) }, expected: people.count)
        }
        return ArrivalCounters(
            roles: counts, arrived: counts.reduce(0) { $0 + $1.arrived }, expected: confirmed.count)
    }

    /// Participants whose name or organisation holds every word of `query` (case and
    /// accents ignored), for those who lost their ticket; at most `limit`, by number.
    /// A query shorter than 2 characters finds nobody.
    public func search(_ query: String, limit: Int = 20) async throws -> [RosterEntry] {
        let words = query.trimmingCharacters(in: .whitespacesAndNewlines)
        guard words.count >= 2 else { return [] }
        let found = try await repositories.participants.list(ParticipantFilter(text: words, limit: limit))
        var entries: [RosterEntry] = []
        for participant in found {
            let arrival = try await repositories.checkIns.checkIn(of: participant.id).map {
                Arrival(time: $0.time, desk: $0.desk)
            }
            entries.append(RosterEntry(card: card(of: participant, meetings: []), arrival: arrival))
        }
        return entries
    }

    /// The whole roster: every participant with a number, their meetings in the
    /// published schedule (all of them, in time order) and their arrival.
    public func roster() async throws -> [RosterEntry] {
        let participants = try await repositories.participants.list(.all)
        let names = Dictionary(participants.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let arrivals = Dictionary(
            try await repositories.checkIns.checkIns().map { ($0.participant, Arrival(time: $0.time, desk: $0.desk)) },
            uniquingKeysWith: { first, _ in first })
        var meetings: [ParticipantID: [MeetingLine]] = [:]
        if let version = try await repositories.schedules.published() {
            let lines = MeetingLines(event: event)
            for meeting in version.meetings {
                for participant in meeting.participants {
                    let other = meeting.counterpart(of: participant).flatMap { names[$0] }
                    if let line = lines.line(meeting, counterpart: other) {
                        meetings[participant, default: []].append(line)
                    }
                }
            }
        }
        return participants.map { participant in
            RosterEntry(
                card: card(of: participant, meetings: (meetings[participant.id] ?? []).sorted { $0.start < $1.start }),
                arrival: arrivals[participant.id])
        }
    }

    func card(of participant: Participant, meetings: [MeetingLine]) -> ArrivalCard {
        ArrivalCard(
            participant: participant.id, number: participant.number, name: participant.name,
            organisation: participant.organisation, role: participant.role,
            roleName: event.role(participant.role)?.name ?? LocalizedText(participant.role.rawValue),
            status: participant.status, meetings: meetings)
    }
}

/// Turns meetings into the lines of arrival cards: local start time, table name, counterpart.
struct MeetingLines {
    let slots: [SlotID: Slot]
    let tables: [TableID: String]
    let calendar: Calendar
    let dates: EventDateText

    init(event: EventDefinition) {
        dates = EventDateText(timeZone: event.timeZone)
        slots = Dictionary(event.slots.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        tables = Dictionary(event.tables.map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
        calendar = .gregorian(in: event.timeZone)
    }

    /// The line of `meeting`, or `nil` when its slot is not one of the event's.
    func line(_ meeting: Meeting, counterpart: Participant?) -> MeetingLine? {
        guard let slot = slots[meeting.slot] else { return nil }
        return MeetingLine(
            start: slot.start, end: slot.end, time: dates.time(slot.start),
            table: tables[meeting.table] ?? meeting.table.rawValue, counterpart: counterpart?.name ?? "",
            counterpartOrganisation: counterpart?.organisation ?? "")
    }

    /// The first meetings of `lines` not over at `time`, on the day of the first of them.
    func firstOfTheDay(_ lines: [MeetingLine], after time: Date, count: Int) -> [MeetingLine] {
        let upcoming = lines.filter { $0.end > time }.sorted { $0.start < $1.start }
        guard let first = upcoming.first else { return [] }
        let day = calendar.startOfDay(for: first.start)
        return Array(upcoming.prefix { calendar.startOfDay(for: $0.start) == day }.prefix(count))
    }
}
