/// SplitMix64 (Steele, Lea & Flood): a small deterministic generator, so a seed replays the same
/// choices — the demo branch's seeding, and the tests' and fault runs' seeded choices.
public struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    public init(state: UInt64) { self.state = state }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return SplitMix64.mix(state)
    }

    /// The SplitMix64 finaliser: a good 64-bit integer hash.
    public static func mix(_ x: UInt64) -> UInt64 {
        var z = x
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
