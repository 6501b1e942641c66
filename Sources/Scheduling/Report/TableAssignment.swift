/// Numbers the tables of an assignment: pinned meetings keep their table, meetings
/// with a host use the host table, the rest take free tables, preferring the table a
/// meeting had before (re-planning), then the table where one of its participants had
/// its previous meeting of the day (table stability, the third objective), and otherwise
/// the first free one.
enum TableAssignment {
    /// The table of each scheduled pair (-1 for unscheduled pairs).
    static func assign(
        model: SchedulingModel, slotOf: [Int32], preferred: [Int32]? = nil, previousSlot: [Int32]? = nil
    ) -> [Int32] {
        var table = [Int32](repeating: -1, count: model.pairCount)
        var taken = Set<Int>()
        let tables = model.tableIDs.count
        for pin in model.pinned where pin.table >= 0 {
            table[pin.pair] = Int32(pin.table)
            taken.insert(pin.slot * tables + pin.table)
        }
        for k in 0..<model.pairCount where slotOf[k] >= 0 && table[k] < 0 && model.pairHostTable[k] >= 0 {
            table[k] = model.pairHostTable[k]
            taken.insert(Int(slotOf[k]) * tables + Int(table[k]))
        }
        var rest: [Int] = []
        // Meetings still in their previous slot claim their previous table first, then moved ones.
        let candidates = (0..<model.pairCount).filter { slotOf[$0] >= 0 && table[$0] < 0 }
        let stayed = candidates.filter { previousSlot?[$0] == slotOf[$0] }
        let others = candidates.filter { previousSlot?[$0] != slotOf[$0] }
        for k in stayed + others {
            let s = Int(slotOf[k])
            if let preferred, preferred[k] >= 0, model.freeTables.contains(preferred[k]),
                !taken.contains(s * tables + Int(preferred[k]))
            {
                table[k] = preferred[k]
                taken.insert(s * tables + Int(preferred[k]))
            } else {
                rest.append(k)
            }
        }
        assignStable(model: model, slotOf: slotOf, meetings: rest, table: &table, taken: &taken)
        return table
    }

    /// Gives `meetings` free tables slot by slot, in time order. In each slot a meeting first
    /// claims the table of one of its participants' previous meeting that day, the participant
    /// with more meetings still to come first (a company that keeps its table while experts
    /// rotate); the rest take the first free table.
    static func assignStable(
        model: SchedulingModel, slotOf: [Int32], meetings: [Int], table: inout [Int32], taken: inout Set<Int>
    ) {
        let tables = model.tableIDs.count
        let slots = model.slotCount
        // Pair meeting participant i in slot s at i * slots + s, and meetings left that day.
        var occupant = [Int32](repeating: -1, count: model.participantCount * slots)
        var meetingsOnDay = [Int32](repeating: 0, count: model.participantCount * max(1, model.dayCount))
        for k in 0..<model.pairCount where slotOf[k] >= 0 {
            let s = Int(slotOf[k])
            for end in [Int(model.pairA[k]), Int(model.pairB[k])] {
                occupant[end * slots + s] = Int32(k)
                meetingsOnDay[end * max(1, model.dayCount) + Int(model.slotDay[s])] += 1
            }
        }
        var seenOnDay = [Int32](repeating: 0, count: meetingsOnDay.count)
        var bySlot = [[Int]](repeating: [], count: slots)
        for k in meetings { bySlot[Int(slotOf[k])].append(k) }
        var isFree = [Bool](repeating: false, count: tables)
        for t in model.freeTables { isFree[Int(t)] = true }
        var hasMeeting = [[Int]](repeating: [], count: slots)
        for k in 0..<model.pairCount where slotOf[k] >= 0 { hasMeeting[Int(slotOf[k])].append(k) }
        for s in 0..<slots {
            // (remaining meetings of the participant, meeting, wanted table)
            var claims: [(remaining: Int32, pair: Int, table: Int32)] = []
            for k in bySlot[s] {
                for end in [Int(model.pairA[k]), Int(model.pairB[k])] {
                    let dayIndex = end * max(1, model.dayCount) + Int(model.slotDay[s])
                    var previous = s - 1
                    while previous >= 0 && model.slotDay[previous] == model.slotDay[s]
                        && occupant[end * slots + previous] < 0
                    {
                        previous -= 1
                    }
                    guard previous >= 0, model.slotDay[previous] == model.slotDay[s] else { continue }
                    let wanted = table[Int(occupant[end * slots + previous])]
                    guard wanted >= 0, isFree[Int(wanted)], model.pairHostTable[k] < 0 else { continue }
                    claims.append((meetingsOnDay[dayIndex] - seenOnDay[dayIndex], k, wanted))
                }
            }
            claims.sort { ($0.remaining, $1.pair) > ($1.remaining, $0.pair) }
            for claim in claims where table[claim.pair] < 0 && !taken.contains(s * tables + Int(claim.table)) {
                table[claim.pair] = claim.table
                taken.insert(s * tables + Int(claim.table))
            }
            var index = 0
            for k in bySlot[s] where table[k] < 0 {
                while index < model.freeTables.count && taken.contains(s * tables + Int(model.freeTables[index])) {
                    index += 1
                }
                // The search never puts more host-less meetings in a slot than there are free tables.
                guard index < model.freeTables.count else { continue }
                table[k] = model.freeTables[index]
                taken.insert(s * tables + Int(model.freeTables[index]))
            }
            for k in hasMeeting[s] {
                for end in [Int(model.pairA[k]), Int(model.pairB[k])] {
                    seenOnDay[end * max(1, model.dayCount) + Int(model.slotDay[s])] += 1
                }
            }
        }
    }

    /// Table changes: consecutive meetings of a participant on one day at different tables,
    /// summed over participants.
    static func changes(model: SchedulingModel, slotOf: [Int32], tableOf: [Int32]) -> Int {
        var meetingsOf = [[(slot: Int32, table: Int32)]](repeating: [], count: model.participantCount)
        for k in 0..<model.pairCount where slotOf[k] >= 0 {
            meetingsOf[Int(model.pairA[k])].append((slotOf[k], tableOf[k]))
            meetingsOf[Int(model.pairB[k])].append((slotOf[k], tableOf[k]))
        }
        return meetingsOf.reduce(0) { count, list in
            let meetings = list.sorted { $0.slot < $1.slot }.map { meeting in
                (slot: Int(meeting.slot), day: Int(model.slotDay[Int(meeting.slot)]), table: Int?(Int(meeting.table)))
            }
            return count + MeetingGaps(meetingsInSlotOrder: meetings).tableChanges
        }
    }
}
