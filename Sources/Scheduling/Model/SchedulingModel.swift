import Foundation

/// A validated problem compiled to flat integer arrays, the form every part of the
/// solver works on. Participants, slots, tables and pairs are numbered in document
/// order; a *pair* is an unordered pair of participants with at least one request.
public struct SchedulingModel: Sendable {
    public let document: ProblemDocument
    public let slotIDs: [String]
    /// The day (0, 1, ...) of each slot: the calendar date of its start in the event time zone.
    public let slotDay: [Int32]
    public let dayCount: Int
    public let tableIDs: [String]
    public let participantIDs: [String]
    public let participantIndex: [String: Int]
    /// Effective cap: `maxMeetings` (participant, else defaults), at most the slots available.
    public let capacity: [Int32]
    /// The host table of each participant, or -1.
    public let hostTable: [Int32]
    /// Tables owned by no host, in document order: the only tables host-less meetings may use.
    public let freeTables: [Int32]
    /// Whether a participant sent or received a request (fairness counts only those).
    public let involved: [Bool]

    public let pairA: [Int32]
    public let pairB: [Int32]
    /// The sum of the weights of the pair's requests (both directions).
    public let pairWeight: [Int32]
    /// The best (lowest) priority among the pair's requests.
    public let pairPriority: [Int8]
    /// The host table a meeting of the pair must use, or -1 when it needs a free table.
    public let pairHostTable: [Int32]
    /// Allowed slots of pair `k`: `pairSlots[pairSlotStart[k] ..< pairSlotStart[k + 1]]`,
    /// ascending: both available, every request restriction satisfied, not two hosts.
    public let pairSlotStart: [Int32]
    public let pairSlots: [UInt16]
    /// Pairs of participant `i`: `incidentPairs[incidentStart[i] ..< incidentStart[i + 1]]`.
    public let incidentStart: [Int32]
    public let incidentPairs: [Int32]
    let pairLookup: [UInt64: Int32]
    /// Available slots of each participant as bit sets of `slotWords` words.
    let availableBits: [UInt64]
    public let slotWords: Int

    /// Pinned meetings: pair, slot, and table (-1 when the scheduler picks it).
    public let pinned: [PinnedMeeting]
    /// The pinned slot of each pair, or -1.
    public let pinnedSlot: [Int32]
    /// Each request's pair and priority, for the satisfied-per-priority report.
    public let requestPair: [Int32]
    public let requestPriority: [Int8]

    public struct PinnedMeeting: Sendable, Hashable {
        public var pair: Int
        public var slot: Int
        public var table: Int
    }

    public var slotCount: Int { slotIDs.count }
    public var participantCount: Int { participantIDs.count }
    public var pairCount: Int { pairA.count }
    public var freeTableCount: Int { freeTables.count }

    /// The pair joining participants `a` and `b`, if they have a request.
    public func pair(_ a: Int, _ b: Int) -> Int? {
        let key = UInt64(UInt32(min(a, b))) << 32 | UInt64(UInt32(max(a, b)))
        return pairLookup[key].map(Int.init)
    }

    public func allowedSlots(ofPair pair: Int) -> ArraySlice<UInt16> {
        pairSlots[Int(pairSlotStart[pair])..<Int(pairSlotStart[pair + 1])]
    }

    public func pairs(of participant: Int) -> ArraySlice<Int32> {
        incidentPairs[Int(incidentStart[participant])..<Int(incidentStart[participant + 1])]
    }

    public func isAvailable(_ participant: Int, _ slot: Int) -> Bool {
        availableBits[participant * slotWords + slot >> 6] >> UInt64(slot & 63) & 1 == 1
    }

    public func isAllowed(pair: Int, slot: Int) -> Bool {
        allowedSlots(ofPair: pair).contains(UInt16(slot))
    }

    /// The other participant of `pair`, seen from `participant`.
    public func partner(in pair: Int, of participant: Int) -> Int {
        Int(pairA[pair]) == participant ? Int(pairB[pair]) : Int(pairA[pair])
    }

    init(
        document: ProblemDocument, slotIDs: [String], slotDay: [Int32], tableIDs: [String],
        participantIDs: [String], participantIndex: [String: Int], capacity: [Int32],
        hostTable: [Int32], involved: [Bool], availableBits: [UInt64], slotWords: Int,
        pairs: [(a: Int32, b: Int32, weight: Int32, priority: Int8, slots: [UInt16])],
        pinned: [PinnedMeeting], requestPair: [Int32], requestPriority: [Int8]
    ) {
        self.document = document
        self.slotIDs = slotIDs
        self.slotDay = slotDay
        self.dayCount = Int((slotDay.max() ?? -1) + 1)
        self.tableIDs = tableIDs
        self.participantIDs = participantIDs
        self.participantIndex = participantIndex
        self.capacity = capacity
        self.hostTable = hostTable
        let hosted = Set(hostTable.filter { $0 >= 0 })
        self.freeTables = (0..<Int32(tableIDs.count)).filter { !hosted.contains($0) }
        self.involved = involved
        self.availableBits = availableBits
        self.slotWords = slotWords
        var pairA: [Int32] = [], pairB: [Int32] = [], weight: [Int32] = [], priority: [Int8] = []
        var host: [Int32] = [], start: [Int32] = [0], slots: [UInt16] = []
        var lookup: [UInt64: Int32] = [:]
        pairA.reserveCapacity(pairs.count)
        pairB.reserveCapacity(pairs.count)
        lookup.reserveCapacity(pairs.count)
        var degree = [Int32](repeating: 0, count: participantIDs.count)
        for (k, pair) in pairs.enumerated() {
            pairA.append(pair.a)
            pairB.append(pair.b)
            weight.append(pair.weight)
            priority.append(pair.priority)
            let hostA = hostTable[Int(pair.a)], hostB = hostTable[Int(pair.b)]
            host.append(hostA >= 0 ? hostA : hostB)
            slots.append(contentsOf: pair.slots)
            start.append(Int32(slots.count))
            lookup[UInt64(UInt32(pair.a)) << 32 | UInt64(UInt32(pair.b))] = Int32(k)
            degree[Int(pair.a)] += 1
            degree[Int(pair.b)] += 1
        }
        var incidentStart = [Int32](repeating: 0, count: participantIDs.count + 1)
        for i in 0..<participantIDs.count { incidentStart[i + 1] = incidentStart[i] + degree[i] }
        var fill = incidentStart
        var incident = [Int32](repeating: 0, count: Int(incidentStart.last ?? 0))
        for k in 0..<pairA.count {
            for end in [Int(pairA[k]), Int(pairB[k])] {
                incident[Int(fill[end])] = Int32(k)
                fill[end] += 1
            }
        }
        self.pairA = pairA
        self.pairB = pairB
        self.pairWeight = weight
        self.pairPriority = priority
        self.pairHostTable = host
        self.pairSlotStart = start
        self.pairSlots = slots
        self.incidentStart = incidentStart
        self.incidentPairs = incident
        self.pairLookup = lookup
        self.pinned = pinned
        var pinnedSlot = [Int32](repeating: -1, count: pairA.count)
        for pin in pinned { pinnedSlot[pin.pair] = Int32(pin.slot) }
        self.pinnedSlot = pinnedSlot
        self.requestPair = requestPair
        self.requestPriority = requestPriority
    }
}
