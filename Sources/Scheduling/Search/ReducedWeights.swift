/// Guidance for the weight search from the Lagrangian multipliers: each pair's best reduced
/// weight max(0, max_s r_ps) (see `LagrangianBound.entries`). A schedule loses exactly that
/// much of the bound for every pair it leaves out, so the search inserts the pairs of high
/// reduced weight first and evicts those of low reduced weight, instead of going by raw weight.
struct ReducedWeights {
    let value: [Double]
    /// `value` in eighths, rounded: the integer worth the search compares when it evicts.
    let cost: [Int32]
    /// A move may give up at most half a unit of reduced weight (in eighths).
    static let costMargin = 4

    init(_ value: [Double]) {
        self.value = value
        self.cost = value.map { Int32(($0 * 8).rounded()) }
    }
}
