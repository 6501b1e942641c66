import PartneringCore

/// An exact search for a schedule whose breaks meet `BreakBound`, for events where every
/// pair is scheduled (every request held) and slots fit in one 64-bit word.
///
/// Each participant must then meet in a *window*: consecutive slots of one day holding as
/// many usable slots as it has meetings, with no more gaps of unusable slots than its own
/// fewest breaks. A schedule where everyone keeps to a window has exactly the bound's breaks,
/// so it is optimal and proven. Since a window holds exactly as many usable slots as the
/// participant has meetings, every slot of the window it ends in holds one of its meetings:
/// the slots common to all of a participant's remaining windows (its *mandatory* slots) must
/// each be taken by one of its meetings, as in an exact cover.
///
/// The search is depth first over a slot-by-participant model on bit sets. A slot stays
/// possible for a meeting when both participants are free then, the slot has a table left,
/// and both still have a window holding every slot they use plus this one. After each choice,
/// propagation runs to a fixed point: a meeting with one slot left takes it; a mandatory slot
/// that only one of the participant's meetings can take gets it (none: the branch fails); a
/// slot where the participants that must be busy need more tables than there are fails, as
/// does one whose busy participants are all settled and odd in number; then a matching check
/// (alldifferent per participant) removes the windows whose open slots the participant's free
/// meetings cannot take one each. It then branches on the most constrained choice: the meeting
/// with the fewest slots left, the mandatory slot of a participant with the fewest meetings
/// able to take it, or the window of the participant with the fewest left; a meeting's slot in the schedule
/// the search starts from is tried first, the other options in random order. Restarts with
/// growing node limits keep it from sinking into one subtree. `improve` runs the same search
/// on neighbourhoods of a schedule (large-neighbourhood search).
///
/// A value type: a class's stored arrays are checked for exclusive access at run time on
/// every access, which took a third of the search's time.
struct CompactSearch {
    let model: SchedulingModel
    private let pairs: [Int]
    private let pairEnds: [(Int, Int)]
    private let allowedMask: [UInt64]
    private let hostless: [Bool]
    /// Windows of each participant as bit sets of slots.
    private let windows: [[UInt64]]
    private let incident: [[Int]]
    private let freeTables: Int
    /// No meeting has a host table, so every busy pair of participants in a slot takes a free table.
    private let everyMeetingHostless: Bool

    /// The slot of each meeting in the schedule the search starts from: values are tried
    /// closest to it first (solution-guided search), since it is usually near a compact one.
    private var hintSlot: [Int]

    /// Participants held to a window in the current search (all of them in `solve`; in a
    /// neighbourhood of `improve`, those with a meeting free to move).
    private var constrained: [Bool]
    /// Meetings free to move in the current search, and their participants.
    private var activeMeetings: [Int]
    /// The active meetings not yet placed, as a bit set over meeting indices: deep in the
    /// tree most meetings are placed, and scanning them all for the free ones was most of
    /// `propagate`. Iterated in ascending order, the order of `activeMeetings`.
    private var freeActive: [UInt64]
    private var activeBits: [UInt64]
    private var activeParticipants: [Int]
    private var slotOf: [Int]
    /// Windows still allowed for each participant, as bits over `windows[i]`: propagation
    /// removes those with a slot that none of the participant's meetings can take.
    private var alive: [UInt64]
    private var busy: [UInt64]
    /// Slots of a window of the participant that holds every slot it uses.
    private var feasible: [UInt64]
    /// Slots of every window of the participant that holds every slot it uses.
    private var mandatory: [UInt64]
    private var load: [Int]
    private var fullSlots: UInt64 = 0
    /// Every slot of the model, as a bit set.
    private let allSlots: UInt64
    /// Scratch for the table check: per slot, the free participants that must meet then and those that may.
    private var neededCount: [Int]
    private var possibleCount: [Int]
    /// Meetings in the order they were placed (index) and window sets narrowed (-1 - participant,
    /// the previous set on `aliveTrail`), for undoing a branch.
    private var trail: [Int] = []
    private var aliveTrail: [UInt64] = []
    private var nodes = 0
    private var random: SeededRandom
    /// Scratch for the matching check: the slots each of a participant's free meetings may
    /// take, those it may take in one window, and the meeting (position in that list) holding
    /// each slot.
    private var freeDomains = [UInt64](repeating: 0, count: 64)
    private var matchMasks = [UInt64](repeating: 0, count: 64)
    private var slotHolder = [Int](repeating: -1, count: 64)
    private var visitedSlots: UInt64 = 0
    /// Per participant, the windows and domains of its meetings (0 once placed, in one flat
    /// list from `incidentStart[i]`) when its windows were last checked by matching:
    /// unchanged, the check would find the same, so it is skipped.
    private var checkedAlive: [UInt64]
    private var checkedBusy: [UInt64]
    private var checkedDomains: [UInt64]
    private let incidentStart: [Int]

