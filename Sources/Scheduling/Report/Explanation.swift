/// Why a requested meeting is not in the schedule, as data (`--explain FILE`).
public struct UnscheduledPair: Sendable, Codable, Hashable {
    public var participants: [String]
    /// The pair's requests: who asked, with which priority.
    public var requests: [RequestRef]
    public var weight: Int
    public var reasons: [Reason]

    public struct RequestRef: Sendable, Codable, Hashable {
        public var from: String
        public var to: String
        public var priority: Int
    }

    /// One reason; `kind` says which, the other fields give the evidence.
    public struct Reason: Sendable, Codable, Hashable {
        /// `bothHostTables`, `noCommonAvailableSlot`, `requestSlotsExcludeCommonSlots`,
        /// `participantAtCap`, `everyCommonSlotTaken`.
        public var kind: String
        public var participant: String?
        public var meetings: Int?
        public var cap: Int?
        public var slots: [SlotConflict]?
    }

    /// Why one allowed slot is not free for the pair.
    public struct SlotConflict: Sendable, Codable, Hashable {
        public var slot: String
        /// The meetings the two already have in that slot.
        public var takenBy: [Blocker]
        /// Every free (non-host) table is used in that slot, and the pair would need one.
        public var tablesFull: Bool
    }

    public struct Blocker: Sendable, Codable, Hashable {
        public var participants: [String]
        public var weight: Int
        /// Pinned meetings cannot move: a *pinned conflict*.
        public var pinned: Bool
        /// `higher`, `equal` or `lower` than the unscheduled pair's weight.
        public var comparedWeight: String
    }
}

/// The explanation of every unscheduled pair of a schedule.
public enum Explanation {
    public static func explain(model: SchedulingModel, slotOfPair slotOf: [Int32]) -> [UnscheduledPair] {
        var requestsOf = [[UnscheduledPair.RequestRef]](repeating: [], count: model.pairCount)
        for (r, request) in model.document.requests.enumerated() where model.requestPair[r] >= 0 {
            requestsOf[Int(model.requestPair[r])].append(
                .init(from: request.from, to: request.to, priority: request.priority))
        }
        var degree = [Int](repeating: 0, count: model.participantCount)
        var occupant = [Int32](repeating: -1, count: model.participantCount * model.slotCount)
        var load = [Int](repeating: 0, count: model.slotCount)
        for k in 0..<model.pairCount where slotOf[k] >= 0 {
            let s = Int(slotOf[k])
            for i in [Int(model.pairA[k]), Int(model.pairB[k])] {
                degree[i] += 1
                occupant[i * model.slotCount + s] = Int32(k)
            }
            if model.pairHostTable[k] < 0 { load[s] += 1 }
        }
        func ids(_ k: Int) -> [String] {
            [model.participantIDs[Int(model.pairA[k])], model.participantIDs[Int(model.pairB[k])]]
        }
        var result: [UnscheduledPair] = []
        for k in 0..<model.pairCount where slotOf[k] < 0 {
            let a = Int(model.pairA[k]), b = Int(model.pairB[k])
            let weight = Int(model.pairWeight[k])
            var reasons: [UnscheduledPair.Reason] = []
            if model.hostTable[a] >= 0 && model.hostTable[b] >= 0 {
                reasons.append(.init(kind: "bothHostTables"))
            } else if model.allowedSlots(ofPair: k).isEmpty {
                let common = (0..<model.slotCount).contains { model.isAvailable(a, $0) && model.isAvailable(b, $0) }
                reasons.append(.init(kind: common ? "requestSlotsExcludeCommonSlots" : "noCommonAvailableSlot"))
            } else {
                for i in [a, b] where degree[i] >= model.capacity[i] {
                    reasons.append(
                        .init(
                            kind: "participantAtCap", participant: model.participantIDs[i], meetings: degree[i],
                            cap: Int(model.capacity[i])))
                }
                var conflicts: [UnscheduledPair.SlotConflict] = []
                for slot in model.allowedSlots(ofPair: k) {
                    let s = Int(slot)
                    var blockers: [UnscheduledPair.Blocker] = []
                    for i in [a, b] {
                        let q = Int(occupant[i * model.slotCount + s])
                        guard q >= 0, !blockers.contains(where: { $0.participants == ids(q) }) else { continue }
                        let w = Int(model.pairWeight[q])
                        blockers.append(
                            .init(
                                participants: ids(q), weight: w, pinned: model.pinnedSlot[q] >= 0,
                                comparedWeight: w > weight ? "higher" : w == weight ? "equal" : "lower"))
                    }
                    let tablesFull = model.pairHostTable[k] < 0 && load[s] >= model.freeTableCount
                    conflicts.append(.init(slot: model.slotIDs[s], takenBy: blockers, tablesFull: tablesFull))
                }
                if conflicts.allSatisfy({ !$0.takenBy.isEmpty || $0.tablesFull }) {
                    reasons.append(.init(kind: "everyCommonSlotTaken", slots: conflicts))
                }
            }
            result.append(.init(participants: ids(k), requests: requestsOf[k], weight: weight, reasons: reasons))
        }
        return result
    }
}
