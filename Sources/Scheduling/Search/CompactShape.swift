import PartneringCore

/// What both exact searches for a schedule at `BreakBound` start from: every pair with an
/// allowed slot (all scheduled in the state searched from), their participants, allowed slots
/// and tables, and each participant's *windows*.
///
/// A window is a stretch of consecutive slots of one day, starting and ending on a slot the
/// participant's meetings may use, holding exactly as many such slots as it has meetings, with
/// exactly its fewest breaks (`BreakBound.fewestBreaks`) as gaps of unusable slots. A schedule
/// where everyone keeps to a window has exactly the bound's breaks, so it is optimal and
/// proven. Slots are bits of one 64-bit word.
struct CompactShape {
    /// The model pairs that have an allowed slot.
    let pairs: [Int]
    /// The participants of each entry of `pairs`.
    let pairEnds: [(Int, Int)]
    /// The allowed slots of each entry of `pairs`, as a bit set.
    let allowedMask: [UInt64]
    /// Whether each entry of `pairs` needs a free table (it has no host table).
    let hostless: [Bool]
    /// Per participant, the positions in `pairs` of its meetings.
    let incident: [[Int]]
    /// Windows of each participant as bit sets of slots, in the order of their first slot.
    let windows: [[UInt64]]
    /// Each participant's fewest breaks (`BreakBound.fewestBreaks` with every pair held).
    let fewestBreaks: [Int]

    /// Nil when the shape does not fit: some pair unscheduled, more than 64 slots, or a
    /// participant without a window or with more than 64 of them.
    init?(state: SearchState) {
        let model = state.model
        guard model.slotCount <= 64 else { return nil }
        var pairs: [Int] = []
        for k in 0..<model.pairCount where model.pairSlotStart[k + 1] > model.pairSlotStart[k] {
            guard state.slotOf[k] >= 0 else { return nil }
            pairs.append(k)
        }
        self.pairs = pairs
        pairEnds = pairs.map { (Int(model.pairA[$0]), Int(model.pairB[$0])) }
        allowedMask = pairs.map { k in model.allowedSlots(ofPair: k).reduce(UInt64(0)) { $0 | 1 << UInt64($1) } }
        hostless = pairs.map { model.pairHostTable[$0] < 0 }
        var incident = [[Int]](repeating: [], count: model.participantCount)
        var usable = [UInt64](repeating: 0, count: model.participantCount)
        for (index, (a, b)) in pairEnds.enumerated() {
            incident[a].append(index)
            incident[b].append(index)
            usable[a] |= allowedMask[index]
            usable[b] |= allowedMask[index]
        }
        self.incident = incident
        var windows: [[UInt64]] = []
        var fewestBreaks: [Int] = []
        for i in 0..<model.participantCount {
            let meetings = incident[i].count
            let fewest = BreakBound.fewestBreaks(of: i, model: model, slack: 0)
            let list = Self.windows(usable: usable[i], meetings: meetings, breaks: fewest, slotDay: model.slotDay)
            guard meetings == 0 || !list.isEmpty, list.count <= 64 else { return nil }
            windows.append(list)
            fewestBreaks.append(fewest)
        }
        self.windows = windows
        self.fewestBreaks = fewestBreaks
    }

    /// Stretches of consecutive slots of one day, starting and ending on a usable slot, with
    /// exactly `meetings` usable slots and `breaks` gaps of unusable ones.
    static func windows(usable: UInt64, meetings: Int, breaks: Int, slotDay: [Int32]) -> [UInt64] {
        guard meetings > 0 else { return [] }
        var result: [UInt64] = []
        let slots = slotDay.count
        for first in 0..<slots where usable >> UInt64(first) & 1 == 1 {
            var count = 0, gaps = 0, mask: UInt64 = 0
            var last = first
            while last < slots && slotDay[last] == slotDay[first] {
                let isUsable = usable >> UInt64(last) & 1 == 1
                if isUsable {
                    if last > first && usable >> UInt64(last - 1) & 1 == 0 { gaps += 1 }
                    count += 1
                    mask |= 1 << UInt64(last)
                }
                if count == meetings { break }
                last += 1
            }
            if count == meetings && gaps == breaks { result.append(mask) }
        }
        return result
    }

}
