import FurrowCore
import Testing

@Suite("Segments A–H, value class, activity, lifecycle")
struct SegmentationTests {
    let rules = ClassificationRules()
    let h = TierHysteresis()
    let asOf = CalendarDate(iso: "2026-11-20")!

    func facts(aum: Int64 = 500_000, born: String? = "1980-01-01", premium: Bool = false,
               holdings: [ProductType: Int64] = [.demand: 500_000], lastOwn: String? = "2026-11-01",
               opened: String? = "2015-01-01", flags: [String] = [], months: [Int64]? = nil) -> CustomerFacts {
        let ms = (months ?? [aum, aum, aum, aum]).enumerated().map { ("2026-0\($0.offset + 5)", Money(yuan: $0.element)) }
        return CustomerFacts(customerID: "X", birthDate: born.flatMap { CalendarDate(iso: $0) },
                             industryQuality: premium ? .premium : .ordinary, openedOn: opened.flatMap { CalendarDate(iso: $0) },
                             flags: flags, months: ms, holdings: holdings.mapValues { Money(yuan: $0) },
                             lastOwnTransaction: lastOwn.flatMap { CalendarDate(iso: $0) })
    }

    @Test("the eight segments from industry × acceptance × age", arguments: [
        (true, true, false, Segment.a), (true, true, true, .b), (true, false, false, .c), (true, false, true, .d),
        (false, true, false, .e), (false, true, true, .f), (false, false, false, .g), (false, false, true, .h),
    ])
    func segments(premium: Bool, high: Bool, older: Bool, expected: Segment) {
        let holdings: [ProductType: Int64] = high ? [.demand: 100_000, .wealth: 300_000, .fund: 100_000] : [.demand: 500_000]
        let k = rules.classify(facts(born: older ? "1970-01-01" : "1990-01-01", premium: premium, holdings: holdings), hysteresis: h, asOf: asOf)
        #expect(k.segment == expected)
        #expect(k.segmentReason.contains(older ? "≥ 45" : "< 45"))
    }

    @Test("product acceptance: three product types, or 30% invested; the RM's override wins")
    func acceptance() {
        #expect(rules.classify(facts(holdings: [.demand: 1, .timeDeposit: 1, .bond: 1]), hysteresis: h, asOf: asOf).highAcceptance)
        #expect(rules.classify(facts(holdings: [.demand: 70, .insurance: 30]), hysteresis: h, asOf: asOf).highAcceptance)
        #expect(!rules.classify(facts(holdings: [.demand: 71, .insurance: 29]), hysteresis: h, asOf: asOf).highAcceptance)
        var f = facts(holdings: [.demand: 71, .insurance: 29])
        f.acceptanceOverride = true
        #expect(rules.classify(f, hysteresis: h, asOf: asOf).highAcceptance)
    }

    @Test("below the wealth tier there is no segment; the value class says why")
    func mass() {
        let base = rules.classify(facts(aum: 80_000), hysteresis: h, asOf: asOf)
        #expect(base.segment == nil && base.valueClass == .developing)
        #expect(rules.classify(facts(aum: 800), hysteresis: h, asOf: asOf).valueClass == .potential)
        #expect(rules.classify(facts(aum: 8_000_000), hysteresis: h, asOf: asOf).valueClass == .core)
    }

    @Test("activity: active, dormant after 180 quiet days, churn warning on a 30% fall or a signal")
    func activity() {
        #expect(rules.classify(facts(), hysteresis: h, asOf: asOf).activity == .active)
        let quiet = rules.classify(facts(lastOwn: "2026-03-01"), hysteresis: h, asOf: asOf)
        #expect(quiet.activity == .dormant && quiet.lifecycle == .maintenance)
        let falling = rules.classify(facts(months: [1_000_000, 900_000, 800_000, 650_000]), hysteresis: h, asOf: asOf)
        #expect(falling.activity == .churnWarning && falling.activityReason.contains("35%"))
        #expect(falling.lifecycle == .churn)
        let tiny = rules.classify(facts(months: [50, 40, 35, 20]), hysteresis: h, asOf: asOf)
        #expect(tiny.activity != .churnWarning, "¥50 becoming ¥20 is not a customer leaving")
        var signalled = facts()
        signalled.churnSignal = "流失预警 salary left within 3 days"
        #expect(rules.classify(signalled, hysteresis: h, asOf: asOf).activity == .churnWarning)
    }

    @Test("lifecycle: new customers are being acquired; flagged ones exit")
    func lifecycle() {
        #expect(rules.classify(facts(opened: "2026-06-01"), hysteresis: h, asOf: asOf).lifecycle == .acquisition)
        #expect(rules.classify(facts(aum: 3_000, flags: ["aml_watch"]), hysteresis: h, asOf: asOf).lifecycle == .exit)
        #expect(rules.classify(facts(aum: 3_000_000, flags: ["aml_watch"]), hysteresis: h, asOf: asOf).lifecycle != .exit,
                "legal or AML risk *and no value*")
        #expect(rules.classify(facts(aum: 3_000_000, flags: ["deceased"]), hysteresis: h, asOf: asOf).lifecycle == .exit)
    }
}
