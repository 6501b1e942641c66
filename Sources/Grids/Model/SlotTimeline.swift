import Foundation
import PartneringCore
import Scheduling

/// The slots of a problem placed in time: parsed, ordered, grouped into days (calendar
/// dates in the event's zone) and sessions (runs of slots without a long pause).
struct SlotTimeline {
    /// A pause of at least this long between two slots of a day starts a new session: a
    /// lunch break does, a coffee break does not.
    static let sessionPause: TimeInterval = 30 * 60

    var slots: [GridSlot]
    var days: [GridDay]
    /// Index in `slots` of the problem's `slots[i]`.
    var positionOfDocumentSlot: [Int]

    init(_ documentSlots: [ProblemDocument.Slot], timeZone: TimeZone) throws(GridInputError) {
        let clock = EventDateText(timeZone: timeZone)
        var parsed: [(index: Int, slot: GridSlot)] = []
        for (index, slot) in documentSlots.enumerated() {
            guard let start = InternetTime.parse(slot.start) else {
                throw GridInputError(.problem, "slots[\(index)].start", "expected an ISO 8601 date-time with offset")
            }
            guard let end = InternetTime.parse(slot.end) else {
                throw GridInputError(.problem, "slots[\(index)].end", "expected an ISO 8601 date-time with offset")
            }
            guard end > start else {
                throw GridInputError(.problem, "slots[\(index)].end", "ends before it starts")
            }
            parsed.append(
                (
                    index,
                    GridSlot(
                        id: slot.id, start: start, end: end, startText: clock.time(start), endText: clock.time(end),
                        day: 0, session: 0)
                ))
        }
        parsed.sort { ($0.slot.start, $0.index) < ($1.slot.start, $1.index) }
        var slots = parsed.map(\.slot)
        var position = [Int](repeating: 0, count: documentSlots.count)
        for (sorted, entry) in parsed.enumerated() { position[entry.index] = sorted }

        var days: [GridDay] = []
        var sessionStart = 0
        var currentDate = ""
        func closeSession(upTo end: Int) {
            guard end > sessionStart, !days.isEmpty else { return }
            let label = "\(slots[sessionStart].startText)–\(slots[end - 1].endText)"
            days[days.count - 1].sessions.append(GridSession(slots: sessionStart..<end, label: label))
        }
        for index in slots.indices {
            let date = clock.isoDay(slots[index].start)
            if date != currentDate {
                closeSession(upTo: index)
                days.append(GridDay(date: date, sessions: []))
                currentDate = date
                sessionStart = index
            } else if slots[index].start.timeIntervalSince(slots[index - 1].end) >= Self.sessionPause {
                closeSession(upTo: index)
                sessionStart = index
            }
            slots[index].day = days.count - 1
            slots[index].session = days[days.count - 1].sessions.count
        }
        closeSession(upTo: slots.count)
        self.slots = slots
        self.days = days
        self.positionOfDocumentSlot = position
    }
}
