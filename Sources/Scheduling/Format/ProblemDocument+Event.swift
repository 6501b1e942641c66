import Foundation
import PartneringCore

extension ProblemDocument {
    /// The scheduling problem of an event's current state: its confirmed
    /// participants, the requests the scheduler should consider (by the event's
    /// acceptance rule, between confirmed participants whose roles may meet) and
    /// the pinned meetings. `partnering export problem` and the organiser area
    /// both build the problem here.
    public init(
        event: EventDefinition, participants: [PartneringCore.Participant], requests: [MeetingRequest],
        pinned: [Meeting] = []
    ) {
        let active = participants.filter { $0.status.isActive }.sorted { $0.number < $1.number }
        let roles = Dictionary(active.map { ($0.id, $0.role) }, uniquingKeysWith: { first, _ in first })
        let slots = event.slots
        let knownSlots = Set(slots.map(\.id))
        var seenDirections = Set<[ParticipantID]>()
        let chosenRequests = requests.filter { request in
            guard request.isSchedulable(acceptanceRequired: event.requestRules.acceptanceRequired),
                request.from != request.to,
                let fromRole = roles[request.from], let toRole = roles[request.to],
                event.meetPolicy.allows(fromRole, toRole)
            else { return false }
            return seenDirections.insert([request.from, request.to]).inserted
        }
        self.init(
            event: Event(name: event.name.en, timezone: event.timeZone.identifier),
            slots: slots.map {
                Slot(
                    id: $0.id.rawValue, start: InternetTime.string($0.start, in: event.timeZone),
                    end: InternetTime.string($0.end, in: event.timeZone))
            },
            tables: event.tables.map { Table(id: $0.id.rawValue, name: $0.name) },
            policy: Policy(meet: event.meetPolicy.pairs.map { $0.map(\.rawValue) }),
            defaults: Defaults(maxMeetings: event.requestRules.defaultMaxMeetings),
            weights: Weights(
                priority: Dictionary(
                    uniqueKeysWithValues: event.requestRules.priorityWeights.map { (String($0.key), $0.value) })),
            participants: active.map { participant in
                Participant(
                    id: participant.id.rawValue, role: participant.role.rawValue, name: participant.name,
                    organisation: participant.organisation,
                    available: participant.availability?.filter { knownSlots.contains($0) }.map(\.rawValue),
                    maxMeetings: participant.maxMeetings, table: participant.hostTable?.rawValue)
            },
            requests: chosenRequests.map { request in
                Request(
                    from: request.from.rawValue, to: request.to.rawValue, priority: request.priority.rawValue,
                    slots: request.slots?.filter { knownSlots.contains($0) }.map(\.rawValue))
            },
            pinned: pinned.isEmpty
                ? nil
                : pinned.map {
                    Pinned(
                        participants: $0.participants.map(\.rawValue), slot: $0.slot.rawValue, table: $0.table.rawValue)
                }
        )
    }
}
