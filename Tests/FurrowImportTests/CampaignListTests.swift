import Foundation
import FurrowCore
import FurrowImport
import FurrowStore
import Testing

/// Campaign lists on fixtures/branch: the SQL of every kind of condition against the same
/// condition worked out in Swift from each customer's 360° profile, one by one and combined;
/// the rules' exclusions on real rows; a list kept and rebuilt.
@Suite("Campaign lists on fixtures/branch", .serialized)
struct CampaignListTests {
    static let asOf = CalendarDate(iso: "2026-11-30")!
    let store: AppDatabase
    let people: [(profile: CustomerProfile, k: Classification?)]

    /// The suite's "now": 10:00 in Shanghai on `asOf` (answers without a time are stamped with it).
    static let now = Date(timeIntervalSince1970: 1_796_004_000)

    init() throws {
        store = try AppDatabase.inMemory(clock: { Self.now })
        let r = try ExtractImporter(store: store).run(ImportOptions(directory: FixtureFiles.url("branch"), asOf: Self.asOf, actor: "t"))
        #expect(r.isComplete)
        _ = try store.runNightly(asOf: Self.asOf, by: "t")
        let ids = try store.portfolio(scope: .branch, limit: 1000).rows.map(\.customerID)
        for (i, id) in ids.enumerated() where i % 4 == 0 { try store.addTag(customerID: id, tag: i % 8 == 0 ? "茶客" : "养殖户", by: "t") }
        let db = store
        var found: [(profile: CustomerProfile, k: Classification?)] = []
        for id in ids { found.append((try #require(try db.profile(customerID: id, asOf: Self.asOf)), try db.classification(customerID: id)?.1)) }
        people = found
    }

    /// The target worked out by hand (in Swift, from the profiles).
    func expected(_ t: CampaignTarget) -> [String] {
        people.filter { p, k in
            let c = p.customer
            let tier = k?.tier ?? p.tier
            let all = p.holdings + p.liabilities
            let active = all.filter { $0.account.status == .active }
            if !t.tiers.isEmpty, !t.tiers.contains(tier) { return false }
            if !t.segments.isEmpty, !((k?.segment).map(t.segments.contains) ?? false) { return false }
            if !t.valueClasses.isEmpty, !(k.map { t.valueClasses.contains($0.valueClass) } ?? false) { return false }
            if !t.kinds.isEmpty, !t.kinds.contains(c.kind) { return false }
            if !t.villages.isEmpty, !(c.village.map(t.villages.contains) ?? false) { return false }
            if !t.tags.isEmpty, Set(p.tags).isDisjoint(with: t.tags) { return false }
            if let m = t.aumMin, p.aum < m { return false }
            if let m = t.aumMax, p.aum >= m { return false }
            if let d = t.maturingWithinDays, !active.contains(where: { h in
                h.product.type == .timeDeposit && h.account.maturityDate.map { $0 >= Self.asOf && $0 <= Self.asOf.adding(days: d) } == true
            }) { return false }
            if !t.notHolding.isEmpty, active.contains(where: { t.notHolding.contains($0.product.type) }) { return false }
            if !t.riskLevels.isEmpty, !(c.riskLevel.map(t.riskLevels.contains) ?? false) { return false }
            if t.ageMin != nil || t.ageMax != nil {
                guard let born = c.birthDate else { return false }
                let age = born.age(on: Self.asOf)
                if let lo = t.ageMin, age < lo { return false }
                if let hi = t.ageMax, age > hi { return false }
            }
            if let d = t.noContactDays, let last = p.lastContactAt, last >= Self.asOf.adding(days: -d).iso { return false }
            return true
        }.map(\.profile.customer.customerID).sorted()
    }

    func matched(_ text: String) throws -> [String] {
        let c = Campaign(campaignID: "t", name: "t", kind: .care, startsOn: Self.asOf, endsOn: Self.asOf, ownerID: "t",
                         target: try CampaignTarget.parse(text))
        let list = try store.matchCampaign(c, asOf: Self.asOf)
        return (list.targeted.map(\.customerID) + list.excluded.map(\.candidate.customerID)).sorted()
    }

    @Test("each condition alone and five together select what the profiles say", arguments: [
        "tier=wealth,affluent,private", "segment=A,B,C,D,E,F,G,H", "value=core,stable", "kind=farmer,individual_business",
        "village=东门村,赤马村", "tag=茶客", "aum>=50000", "aum>=10000 aum<200000", "maturing<=60", "not-holding=fund,wealth",
        "risk=C3,C4,C5", "age=45-70", "age=-40", "no-contact>=90",
        "tier=mass aum>=1万 not-holding=fund age=30-80 no-contact>=30", "tier=wealth,affluent,private maturing<=120 risk=C2,C3,C4 tag=茶客,养殖户 value=core,stable,developing,potential",
    ])
    func conditions(_ text: String) throws {
        let t = try CampaignTarget.parse(text)
        let want = expected(t)
        #expect(try matched(text) == want, "\(text)")
        #expect(!want.isEmpty && want.count < people.count, "\(text) should split the branch: \(want.count)")
    }

    @Test("payroll: the people a unit pays (from transactions.csv: PU01 pays C0006, C0012, C0015; PU02 C0010, C0014, C0023)")
    func payroll() throws {
        #expect(try matched("payroll=PU01") == ["C0006", "C0012", "C0015"])
        #expect(try matched("payroll=PU02 kind=individual").allSatisfy { ["C0010", "C0014", "C0023"].contains($0) })
        #expect(try matched("payroll=NO-SUCH-UNIT").isEmpty)
    }

    @Test("a fund push keeps only customers whose valid rating covers the fund; a private-club event only the plans that hold it; the list is kept, and rebuilt only while a draft")
    func rulesAndKeeping() throws {
        let push = try store.createCampaign(name: "基金推广", kind: .productPush, startsOn: Self.asOf, endsOn: Self.asOf.adding(days: 30),
                                            products: ["JJ01"], target: try CampaignTarget.parse("not-holding=fund"), by: "S002")
        let list = try store.buildCampaignList(push.campaignID, asOf: Self.asOf, by: "S002")
        let fundRisk = ProductRiskLevel.r3
        for m in list.targeted {
            let c = try #require(people.first { $0.profile.customer.customerID == m.customerID }?.profile.customer)
            #expect(c.riskLevel.map { $0.rank >= fundRisk.rank } == true && c.riskAssessedOn.map { $0.adding(days: 365) >= Self.asOf } == true)
        }
        let reasons = Set(list.excluded.map(\.reason))
        #expect(reasons.isSubset(of: [.productRisk, .riskExpired, .riskNotAssessed, .contactCap]) && !reasons.isEmpty, "\(reasons)")
        #expect(list.targeted.count + list.excluded.count == expected(try CampaignTarget.parse("not-holding=fund")).count)
        let kept = try store.campaignMembers(push.campaignID)
        #expect(kept.filter { $0.excluded == nil }.count == list.targeted.count && kept.count == list.targeted.count + list.excluded.count)
        // Rebuilding replaces the list (the same here).
        #expect(try store.buildCampaignList(push.campaignID, asOf: Self.asOf, by: "S002").targeted.count == list.targeted.count)
        #expect(try store.campaignMembers(push.campaignID).count == kept.count)

        let club = try store.createCampaign(name: "私行俱乐部 · 名医讲座", kind: .event, startsOn: Self.asOf, endsOn: Self.asOf,
                                            target: CampaignTarget(), serviceItem: .privateClub, by: "S002")
        let clubList = try store.buildCampaignList(club.campaignID, asOf: Self.asOf, by: "S002")
        let plans = ServicePlans()
        for m in clubList.targeted {
            #expect(plans.plan(tier: m.tier, segment: m.segment, upgradedTo: m.upgradedTo, cadence: [:]).items.contains(.privateClub))
        }
        #expect(clubList.excluded.allSatisfy { $0.reason == .servicePlan } && clubList.excluded.count > clubList.targeted.count)
        #expect(try store.auditTrail(actor: "S002").contains { $0.action == "campaign.list" })
        #expect(throws: StoreError.self) {
            _ = try store.createCampaign(name: "x", kind: .productPush, startsOn: Self.asOf, endsOn: Self.asOf, target: CampaignTarget(), by: "S002")
        }
        #expect(throws: StoreError.self) { _ = try store.buildCampaignList("CP-nope", asOf: Self.asOf, by: "S002") }
    }

    @Test("launch puts a task in each RM's queue (a task already due in the period is used), once; responses close it, log the contact and make the funnel")
    func launchAndRespond() throws {
        let care = try store.createCampaign(name: "中秋关怀", kind: .care, startsOn: Self.asOf, endsOn: Self.asOf.adding(days: 14),
                                            target: try CampaignTarget.parse("tier=wealth,affluent,private"), by: "S002")
        let list = try store.buildCampaignList(care.campaignID, asOf: Self.asOf, by: "S002")
        try #require(list.targeted.count >= 3)
        // Routine contacts (greetings, cadence) already due in the period are used, not doubled;
        // other tasks (a maturity, a risk review, one the RM set) are not the campaign's.
        let routine = try Set(list.targeted.filter { m in
            try store.profile(customerID: m.customerID, asOf: Self.asOf)?.tasks.contains { t in
                t.status == .open && ["greeting", "cadence"].contains(t.rule?.rawValue ?? "") && t.staffID == m.rmID
                    && t.dueOn >= Self.asOf && t.dueOn <= Self.asOf.adding(days: 14)
            } == true
        }.map(\.customerID))
        #expect(!routine.isEmpty, "the fixture's wealthy customers have cadence reminders due")
        let first = try #require(list.targeted.first { !routine.contains($0.customerID) })
        let mine = try store.createTask(customerID: first.customerID, title: "回访", reason: nil, dueOn: Self.asOf.adding(days: 3),
                                        by: try #require(first.rmID))
        let picky = try #require(list.targeted.last { !routine.contains($0.customerID) && $0.customerID != first.customerID })
        try store.setPreferences(customerID: picky.customerID, ContactPreferences(preferredChannel: .wechat, quietHours: "12:00-14:00"),
                                 by: try #require(picky.rmID))
        let opsBefore = try store.pendingOpCount()
        let launched = try store.launchCampaign(care.campaignID, asOf: Self.asOf, by: "S002")
        #expect(launched.linked == routine.count && launched.total == list.targeted.count)
        #expect(try store.pendingOpCount() == opsBefore + list.targeted.count,
                "each new task is an op, each routine task used a campaign.join op (both reach the RM)")
        for m in list.targeted where !routine.contains(m.customerID) {
            let tasks = try store.profile(customerID: m.customerID, asOf: Self.asOf)?.tasks.filter { $0.title == "关怀 中秋关怀" } ?? []
            #expect(tasks.count == 1 && tasks[0].staffID == m.rmID && tasks[0].status == .open, "\(m.customerID): \(tasks)")
            let reason = tasks.first?.reason ?? ""
            #expect(reason.contains("偏好") == (m.customerID == picky.customerID) && reason.contains("勿扰 12:00-14:00") == (m.customerID == picky.customerID),
                    "how the customer wants to be reached is on their task only: \(reason)")
        }
        #expect(throws: StoreError.self) { try store.launchCampaign(care.campaignID, asOf: Self.asOf, by: "S002") }
        #expect(throws: StoreError.self) { try store.buildCampaignList(care.campaignID, asOf: Self.asOf, by: "S002") }

        let others = list.targeted.filter { !routine.contains($0.customerID) && $0.customerID != first.customerID }
        try #require(others.count >= 2)
        let (a, b, c) = (first, others[0], others[1])
        try store.recordCampaignResponse(care.campaignID, customerID: a.customerID, response: .accepted, by: "S002")
        let aTasks = try #require(try store.profile(customerID: a.customerID, asOf: Self.asOf)?.tasks)
        #expect(aTasks.first { $0.taskID == mine.taskID }?.status == .open, "the RM's own task is not the campaign's")
        #expect(aTasks.first { $0.title == "关怀 中秋关怀" }?.status == .done, "the campaign's task is closed")
        try store.recordCampaignResponse(care.campaignID, customerID: b.customerID, response: .notReached, by: "S002")
        let bTasks = try store.profile(customerID: b.customerID, asOf: Self.asOf)?.tasks.filter { $0.title == "关怀 中秋关怀" } ?? []
        #expect(bTasks.first?.status == .open, "not reached: still to do")
        try store.recordCampaignResponse(care.campaignID, customerID: b.customerID, response: .declined, note: "在外地", by: "S002")
        try store.recordCampaignResponse(care.campaignID, customerID: c.customerID, response: .reached, channel: .visit, by: "S002")
        let timeline = try #require(try store.profile(customerID: b.customerID, asOf: Self.asOf)?.interactions)
        #expect(timeline.filter { $0.purpose == "中秋关怀" }.map(\.outcome) == ["拒绝 declined", "未联系上 not reached"])
        #expect(throws: StoreError.self) {
            try store.recordCampaignResponse(care.campaignID, customerID: c.customerID, response: .attended, by: "S002")
        }
        let funnel = try store.campaignFunnel(care.campaignID)
        #expect(funnel.total.targeted == list.targeted.count && funnel.total.contacted == 3 && funnel.total.reached == 3
                && funnel.total.accepted == 1 && funnel.total.attended == 0)
        #expect(funnel.byRM.map(\.targeted).reduce(0, +) == list.targeted.count)
        let report = try store.campaignReport(care.campaignID)
        #expect(report.totals?[4] == .int(1) && report.notes[0].contains("接受 accepted 1"))

        // An excluded customer or someone not on the list gets the reason.
        let push = try store.createCampaign(name: "基金", kind: .productPush, startsOn: Self.asOf, endsOn: Self.asOf.adding(days: 9),
                                            products: ["JJ01"], target: CampaignTarget(), by: "S002")
        let pl = try store.buildCampaignList(push.campaignID, asOf: Self.asOf, by: "S002")
        _ = try store.launchCampaign(push.campaignID, asOf: Self.asOf, by: "S002")
        let left = try #require(pl.excluded.first)
        do {
            try store.recordCampaignResponse(push.campaignID, customerID: left.candidate.customerID, response: .accepted, by: "S002")
            Issue.record("an excluded customer has no contact to record")
        } catch {
            #expect(error.description.contains("left off"), "\(error)")
        }
    }

