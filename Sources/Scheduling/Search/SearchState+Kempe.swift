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
        guard
            buildChain(from: start, between: s1, s2, limit: limit, fixed: fixed, keepFree: keepFree, freeSlot: freeSlot)
        else { return false }
        applyChain(between: s1, s2)
        return true
    }

    /// The Kempe swap of `swapChain` (no `keepFree`), decided before it is made: nil when the
    /// chain cannot swap; else `accepts` gets the change of breaks and of breaks above the
    /// limit the swap would make, and the swap is made only when it says yes. A rejected swap
    /// then costs no placing and undoing of its meetings. Only when `tracksBusySlots`.
    func swapChain(
        from start: Int, between s1: Int, _ s2: Int, limit: Int, fixed: [Bool],
        accepts: (_ breaks: Int, _ excess: Int) -> Bool
    ) -> Bool? {
        guard buildChain(from: start, between: s1, s2, limit: limit, fixed: fixed, keepFree: -1, freeSlot: -1) else {
            return nil
        }
        let change = chainBreakChange(between: s1, s2)
        guard accepts(change.breaks, change.excess) else { return false }
        applyChain(between: s1, s2)
        return true
    }

    /// Collects the Kempe chain of `start` in `chainStore`; false when it cannot swap.
    private func buildChain(
        from start: Int, between s1: Int, _ s2: Int, limit: Int, fixed: [Bool], keepFree: Int, freeSlot: Int
    ) -> Bool {
        var chain: [Int32] = []
        swap(&chain, &chainStore.pointee)
        defer { swap(&chain, &chainStore.pointee) }
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
            let allowed =
                tracksBusySlots ? allowedSlots[m] >> UInt64(to) & 1 == 1 : model.isAllowed(pair: m, slot: to)
            if fixed[m] || !allowed || chain.count > limit {
                feasible = false
                break
            }
            if pairHostless[m] {
                if from == s1 { hostlessFrom1 += 1 } else { hostlessFrom2 += 1 }
            }
            // Both ends, without building an array for them on every meeting.
            for side in 0..<2 {
                let end = side == 0 ? Int(model.pairA[m]) : Int(model.pairB[m])
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
        return feasible && fitsTables
    }

    /// Moves every meeting of the chain in `chainStore` to the other of `s1` and `s2`.
    private func applyChain(between s1: Int, _ s2: Int) {
        var chain: [Int32] = []
        swap(&chain, &chainStore.pointee)
        defer { swap(&chain, &chainStore.pointee) }
        var targets: [(Int, Int)] = []
        targets.reserveCapacity(chain.count)
        for m32 in chain {
            let m = Int(m32)
            targets.append((m, Int(slotOf[m]) == s1 ? s2 : s1))
            remove(m)
        }
        for (m, to) in targets { place(m, to) }
    }

    /// What swapping the chain in `chainStore` would change: breaks, and breaks above the
    /// limit. A participant busy in both slots keeps both (its two meetings are in the
    /// chain); only one busy in just one of them changes, by moving to the other.
    private func chainBreakChange(between s1: Int, _ s2: Int) -> (breaks: Int, excess: Int) {
        let both = UInt64(1) << UInt64(s1) | UInt64(1) << UInt64(s2)
        let day1 = Int(slotDay[s1]), day2 = Int(slotDay[s2])
        let limit = breakLimit
        var breaks = 0, excess = 0
        for m32 in chainStore.pointee {
            let m = Int(m32)
            for side in 0..<2 {
                let end = side == 0 ? Int(model.pairA[m]) : Int(model.pairB[m])
                let before = busySlots[end]
                guard before & both != both else { continue }
                let after = before ^ both
                var change = self.breaks(busy: after, day: day1) - self.breaks(busy: before, day: day1)
                if day2 != day1 {
                    change += self.breaks(busy: after, day: day2) - self.breaks(busy: before, day: day2)
                }
                breaks += change
                if limit != Int.max {
                    let old = Int(personBreaks[end])
                    excess += max(0, old + change - limit) - max(0, old - limit)
                }
            }
        }
        return (breaks, excess)
    }
}
