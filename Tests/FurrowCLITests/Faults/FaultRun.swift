import Foundation
import FurrowCore
import Synchronization
import Testing

/// One run of a fault test: its seed (from `FURROW_FAULT_SEED`, or drawn and printed so a
/// failure replays) and its scale (`FURROW_FAULT_SCALE`, 1 in CI; `scripts/faults` runs
/// larger). Every random choice a fault test makes — when to kill, which connection to cut,
/// which key to press — comes from `rng`.
struct FaultRun {
    let name: String
    let seed: UInt64
    let scale: Int
    var rng: SplitMix64

    init(_ name: String) {
        let env = ProcessInfo.processInfo.environment
        self.name = name
        seed = env["FURROW_FAULT_SEED"].flatMap(UInt64.init) ?? UInt64.random(in: 1...UInt64(UInt32.max))
        scale = max(1, env["FURROW_FAULT_SCALE"].flatMap(Int.init) ?? 1)
        rng = SplitMix64(state: seed)
        print("fault run \(name): seed \(seed), scale \(scale) (replay: FURROW_FAULT_SEED=\(seed) FURROW_FAULT_SCALE=\(scale))")
    }

    /// What a fault test measured, printed on one line for docs/benchmarks.md.
    func report(_ figures: KeyValuePairs<String, Any>) {
        print("fault run \(name) (seed \(seed), scale \(scale)): " + figures.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
    }

    /// The seed, for an expectation's message: a failure names how to replay it.
    var replay: String { "replay with FURROW_FAULT_SEED=\(seed) FURROW_FAULT_SCALE=\(scale)" }
}

/// A count shared by concurrent tasks.
final class SharedCount: Sendable {
    private let value = Mutex(0)
    var count: Int { value.withLock { $0 } }
    func add(_ n: Int = 1) { value.withLock { $0 += n } }
    /// Adds one if the count is below `limit`; says whether it did.
    func takeOne(below limit: Int) -> Bool {
        value.withLock { v in
            guard v < limit else { return false }
            v += 1
            return true
        }
    }
}