    /// A search on `shape`, taken from `state`, trying `state`'s slots first.
    init(shape: CompactShape, state: SearchState, seed: UInt64) {
        let model = state.model
        self.model = model
        pairs = shape.pairs
        pairEnds = shape.pairEnds
        allowedMask = shape.allowedMask
        hostless = shape.hostless
        everyMeetingHostless = hostless.allSatisfy { $0 }
        incident = shape.incident
        windows = shape.windows
        freeTables = model.freeTableCount
        hintSlot = pairs.map { Int(state.slotOf[$0]) }
        slotOf = [Int](repeating: -1, count: pairs.count)
        constrained = [Bool](repeating: true, count: model.participantCount)
        activeMeetings = Array(pairs.indices)
        activeBits = [UInt64](repeating: 0, count: (pairs.count + 63) / 64)
        freeActive = activeBits
        activeParticipants = shape.incident.indices.filter { !shape.incident[$0].isEmpty }
        alive = shape.windows.map { $0.count == 64 ? ~0 : (UInt64(1) << UInt64($0.count)) - 1 }
        busy = [UInt64](repeating: 0, count: model.participantCount)
        feasible = [UInt64](repeating: 0, count: model.participantCount)
        mandatory = [UInt64](repeating: 0, count: model.participantCount)
        load = [Int](repeating: 0, count: model.slotCount)
        neededCount = load
        possibleCount = load
        allSlots = model.slotCount == 64 ? ~0 : (UInt64(1) << UInt64(model.slotCount)) - 1
        random = SeededRandom(seed: seed ^ 0xC0_4AC7)
        checkedAlive = [UInt64](repeating: 0, count: model.participantCount)
        checkedBusy = [UInt64](repeating: 0, count: model.participantCount)
        var starts = [0]
        for list in shape.incident { starts.append((starts.last ?? 0) + list.count) }
        incidentStart = starts
        checkedDomains = [UInt64](repeating: 0, count: starts.last ?? 0)
    }

    /// Searches with up to `nodeLimit` nodes in all; the slot of every model pair (-1 for
    /// pairs without an allowed slot) when a schedule meeting the bound is found.
    mutating func solve(nodeLimit: Int, pinnedSlot: [Int32], shouldStop: () -> Bool) -> [Int32]? {
        let fixed = pairs.map { Int(pinnedSlot[$0]) }
        return search(fixed: fixed, nodeLimit: nodeLimit, firstLimit: 1_000, shouldStop: shouldStop)
    }

