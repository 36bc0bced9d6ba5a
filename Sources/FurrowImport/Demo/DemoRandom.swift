import FurrowCore

/// The demo generator's own pseudo-random numbers: SplitMix64 for seeding, xoshiro256** for the
/// streams. Never the system generator and never `Int.random(in:using:)` (whose algorithm is not
/// promised to stay the same), so a (customers, seed, asOf) triple always gives the same bytes.

/// xoshiro256** (Blackman & Vigna).
struct DemoRandom {
    private var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64

    /// An independent stream for (seed, stream, index): per customer, so the output does not
    /// depend on how customers are split among worker threads.
    init(seed: UInt64, stream: UInt64, index: Int = 0) {
        var sm = SplitMix64(state: SplitMix64.mix(seed ^ 0x5EED_F0_55)
            &+ stream &* 0xD1B5_4A32_D192_ED03 &+ UInt64(truncatingIfNeeded: index) &* 0x9E37_79B9_7F4A_7C15)
        s0 = sm.next(); s1 = sm.next(); s2 = sm.next(); s3 = sm.next()
        if s0 | s1 | s2 | s3 == 0 { s0 = 1 }
    }

    @inline(__always)
    mutating func next() -> UInt64 {
        let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
        let t = s1 << 17
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3
        s2 ^= t
        s3 = (s3 << 45) | (s3 >> 19)
        return result
    }

    /// 0..<n (n > 0), by multiply-high; the bias is below 2^-40 for the ranges used here.
    @inline(__always)
    mutating func below(_ n: Int) -> Int {
        Int(truncatingIfNeeded: next().multipliedFullWidth(by: UInt64(n)).high)
    }

    /// lo...hi inclusive.
    @inline(__always)
    mutating func int(_ lo: Int, _ hi: Int) -> Int { lo + below(hi - lo + 1) }

    /// lo...hi inclusive, for amounts in fen.
    @inline(__always)
    mutating func int64(_ lo: Int64, _ hi: Int64) -> Int64 {
        lo + Int64(truncatingIfNeeded: next().multipliedFullWidth(by: UInt64(hi - lo + 1)).high)
    }

    /// Uniform in [0, 1).
    @inline(__always)
    mutating func unit() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// True with probability `perMille` / 1000.
    @inline(__always)
    mutating func chance(_ perMille: Int) -> Bool { below(1000) < perMille }

    /// True with probability `p` / `outOf`.
    @inline(__always)
    mutating func chance(_ p: Int, outOf: Int) -> Bool { below(outOf) < p }

    @inline(__always)
    mutating func pick<T>(_ a: [T]) -> T { a[below(a.count)] }

    /// An index drawn from a cumulative weight table (last element = total).
    mutating func weighted(_ cumulative: [Int]) -> Int {
        let x = below(cumulative[cumulative.count - 1])
        var lo = 0, hi = cumulative.count - 1
        while lo < hi {
            let mid = (lo + hi) / 2
            if cumulative[mid] > x { hi = mid } else { lo = mid + 1 }
        }
        return lo
    }
}

/// Running sums of weights, for `DemoRandom.weighted`.
func cumulativeWeights(_ w: [Int]) -> [Int] {
    var s = 0
    return w.map { s += $0; return s }
}
