import Testing
@testable import FurrowCore

@Suite("Campaign targets and who the rules leave off")
struct CampaignTargetTests {
    @Test("a target reads from text and back; every condition kind")
    func roundTrip() throws {
        let text = "tier=wealth,affluent segment=A,D value=core kind=farmer village=青山村 tag=茶客,养殖户 aum>=200000 aum<6000000 "
            + "maturing<=30 not-holding=fund,insurance risk=C3,C4 age=45-70 payroll=PU01 no-contact>=60"
        let t = try CampaignTarget.parse(text)
        #expect(t.conditionCount == 13)
        #expect(t.tiers == [.wealth, .affluent] && t.segments == [.a, .d] && t.valueClasses == [.core] && t.kinds == [.farmer])
        #expect(t.aumMin == Money(yuan: 200_000) && t.aumMax == Money(yuan: 6_000_000) && t.maturingWithinDays == 30)
        #expect(t.notHolding == [.fund, .insurance] && t.riskLevels == [.c3, .c4] && t.ageMin == 45 && t.ageMax == 70)
        #expect(try CampaignTarget.parse(t.text) == t)
        #expect(try CampaignTarget.parse("aum>=20万").aumMin == Money(yuan: 200_000))
        #expect(try CampaignTarget.parse("age=60-").ageMax == nil)
        #expect(try CampaignTarget.parse("").conditionCount == 0)
    }

    @Test("a wrong condition is named with the reason", arguments: [
        ("tier=rich", "rich is not a tier"), ("segment=Z", "not a segment"), ("aum>=lots", "not an amount"),
        ("maturing<=0", "number of days"), ("age=70-45", "MIN-MAX"), ("colour=red", "unknown condition colour"),
        ("tier", "key=value"), ("village=", "no value"), ("aum>=500000 aum<100000", "upper bound"), ("not-holding=gold", "product type"),
    ])
    func errors(_ text: String, _ reason: String) {
        do {
            _ = try CampaignTarget.parse(text)
            Issue.record("\(text) must be refused")
        } catch {
            #expect(error.description.contains(reason), "\(error.description)")
        }
    }

    static let asOf = CalendarDate(iso: "2026-09-21")!

    func campaign(_ kind: Campaign.Kind, item: ServiceItem? = nil) -> Campaign {
        Campaign(campaignID: "CP", name: "t", kind: kind, startsOn: Self.asOf, endsOn: Self.asOf, ownerID: "L1", target: CampaignTarget(),
                 serviceItem: item)
    }

    @Test("each exclusion reason, and a customer who passes them all")
    func exclusions() {
        let rules = CampaignEligibility(plans: ServicePlans(), cadence: RulesConfig().cadenceDays)
        let fine = CampaignCandidate(customerID: "C1", rmID: "S1", tier: .affluent, segment: .a, riskLevel: .c3,
                                     riskAssessedOn: CalendarDate(iso: "2026-03-01")!)
        let push = campaign(.productPush)
        #expect(rules.exclusion(fine, campaign: push, productRisks: [.r3], asOf: Self.asOf) == nil)
        var c = fine
        c.monthlyCap = 2; c.recentContacts = 2
        #expect(rules.exclusion(c, campaign: push, productRisks: [], asOf: Self.asOf) == .contactCap)
        c.recentContacts = 1
        #expect(rules.exclusion(c, campaign: push, productRisks: [], asOf: Self.asOf) == nil, "under the cap")
        #expect(rules.exclusion(fine, campaign: push, productRisks: [.r4], asOf: Self.asOf) == .productRisk)
        c = fine; c.riskAssessedOn = CalendarDate(iso: "2025-09-20")!
        #expect(rules.exclusion(c, campaign: push, productRisks: [.r2], asOf: Self.asOf) == .riskExpired)
        #expect(rules.exclusion(c, campaign: push, productRisks: [], asOf: Self.asOf) == nil, "a deposit push needs no rating")
        c = fine; c.riskLevel = nil
        #expect(rules.exclusion(c, campaign: push, productRisks: [.r1], asOf: Self.asOf) == .riskNotAssessed)
        // Private-club events (item 9) are in segment A's plan, not in G's; below the wealth tier there is no segment plan.
        let club = campaign(.event, item: .privateClub)
        #expect(rules.exclusion(fine, campaign: club, productRisks: [], asOf: Self.asOf) == nil)
        c = fine; c.segment = .g
        #expect(rules.exclusion(c, campaign: club, productRisks: [], asOf: Self.asOf) == .servicePlan)
        c = fine; c.tier = .mass; c.segment = nil
        #expect(rules.exclusion(c, campaign: club, productRisks: [], asOf: Self.asOf) == .servicePlan)
        #expect(rules.exclusion(c, campaign: campaign(.event, item: .massEvents), productRisks: [], asOf: Self.asOf) == nil)
        c = fine; c.noHomeVisits = true
        #expect(rules.exclusion(c, campaign: campaign(.outreach), productRisks: [], asOf: Self.asOf) == .noHomeVisits)
        #expect(rules.exclusion(c, campaign: campaign(.care), productRisks: [], asOf: Self.asOf) == nil, "a call is still fine")
    }
}