    /// Large-neighbourhood search from `schedule` (slot of every model pair, all scheduled):
    /// a participant with more breaks than its fewest, its partners and some of theirs (with
    /// breaks above their fewest or not) are freed and must all keep to a window, every other
    /// meeting stays; a participant outside the region whose meetings do not keep to a window
    /// keeps its meetings where they are. A neighbourhood
    /// solved takes that participant to its fewest breaks and gives nobody more breaks, so the
    /// breaks only fall. Stops at the bound, after `nodeLimit` nodes, or when asked.
    mutating func improve(schedule: [Int32], pinnedSlot: [Int32], nodeLimit: Int, shouldStop: () -> Bool) -> [Int32] {
        var current = pairs.map { Int(schedule[$0]) }
        let pinned = pairs.map { Int(pinnedSlot[$0]) }
        var failures = [Int](repeating: 0, count: model.participantCount)
        while nodes < nodeLimit && !shouldStop() {
            var slotsOf = [UInt64](repeating: 0, count: model.participantCount)
            for (index, (a, b)) in pairEnds.enumerated() {
                slotsOf[a] |= 1 << UInt64(current[index])
                slotsOf[b] |= 1 << UInt64(current[index])
            }
            hintSlot = current
            let compact = incident.indices.map { i in
                incident[i].isEmpty || windows[i].contains(slotsOf[i])
            }
            let untidy = incident.indices.filter { !compact[$0] }
            guard !untidy.isEmpty else { break }
            // The untidy participant tried least often, ties at random.
            let fewestFailures = untidy.map { failures[$0] }.min() ?? 0
            let candidates = untidy.filter { failures[$0] == fewestFailures }
            let centre = candidates[random.below(candidates.count)]
            failures[centre] += 1
            // Setting a neighbourhood up (every meeting placed again, propagation from the root)
            // costs about as much as a quarter of the meetings' nodes: counted, so that a run of
            // neighbourhoods that fail at once still ends within its budget.
            nodes += max(1, pairs.count / 4)
            var region: Set<Int> = [centre]
            var frontier = [centre]
            let regionSize = incident[centre].count + 4 + random.below(12) + min(30, 2 * failures[centre])
            while region.count < regionSize, !frontier.isEmpty {
                let i = frontier.removeFirst()
                var partners = incident[i].map { pairEnds[$0].0 == i ? pairEnds[$0].1 : pairEnds[$0].0 }
                shuffle(&partners)
                for j in partners where region.count < regionSize && !region.contains(j) {
                    region.insert(j)
                    frontier.append(j)
                }
            }
            var fixed = pinned
            for (index, (a, b)) in pairEnds.enumerated() where fixed[index] < 0 {
                let free =
                    (region.contains(a) || region.contains(b)) && (compact[a] || region.contains(a))
                    && (compact[b] || region.contains(b))
                if !free { fixed[index] = current[index] }
            }
            let limit = min(nodeLimit - nodes, 500 + 100 * failures[centre])
            if let found = search(fixed: fixed, nodeLimit: nodes + limit, firstLimit: limit, shouldStop: shouldStop) {
                for index in pairs.indices { current[index] = Int(found[pairs[index]]) }
                failures[centre] = 0
            }
        }
        var result = [Int32](repeating: -1, count: model.pairCount)
        for (index, k) in pairs.enumerated() { result[k] = Int32(current[index]) }
        return result
    }

    /// Restarts of the depth-first search with the meetings of `fixed` (slot, or -1 when free)
    /// placed first; participants with a free meeting keep to a window.
    private mutating func search(fixed: [Int], nodeLimit: Int, firstLimit: Int, shouldStop: () -> Bool) -> [Int32]? {
        activeMeetings = pairs.indices.filter { fixed[$0] < 0 }
        for word in activeBits.indices { activeBits[word] = 0 }
        for index in activeMeetings { activeBits[index >> 6] |= 1 << UInt64(index & 63) }
        var involved = [Bool](repeating: false, count: model.participantCount)
        for index in activeMeetings {
            involved[pairEnds[index].0] = true
            involved[pairEnds[index].1] = true
        }
        activeParticipants = incident.indices.filter { involved[$0] }
        constrained = involved
        var limit = firstLimit
        while nodes < nodeLimit && !shouldStop() {
            reset()
            for index in pairs.indices where fixed[index] >= 0 {
                let slot = fixed[index]
                guard slotOf[index] < 0, domain(index) >> UInt64(slot) & 1 == 1 else { return nil }
                assign(index, slot)
            }
            let budget = min(nodeLimit, nodes + limit)
            if search(budget: budget, shouldStop: shouldStop) {
                var result = [Int32](repeating: -1, count: model.pairCount)
                for (index, k) in pairs.enumerated() { result[k] = Int32(slotOf[index]) }
                return result
            }
            // The whole tree was searched within the budget: no schedule meets the bound.
            if nodes < budget && !shouldStop() { return nil }
            limit = min(limit * 2, 1 << 40)
        }
        return nil
    }

    private mutating func reset() {
        for index in slotOf.indices { slotOf[index] = -1 }
        for word in activeBits.indices { freeActive[word] = activeBits[word] }
        for i in busy.indices {
            busy[i] = 0
            alive[i] = windows[i].count == 64 ? ~0 : (UInt64(1) << UInt64(windows[i].count)) - 1
            refreshWindows(i)
        }
        aliveTrail.removeAll(keepingCapacity: true)
        for s in load.indices { load[s] = 0 }
        fullSlots = 0
        trail.removeAll(keepingCapacity: true)
    }

