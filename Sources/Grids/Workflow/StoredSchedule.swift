import PartneringCore
import Scheduling

/// Stored schedule versions in the interchange format, and back.
public enum StoredSchedule {
    /// A stored version in the interchange format.
    public static func document(_ version: ScheduleVersion) -> ScheduleDocument {
        ScheduleDocument(
            meetings: version.meetings.map {
                .init(participants: $0.participants.map(\.rawValue), slot: $0.slot.rawValue, table: $0.table.rawValue)
            }, objective: version.info.objective, upperBound: version.info.upperBound)
    }

    /// A meeting of the interchange format as the store keeps it.
    public static func meeting(_ meeting: ScheduleDocument.Meeting) -> Meeting {
        Meeting(
            ParticipantID(meeting.participants.first ?? ""), ParticipantID(meeting.participants.last ?? ""),
            slot: SlotID(meeting.slot), table: TableID(meeting.table))
    }
}
