import Foundation
import PartneringCore

/// Where the day stands, for the organisers' live page and the API.
public struct LiveDayStatus: Sendable, Hashable {
    /// Arrivals against confirmed registrations, for one role or one category.
    public struct Count: Sendable, Hashable {
        public var key: String
        public var name: LocalizedText
        public var arrived: Int
        public var expected: Int
    }

    /// A participant the page names, with their day so far.
    public struct Person: Sendable, Hashable {
        public var id: ParticipantID
        public var number: Int
        public var name: String
        public var organisation: String
        public var role: Role
        /// The start of their first meeting of the published schedule, if they have one.
        public var firstMeeting: Date?
        public var arrivedAt: Date?
        /// When an organiser marked them absent, if they are.
        public var absentSince: Date?
    }

    /// A meeting of a coming slot that someone missing may leave empty.
    public struct MeetingAtRisk: Sendable, Hashable {
        public var table: String
        public var participants: [Person]
        /// Those of the two who are missing.
        public var missing: [ParticipantID]
    }

    /// One of the next slots with its meetings at risk.
    public struct SlotAtRisk: Sendable, Hashable {
        public var slot: SlotID
        public var start: Date
        public var meetings: [MeetingAtRisk]
    }

    public var now: Date
    /// The version the status reads meetings from (`nil` before any publication).
    public var publishedVersion: Int?
    public var atRiskMinutes: Int
    public var arrived: Int
    public var expected: Int
    public var roles: [Count]
    public var categories: [Count]
    /// Not checked in, not marked absent, and their first meeting begins within
    /// ``atRiskMinutes`` or has begun: earliest first meeting first.
    public var missing: [Person]
    /// Of ``missing``, those whose first meeting has begun.
    public var late: [Person]
    /// Checked in after their first meeting began (or after being marked absent).
    public var lateArrivals: [Person]
    public var absent: [Person]
    /// The next slots not begun (at most ``LiveDayService/slotsAhead``), with their
    /// meetings where someone is missing.
    public var nextSlots: [SlotAtRisk]
}

extension LiveDayService {
    /// How many coming slots the live page lists.
    public static let slotsAhead = 3

    /// Where the day stands now.
    public func status() async throws -> LiveDayStatus {
        let now = dependencies.now()
        let confirmed = try await repositories.participants.list(ParticipantFilter(statuses: [.confirmed]))
        let arrivals = Dictionary(
            try await repositories.checkIns.checkIns().map { ($0.participant, $0.time) },
            uniquingKeysWith: { first, _ in first })
        let absences = Dictionary(
            try await repositories.absences.absences().map { ($0.participant, $0.markedAt) },
            uniquingKeysWith: { first, _ in first })
        let published = try await repositories.schedules.published()
        let slots = Dictionary(event.slots.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var firstMeeting: [ParticipantID: Date] = [:]
        for meeting in published?.meetings ?? [] {
            guard let start = slots[meeting.slot]?.start else { continue }
            for id in meeting.participants where firstMeeting[id].map({ start < $0 }) ?? true {
                firstMeeting[id] = start
            }
        }
        var people: [ParticipantID: LiveDayStatus.Person] = [:]
        for participant in confirmed {
            people[participant.id] = LiveDayStatus.Person(
                id: participant.id, number: participant.number, name: participant.name,
                organisation: participant.organisation, role: participant.role,
                firstMeeting: firstMeeting[participant.id], arrivedAt: arrivals[participant.id],
                absentSince: absences[participant.id])
        }
        let margin = TimeInterval(event.atRiskMinutes * 60)
        let byFirstMeeting: (LiveDayStatus.Person, LiveDayStatus.Person) -> Bool = {
            ($0.firstMeeting ?? .distantFuture, $0.number) < ($1.firstMeeting ?? .distantFuture, $1.number)
        }
        let missing = people.values.filter { person in
            guard person.arrivedAt == nil, person.absentSince == nil, let first = person.firstMeeting else {
                return false
            }
            return now >= first - margin
        }
        .sorted(by: byFirstMeeting)
        let missingIDs = Set(missing.map(\.id))
        let lateArrivals = people.values.filter { person in
            guard let arrived = person.arrivedAt else { return false }
            // Marked absent, then scanned: to bring back.
            if person.absentSince != nil { return true }
            return person.firstMeeting.map { arrived > $0 } ?? false
        }
        .sorted(by: byFirstMeeting)
        let coming = event.slots.filter { $0.start > now }.prefix(Self.slotsAhead)
        let nextSlots = coming.map { slot in
            LiveDayStatus.SlotAtRisk(
                slot: slot.id, start: slot.start,
                meetings: (published?.meetings ?? []).filter { $0.slot == slot.id }
                    .filter { $0.participants.contains(where: missingIDs.contains) }
                    .map { meeting in
                        LiveDayStatus.MeetingAtRisk(
                            table: event.tables.first { $0.id == meeting.table }?.name ?? meeting.table.rawValue,
                            participants: meeting.participants.compactMap { people[$0] },
                            missing: meeting.participants.filter(missingIDs.contains))
                    })
        }
        return LiveDayStatus(
            now: now, publishedVersion: published?.info.version, atRiskMinutes: event.atRiskMinutes,
            arrived: confirmed.count { arrivals[$0.id] != nil }, expected: confirmed.count,
            roles: counts(confirmed, arrivals, key: { $0.role.rawValue }) {
                event.role(Role($0))?.name ?? LocalizedText($0)
            },
            categories: counts(confirmed, arrivals, key: { $0.category.rawValue }) {
                event.category(CategoryID($0))?.name ?? LocalizedText($0)
            },
            missing: missing, late: missing.filter { ($0.firstMeeting ?? .distantFuture) <= now },
            lateArrivals: lateArrivals,
            absent: people.values.filter { $0.absentSince != nil }.sorted(by: byFirstMeeting),
            nextSlots: Array(nextSlots))
    }

    private func counts(
        _ confirmed: [Participant], _ arrivals: [ParticipantID: Date], key: (Participant) -> String,
        name: (String) -> LocalizedText
    ) -> [LiveDayStatus.Count] {
        var order: [String] = []
        var arrived: [String: Int] = [:]
        var expected: [String: Int] = [:]
        for participant in confirmed {
            let value = key(participant)
            if expected[value] == nil { order.append(value) }
            expected[value, default: 0] += 1
            if arrivals[participant.id] != nil { arrived[value, default: 0] += 1 }
        }
        return order.sorted().map {
            LiveDayStatus.Count(key: $0, name: name($0), arrived: arrived[$0] ?? 0, expected: expected[$0] ?? 0)
        }
    }
}