    @inline(__always) private func domain(_ index: Int) -> UInt64 {
        let (a, b) = pairEnds[index]
        var mask = allowedMask[index] & feasible[a] & feasible[b] & ~busy[a] & ~busy[b]
        if hostless[index] { mask &= ~fullSlots }
        return mask
    }

    private mutating func refreshWindows(_ i: Int) {
        guard constrained[i] else {
            feasible[i] = ~0
            mandatory[i] = busy[i]
            return
        }
        var union: UInt64 = 0
        var common: UInt64 = ~0
        var set = alive[i]
        while set != 0 {
            let window = windows[i][set.trailingZeroBitCount]
            set &= set - 1
            if window & busy[i] == busy[i] {
                union |= window
                common &= window
            }
        }
        feasible[i] = union
        mandatory[i] = union == 0 ? 0 : common
    }

    private mutating func assign(_ index: Int, _ slot: Int) {
        let (a, b) = pairEnds[index]
        slotOf[index] = slot
        trail.append(index)
        freeActive[index >> 6] &= ~(1 << UInt64(index & 63))
        busy[a] |= 1 << UInt64(slot)
        busy[b] |= 1 << UInt64(slot)
        refreshWindows(a)
        refreshWindows(b)
        if hostless[index] {
            load[slot] += 1
            if load[slot] >= freeTables { fullSlots |= 1 << UInt64(slot) }
        }
    }

    /// Narrows participant `i`'s windows to those of `set`.
    private mutating func narrow(_ i: Int, to set: UInt64) {
        trail.append(-1 - i)
        aliveTrail.append(alive[i])
        alive[i] = set
        refreshWindows(i)
    }

    /// Takes back the meetings placed and windows narrowed since the trail held `mark` entries.
    private mutating func undo(to mark: Int) {
        while trail.count > mark {
            guard let index = trail.popLast() else { return }
            if index < 0 {
                alive[-1 - index] = aliveTrail.popLast() ?? 0
                refreshWindows(-1 - index)
                continue
            }
            let (a, b) = pairEnds[index]
            let slot = slotOf[index]
            slotOf[index] = -1
            freeActive[index >> 6] |= activeBits[index >> 6] & 1 << UInt64(index & 63)
            busy[a] &= ~(1 << UInt64(slot))
            busy[b] &= ~(1 << UInt64(slot))
            refreshWindows(a)
            refreshWindows(b)
            if hostless[index] {
                load[slot] -= 1
                fullSlots &= ~(1 << UInt64(slot))
            }
        }
    }

    /// Places every forced meeting until nothing more is forced; false on a contradiction.
    private mutating func propagate() -> Bool {
        var changed = true
        while changed {
            changed = false
            for word in freeActive.indices {
                var free = freeActive[word]
                while free != 0 {
                    let index = word << 6 | free.trailingZeroBitCount
                    free &= free - 1
                    // Placed earlier in this pass by a forced choice.
                    if slotOf[index] >= 0 { continue }
                    let mask = domain(index)
                    if mask == 0 { return false }
                    if mask & (mask - 1) == 0 {
                        assign(index, mask.trailingZeroBitCount)
                        changed = true
                    }
                }
            }
            for i in activeParticipants where constrained[i] {
                var once: UInt64 = 0, twice: UInt64 = 0
                for index in incident[i] where slotOf[index] < 0 {
                    let mask = domain(index)
                    twice |= once & mask
                    once |= mask
                }
                // Windows with a slot that neither a meeting of i holds nor one can take are out.
                let coverable = once | busy[i]
                let kept = aliveWindows(of: i) { _, window in window & ~coverable == 0 }
                if kept == 0 { return false }
                if kept != alive[i] {
                    narrow(i, to: kept)
                    changed = true
                }
                let open = mandatory[i] & ~busy[i]
                if open == 0 { continue }
                if open & ~once != 0 { return false }
                var single = open & ~twice
                while single != 0 {
                    let slot = single.trailingZeroBitCount
                    single &= single - 1
                    guard
                        let taker = incident[i].first(where: { slotOf[$0] < 0 && domain($0) >> UInt64(slot) & 1 == 1 })
                    else { return false }
                    assign(taker, slot)
                    changed = true
                }
            }
            if !changed && !tablesSuffice() { return false }
            if !changed {
                guard let narrowed = matchWindows() else { return false }
                changed = narrowed
            }
        }
        return true
    }