    @Test("a campaign past its last day takes no answers, except one timed before its end; the reason names the day")
    func endedCampaign() throws {
        #expect(Timestamp.shanghaiNow(Self.now).hasPrefix(Self.asOf.iso), "the suite's clock is on its day")
        let c = try store.createCampaign(name: "国庆关怀", kind: .care, startsOn: Self.asOf.adding(days: -60), endsOn: Self.asOf.adding(days: -1),
                                         target: try CampaignTarget.parse("aum>=0"), by: "S002")
        let list = try store.buildCampaignList(c.campaignID, asOf: Self.asOf.adding(days: -60), by: "S002")
        _ = try store.launchCampaign(c.campaignID, asOf: Self.asOf.adding(days: -60), by: "S002")
        let (a, b) = (list.targeted[0].customerID, list.targeted[1].customerID)
        do {
            try store.recordCampaignResponse(c.campaignID, customerID: a, response: .accepted, by: "S002")
            Issue.record("an answer after the campaign's end was taken")
        } catch {
            #expect(error.description.contains("ended on 2026-11-29"), "\(error)")
        }
        #expect(throws: StoreError.self) {
            try store.recordCampaignResponse(c.campaignID, customerID: a, response: .accepted, at: "2026-11-30 09:00", by: "S002")
        }
        try store.recordCampaignResponse(c.campaignID, customerID: b, response: .accepted, at: "2026-11-29 18:00", by: "S002")
        #expect(try store.campaignFunnel(c.campaignID).total.accepted == 1)
        #expect(try store.profile(customerID: a, asOf: Self.asOf)?.interactions.contains { $0.purpose == "国庆关怀" } == false,
                "a refused answer leaves no log")
    }

    @Test("attribution counts from the first time a customer was reached: accepted, a purchase, then a later answer — the purchase is still the campaign's")
    func attributionFromFirstReach() throws {
        // C0024 opened LC091 on 2026-10-22 (¥40,000).
        let c = try store.createCampaign(name: "秋季关怀", kind: .care, startsOn: CalendarDate(iso: "2026-10-01")!,
                                         endsOn: CalendarDate(iso: "2026-11-30")!, target: try CampaignTarget.parse("aum>=0"), by: "S002")
        _ = try store.buildCampaignList(c.campaignID, asOf: CalendarDate(iso: "2026-10-01")!, by: "S002")
        _ = try store.launchCampaign(c.campaignID, asOf: CalendarDate(iso: "2026-10-01")!, by: "S002")
        try #require(try store.campaignMembers(c.campaignID).contains { $0.customerID == "C0024" && $0.excluded == nil })
        for (r, at) in [(CampaignResponse.notReached, "2026-10-15 09:00"), (.reached, "2026-10-20 10:00"), (.accepted, "2026-10-28 10:00")] {
            try store.recordCampaignResponse(c.campaignID, customerID: "C0024", response: r, at: at, by: "S002")
        }
        _ = try store.attributeCampaigns(by: "S002")
        let credited = try store.campaignConversions(c.campaignID).filter { $0.customerID == "C0024" }
        #expect(credited.map(\.day) == ["2026-10-22"] && credited.first?.contactDay == "2026-10-20", "\(credited)")
    }

    @Test("attribution: a later account or top-up goes to the campaign whose contact came last within the window; its own products only for a push; not reached does not count")
    func attribution() throws {
        // From accounts.csv: C0002 opened ZC1Y on 2026-09-20 (¥3,000,000) and LC091 on 2026-09-25
        // (¥800,000); C0024 opened LC091 on 2026-10-22 (¥40,000); C0028 LC091 on 2026-11-12.
        let from = CalendarDate(iso: "2026-08-01")!, to = CalendarDate(iso: "2026-12-31")!
        func launched(_ name: String, _ kind: Campaign.Kind, products: [String] = [], target: String) throws -> Campaign {
            let c = try store.createCampaign(name: name, kind: kind, startsOn: from, endsOn: to, products: products,
                                             target: try CampaignTarget.parse(target), by: "S002")
            _ = try store.buildCampaignList(c.campaignID, asOf: from, by: "S002")
            _ = try store.launchCampaign(c.campaignID, asOf: from, by: "S002")
            return c
        }
        let everyone = "aum>=0"
        let care1 = try launched("关怀一", .care, target: everyone), care2 = try launched("关怀二", .care, target: everyone)
        let push = try launched("定期推广", .productPush, products: ["ZC1Y"], target: "village=" + (people.first {
            $0.profile.customer.customerID == "C0002" }?.profile.customer.village ?? ""))
        func answer(_ c: Campaign, _ customer: String, _ r: CampaignResponse, _ at: String) throws {
            try store.recordCampaignResponse(c.campaignID, customerID: customer, response: r, at: at, by: "S002")
        }
        try #require(try store.campaignMembers(push.campaignID).contains { $0.customerID == "C0002" && $0.excluded == nil },
                     "a deposit push needs no risk rating (C0002's expired in 2025)")
        try answer(care1, "C0002", .reached, "2026-09-10 10:00")
        try answer(care2, "C0002", .accepted, "2026-09-18 10:00")
        try answer(push, "C0002", .accepted, "2026-09-19 15:00")
        try answer(care1, "C0024", .reached, "2026-09-01 09:00")
        try answer(care1, "C0028", .notReached, "2026-11-01 09:00")

        let r = try store.attributeCampaigns(by: "t")
        #expect(r.conversions == 2 && r.amountFen == 380_000_000, "\(r)")
        #expect(try store.campaignConversions(push.campaignID).map { "\($0.customerID) \($0.productCode) \($0.amount.formatted())" }
                == ["C0002 ZC1Y 3,000,000.00"], "the push came last before its own product")
        #expect(try store.campaignConversions(care2.campaignID).map { "\($0.customerID) \($0.productCode) \($0.day) \($0.contactDay)" }
                == ["C0002 LC091 2026-09-25 2026-09-18"], "the push offered only ZC1Y: the wealth product is care 2's, its contact the last")
        #expect(try store.campaignConversions(care1.campaignID).isEmpty, "C0024 bought 51 days after; C0028 was not reached")
        let funnel = try store.campaignFunnel(care2.campaignID)
        #expect(funnel.total.converted == 1 && funnel.total.amountFen == 80_000_000)

        // A longer window (the rules file's [campaigns] attribution_days) credits C0024's fund to care 1.
        var rules = RulesConfig()
        rules.campaignAttributionDays = 60
        _ = try store.attributeCampaigns(rules: rules, by: "t")
        #expect(try store.campaignConversions(care1.campaignID).map(\.customerID) == ["C0024"])
        #expect(try store.attributeCampaigns(rules: rules, by: "t").conversions == 3, "a second run counts the same")
        #expect(throws: StoreError.self) { try answer(care1, "C0024", .reached, "2099-01-01 10:00") }
    }

    @Test("an event over capacity fills the waiting list in the order people accept; a seat given back goes to the first waiting; attendance and satisfaction")
    func eventCapacity() throws {
        #expect(throws: StoreError.self) {
            _ = try store.createCampaign(name: "x", kind: .care, startsOn: Self.asOf, endsOn: Self.asOf, target: CampaignTarget(), capacity: 3, by: "S002")
        }
        #expect(throws: StoreError.self) {
            _ = try store.createCampaign(name: "x", kind: .event, startsOn: Self.asOf, endsOn: Self.asOf.adding(days: 5), target: CampaignTarget(),
                                         eventAt: "2027-01-01 14:00", by: "S002")
        }
        let e = try store.createCampaign(name: "健康讲座", kind: .event, startsOn: Self.asOf.adding(days: -20), endsOn: Self.asOf.adding(days: 10),
                                         target: try CampaignTarget.parse("aum>=0"), venue: "沙市镇支行二楼", eventAt: "2026-11-22 14:00",
                                         capacity: 2, by: "S002")
        let list = try store.buildCampaignList(e.campaignID, asOf: Self.asOf.adding(days: -20), by: "S002")
        _ = try store.launchCampaign(e.campaignID, asOf: Self.asOf.adding(days: -20), by: "S002")
        let p = list.targeted.prefix(4).map(\.customerID)
        try #require(p.count == 4)
        for (i, id) in p.enumerated() {
            try store.recordCampaignResponse(e.campaignID, customerID: id, response: .accepted, at: "2026-11-1\(i) 10:00", by: "S002")
        }
        var seats = try store.eventSeats(e.campaignID)
        #expect(seats.seated == Array(p[0..<2]) && seats.waitlisted == Array(p[2..<4]), "two seats, two waiting, in the order they accepted")
        // The second gives the seat back: the first waiting takes it.
        try store.recordCampaignResponse(e.campaignID, customerID: p[1], response: .declined, at: "2026-11-20 10:00", by: "S002")
        seats = try store.eventSeats(e.campaignID)
        #expect(seats.seated.sorted() == [p[0], p[2]].sorted() && seats.waitlisted == [p[3]])
        // On the day.
        try store.recordCampaignResponse(e.campaignID, customerID: p[0], response: .attended, at: "2026-11-22 14:05", by: "S002")
        try store.recordCampaignResponse(e.campaignID, customerID: p[2], response: .noShow, at: "2026-11-22 16:00", by: "S002")
        try store.recordEventSatisfaction(e.campaignID, customerID: p[0], score: 5, by: "S002")
        #expect(throws: StoreError.self) { try store.recordEventSatisfaction(e.campaignID, customerID: p[2], score: 4, by: "S002") }
        #expect(throws: StoreError.self) { try store.recordEventSatisfaction(e.campaignID, customerID: p[0], score: 9, by: "S002") }
        seats = try store.eventSeats(e.campaignID)
        #expect(seats.attended == 1 && seats.averageSatisfaction == 5)
        let funnel = try store.campaignFunnel(e.campaignID)
        #expect(funnel.total.accepted == 3 && funnel.total.attended == 1, "the attendee, the no-show and the one waiting accepted: \(funnel.total)")
        let report = try store.campaignReport(e.campaignID)
        #expect(report.notes.contains { $0.contains("沙市镇支行二楼") && $0.contains("座位 seats 2/2") && $0.contains("候补 waiting 1") && $0.contains("5.0/5") },
                "\(report.notes)")
    }

    @Test("two top-ups of one account on one day are one purchase of their sum, stored as counted")
    func sameDayTopUps() throws {
        let from = CalendarDate(iso: "2026-08-01")!
        let push = try store.createCampaign(name: "定期推广", kind: .productPush, startsOn: from, endsOn: CalendarDate(iso: "2026-12-31")!,
                                            products: ["ZC1Y"], target: try CampaignTarget.parse("aum>=0"), by: "S002")
        _ = try store.buildCampaignList(push.campaignID, asOf: from, by: "S002")
        _ = try store.launchCampaign(push.campaignID, asOf: from, by: "S002")
        try store.recordCampaignResponse(push.campaignID, customerID: "C0002", response: .accepted, at: "2026-09-19 15:00", by: "S002")
        let account = try #require(try store.profile(customerID: "C0002")?.holdings.first { $0.product.productCode == "ZC1Y" }?.account.accountID)
        _ = try store.importExtract(directory: "topups", actor: "t", asOf: CalendarDate(iso: "2026-09-27")!) { s in
            for (i, yuan) in [100_000, 250_000].enumerated() {
                try s.upsert(Transaction(txnID: "TOPUP-\(i)", accountID: account, postedAt: "2026-09-26 1\(i):00:00",
                                         amount: Money(fen: Int64(yuan) * 100), kind: .deposit))
            }
            return .commit(summary: "")
        }
        let r = try store.attributeCampaigns(by: "t")
        let stored = try store.campaignConversions(push.campaignID)
        #expect(stored.contains { $0.day == "2026-09-26" && $0.amount == Money(fen: 35_000_000) }, "\(stored)")
        #expect(r.conversions == stored.count && r.amountFen == stored.reduce(0) { $0 + $1.amount.fen }, "the report is what is kept: \(r)")
    }

    @Test("an event without a seat limit seats everyone who accepts, and its checklist lists them")
    func eventWithoutLimit() throws {
        let e = try store.createCampaign(name: "茶话会", kind: .event, startsOn: Self.asOf.adding(days: -15), endsOn: Self.asOf.adding(days: 10),
                                         target: try CampaignTarget.parse("aum>=0"), venue: "青山村委会", eventAt: "2026-12-05 14:00", by: "S002")
        let list = try store.buildCampaignList(e.campaignID, asOf: Self.asOf.adding(days: -15), by: "S002")
        _ = try store.launchCampaign(e.campaignID, asOf: Self.asOf.adding(days: -15), by: "S002")
        let p = list.targeted.prefix(3).map(\.customerID)
        try #require(p.count == 3)
        for id in p { try store.recordCampaignResponse(e.campaignID, customerID: id, response: .accepted, at: "2026-11-20 10:00", by: "S002") }
        #expect(try store.eventSeats(e.campaignID).seated.sorted() == p.sorted())
        #expect(try store.eventChecklist(e.campaignID).map(\.customerID).sorted() == p.sorted(), "the day's checklist has them")
    }
}

