import PartneringCore

/// An exact search for a schedule where everyone keeps to a window (`CompactShape`), so whose
/// breaks meet `BreakBound`, by a SAT solver with clause learning.
///
/// The depth-first `CompactSearch` forgets why a branch failed, and on the harder forum events
/// it fails the same way in thousands of subtrees; a solver that learns a clause from each
/// failure settles them in a few thousand conflicts. The model (every pair scheduled):
/// - `meet(k, s)`: meeting k is held in slot s, for the slots both participants' windows may
///   hold; exactly one per meeting.
/// - `busy(i, s)`: participant i meets in slot s, true exactly when one of its meetings is
///   there, and at most one is.
/// - `from(i, w)`: i's window is its w-th or an earlier one (an order encoding over the
///   windows, sorted by first slot): the windows holding a slot s are a range w1...w2 of that
///   order, so `busy(i, s)` is `from(i, w2) ∧ ¬from(i, w1 - 1)`, and knowing a slot busy or
///   free narrows the window from both sides at once.
/// - Tables: at most as many meetings needing a free table per slot as there are free tables,
///   as a cardinality constraint of the solver (on the busy participants, twice the tables,
///   when no meeting has a host table: fewer variables, same meaning).
/// A satisfying assignment is a schedule at the bound. An unsatisfiable formula proves that
/// none exists, so that every schedule holding every pair has more breaks than the bound, when
/// the windows are every way to meet at the fewest breaks (`windowsAreExact`).
struct CompactSATSearch {
    /// What one call of `solve` found.
    enum Outcome {
        /// The slot of every model pair (-1 for pairs without an allowed slot).
        case found([Int32])
        /// No schedule where everyone keeps to a window exists (a proof that the bound cannot be
        /// met when `windowsAreExact`).
        case impossible
        /// The conflict budget ran out, or the caller asked to stop.
        case undecided
    }

    private let model: SchedulingModel
    private let shape: CompactShape
    private var solver = SATSolver()
    /// Per entry of `shape.pairs`: the slots it may take and their `meet` variables.
    private var meetingSlots: [[(slot: Int, variable: Int32)]] = []
    /// `busy` variables by participant and slot (0 where the participant cannot meet then).
    private var busyVariables: [[Int32]] = []
    /// `from` variables by participant and window.
    private var fromVariables: [[Int32]] = []
    /// False once the encoding itself showed that no schedule at the bound exists.
    private var consistent = true
    /// False when the windows do not fit the order encoding (see `encode`): the search then
    /// answers undecided, which proves nothing, rather than impossible.
    private var encodable = true
    /// Whether keeping to a window is the only way for a participant to meet at its fewest
    /// breaks: true on a one-day event where nobody needs a break. A participant with a break
    /// may leave a usable slot free elsewhere than in its windows' gaps, and one meeting over
    /// several days has no break between days, so "no schedule in windows" proves nothing there.
    let windowsAreExact: Bool

    /// The formula of `shape`, taken from a schedule of `model` holding every pair.
    init(shape: CompactShape, model: SchedulingModel) {
        self.model = model
        self.shape = shape
        windowsAreExact =
            model.dayCount == 1
            && (0..<model.participantCount).allSatisfy { shape.incident[$0].isEmpty || shape.fewestBreaks[$0] == 0 }
        encode()
    }