    /// Per participant, the windows where its free meetings cannot take the window's open slots
    /// one each (a perfect matching, since a window holds as many usable slots as meetings) are
    /// out. Nil when a participant has no window left; else whether any window was removed.
    private mutating func matchWindows() -> Bool? {
        var narrowed = false
        for i in activeParticipants where constrained[i] {
            var count = 0
            var union: UInt64 = 0
            var unchanged = checkedAlive[i] == alive[i] && checkedBusy[i] == busy[i]
            let start = incidentStart[i]
            for (position, index) in incident[i].enumerated() {
                let mask = slotOf[index] < 0 ? domain(index) : 0
                if checkedDomains[start + position] != mask {
                    unchanged = false
                    checkedDomains[start + position] = mask
                }
                if slotOf[index] < 0 {
                    freeDomains[count] = mask
                    count += 1
                    union |= mask
                }
            }
            if count == 0 || unchanged { continue }
            let kept = aliveWindows(of: i) { search, window in
                let busy = search.busy[i]
                guard window & ~(union | busy) == 0 else { return false }
                let open = window & ~busy
                for position in 0..<count { search.matchMasks[position] = search.freeDomains[position] & open }
                return search.perfectMatching(count, slots: open)
            }
            if kept == 0 {
                // The domains were recorded but this state is abandoned: check again next time.
                checkedAlive[i] = 0
                return nil
            }
            if kept != alive[i] {
                narrow(i, to: kept)
                narrowed = true
            }
            checkedAlive[i] = alive[i]
            checkedBusy[i] = busy[i]
        }
        return narrowed
    }

    /// The bits (over `windows[i]`) of the participant's remaining windows that hold every slot
    /// it uses and pass `keeps` (which may use the search's scratch space).
    @inline(__always) private mutating func aliveWindows(
        of i: Int, keeps: (inout CompactSearch, UInt64) -> Bool
    ) -> UInt64 {
        var kept: UInt64 = 0
        var set = alive[i]
        while set != 0 {
            let bit = set & (~set &+ 1)
            let window = windows[i][set.trailingZeroBitCount]
            set &= set - 1
            if window & busy[i] == busy[i] && keeps(&self, window) { kept |= bit }
        }
        return kept
    }

    /// Whether each of the first `count` entries of `matchMasks` (subsets of `slots`) can take
    /// a slot of its own (augmenting paths).
    private mutating func perfectMatching(_ count: Int, slots: UInt64) -> Bool {
        var clear = slots
        while clear != 0 {
            slotHolder[clear.trailingZeroBitCount] = -1
            clear &= clear - 1
        }
        for position in 0..<count {
            visitedSlots = 0
            if !augment(position) { return false }
        }
        return true
    }

    private mutating func augment(_ position: Int) -> Bool {
        var options = matchMasks[position] & ~visitedSlots
        while options != 0 {
            let slot = options.trailingZeroBitCount
            options &= options - 1
            visitedSlots |= 1 << UInt64(slot)
            let holder = slotHolder[slot]
            if holder < 0 || augment(holder) {
                slotHolder[slot] = position
                return true
            }
        }
        return false
    }

    /// In every slot, the free participants whose every window holds it (a meeting each, two to
    /// a meeting) need half as many more tables when no meeting has a host table; and when
    /// every free participant that may still meet then must, they must be an even number.
    private mutating func tablesSuffice() -> Bool {
        for slot in load.indices {
            neededCount[slot] = 0
            possibleCount[slot] = 0
        }
        for i in activeParticipants {
            var must = mandatory[i] & ~busy[i]
            while must != 0 {
                neededCount[must.trailingZeroBitCount] += 1
                must &= must - 1
            }
            var may = feasible[i] & ~busy[i] & allSlots
            while may != 0 {
                possibleCount[may.trailingZeroBitCount] += 1
                may &= may - 1
            }
        }
        for slot in load.indices {
            let needed = neededCount[slot]
            if everyMeetingHostless && load[slot] + (needed + 1) / 2 > freeTables { return false }
            if needed == possibleCount[slot] && needed % 2 == 1 { return false }
        }
        return true
    }

