/// Segments A–H, value class, activity and lifecycle stage (domain.md), each with the reason a
/// team lead would give. Pure: the facts come in, the classification goes out.
public enum Segment: String, CaseIterable, Sendable, Codable {
    case a = "A", b = "B", c = "C", d = "D", e = "E", f = "F", g = "G", h = "H"

    /// Premium/ordinary industry × high/low product acceptance × young/older.
    public static func of(premium: Bool, highAcceptance: Bool, older: Bool) -> Segment {
        let i = (premium ? 0 : 4) + (highAcceptance ? 0 : 2) + (older ? 1 : 0)
        return allCases[i]
    }
}

public enum ValueClass: String, CaseIterable, Sendable, Codable {
    case core, stable, developing, potential
    public var label: String {
        switch self {
        case .core: "核心 core"
        case .stable: "稳健 stable"
        case .developing: "发展 developing"
        case .potential: "潜在 potential"
        }
    }
}

public enum Activity: String, CaseIterable, Sendable, Codable {
    case active, dormant
    case churnWarning = "churn-warning"
    public var label: String {
        switch self {
        case .active: "活跃 active"
        case .dormant: "沉默 dormant"
        case .churnWarning: "流失预警 churn warning"
        }
    }
}

public enum LifecycleStage: String, CaseIterable, Sendable, Codable {
    case acquisition, maintenance, churn, exit
    public var label: String {
        switch self {
        case .acquisition: "获取 acquisition"
        case .maintenance: "维护 maintenance"
        case .churn: "流失 churn"
        case .exit: "退出 exit"
        }
    }
}

/// What the classification looks at, for one customer on one day.
public struct CustomerFacts: Sendable {
    public var customerID: String
    public var birthDate: CalendarDate?
    public var industryQuality: IndustryQuality?
    public var openedOn: CalendarDate?
    public var flags: [String]
    /// Oldest first.
    public var months: [(month: String, average: Money)]
    /// Active balances by product type.
    public var holdings: [ProductType: Money]
    /// The last transaction the customer made (not interest or fees).
    public var lastOwnTransaction: CalendarDate?
    public var lastContact: CalendarDate?
    /// An open churn signal (the tide, a large transfer out) from the reminder engine.
    public var churnSignal: String?
    /// The RM's override of product acceptance, if any.
    public var acceptanceOverride: Bool?

    public init(customerID: String, birthDate: CalendarDate? = nil, industryQuality: IndustryQuality? = nil,
                openedOn: CalendarDate? = nil, flags: [String] = [], months: [(month: String, average: Money)] = [],
                holdings: [ProductType: Money] = [:], lastOwnTransaction: CalendarDate? = nil, lastContact: CalendarDate? = nil,
                churnSignal: String? = nil, acceptanceOverride: Bool? = nil) {
        self.customerID = customerID; self.birthDate = birthDate; self.industryQuality = industryQuality
        self.openedOn = openedOn; self.flags = flags; self.months = months; self.holdings = holdings
        self.lastOwnTransaction = lastOwnTransaction; self.lastContact = lastContact; self.churnSignal = churnSignal
        self.acceptanceOverride = acceptanceOverride
    }
}

public struct Classification: Sendable, Hashable, Codable {
    public var tier: Tier
    public var tierReason: String
    public var segment: Segment?
    public var segmentReason: String
    public var highAcceptance: Bool
    public var valueClass: ValueClass
    public var valueReason: String
    public var activity: Activity
    public var activityReason: String
    public var lifecycle: LifecycleStage
    public var lifecycleReason: String

    public init(tier: Tier, tierReason: String, segment: Segment?, segmentReason: String, highAcceptance: Bool,
                valueClass: ValueClass, valueReason: String, activity: Activity, activityReason: String,
                lifecycle: LifecycleStage, lifecycleReason: String) {
        self.tier = tier; self.tierReason = tierReason; self.segment = segment; self.segmentReason = segmentReason
        self.highAcceptance = highAcceptance; self.valueClass = valueClass; self.valueReason = valueReason
        self.activity = activity; self.activityReason = activityReason; self.lifecycle = lifecycle
        self.lifecycleReason = lifecycleReason
    }
}

/// The thresholds of the classification (configuration, with domain.md's defaults).
public struct ClassificationRules: Sendable, Equatable {
    /// High product acceptance: at least this many product types, or this share of the
    /// balances in wealth products, funds and insurance.
    public var acceptanceProductTypes = 3
    public var acceptanceInvestedPercent = 30
    public var olderAge = 45
    /// No own transaction and no contact for this long: dormant.
    public var dormantDays = 180
    /// Average AUM falling this much over `fallMonths`: a churn warning.
    public var fallPercent = 30
    public var fallMonths = 3
    /// …counted only from this much AUM: ¥50 becoming ¥30 is not a customer leaving.
    public var fallMinimum = Money(yuan: 50_000)
    /// Customers opened this recently are being acquired.
    public var acquisitionMonths = 12
    /// Mass-tier customers from here up are the growth pool ("developing").
    public var developingFrom = Money(yuan: 50_000)

    public init() {}

