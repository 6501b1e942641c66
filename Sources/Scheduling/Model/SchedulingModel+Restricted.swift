extension SchedulingModel {
    /// The same problem with fewer allowed slots: pair-slot entry `index` (the layout of
    /// `pairSlots`) stays when `keep[index]`. Pinned pairs keep their slots. Pairs keep
    /// their numbers, so an assignment of the restricted model is one of this model.
    func restricted(keeping keep: [Bool]) -> SchedulingModel {
        var pairs: [(a: Int32, b: Int32, weight: Int32, priority: Int8, slots: [UInt16])] = []
        pairs.reserveCapacity(pairCount)
        for k in 0..<pairCount {
            let start = Int(pairSlotStart[k]), end = Int(pairSlotStart[k + 1])
            let slots =
                pinnedSlot[k] >= 0
                ? Array(pairSlots[start..<end]) : (start..<end).filter { keep[$0] }.map { pairSlots[$0] }
            pairs.append((pairA[k], pairB[k], pairWeight[k], pairPriority[k], slots))
        }
        return SchedulingModel(
            document: document, slotIDs: slotIDs, slotDay: slotDay, tableIDs: tableIDs,
            participantIDs: participantIDs, participantIndex: participantIndex, capacity: capacity,
            hostTable: hostTable, involved: involved, availableBits: availableBits, slotWords: slotWords,
            pairs: pairs, pinned: pinned, requestPair: requestPair, requestPriority: requestPriority)
    }
}