    private mutating func search(budget: Int, shouldStop: () -> Bool) -> Bool {
        nodes += 1
        if nodes >= budget || (nodes & 1023 == 0 && shouldStop()) { return false }
        let mark = trail.count
        guard propagate() else {
            undo(to: mark)
            return false
        }
        // The meeting with the fewest slots left.
        var chosen = -1, fewest = Int.max, chosenMask: UInt64 = 0
        for word in freeActive.indices {
            var free = freeActive[word]
            while free != 0 {
                let index = word << 6 | free.trailingZeroBitCount
                free &= free - 1
                let mask = domain(index)
                let size = mask.nonzeroBitCount
                if size < fewest {
                    fewest = size
                    chosen = index
                    chosenMask = mask
                }
            }
        }
        if chosen < 0 { return true }
        // The mandatory slot with the fewest meetings able to take it, when fewer.
        var coverSlot = -1, coverParticipant = -1
        for i in activeParticipants where constrained[i] && fewest > 2 {
            var open = mandatory[i] & ~busy[i]
            while open != 0 {
                let slot = open.trailingZeroBitCount
                open &= open - 1
                var takers = 0
                for index in incident[i] where slotOf[index] < 0 && domain(index) >> UInt64(slot) & 1 == 1 {
                    takers += 1
                }
                if takers < fewest {
                    fewest = takers
                    coverSlot = slot
                    coverParticipant = i
                }
            }
        }
        // The participant with the fewest windows left, when fewer: once its window is chosen
        // the matching check holds its meetings to exactly that window's slots.
        var windowParticipant = -1
        for i in activeParticipants where constrained[i] && fewest > 2 {
            let count = alive[i].nonzeroBitCount
            if count > 1 && count < fewest && incident[i].contains(where: { slotOf[$0] < 0 }) {
                fewest = count
                windowParticipant = i
            }
        }
        if windowParticipant >= 0 {
            var choices: [UInt64] = []
            var set = alive[windowParticipant]
            while set != 0 {
                let bit = set & (~set &+ 1)
                set &= set - 1
                choices.append(bit)
            }
            shuffle(&choices)
            // The window closest to the starting schedule's slots first.
            let hinted = incident[windowParticipant].reduce(UInt64(0)) { $0 | 1 << UInt64(hintSlot[$1]) }
            let windowList = windows[windowParticipant]
            let overlap = { (bit: UInt64) in (windowList[bit.trailingZeroBitCount] & hinted).nonzeroBitCount }
            if let best = choices.indices.max(by: { overlap(choices[$0]) < overlap(choices[$1]) }) {
                choices.swapAt(0, best)
            }
            let branchMark = trail.count
            for choice in choices {
                narrow(windowParticipant, to: choice)
                if search(budget: budget, shouldStop: shouldStop) { return true }
                undo(to: branchMark)
                if nodes >= budget { break }
            }
            undo(to: mark)
            return false
        }
        var options: [(index: Int, slot: Int)] = []
        if coverSlot >= 0 {
            for index in incident[coverParticipant]
            where slotOf[index] < 0 && domain(index) >> UInt64(coverSlot) & 1 == 1 {
                options.append((index, coverSlot))
            }
        } else {
            var mask = chosenMask
            while mask != 0 {
                options.append((chosen, mask.trailingZeroBitCount))
                mask &= mask - 1
            }
        }
        shuffle(&options)
        // The starting schedule's choice first.
        if let hinted = options.firstIndex(where: { hintSlot[$0.index] == $0.slot }) {
            options.swapAt(0, hinted)
        }
        let branchMark = trail.count
        for option in options {
            assign(option.index, option.slot)
            if search(budget: budget, shouldStop: shouldStop) { return true }
            undo(to: branchMark)
            if nodes >= budget { break }
        }
        undo(to: mark)
        return false
    }

    private mutating func shuffle<Element>(_ list: inout [Element]) {
        guard list.count > 1 else { return }
        for position in stride(from: list.count - 1, to: 0, by: -1) {
            list.swapAt(position, random.below(position + 1))
        }
    }
}
