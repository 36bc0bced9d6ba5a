/// Customer tier by assets under management (AUM), lowest first, so `<` compares care levels
/// and month-over-month migration can say "up" or "down".
public enum Tier: String, CaseIterable, Sendable, Codable, Comparable {
    case mass
    case wealth
    case affluent
    /// Private banking; raw value `private` (a keyword in Swift, hence the longer case name).
    case privateBanking = "private"

    public var label: String {
        switch self {
        case .mass: "普通客户"
        case .wealth: "理财级"
        case .affluent: "财富级"
        case .privateBanking: "私行级"
        }
    }

    public var rank: Int {
        switch self {
        case .mass: 0
        case .wealth: 1
        case .affluent: 2
        case .privateBanking: 3
        }
    }

    public static func < (a: Tier, b: Tier) -> Bool { a.rank < b.rank }
}

/// Why a set of tier thresholds was refused.
public struct TierThresholdsError: Error, Equatable, Sendable, CustomStringConvertible {
    public let wealth: Money
    public let affluent: Money
    public let privateBanking: Money

    public var description: String {
        "tier thresholds must be above zero and rise: wealth \(wealth.formatted()) < affluent "
            + "\(affluent.formatted()) < private \(privateBanking.formatted()) does not hold"
    }
}

/// The AUM from which each tier starts (inclusive). Configuration, not constants: a branch may
/// set its own, so the initialiser and decoding both refuse thresholds that do not rise.
public struct TierThresholds: Sendable, Codable, Equatable {
    public let wealth: Money
    public let affluent: Money
    public let privateBanking: Money

    /// 200,000 / 1,000,000 / 6,000,000 yuan (domain.md).
    public static let standard = try! TierThresholds()

    public init(wealth: Money = Money(yuan: 200_000),
                affluent: Money = Money(yuan: 1_000_000),
                privateBanking: Money = Money(yuan: 6_000_000)) throws(TierThresholdsError) {
        guard Money.zero < wealth, wealth < affluent, affluent < privateBanking else {
            throw TierThresholdsError(wealth: wealth, affluent: affluent, privateBanking: privateBanking)
        }
        self.wealth = wealth
        self.affluent = affluent
        self.privateBanking = privateBanking
    }

    private enum CodingKeys: String, CodingKey { case wealth, affluent, privateBanking = "private" }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        do {
            try self.init(wealth: c.decode(Money.self, forKey: .wealth),
                          affluent: c.decode(Money.self, forKey: .affluent),
                          privateBanking: c.decode(Money.self, forKey: .privateBanking))
        } catch let e as TierThresholdsError {
            throw DecodingError.dataCorrupted(.init(codingPath: c.codingPath, debugDescription: e.description))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(wealth, forKey: .wealth)
        try c.encode(affluent, forKey: .affluent)
        try c.encode(privateBanking, forKey: .privateBanking)
    }

    /// Each threshold is the first amount of its tier: exactly 200,000.00 is wealth.
    public func tier(forAUM aum: Money) -> Tier {
        if aum >= privateBanking { return .privateBanking }
        if aum >= affluent { return .affluent }
        if aum >= wealth { return .wealth }
        return .mass
    }
}

/// Report bands inside the mass tier (domain.md): the long tail below 1,000 yuan and the
/// "base customers" of 1,000 to 200,000 who are the growth pool. Lower bounds are inclusive.
public enum MassBand: String, CaseIterable, Sendable, Codable, Comparable {
    /// Zero (or, after a correction, negative) AUM.
    case zero
    case under100
    case under1000
    case under10k
    case under50k
    /// From 50,000 up to the wealth threshold.
    case under200k

    public var label: String {
        switch self {
        case .zero: "零余额"
        case .under100: "0–100元"
        case .under1000: "100–1,000元"
        case .under10k: "1,000–1万元"
        case .under50k: "1万–5万元"
        case .under200k: "5万–20万元"
        }
    }

    /// 1,000 yuan and up: the base customers RMs grow into the wealth tier.
    public var isBaseCustomer: Bool { self >= .under10k }

    /// nil when the AUM is not in the mass tier under `thresholds`. The last band reaches up to
    /// the configured wealth threshold, so a branch with a higher threshold loses no one.
    public static func band(forAUM aum: Money, thresholds: TierThresholds = .standard) -> MassBand? {
        guard aum < thresholds.wealth else { return nil }
        switch aum.fen {
        case ...0: return .zero
        case ..<10_000: return .under100
        case ..<100_000: return .under1000
        case ..<1_000_000: return .under10k
        case ..<5_000_000: return .under50k
        default: return .under200k
        }
    }

    public static func < (a: MassBand, b: MassBand) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}
