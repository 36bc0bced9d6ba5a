/// Differentiated service (domain.md): the catalogue, the A–H matrix (at most six items, so
/// customers are not pestered), what each tier gets by default, and how often to make contact.
public enum ServiceItem: Int, CaseIterable, Sendable, Codable {
    case counterPriority = 1, smsCare, gifts, visit, president, massEvents, wealthEvents, affluentEvents, privateClub

    public var label: String {
        switch self {
        case .counterPriority: "柜面优先 priority at the counter"
        case .smsCare: "短信关怀 SMS care"
        case .gifts: "节日生日礼品 holiday and birthday gifts"
        case .visit: "上门拜访 home or office visits"
        case .president: "行长参与 branch president involved"
        case .massEvents: "大众活动 mass events"
        case .wealthEvents: "理财活动 wealth-tier events"
        case .affluentEvents: "财富活动 affluent events"
        case .privateClub: "私行俱乐部 private-club events"
        }
    }
}

public struct ServicePlans: Sendable, Equatable {
    public var matrix: [Segment: [ServiceItem]] = [
        .a: [.counterPriority, .smsCare, .visit, .president, .affluentEvents, .privateClub],
        .b: [.counterPriority, .smsCare, .visit, .wealthEvents, .affluentEvents, .privateClub],
        .c: [.counterPriority, .smsCare, .gifts, .visit, .president, .affluentEvents],
        .d: [.counterPriority, .smsCare, .gifts, .visit, .wealthEvents, .affluentEvents],
        .e: [.counterPriority, .smsCare, .gifts, .massEvents, .wealthEvents, .affluentEvents],
        .f: [.counterPriority, .smsCare, .gifts, .president, .affluentEvents],
        .g: [.counterPriority, .smsCare, .gifts, .massEvents, .wealthEvents],
        .h: [.counterPriority, .smsCare, .gifts, .massEvents, .wealthEvents],
    ]
    /// Below the wealth tier there is no segment: the system's SMS and mass events.
    public var massItems: [ServiceItem] = [.smsCare, .massEvents]
    /// Contact cadence by segment, as a share of the tier's: the most engaged segments more
    /// often, the least less so.
    public var segmentCadencePercent: [Segment: Int] = [.a: 75, .b: 75, .g: 125, .h: 125]
    public static let maxItems = 6

    public init() {}

    public struct Plan: Sendable, Hashable {
        public var items: [ServiceItem]
        /// Days between contacts; nil for none (mass).
        public var cadenceDays: Int?
        /// The tier the customer is served as (higher than their own after an approved upgrade).
        public var servedAs: Tier
        public var reason: String
    }

    public func plan(tier: Tier, segment: Segment?, upgradedTo: Tier?, cadence: [Tier: Int]) -> Plan {
        let served = max(tier, upgradedTo ?? tier)
        let upgradeNote = served > tier ? " · 一户一策 upgraded from \(tier.label)" : ""
        guard served >= .wealth, let segment else {
            return Plan(items: massItems, cadenceDays: served >= .wealth ? cadence[served] : nil, servedAs: served,
                        reason: "\(served.label)\(upgradeNote)")
        }
        let base = cadence[served]
        let percent = segmentCadencePercent[segment] ?? 100
        return Plan(items: matrix[segment] ?? massItems, cadenceDays: base.map { max(1, $0 * percent / 100) }, servedAs: served,
                    reason: "\(served.label) · \(segment.rawValue)类" + (percent != 100 ? " · 频率 \(percent)%" : "") + upgradeNote)
    }
}
