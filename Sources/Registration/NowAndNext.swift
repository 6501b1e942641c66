import Foundation
import PartneringCore

/// What a hall board shows at a given moment: the meetings of the slot under way and of
/// the next slot, at the board's tables, each table with its two people.
public struct NowAndNext: Sendable, Hashable {
    /// One table of a slot: who meets there.
    public struct Pair: Sendable, Hashable {
        public var table: Table
        /// The two participants in the order of the event's roles (a company's delegate,
        /// then the expert), so that each column of a board holds one side.
        public var people: [Participant]
    }

    /// A slot and its meetings at the board's tables, in the order of the tables.
    public struct SlotPairs: Sendable, Hashable {
        public var slot: Slot
        public var pairs: [Pair]
    }

    /// The slot under way (start ≤ now < end), if any.
    public var current: SlotPairs?
    /// The first slot starting after now.
    public var next: SlotPairs?

    /// The board at `now` from the meetings of the published schedule; `people` holds the
    /// participants of those meetings (a meeting with someone missing or no longer active,
    /// erased or cancelled, is left out: nobody will come to it).
    public static func at(
        _ now: Date, event: EventDefinition, tables: ClosedRange<Int>, meetings: [Meeting],
        people: [ParticipantID: Participant]
    ) -> NowAndNext {
        let roleOrder = Dictionary(
            event.roles.enumerated().map { ($0.element.role, $0.offset) }, uniquingKeysWith: { first, _ in first })
        let shown = event.tables.enumerated().filter { tables.contains($0.offset + 1) }.map(\.element)
        let position = Dictionary(
            shown.enumerated().map { ($0.element.id, $0.offset) }, uniquingKeysWith: { first, _ in first })
        func pairs(of slot: Slot) -> SlotPairs {
            let found = meetings.filter { $0.slot == slot.id }.compactMap { meeting -> (Int, Pair)? in
                guard let index = position[meeting.table] else { return nil }
                let both = meeting.participants.compactMap { people[$0] }.filter(\.status.isActive)
                    .sorted { (roleOrder[$0.role] ?? 0, $0.name) < (roleOrder[$1.role] ?? 0, $1.name) }
                guard both.count == meeting.participants.count else { return nil }
                return (index, Pair(table: shown[index], people: both))
            }
            return SlotPairs(slot: slot, pairs: found.sorted { $0.0 < $1.0 }.map(\.1))
        }
        let slots = event.slots.sorted { $0.start < $1.start }
        let current = slots.first { $0.start <= now && now < $0.end }
        let next = slots.first { $0.start > now }
        return NowAndNext(current: current.map(pairs), next: next.map(pairs))
    }

    /// The board at `now` from the published schedule in `schedules` (nothing while none is
    /// published), looking up only the people of the two slots shown.
    public static func load(
        at now: Date, event: EventDefinition, tables: ClosedRange<Int>, schedules: any ScheduleRepository,
        participants: any ParticipantRepository
    ) async throws -> NowAndNext {
        let empty = at(now, event: event, tables: tables, meetings: [], people: [:])
        guard let published = try await schedules.published() else { return empty }
        let shownSlots = Set([empty.current?.slot.id, empty.next?.slot.id].compactMap { $0 })
        let tableIDs = Set(event.tables.enumerated().filter { tables.contains($0.offset + 1) }.map(\.element.id))
        let meetings = published.meetings.filter { shownSlots.contains($0.slot) && tableIDs.contains($0.table) }
        var people: [ParticipantID: Participant] = [:]
        for id in Set(meetings.flatMap(\.participants)) {
            people[id] = try await participants.find(id: id)
        }
        return at(now, event: event, tables: tables, meetings: meetings, people: people)
    }
}
