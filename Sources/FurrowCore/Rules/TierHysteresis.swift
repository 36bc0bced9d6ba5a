/// A tier from monthly average AUM with hysteresis: a customer moves up the month after a month
/// at or above the next threshold, and down only after N consecutive months below their tier
/// (3 by default, 6 for private), so one bad month does not drop a good customer.
public struct TierHysteresis: Sendable, Equatable {
    public var thresholds: TierThresholds
    /// Consecutive months below before moving down, per tier held.
    public var monthsBelowToDrop: [Tier: Int]

    public init(thresholds: TierThresholds = .standard, monthsBelowToDrop: [Tier: Int] = [.wealth: 3, .affluent: 3, .privateBanking: 6]) {
        self.thresholds = thresholds
        self.monthsBelowToDrop = monthsBelowToDrop
    }

    public struct Outcome: Sendable, Hashable {
        public var tier: Tier
        public var reason: String
    }

    /// The tier in force after the given months (oldest first: month key `YYYY-MM` and that
    /// month's average AUM). With no history, mass.
    public func evaluate(_ months: [(month: String, average: Money)]) -> Outcome {
        guard let first = months.first else { return Outcome(tier: .mass, reason: "no monthly AUM yet") }
        var tier = thresholds.tier(forAUM: first.average)
        var reason = "\(first.month) AUM ¥\(first.average.formattedWan()) → \(tier.label)"
        var below = 0
        for m in months.dropFirst() {
            let raw = thresholds.tier(forAUM: m.average)
            if raw > tier {
                tier = raw
                below = 0
                reason = "升 up: \(m.month) AUM ¥\(m.average.formattedWan()) ≥ \(raw.label) threshold"
            } else if raw < tier {
                below += 1
                let needed = monthsBelowToDrop[tier] ?? 3
                if below >= needed {
                    reason = "降 down: \(below) months below \(tier.label) to \(m.month)"
                    tier = raw
                    below = 0
                } else {
                    reason = "保级 kept \(tier.label): \(below) of \(needed) months below"
                }
            } else {
                below = 0
            }
        }
        return Outcome(tier: tier, reason: reason)
    }
}
