import PartneringCore
import Scheduling

/// Stored schedule versions in the interchange format, and back.
enum StoredSchedule {
    static func document(_ version: ScheduleVersion) -> ScheduleDocument {
        ScheduleDocument(
            meetings: version.meetings.map {
                .init(participants: $0.participants.map(\.rawValue), slot: $0.slot.rawValue, table: $0.table.rawValue)
            }, objective: version.info.objective, upperBound: version.info.upperBound)
    }

    static func meeting(_ meeting: ScheduleDocument.Meeting) -> Meeting {
        Meeting(
            ParticipantID(meeting.participants.first ?? ""), ParticipantID(meeting.participants.last ?? ""),
            slot: SlotID(meeting.slot), table: TableID(meeting.table))
    }
}
