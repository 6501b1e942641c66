extension SearchState {
    /// Swaps slots `s1` and `s2` for the Kempe chain of meeting `start` (in one of them): the
    /// meetings of the two slots linked to it through shared participants. Everyone keeps at
    /// most one meeting per slot. Fails (changing nothing) when a chain meeting is fixed or
    /// not allowed in its new slot, when the chain is longer than `limit`, when it would give
    /// `keepFree` a meeting in `freeSlot`, or when the host-less meetings would not fit the tables.
    func swapChain(
        from start: Int, between s1: Int, _ s2: Int, limit: Int, fixed: [Bool], keepFree: Int = -1,
        freeSlot: Int = -1
    ) -> Bool {
        var chain: [Int32] = []
        swap(&chain, &chainStore.pointee)
        chain.removeAll(keepingCapacity: true)
        chain.append(Int32(start))
        inChain[start] = true
        var index = 0
        var feasible = true
        var hostlessFrom1 = 0, hostlessFrom2 = 0
        while index < chain.count {
            let m = Int(chain[index])
            index += 1
            let from = Int(slotOf[m])
            let to = from == s1 ? s2 : s1
            if fixed[m] || !model.isAllowed(pair: m, slot: to) || chain.count > limit {
                feasible = false
                break
            }
            if pairHostless[m] {
                if from == s1 { hostlessFrom1 += 1 } else { hostlessFrom2 += 1 }
            }
            for end in [Int(model.pairA[m]), Int(model.pairB[m])] {
                if end == keepFree && to == freeSlot {
                    feasible = false
                    break
                }
                let other = occupantOf(end, to)
                if other >= 0 && !inChain[other] {
                    inChain[other] = true
                    chain.append(Int32(other))
                }
            }
            if !feasible { break }
        }
        let fitsTables =
            Int(load[s1]) - hostlessFrom1 + hostlessFrom2 <= Int(freeTables)
            && Int(load[s2]) - hostlessFrom2 + hostlessFrom1 <= Int(freeTables)
        for m in chain { inChain[Int(m)] = false }
        defer { swap(&chain, &chainStore.pointee) }
        guard feasible, fitsTables else { return false }
        var targets: [(Int, Int)] = []
        targets.reserveCapacity(chain.count)
        for m32 in chain {
            let m = Int(m32)
            targets.append((m, Int(slotOf[m]) == s1 ? s2 : s1))
            remove(m)
        }
        for (m, to) in targets { place(m, to) }
        return true
    }
}
