import Foundation
import Grids
import PartneringCore
import Scheduling

/// What re-planning the rest of the day would publish, and how it differs from the
/// schedule published now.
public struct DayReplan: Sendable {
    /// The published version the re-plan starts from.
    public var basedOn: Int
    /// The whole day's schedule after the re-plan: the meetings of slots already begun as
    /// they were, then the rest of the day re-planned.
    public var schedule: ScheduleDocument
    /// The event's problem as it stands (with the organisers' pins that still hold), kept
    /// with the new version like any scheduler run's.
    public var problem: ProblemDocument
    /// The solver's summary of the rest of the day (`nil` when no slot is left).
    public var summary: ScheduleSummary?
    /// The difference with the published schedule, pair by pair.
    public var changes: ScheduleComparison
    /// The remaining meetings of participants marked absent: cancelled.
    public var cancelled: [ScheduleDocument.Meeting]
    /// Meetings in slots that had begun: never moved.
    public var held: [ScheduleDocument.Meeting]
    /// The first slot the re-plan may change (`nil` when the day is over).
    public var firstOpenSlot: SlotID?

    /// The participants whose agenda changes, in id order: the only ones told.
    public var affected: [ParticipantID] { changes.affectedParticipants.map { ParticipantID($0) } }
    /// Nothing would change: publishing would tell nobody anything.
    public var isEmpty: Bool { changes.moved.isEmpty && changes.added.isEmpty && changes.dropped.isEmpty }
}

/// The re-planning of the rest of a day, as a pure computation over the published schedule:
/// meetings of slots that have begun stay as they are; the organisers' pins of later slots
/// stay where they are; participants marked absent lose their remaining meetings; the
/// rest of the day is solved again in keep mode among those present, so that freed slots
/// go to the best requests still unmet.
///
/// Only the slots not yet begun are given to the solver, with each person's cap reduced by
/// the meetings they already had and pairs that already met left out: held meetings are
/// outside its reach, so they cannot move whatever it does.
struct DayReplanning: Sendable {
    let event: EventDefinition
    let participants: [Participant]
    let requests: [MeetingRequest]
    let published: ScheduleVersion
    /// The organisers' pins, as the published version's record keeps them.
    let pins: [ProblemDocument.Pinned]
    let absent: Set<ParticipantID>
    let now: Date
    let options: SchedulerOptions

    /// Computes the re-plan; CPU-bound (the solver), so the caller runs it off the cooperative pool.
    func compute() throws -> DayReplan {
        let begun = Set(event.slots.filter { $0.start <= now }.map(\.id.rawValue))
        let openSlots = event.slots.filter { $0.start > now }
        let publishedMeetings = StoredSchedule.document(published).meetings
        let held = publishedMeetings.filter { begun.contains($0.slot) }
        let later = publishedMeetings.filter { !begun.contains($0.slot) }
        let absentIDs = Set(absent.map(\.rawValue))
        let cancelled = later.filter { $0.participants.contains(where: absentIDs.contains) }
        let whole = ProblemDocument(event: event, participants: participants, requests: requests)
        let pairsWithRequest = Set(whole.requests.map { Self.pairKey($0.from, $0.to) })
        let slotIDs = Set(whole.slots.map(\.id))
        let people = Set(whole.participants.map(\.id))
        // Pins that still hold: both people still there and present, a request between them.
        let pins = pins.filter { pin in
            pin.participants.count == 2
                && pin.participants.allSatisfy { people.contains($0) && !absentIDs.contains($0) }
                && slotIDs.contains(pin.slot)
                && pairsWithRequest.contains(Self.pairKey(pin.participants[0], pin.participants[1]))
        }
        var recorded = whole
        recorded.pinned = pins.isEmpty ? nil : pins

        var restOfDay: [ScheduleDocument.Meeting] = []
        var summary: ScheduleSummary?
        if !openSlots.isEmpty {
            let problem = restOfDayProblem(
                whole, openSlots: openSlots, held: held, pins: pins.filter { !begun.contains($0.slot) },
                absent: absentIDs)
            var options = options
            options.previous = ScheduleDocument(
                meetings: later.filter { !$0.participants.contains(where: absentIDs.contains) }, objective: 0)
            let model = try SchedulingModel.compile(problem)
            let result = Scheduler.solve(model, options: options)
            // In the store's canonical order (smaller id first), like the held meetings.
            restOfDay = result.schedule.meetings.map {
                ScheduleDocument.Meeting(participants: $0.participants.sorted(), slot: $0.slot, table: $0.table)
            }
            summary = result.summary
        }
        let meetings = (held + restOfDay).sorted { ($0.slot, $0.table) < ($1.slot, $1.table) }
        let schedule = ScheduleDocument(
            meetings: meetings, objective: try Self.objective(of: meetings, in: whole), upperBound: nil)
        return DayReplan(
            basedOn: published.info.version, schedule: schedule, problem: recorded, summary: summary,
            changes: ScheduleComparison(from: StoredSchedule.document(published), to: schedule),
            cancelled: cancelled, held: held, firstOpenSlot: openSlots.first?.id)
    }

    /// The problem of the slots not begun: present participants only, available in those
    /// slots only, each capped at what their cap leaves after the meetings they had, without
    /// the requests of pairs that already met.
    private func restOfDayProblem(
        _ whole: ProblemDocument, openSlots: [Slot], held: [ScheduleDocument.Meeting],
        pins: [ProblemDocument.Pinned], absent: Set<String>
    ) -> ProblemDocument {
        let open = Set(openSlots.map(\.id.rawValue))
        var heldCount: [String: Int] = [:]
        var met = Set<[String]>()
        for meeting in held {
            for id in meeting.participants { heldCount[id, default: 0] += 1 }
            met.insert(meeting.participants.sorted())
        }
        let defaultCap = whole.defaults?.maxMeetings
        var problem = whole
        problem.slots = whole.slots.filter { open.contains($0.id) }
        problem.participants = whole.participants.filter { !absent.contains($0.id) }.map { participant in
            var participant = participant
            participant.available = participant.available?.filter(open.contains)
            if let cap = participant.maxMeetings ?? defaultCap {
                participant.maxMeetings = max(0, cap - heldCount[participant.id, default: 0])
            }
            return participant
        }
        problem.requests = whole.requests.compactMap { request in
            guard !absent.contains(request.from), !absent.contains(request.to),
                !met.contains([request.from, request.to].sorted())
            else { return nil }
            var request = request
            if let slots = request.slots {
                request.slots = slots.filter(open.contains)
                if request.slots?.isEmpty == true { return nil }
            }
            return request
        }
        let requested = Set(problem.requests.map { Self.pairKey($0.from, $0.to) })
        let kept = pins.filter { requested.contains(Self.pairKey($0.participants[0], $0.participants[1])) }
        problem.pinned = kept.isEmpty ? nil : kept
        return problem
    }

    /// The total weight of `meetings` under `problem`'s requests (a pair whose request is
    /// gone weighs nothing).
    static func objective(of meetings: [ScheduleDocument.Meeting], in problem: ProblemDocument) throws -> Int {
        let model = try SchedulingModel.compile(problem)
        return meetings.reduce(0) { total, meeting in
            guard meeting.participants.count == 2, let a = model.participantIndex[meeting.participants[0]],
                let b = model.participantIndex[meeting.participants[1]], let pair = model.pair(a, b)
            else { return total }
            return total + Int(model.pairWeight[pair])
        }
    }

    static func pairKey(_ a: String, _ b: String) -> [String] { a < b ? [a, b] : [b, a] }
}
