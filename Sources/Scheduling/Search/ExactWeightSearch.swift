/// Depth-first branch and bound on the weight, for small problems in the default mode: the
/// pairs in decreasing weight, each placed in every slot where it fits, then left out; a
/// branch ends when its weight plus that of every pair still to decide cannot beat the best
/// schedule found. Complete within its node budget, so a small event's optimum does not hang
/// on a local search that can stall: a waiting meeting whose only slot holds a meeting of each
/// of its participants, both movable elsewhere, is out of reach of every move of
/// `WeightSearch`, which moves at most one blocking meeting without evicting.
enum ExactWeightSearch {
    /// Problems with at most this many pairs get the exact search after the guided one.
    static let largestProblem = 24
    /// Nodes (partial schedules) visited at most: a few milliseconds, a fixed amount of work.
    static let nodeLimit = 500_000

    /// The slot of every pair of the heaviest schedule found, when it is heavier than `floor`;
    /// the search stops once it reaches `ceiling` (a proven bound).
    static func search(model: SchedulingModel, floor: Int, ceiling: Int) -> [Int32]? {
        let state = SearchState(model: model)
        let order = (0..<model.pairCount).filter {
            model.pinnedSlot[$0] < 0 && model.pairSlotStart[$0 + 1] > model.pairSlotStart[$0]
        }.sorted { (model.pairWeight[$0], $1) > (model.pairWeight[$1], $0) }
        // The weight of the pairs from each position of `order` on: what a branch can still gain.
        var rest = [Int](repeating: 0, count: order.count + 1)
        for position in order.indices.reversed() {
            rest[position] = rest[position + 1] + Int(model.pairWeight[order[position]])
        }
        var best = floor
        var bestSlots: [Int32]? = nil
        var nodes = 0
        func visit(_ position: Int) {
            nodes += 1
            if state.weight > best {
                best = state.weight
                bestSlots = state.snapshot()
            }
            guard position < order.count, nodes < nodeLimit, best < ceiling, state.weight + rest[position] > best
            else { return }
            let k = order[position]
            if state.hasRoom(Int(model.pairA[k])) && state.hasRoom(Int(model.pairB[k])) {
                for slot in model.allowedSlots(ofPair: k) where state.fits(k, Int(slot)) {
                    let mark = state.mark
                    state.place(k, Int(slot))
                    visit(position + 1)
                    state.undo(to: mark)
                }
            }
            visit(position + 1)
        }
        visit(0)
        return bestSlots
    }
}
