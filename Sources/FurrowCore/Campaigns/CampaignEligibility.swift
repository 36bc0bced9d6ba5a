/// What a campaign's list needs to know of one customer the target matched.
public struct CampaignCandidate: Hashable, Sendable {
    public var customerID: String
    public var rmID: String?
    public var tier: Tier
    public var segment: Segment?
    /// An approved 一户一策 upgrade.
    public var upgradedTo: Tier?
    public var riskLevel: RiskLevel?
    public var riskAssessedOn: CalendarDate?
    public var monthlyCap: Int?
    /// Contacts logged in the last 30 days (counted only when there is a cap).
    public var recentContacts: Int
    public var noHomeVisits: Bool

    public init(customerID: String, rmID: String?, tier: Tier, segment: Segment? = nil, upgradedTo: Tier? = nil,
                riskLevel: RiskLevel? = nil, riskAssessedOn: CalendarDate? = nil, monthlyCap: Int? = nil, recentContacts: Int = 0,
                noHomeVisits: Bool = false) {
        self.customerID = customerID; self.rmID = rmID; self.tier = tier; self.segment = segment; self.upgradedTo = upgradedTo
        self.riskLevel = riskLevel; self.riskAssessedOn = riskAssessedOn; self.monthlyCap = monthlyCap
        self.recentContacts = recentContacts; self.noHomeVisits = noHomeVisits
    }
}

/// The rules a campaign's list keeps (pure: the candidate and the campaign in, a reason out).
public struct CampaignEligibility: Sendable {
    public var plans: ServicePlans
    public var cadence: [Tier: Int]
    /// A risk assessment is valid this many days.
    public var riskValidDays = 365

    public init(plans: ServicePlans, cadence: [Tier: Int]) { self.plans = plans; self.cadence = cadence }

    /// Why `c` is left off `campaign`'s list, or nil when it stays. `productRisks`: the risk
    /// levels of the push's products that need a risk rating (wealth products, funds, bonds,
    /// insurance — not deposits).
    public func exclusion(_ c: CampaignCandidate, campaign: Campaign, productRisks: [ProductRiskLevel], asOf: CalendarDate)
        -> CampaignExclusion? {
        if let cap = c.monthlyCap, c.recentContacts >= cap { return .contactCap }
        if campaign.kind == .outreach, c.noHomeVisits { return .noHomeVisits }
        if let item = campaign.serviceItem {
            let plan = plans.plan(tier: c.tier, segment: c.segment, upgradedTo: c.upgradedTo, cadence: cadence)
            if !plan.items.contains(item) { return .servicePlan }
        }
        if !productRisks.isEmpty {
            guard let rating = c.riskLevel, let assessed = c.riskAssessedOn else { return .riskNotAssessed }
            if assessed.adding(days: riskValidDays) < asOf { return .riskExpired }
            if productRisks.contains(where: { $0.rank > rating.rank }) { return .productRisk }
        }
        return nil
    }
}
