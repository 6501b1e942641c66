/// What lies between one participant's meetings: breaks, the slots idle in them, and table
/// changes. A break is one or more free slots between two consecutive meetings on one day
/// (the spec's definition, after Bofill et al.); a table change, two consecutive meetings on
/// one day at different tables. The scheduler's summary and the printed grid both count
/// with it, so that they always agree.
public struct MeetingGaps: Sendable, Hashable {
    public private(set) var breaks = 0
    public private(set) var idleSlots = 0
    public private(set) var tableChanges = 0

    /// One meeting of the participant: its slot (slots numbered in time order), the slot's
    /// day, and its table (`nil` where tables are not known yet).
    public typealias Meeting = (slot: Int, day: Int, table: Int?)

    /// The gaps between `meetings`, given in slot order.
    public init(meetingsInSlotOrder meetings: [Meeting]) {
        for (previous, next) in zip(meetings, meetings.dropFirst()) where previous.day == next.day {
            if next.slot > previous.slot + 1 {
                breaks += 1
                idleSlots += next.slot - previous.slot - 1
            }
            if let before = previous.table, let after = next.table, before != after { tableChanges += 1 }
        }
    }
}
