import Scheduling

/// The ids of a problem resolved to indices: participants, tables (with their hosts),
/// slots, roles and pinned meetings.
struct ProblemIndex {
    static let defaultMeetPolicy = [["company", "expert"]]

    var participants: [GridParticipant] = []
    var participantIndex: [String: Int] = [:]
    var tables: [GridTable] = []
    var tableIndex: [String: Int] = [:]
    /// Position in the timeline of each slot id.
    var slotIndex: [String: Int] = [:]
    var roles: [String] = []
    var pinned: Set<PinKey> = []

    init(_ problem: ProblemDocument, timeline: SlotTimeline) throws(GridInputError) {
        for (number, slot) in problem.slots.enumerated() {
            guard slotIndex.updateValue(timeline.positionOfDocumentSlot[number], forKey: slot.id) == nil else {
                throw GridInputError(.problem, "slots[\(number)].id", "duplicate slot id \"\(slot.id)\"")
            }
        }
        for (number, table) in problem.tables.enumerated() {
            guard tableIndex.updateValue(number, forKey: table.id) == nil else {
                throw GridInputError(.problem, "tables[\(number)].id", "duplicate table id \"\(table.id)\"")
            }
            tables.append(GridTable(id: table.id, name: table.name ?? table.id, host: nil))
        }
        var roleIndex: [String: Int] = [:]
        func addRole(_ role: String) -> Int {
            if let known = roleIndex[role] { return known }
            roles.append(role)
            roleIndex[role] = roles.count - 1
            return roles.count - 1
        }
        for pair in problem.policy?.meet ?? Self.defaultMeetPolicy {
            for role in pair { _ = addRole(role) }
        }
        participants.reserveCapacity(problem.participants.count)
        for (number, participant) in problem.participants.enumerated() {
            let path = "participants[\(number)]"
            guard participantIndex.updateValue(number, forKey: participant.id) == nil else {
                throw GridInputError(.problem, "\(path).id", "duplicate participant id \"\(participant.id)\"")
            }
            var hostTable: Int? = nil
            if let tableID = participant.table {
                guard let table = tableIndex[tableID] else {
                    throw GridInputError(.problem, "\(path).table", "unknown table \"\(tableID)\"")
                }
                if let other = tables[table].host {
                    throw GridInputError(
                        .problem, "\(path).table",
                        "table \"\(tableID)\" is already the host table of \"\(problem.participants[other].id)\"")
                }
                tables[table].host = number
                hostTable = table
            }
            participants.append(
                GridParticipant(
                    id: participant.id, name: participant.name ?? participant.id,
                    organisation: participant.organisation ?? "", role: participant.role,
                    roleIndex: addRole(participant.role), topics: [], hostTable: hostTable, hasRequest: false))
        }
        for (number, pin) in (problem.pinned ?? []).enumerated() {
            let path = "pinned[\(number)]"
            guard pin.participants.count == 2 else {
                throw GridInputError(.problem, "\(path).participants", "expected two participants")
            }
            var people: [Int] = []
            for (position, id) in pin.participants.enumerated() {
                guard let participant = participantIndex[id] else {
                    throw GridInputError(.problem, "\(path).participants[\(position)]", "unknown participant \"\(id)\"")
                }
                people.append(participant)
            }
            guard let slot = slotIndex[pin.slot] else {
                throw GridInputError(.problem, "\(path).slot", "unknown slot \"\(pin.slot)\"")
            }
            pinned.insert(PinKey(pair: PairKey(people[0], people[1]), slot: slot))
        }
    }
}

/// The requests of a problem by pair and by participant.
struct RequestIndex {
    struct Pair {
        /// The most wanted priority of the pair's requests.
        var priority: Int
        var mutual: Bool
        /// Which directions were asked: bit 0 low → high, bit 1 high → low.
        var directions: UInt8
    }

    struct Involvement {
        var counterpart: Int
        var sent: Bool
        var priority: Int
    }

    private(set) var pairs: [PairKey: Pair] = [:]
    private(set) var participantsWithRequest: Set<Int> = []
    /// Every request as (from, to, priority), for satisfaction counts and the no-meeting list.
    private var all: [(from: Int32, to: Int32, priority: Int)] = []

    init(_ problem: ProblemDocument, index: ProblemIndex) throws(GridInputError) {
        all.reserveCapacity(problem.requests.count)
        for (number, request) in problem.requests.enumerated() {
            let path = "requests[\(number)]"
            guard let from = index.participantIndex[request.from] else {
                throw GridInputError(.problem, "\(path).from", "unknown participant \"\(request.from)\"")
            }
            guard let to = index.participantIndex[request.to] else {
                throw GridInputError(.problem, "\(path).to", "unknown participant \"\(request.to)\"")
            }
            let key = PairKey(from, to)
            let direction: UInt8 = from < to ? 1 : 2
            if var pair = pairs[key] {
                pair.priority = min(pair.priority, request.priority)
                pair.directions |= direction
                pair.mutual = pair.directions == 3
                pairs[key] = pair
            } else {
                pairs[key] = Pair(priority: request.priority, mutual: false, directions: direction)
            }
            participantsWithRequest.insert(from)
            participantsWithRequest.insert(to)
            all.append((Int32(from), Int32(to), request.priority))
        }
    }

    /// The requests each of `participants` sent or received, in one pass over all requests.
    func requests(of participants: Set<Int>) -> [Int: [Involvement]] {
        var result: [Int: [Involvement]] = [:]
        for request in all {
            let from = Int(request.from), to = Int(request.to)
            if participants.contains(from) {
                result[from, default: []].append(Involvement(counterpart: to, sent: true, priority: request.priority))
            }
            if participants.contains(to) {
                result[to, default: []].append(Involvement(counterpart: from, sent: false, priority: request.priority))
            }
        }
        return result
    }

    /// Requests met and requested per priority, given the pairs that meet.
    func satisfaction(met: Set<PairKey>) -> [PrioritySatisfaction] {
        var counts: [Int: PrioritySatisfaction] = [:]
        for request in all {
            var count =
                counts[request.priority] ?? PrioritySatisfaction(priority: request.priority, met: 0, requested: 0)
            count.requested += 1
            if met.contains(PairKey(Int(request.from), Int(request.to))) { count.met += 1 }
            counts[request.priority] = count
        }
        return counts.values.sorted { $0.priority < $1.priority }
    }
}
