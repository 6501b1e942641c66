/// `--keep`: the previous schedule, matched against the current problem. A previous
/// meeting is *kept* as a starting point when it is still valid in its slot and at its
/// table (the pair still has a request, both can meet in that slot, the table is the
/// host table or a free one, no clash with pins or earlier kept meetings, caps hold).
struct PreviousSchedule {
    let model: SchedulingModel
    let document: ScheduleDocument
    /// Previous slot of each pair that is kept as a start (-1 otherwise).
    let keptSlot: [Int32]
    /// Previous table of each pair that had a valid previous meeting (-1 otherwise).
    let tableOfPair: [Int32]
    /// Previous meetings that cannot stay where they were, with the reason.
    let invalid: [(meeting: ScheduleDocument.Meeting, reason: String)]
    /// Previous slot of each pair that appeared in the previous schedule, valid or not (-1 otherwise).
    let previousSlot: [Int32]

    var keptPairs: [Bool] { keptSlot.map { $0 >= 0 } }

    init(document: ScheduleDocument, model: SchedulingModel) {
        self.model = model
        self.document = document
        var kept = [Int32](repeating: -1, count: model.pairCount)
        var tables = [Int32](repeating: -1, count: model.pairCount)
        var previousSlot = [Int32](repeating: -1, count: model.pairCount)
        var invalid: [(ScheduleDocument.Meeting, String)] = []
        let slotIndex = Dictionary(uniqueKeysWithValues: model.slotIDs.enumerated().map { ($1, $0) })
        let tableIndex = Dictionary(uniqueKeysWithValues: model.tableIDs.enumerated().map { ($1, $0) })
        var busy = Set<Int>()  // participant * slots + slot
        var tableBusy = Set<Int>()  // table * slots + slot
        var count = [Int32](repeating: 0, count: model.participantCount)
        var freeLoad = [Int](repeating: 0, count: model.slotCount)
        let slots = model.slotCount
        for pin in model.pinned {
            let a = Int(model.pairA[pin.pair]), b = Int(model.pairB[pin.pair])
            busy.insert(a * slots + pin.slot)
            busy.insert(b * slots + pin.slot)
            count[a] += 1
            count[b] += 1
            if pin.table >= 0 { tableBusy.insert(pin.table * slots + pin.slot) }
            if model.pairHostTable[pin.pair] >= 0 {
                tableBusy.insert(Int(model.pairHostTable[pin.pair]) * slots + pin.slot)
            } else {
                freeLoad[pin.slot] += 1
            }
        }
        for meeting in document.meetings {
            guard meeting.participants.count == 2,
                let a = model.participantIndex[meeting.participants[0]],
                let b = model.participantIndex[meeting.participants[1]]
            else {
                invalid.append((meeting, "a participant is no longer in the problem"))
                continue
            }
            guard let k = model.pair(a, b) else {
                invalid.append((meeting, "no request between them any more"))
                continue
            }
            guard let s = slotIndex[meeting.slot] else {
                invalid.append((meeting, "slot \"\(meeting.slot)\" no longer exists"))
                continue
            }
            previousSlot[k] = Int32(s)
            let table = tableIndex[meeting.table]
            // A pin without a table keeps its previous table when it is free.
            tables[k] = table.map(Int32.init) ?? -1
            if model.pinnedSlot[k] >= 0 { continue }
            guard let t = table else {
                invalid.append((meeting, "table \"\(meeting.table)\" no longer exists"))
                continue
            }
            if !model.isAllowed(pair: k, slot: s) {
                invalid.append((meeting, "they can no longer both meet in \"\(meeting.slot)\""))
                continue
            }
            let host = Int(model.pairHostTable[k])
            if host >= 0 ? t != host : model.hostTable.contains(Int32(t)) {
                invalid.append((meeting, "table \"\(meeting.table)\" is no longer right for this meeting"))
                continue
            }
            if busy.contains(a * slots + s) || busy.contains(b * slots + s) || tableBusy.contains(t * slots + s)
                || count[a] >= model.capacity[a] || count[b] >= model.capacity[b]
                || (host < 0 && freeLoad[s] >= model.freeTableCount)
            {
                invalid.append((meeting, "clashes with a pinned or earlier meeting, or a cap"))
                continue
            }
            busy.insert(a * slots + s)
            busy.insert(b * slots + s)
            tableBusy.insert(t * slots + s)
            count[a] += 1
            count[b] += 1
            if host < 0 { freeLoad[s] += 1 }
            kept[k] = Int32(s)
        }
        self.keptSlot = kept
        self.tableOfPair = tables
        self.invalid = invalid
        self.previousSlot = previousSlot
    }

    /// Places every kept meeting in its previous slot.
    func seed(into state: SearchState) {
        for k in 0..<model.pairCount where keptSlot[k] >= 0 && state.slotOf[k] < 0 {
            state.place(k, Int(keptSlot[k]))
        }
        state.commit()
    }

    /// The difference between the previous schedule and the new assignment.
    func changes(slotOf: [Int32], tableOf: [Int32]) -> ScheduleChanges {
        var changes = ScheduleChanges()
        func meeting(_ k: Int) -> ScheduleDocument.Meeting {
            ScheduleDocument.Meeting(
                participants: [model.participantIDs[Int(model.pairA[k])], model.participantIDs[Int(model.pairB[k])]],
                slot: model.slotIDs[Int(slotOf[k])], table: model.tableIDs[Int(tableOf[k])])
        }
        var previousMeeting: [Int: ScheduleDocument.Meeting] = [:]
        for old in document.meetings where old.participants.count == 2 {
            if let a = model.participantIndex[old.participants[0]], let b = model.participantIndex[old.participants[1]],
                let k = model.pair(a, b)
            {
                previousMeeting[k] = old
            }
        }
        for (old, reason) in invalid
        where
            !(old.participants.count == 2
            && model.participantIndex[old.participants[0]].flatMap { a in
                model.participantIndex[old.participants[1]].flatMap { model.pair(a, $0) }
            }.map { slotOf[$0] >= 0 } == true)
        {
            changes.dropped.append(.init(previous: old, current: nil, reason: reason))
        }
        for k in 0..<model.pairCount {
            let old = previousMeeting[k]
            guard slotOf[k] >= 0 else {
                if let old, previousSlot[k] >= 0, keptSlot[k] >= 0 || !invalid.contains(where: { $0.meeting == old }) {
                    changes.dropped.append(
                        .init(previous: old, current: nil, reason: "gave way to meetings of more weight"))
                }
                continue
            }
            let now = meeting(k)
            guard let old else {
                changes.added.append(.init(previous: nil, current: now, reason: nil))
                continue
            }
            if old.slot == now.slot && old.table == now.table {
                changes.kept.append(.init(previous: old, current: now, reason: nil))
            } else {
                let reason = invalid.first(where: { $0.meeting == old })?.reason ?? "moved to make room for more weight"
                changes.moved.append(.init(previous: old, current: now, reason: reason))
            }
        }
        return changes
    }
}

/// What `--keep` changed against the previous schedule.
public struct ScheduleChanges: Sendable, Codable, Hashable {
    public var kept: [Change] = []
    public var moved: [Change] = []
    public var dropped: [Change] = []
    public var added: [Change] = []

    public struct Change: Sendable, Codable, Hashable {
        public var previous: ScheduleDocument.Meeting?
        public var current: ScheduleDocument.Meeting?
        public var reason: String?
    }
}