    /// `servedAs`: the tier of an approved 一户一策 upgrade, which gives a segment (and so a
    /// service plan) to a customer below the wealth tier.
    public func classify(_ f: CustomerFacts, hysteresis: TierHysteresis, asOf: CalendarDate, servedAs: Tier? = nil) -> Classification {
        let tier = hysteresis.evaluate(f.months)
        let types = f.holdings.filter { $0.value.fen > 0 && $0.key != .loan && $0.key != .creditCard }
        let total = types.values.reduce(Int64(0)) { $0 + $1.fen }
        let invested = [ProductType.wealth, .fund, .insurance].reduce(Int64(0)) { $0 + (types[$1]?.fen ?? 0) }
        let share = total > 0 ? Int(invested * 100 / total) : 0
        let computed = types.count >= acceptanceProductTypes || share >= acceptanceInvestedPercent
        let high = f.acceptanceOverride ?? computed
        let acceptanceReason = f.acceptanceOverride != nil ? "接受度由客户经理设定 set by the RM"
            : "\(types.count) 类产品 product types, 投资类占 \(share)% invested"
        let age = f.birthDate.map { $0.age(on: asOf) }
        let older = (age ?? olderAge) >= olderAge
        let premium = f.industryQuality == .premium

        var segment: Segment?
        var segmentReason = "理财级以下不分群 below the wealth tier"
        if max(tier.tier, servedAs ?? tier.tier) >= .wealth {
            segment = Segment.of(premium: premium, highAcceptance: high, older: older)
            segmentReason = "\(premium ? "优质" : "一般")行业 · 接受度\(high ? "高" : "低") (\(acceptanceReason)) · "
                + (age.map { "\($0)岁" } ?? "年龄不详 age unknown") + (older ? " ≥ \(olderAge)" : " < \(olderAge)")
        }

        // Falling AUM: the latest month against the one `fallMonths` before it.
        var fall: String?
        if f.months.count > fallMonths, let last = f.months.last {
            let before = f.months[f.months.count - 1 - fallMonths]
            if before.average >= fallMinimum, (before.average.fen - last.average.fen) * 100 >= before.average.fen * Int64(fallPercent) {
                let pct = (before.average.fen - last.average.fen) * 100 / before.average.fen
                fall = "AUM 下降 fell \(pct)% \(before.month) → \(last.month)"
            }
        }
        let lastSeen = [f.lastOwnTransaction, f.lastContact].compactMap { $0 }.max()
        let activity: Activity
        let activityReason: String
        if let signal = f.churnSignal ?? fall {
            (activity, activityReason) = (.churnWarning, signal)
        } else if let seen = lastSeen, seen.days(until: asOf) < dormantDays {
            (activity, activityReason) = (.active, "最近 last seen \(seen.iso)")
        } else {
            (activity, activityReason) = (.dormant, "\(dormantDays) 天没有交易或联系 nothing for \(dormantDays) days" + (lastSeen.map { " (last \($0.iso))" } ?? ""))
        }

        let valueClass: ValueClass
        let valueReason: String
        switch tier.tier {
        case .privateBanking:
            (valueClass, valueReason) = (.core, tier.tier.label)
        case .affluent where high:
            (valueClass, valueReason) = (.core, "\(tier.tier.label) · 接受度高 high acceptance")
        case .affluent, .wealth:
            (valueClass, valueReason) = (.stable, tier.tier.label + (high ? " · 接受度高 high acceptance" : " · 接受度低 low acceptance"))
        case .mass:
            let aum = f.months.last?.average ?? .zero
            if aum >= developingFrom {
                (valueClass, valueReason) = (.developing, "基础客户 base customer ¥\(aum.formattedWan())")
            } else {
                (valueClass, valueReason) = (.potential, "¥\(aum.formattedWan()) · " + (age.map { "\($0)岁" } ?? "年龄不详"))
            }
        }

        let lifecycle: LifecycleStage
        let lifecycleReason: String
        // Exit: a deceased customer, or legal or AML risk with no value to the bank (mass tier);
        // a valuable customer under AML watch is still served, carefully.
        if let flag = f.flags.first(where: { $0 == "deceased" || (["aml_watch", "legal_risk"].contains($0) && tier.tier == .mass) }) {
            (lifecycle, lifecycleReason) = (.exit, "标记 flag \(flag)")
        } else if activity == .churnWarning {
            (lifecycle, lifecycleReason) = (.churn, activityReason)
        } else if let opened = f.openedOn, opened.adding(days: acquisitionMonths * 30) > asOf {
            (lifecycle, lifecycleReason) = (.acquisition, "开户 opened \(opened.iso)")
        } else {
            (lifecycle, lifecycleReason) = (.maintenance, activity == .dormant ? "沉默 dormant: 需唤醒 wake up" : "正常维护 in care")
        }

        return Classification(tier: tier.tier, tierReason: tier.reason, segment: segment, segmentReason: segmentReason,
                              highAcceptance: high, valueClass: valueClass, valueReason: valueReason, activity: activity,
                              activityReason: activityReason, lifecycle: lifecycle, lifecycleReason: lifecycleReason)
    }
}
