/// Numbers the tables of an assignment: pinned meetings keep their table, meetings
/// with a host use the host table, the rest take free tables, preferring the table a
/// meeting had before (re-planning) and otherwise the first free one.
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
        var cursor = [Int](repeating: 0, count: model.slotCount)
        for k in rest {
            let s = Int(slotOf[k])
            var index = cursor[s]
            while index < model.freeTables.count && taken.contains(s * tables + Int(model.freeTables[index])) {
                index += 1
            }
            // The search never puts more host-less meetings in a slot than there are free tables.
            guard index < model.freeTables.count else { continue }
            table[k] = model.freeTables[index]
            taken.insert(s * tables + Int(model.freeTables[index]))
            cursor[s] = index + 1
        }
        return table
    }
}
