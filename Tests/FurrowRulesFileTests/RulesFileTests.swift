import FurrowCore
import FurrowRulesFile
import Testing

@Suite("The rules file")
struct RulesFileTests {
    @Test("the printed defaults read back as the defaults")
    func roundTrip() throws {
        let text = RulesFile.text(of: .standard)
        #expect(try RulesFile.parse(text, file: "default.toml") == RulesConfig.standard)
        var changed = RulesConfig.standard
        changed.servicePlans.matrix[.h] = [.smsCare, .gifts]
        changed.classification.olderAge = 50
        changed.servicePlans.segmentCadencePercent[.c] = 90
        #expect(try RulesFile.parse(RulesFile.text(of: changed), file: "changed.toml") == changed)
    }

    @Test("a table name or a list toml++ would abort on (found by fuzzing) is a syntax error with its line, not a crash", arguments: [
        ("[%", 1), ("[tiers]\nwealth = 200000\n[ %]\n", 3), ("[[%]]", 1), ("# 服务\n\n[服务]\n", 3),
        ("\u{FEFF}[:", 1), ("f = [}", 1), ("[tiers]\nf = [1,\n  # a comment\n  }", 4), ("f = [[}]", 1),
    ])
    func headerTomlPlusPlusWouldAbortOn(_ text: String, line: Int) throws {
        do {
            _ = try RulesFile.parse(text, file: "bad.toml")
            Issue.record("\(text) was accepted")
        } catch {
            #expect(error.problems.first?.line == line, "\(error)")
            #expect(error.description.contains("table name") || error.description.contains("a list holds values"), "\(error)")
        }
    }

    @Test("a [ that is not a table header is left to the parser: in a comment, in a string, in a list of values")
    func bracketsThatAreNotHeaders() throws {
        var changed = RulesConfig.standard
        let day = try #require(changed.workCalendar.holidays.keys.sorted().first)
        changed.workCalendar.holidays[day] = "节日 [% ["
        let text = "# [% not a header\n" + RulesFile.text(of: changed)
        #expect(text.contains("holidays = ["), "the holidays are a list spread over lines")
        #expect(try RulesFile.parse(text, file: "ok.toml") == changed)
    }

    @Test("settings override the defaults; the rest keep theirs")
    func overrides() throws {
        let c = try RulesFile.parse("""
            [tiers]
            wealth = 300000
            months_below_to_drop = { private = 4 }
            [cadence]
            private = 7
            [money]
            large_inflow = 150000.5
            [complaints]
            sla_days = { high = 1 }
            [calendar]
            holidays = [{ from = "2027-02-05", to = "2027-02-13", name = "春节" }]
            make_up_workdays = ["2027-02-14"]
            """, file: "bank.toml")
        #expect(c.tiers.wealth == Money(yuan: 300_000) && c.tiers.affluent == RulesConfig.standard.tiers.affluent)
        #expect(c.hysteresis.thresholds == c.tiers)
        #expect(c.hysteresis.monthsBelowToDrop[.privateBanking] == 4 && c.hysteresis.monthsBelowToDrop[.wealth] == 3)
        #expect(c.cadenceDays[.privateBanking] == 7 && c.cadenceDays[.affluent] == 30)
        #expect(c.largeInflow == Money(fen: 15_000_050))
        #expect(c.complaintSLA.days[.high] == 1 && c.complaintSLA.days[.low] == 15)
        #expect(!c.workCalendar.isWorkday(CalendarDate(iso: "2027-02-08")!))
        #expect(c.workCalendar.isWorkday(CalendarDate(iso: "2027-02-14")!), "a Sunday made a workday")
        #expect(!c.workCalendar.isWorkday(CalendarDate(iso: "2026-10-01")!), "the built-in table is kept unless replaced")
        let replaced = try RulesFile.parse("[calendar]\nreplace = true\n", file: "r.toml")
        #expect(replaced.workCalendar.isWorkday(CalendarDate(iso: "2026-10-01")!))
    }

    @Test("every problem is reported, each with its line", arguments: [
        ("[tiers]\nwealth = -5\n", "f.toml:2: tiers.wealth: expected an amount in yuan, at least 1"),
        ("[money]\nlarge_inflow = 0.004\n", "f.toml:2: money.large_inflow: expected an amount in yuan, at least 1"),
        ("[greetings]\ngrace_days = 400\n", "f.toml:2: greetings.grace_days: expected whole days, 0 to 60"),
        ("[tiers]\nmonths_below_to_drop = { private = 24 }\n", "months, 1 to 12"),
        ("[tiers]\nwealth = 2000000\n", "f.toml:1: tiers: tier thresholds must be above zero and rise"),
        ("\n[cadence]\nweath = 3\n", "f.toml:3: cadence.weath: unknown setting"),
        ("[money]\ntide_share_percent = 150\n", "f.toml:2: money.tide_share_percent: expected a percentage, 1 to 100, got 150"),
        ("[greetings]\nminimum_tier = \"gold\"\n", "f.toml:2: greetings.minimum_tier: expected one of mass, wealth, affluent, private"),
        ("[risk]\nvalidity_days = \"a year\"\n", "f.toml:2: risk.validity_days: expected whole days, 1 to 3650, got \"a year\""),
        ("[calendar]\nmake_up_workdays = [\"2026-02-30\"]\n", "f.toml:2: calendar.make_up_workdays: entry 1: expected a date"),
        ("[calendar]\nholidays = [{ from = \"2027-01-03\", to = \"2027-01-01\", name = \"x\" }]\n", "must run forwards"),
        ("[complaints]\nsla_days = { urgent = 1 }\n", "f.toml:2: complaints.sla_days.urgent: severities are low, medium, high"),
        ("[complaints]\nsla_days = { low = 20 }\n", "f.toml:2: complaints.sla_days.low: expected whole days, 1 to 15 (the regulator's limit), got 20"),
        ("[colours]\nx = 1\n", "f.toml:1: colours: unknown section"),
        ("[service]\nmatrix = { A = [1, 2, 3, 4, 5, 6, 7] }\n", "f.toml:2: service.matrix.A: at most 6 items"),
        ("[service]\nmatrix = { Z = [1] }\n", "service.matrix.Z: segments are A to H"),
        ("[service]\nmass_items = [2, 10]\n", "service.mass_items: service items are 1 to 9, got 10"),
        ("[classification]\nolder_age = 7\n", "f.toml:2: classification.older_age: expected an age, 18 to 100"),
        ("[tiers\nwealth = 1\n", "f.toml:1:"),
    ])
    func problems(text: String, expected: String) {
        #expect {
            try RulesFile.parse(text, file: "f.toml")
        } throws: { "\($0)".contains(expected) }
    }

    @Test("several problems come together, in line order")
    func several() {
        do {
            _ = try RulesFile.parse("[money]\nlookback_days = -1\n[cadence]\nwealth = 0\n", file: "f.toml")
            Issue.record("accepted")
        } catch {
            #expect(error.problems.map(\.line) == [2, 4])
        }
    }
}