    private mutating func encode() {
        let slotCount = model.slotCount
        var reach = [UInt64](repeating: 0, count: model.participantCount)
        for i in 0..<model.participantCount { reach[i] = shape.windows[i].reduce(0, |) }
        // Meetings.
        var meetingsAt = [[[Int32]]](
            repeating: [[Int32]](repeating: [], count: slotCount), count: model.participantCount)
        var hostlessAt = [[Int32]](repeating: [], count: slotCount)
        for (index, (a, b)) in shape.pairEnds.enumerated() {
            var options: [(slot: Int, variable: Int32)] = []
            var mask = shape.allowedMask[index] & reach[a] & reach[b]
            let pinned = Int(model.pinnedSlot[shape.pairs[index]])
            if pinned >= 0 { mask &= 1 << UInt64(pinned) }
            while mask != 0 {
                let slot = mask.trailingZeroBitCount
                mask &= mask - 1
                let variable = solver.newVariable()
                options.append((slot, variable))
                meetingsAt[a][slot].append(variable)
                meetingsAt[b][slot].append(variable)
                if shape.hostless[index] { hostlessAt[slot].append(variable) }
            }
            meetingSlots.append(options)
            require(options.map(\.variable))
            atMostOne(options.map(\.variable))
        }
        // Participants: busy slots and windows.
        busyVariables = [[Int32]](repeating: [Int32](repeating: 0, count: slotCount), count: model.participantCount)
        fromVariables = [[Int32]](repeating: [], count: model.participantCount)
        for i in 0..<model.participantCount where !shape.incident[i].isEmpty {
            let windows = shape.windows[i]
            let from = windows.map { _ in solver.newVariable() }
            fromVariables[i] = from
            if let last = from.last { require([last]) }
            for w in from.indices.dropLast() { require([-from[w], from[w + 1]]) }
            for slot in 0..<slotCount {
                let holding = windows.indices.filter { windows[$0] >> UInt64(slot) & 1 == 1 }
                let meetings = meetingsAt[i][slot]
                guard let first = holding.first, let last = holding.last else {
                    // No window holds the slot, so no meeting was allowed there.
                    continue
                }
                // The windows holding a slot are consecutive in the order (their last slots
                // grow with their first); checked, since the encoding relies on it.
                guard holding.count == last - first + 1 else {
                    encodable = false
                    return
                }
                // "The window is one of first...last", and its negation.
                let inside: [Int32] = first > 0 ? [from[last], -from[first - 1]] : [from[last]]
                if meetings.isEmpty {
                    // Nothing can be held there: those windows are out.
                    require(inside.map { -$0 })
                    continue
                }
                let busy = solver.newVariable()
                busyVariables[i][slot] = busy
                for literal in inside { require([-busy, literal]) }
                require([busy] + inside.map { -$0 })
                for meeting in meetings { require([-meeting, busy]) }
                require([-busy] + meetings)
                atMostOne(meetings)
            }
        }
        // Tables.
        let tables = model.freeTableCount
        let everyMeetingHostless = shape.hostless.allSatisfy { $0 }
        for slot in 0..<slotCount {
            if everyMeetingHostless {
                let busy = (0..<model.participantCount).map { busyVariables[$0][slot] }.filter { $0 != 0 }
                if busy.count > 2 * tables, !solver.addAtMost(busy, 2 * tables) { consistent = false }
            } else if hostlessAt[slot].count > tables, !solver.addAtMost(hostlessAt[slot], tables) {
                consistent = false
            }
        }
    }

    private mutating func require(_ clause: [Int32]) {
        if !solver.addClause(clause) { consistent = false }
    }

    /// At most one of `literals`: pairwise for a few, else a sequential counter (a chain of
    /// "one of the first j is true" variables), which stays linear in size.
    private mutating func atMostOne(_ literals: [Int32]) {
        guard literals.count > 1 else { return }
        if literals.count <= 5 {
            for first in literals.indices {
                for second in literals.indices where second > first { require([-literals[first], -literals[second]]) }
            }
            return
        }
        var previous = literals[0]
        for position in 1..<literals.count {
            let literal = literals[position]
            require([-previous, -literal])
            if position == literals.count - 1 { break }
            let seen = solver.newVariable()
            require([-previous, seen])
            require([-literal, seen])
            previous = seen
        }
    }

    /// Looks for a schedule at the bound within `conflictLimit` more conflicts, trying the
    /// slots of `hint` (slot of every model pair) first: the schedule of the local search is
    /// usually close to one.
    mutating func solve(hint: [Int32], conflictLimit: Int, shouldStop: () -> Bool) -> Outcome {
        guard encodable else { return .undecided }
        guard consistent else { return .impossible }
        var busySlots = [UInt64](repeating: 0, count: model.participantCount)
        for (index, options) in meetingSlots.enumerated() {
            let slot = Int(hint[shape.pairs[index]])
            for option in options { solver.setPhase(option.variable, option.slot == slot) }
            if slot >= 0 {
                let (a, b) = shape.pairEnds[index]
                busySlots[a] |= 1 << UInt64(slot)
                busySlots[b] |= 1 << UInt64(slot)
            }
        }
        for i in 0..<model.participantCount where !fromVariables[i].isEmpty {
            for (slot, variable) in busyVariables[i].enumerated() where variable != 0 {
                solver.setPhase(variable, busySlots[i] >> UInt64(slot) & 1 == 1)
            }
            // The window sharing most slots with the hint's, and every later one.
            let windows = shape.windows[i]
            let closest =
                windows.indices.max {
                    (windows[$0] & busySlots[i]).nonzeroBitCount < (windows[$1] & busySlots[i]).nonzeroBitCount
                } ?? 0
            for (w, variable) in fromVariables[i].enumerated() { solver.setPhase(variable, w >= closest) }
        }
        switch solver.solve(conflictLimit: conflictLimit, shouldStop: shouldStop) {
        case .some(true):
            var result = [Int32](repeating: -1, count: model.pairCount)
            for (index, options) in meetingSlots.enumerated() {
                guard let held = options.first(where: { solver.value($0.variable) }) else { return .undecided }
                result[shape.pairs[index]] = Int32(held.slot)
            }
            return .found(result)
        case .some(false):
            consistent = false
            return .impossible
        case .none:
            return .undecided
        }
    }

    /// Conflicts of the solver so far: the work done, counted so that runs are reproducible.
    var conflicts: Int { solver.conflicts }
}
