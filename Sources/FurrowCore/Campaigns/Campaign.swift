/// A product push, a care campaign, a client event or outreach: who it is for (a target), what
/// it offers, and — once launched — a contact task in each RM's queue.
public struct Campaign: Codable, Hashable, Sendable {
    public enum Kind: String, Codable, CaseIterable, Sendable {
        case productPush = "product_push", care, event, outreach
        public var label: String {
            switch self {
            case .productPush: "产品推广 product push"
            case .care: "关怀 care"
            case .event: "活动 event"
            case .outreach: "外拓 outreach"
            }
        }
    }

    public enum Status: String, Codable, Sendable { case draft, launched, closed }

    public var campaignID: String
    public var name: String
    public var kind: Kind
    public var startsOn: CalendarDate
    public var endsOn: CalendarDate
    public var ownerID: String
    /// The products a push offers (product codes); their risk levels decide suitability.
    public var products: [String]
    public var target: CampaignTarget
    /// The service item the campaign delivers (an event of item 9 goes only to plans holding it).
    public var serviceItem: ServiceItem?
    public var status: Status
    /// An event's place, time (`YYYY-MM-DD HH:MM`, Shanghai) and seats (nil: no limit).
    public var venue: String?
    public var eventAt: String?
    public var capacity: Int?

    public init(campaignID: String, name: String, kind: Kind, startsOn: CalendarDate, endsOn: CalendarDate, ownerID: String,
                products: [String] = [], target: CampaignTarget, serviceItem: ServiceItem? = nil, status: Status = .draft,
                venue: String? = nil, eventAt: String? = nil, capacity: Int? = nil) {
        self.campaignID = campaignID; self.name = name; self.kind = kind; self.startsOn = startsOn; self.endsOn = endsOn
        self.ownerID = ownerID; self.products = products; self.target = target; self.serviceItem = serviceItem; self.status = status
        self.venue = venue; self.eventAt = eventAt; self.capacity = capacity
    }
}

/// Why a customer the target matched is left off the list.
public enum CampaignExclusion: String, Codable, CaseIterable, Sendable {
    /// Contacted as often this month as they asked to be at most.
    case contactCap = "contact_cap"
    /// Their service plan does not hold the campaign's service item.
    case servicePlan = "service_plan"
    /// A product of the push is riskier than their risk rating.
    case productRisk = "product_risk"
    /// Their risk assessment has expired: no wealth product until it is renewed.
    case riskExpired = "risk_expired"
    /// Never assessed: no wealth product.
    case riskNotAssessed = "risk_not_assessed"
    /// Asked for no home visits, and this is outreach at the door.
    case noHomeVisits = "no_home_visits"

    public var label: String {
        switch self {
        case .contactCap: "已达联系上限 contact cap reached"
        case .servicePlan: "服务方案不含 not in the service plan"
        case .productRisk: "产品风险高于测评 product riskier than the rating"
        case .riskExpired: "风险测评过期 risk assessment expired"
        case .riskNotAssessed: "未做风险测评 risk not assessed"
        case .noHomeVisits: "不接受上门 no home visits"
        }
    }
}

/// What a contact for a campaign came to, recorded by the RM in two keystrokes.
public enum CampaignResponse: String, Codable, CaseIterable, Sendable {
    case reached
    case notReached = "not_reached"
    case accepted, declined, attended
    case noShow = "no_show"

    public var label: String {
        switch self {
        case .reached: "已联系 reached"
        case .notReached: "未联系上 not reached"
        case .accepted: "接受 accepted"
        case .declined: "拒绝 declined"
        case .attended: "到场 attended"
        case .noShow: "未到场 no-show"
        }
    }

    public var shortLabel: String {
        switch self {
        case .reached: "联系上"
        case .notReached: "未联系上"
        case .accepted: "接受"
        case .declined: "拒绝"
        case .attended: "到场"
        case .noShow: "未到场"
        }
    }

    /// The key that records it (after `R`).
    public var key: Character {
        switch self {
        case .reached: "1"
        case .notReached: "2"
        case .accepted: "3"
        case .declined: "4"
        case .attended: "5"
        case .noShow: "6"
        }
    }

    /// Not reached leaves the contact to do; anything else closes the campaign's task.
    public var closesTask: Bool { self != .notReached }
    /// Reached the customer (every answer but not-reached).
    public var reached: Bool { self != .notReached }
    /// Said yes (an attendee or a no-show had accepted the invitation).
    public var accepted: Bool { [.accepted, .attended, .noShow].contains(self) }
}
