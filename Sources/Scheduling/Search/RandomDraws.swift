import PartneringCore

extension SeededRandom {
    /// A uniform integer in `0 ..< bound` (bound > 0), by multiply-shift (no modulo bias worth noting).
    mutating func below(_ bound: Int) -> Int {
        Int(((next() >> 32) &* UInt64(bound)) >> 32)
    }

    /// A uniform double in `0 ..< 1`.
    mutating func unit() -> Double { Double(next() >> 11) * 0x1.0p-53 }
}
