import Foundation
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
}
