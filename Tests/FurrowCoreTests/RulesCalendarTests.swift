import FurrowCore
import PropertyBased
import Testing

@Suite("Rules: the lunar calendar, holidays and make-up workdays, birthdays, tier hysteresis")
struct RulesCalendarTests {
    func d(_ s: String) -> CalendarDate { CalendarDate(iso: s)! }

    @Test("the lunar festivals fall where the published calendars put them", arguments: [
        ("spring-festival", 2024, "2024-02-10"), ("spring-festival", 2025, "2025-01-29"), ("spring-festival", 2026, "2026-02-17"),
        ("spring-festival", 2027, "2027-02-06"), ("spring-festival", 2028, "2028-01-26"),
        ("mid-autumn", 2024, "2024-09-17"), ("mid-autumn", 2025, "2025-10-06"), ("mid-autumn", 2026, "2026-09-25"),
        ("mid-autumn", 2027, "2027-09-15"), ("mid-autumn", 2028, "2028-10-03"),
        ("dragon-boat", 2024, "2024-06-10"), ("dragon-boat", 2025, "2025-05-31"), ("dragon-boat", 2026, "2026-06-19"),
        ("lantern", 2026, "2026-03-03"), ("double-ninth", 2025, "2025-10-29"), ("double-ninth", 2026, "2026-10-18"),
    ])
    func festivals(id: String, year: Int, expected: String) throws {
        let g = try #require(GreetingDay.standard.first { $0.id == id })
        #expect(g.next(onOrAfter: CalendarDate(year: year, month: 1, day: 1)!) == d(expected))
    }

    @Test("leap months: 2025 has a leap sixth month, 2028 a leap fifth; a leap-month birthday is kept in the regular month")
    func leapMonths() {
        let leap = LunarCalendar.lunar(d("2025-07-25"))
        #expect(leap.month == 6 && leap.day == 1 && leap.isLeapMonth && leap.description == "闰6月1日")
        #expect(LunarCalendar.lunar(d("2028-06-23")).isLeapMonth)
        // Born on 闰六月初一 2025: the birthday is 六月初一 in other years (2026-07-14).
        let born = LunarCalendar.lunar(d("2025-07-25"))
        #expect(LunarCalendar.next(month: born.month, day: born.day, onOrAfter: d("2026-01-01")) == d("2026-07-14"))
        #expect(!LunarCalendar.lunar(d("2026-07-14")).isLeapMonth)
    }

    @Test("a lunar 30th in a month of 29 days is kept on its 29th")
    func lunarThirtieth() {
        // Find a month of 29 days: its 29th is followed by a first.
        var day = d("2026-01-01")
        while !(LunarCalendar.lunar(day).day == 29 && LunarCalendar.lunar(day.adding(days: 1)).day == 1) { day = day.adding(days: 1) }
        let month = LunarCalendar.lunar(day)
        #expect(LunarCalendar.next(month: month.month, day: 30, onOrAfter: day.adding(days: -28)) == day)
    }

    @Test("holidays and make-up workdays (调休) of the 2026 schedule")
    func workdays() {
        let c = WorkCalendar.china
        #expect(!c.isWorkday(d("2026-02-16")), "Spring Festival holiday")
        #expect(c.isWorkday(d("2026-02-14")), "a Saturday made a workday")
        #expect(!c.isWorkday(d("2026-11-21")), "an ordinary Saturday")
        #expect(c.isWorkday(d("2026-11-23")), "a Monday")
        #expect(!c.isWorkday(d("2026-10-01")) && !c.isWorkday(d("2026-10-07")))
        #expect(c.isWorkday(d("2026-10-10")), "make-up Saturday after National Day")
        #expect(c.workday(onOrAfter: d("2026-10-01")) == d("2026-10-08"))
        #expect(c.workday(before: d("2026-09-25")) == d("2026-09-24"))
        #expect(c.workday(before: d("2026-02-15")) == d("2026-02-14"))
    }

    @Test("tier hysteresis: up the month after crossing, down only after 3 months below (6 for private)")
    func hysteresis() {
        let h = TierHysteresis()
        func months(_ yuan: [Int64]) -> [(month: String, average: Money)] {
            yuan.enumerated().map { ("2026-\($0.offset + 1 < 10 ? "0" : "")\($0.offset + 1)", Money(yuan: $0.element)) }
        }
        #expect(h.evaluate(months([100_000, 250_000])).tier == .wealth)
        #expect(h.evaluate(months([250_000, 150_000, 150_000])).tier == .wealth, "two months below: kept")
        #expect(h.evaluate(months([250_000, 150_000, 150_000, 150_000])).tier == .mass, "three: down")
        #expect(h.evaluate(months([250_000, 150_000, 250_000, 150_000, 150_000])).tier == .wealth, "a month back resets the count")
        let priv = [7_000_000] + Array(repeating: Int64(2_000_000), count: 5)
        #expect(h.evaluate(months(priv)).tier == .privateBanking, "five months below private: kept")
        #expect(h.evaluate(months(priv + [2_000_000])).tier == .affluent, "six: down to what the AUM says")
        #expect(h.evaluate([]).tier == .mass)
    }

    @Test("hysteresis never drops a tier without the months below, and always follows AUM up", .timeLimit(.minutes(20)))
    func hysteresisProperties() async {
        let h = TierHysteresis()
        let levels: [Int64] = [50_000, 300_000, 2_000_000, 8_000_000]
        await propertyCheck(count: 300, input: Gen.int(in: 0...3).array(of: 1...24)) { picks in
            let ms = picks.enumerated().map { (i, p) in (month: "m\(i)", average: Money(yuan: levels[p])) }
            let outcome = h.evaluate(ms)
            let lastRaw = h.thresholds.tier(forAUM: ms.last!.average)
            // Never below what the latest month alone says.
            #expect(outcome.tier >= lastRaw)
            // Above it only while fewer than N of the latest months were below the tier held.
            if outcome.tier > lastRaw {
                let needed = h.monthsBelowToDrop[outcome.tier] ?? 3
                let trailingBelow = ms.reversed().prefix { h.thresholds.tier(forAUM: $0.average) < outcome.tier }.count
                #expect(trailingBelow < needed)
            }
            // The highest tier ever reached in a month is reached by the next evaluation.
            #expect(outcome.tier <= ms.map { h.thresholds.tier(forAUM: $0.average) }.max()!)
        }
    }
}
