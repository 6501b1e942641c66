import Foundation
import PartneringCore

/// What a printed badge carries besides the ticket: who, for which organisation, in the
/// colour of their role, and on the back their first meetings.
public struct Badge: Sendable, Hashable {
    public var participant: Participant
    /// The position of the participant's role among the event's roles: badges take the
    /// colour of that position, so each role has its own.
    public var roleIndex: Int
    /// The role as the event names it.
    public var roleName: LocalizedText
    /// The first meetings of the published schedule not over at the time of printing, on
    /// the day of the first of them.
    public var meetings: [MeetingLine]
}

extension CheckInService {
    /// How many meetings the back of a badge lists: as many as the desk's arrival card.
    public static var meetingsOnBadge: Int { meetingsOnCard }

    /// The badges of every confirmed participant (of `role` when given), by name, with
    /// their first meetings not over at `time`.
    public func badges(role: Role?, at time: Date) async throws -> [Badge] {
        let everyone = try await repositories.participants.list(.all)
        let names = Dictionary(everyone.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let printed = everyone.filter { $0.status == .confirmed && (role == nil || $0.role == role) }
        let wanted = Set(printed.map(\.id))
        let lines = MeetingLines(event: event)
        var meetings: [ParticipantID: [MeetingLine]] = [:]
        if let version = try await repositories.schedules.published() {
            for meeting in version.meetings {
                for participant in meeting.participants where wanted.contains(participant) {
                    let other = meeting.counterpart(of: participant).flatMap { names[$0] }
                    if let line = lines.line(meeting, counterpart: other) {
                        meetings[participant, default: []].append(line)
                    }
                }
            }
        }
        return
            printed
            .sorted {
                let order = $0.name.localizedStandardCompare($1.name)
                return order == .orderedSame ? $0.number < $1.number : order == .orderedAscending
            }
            .map { badge(of: $0, meetings: meetings[$0.id] ?? [], lines: lines, at: time) }
    }

    /// The badge of one confirmed participant (the desk prints it at admission);
    /// ``CheckInError/participantNotFound(_:)`` for an unknown id or a registration that
    /// is not confirmed.
    public func badge(for id: ParticipantID, at time: Date) async throws -> Badge {
        guard let participant = try await repositories.participants.find(id: id), participant.status == .confirmed
        else { throw CheckInError.participantNotFound(id.rawValue) }
        let card = try await arrivalCard(for: participant, at: time)
        return badge(of: participant, meetings: card.meetings, lines: MeetingLines(event: event), at: time)
    }

    private func badge(of participant: Participant, meetings: [MeetingLine], lines: MeetingLines, at time: Date)
        -> Badge
    {
        let index = event.roles.firstIndex { $0.role == participant.role } ?? event.roles.count
        return Badge(
            participant: participant, roleIndex: index,
            roleName: event.role(participant.role)?.name ?? LocalizedText(participant.role.rawValue),
            meetings: lines.firstOfTheDay(meetings, after: time, count: Self.meetingsOnBadge))
    }
}
