import FurrowCore
import TOMLKit
import TOMLSupport

/// Walks the TOML tables of a rules file into a `RulesConfig`, collecting every problem.
struct RulesReader {
    let file: String
    let lines: KeyLines
    var problems: [RulesFileError] = []

    init(file: String, lines: KeyLines) {
        self.file = file
        self.lines = lines
    }

    mutating func problem(_ path: [String], _ reason: String) {
        problems.append(RulesFileError(file: file, line: lines.line(of: path), key: path.joined(separator: "."), reason: reason))
    }

    /// The sections and the keys each may hold.
    static let known: [String: Set<String>] = [
        "tiers": ["wealth", "affluent", "private", "months_below_to_drop"],
        "greetings": ["minimum_tier", "lead_days", "birthday_lead_days", "grace_days"],
        "maturity": ["lead_days", "instalment_lead_days", "loan_lead_days"],
        "risk": ["validity_days", "lead_days"],
        "cadence": ["wealth", "affluent", "private"],
        "money": ["large_inflow", "large_outflow", "lookback_days", "tide_days", "tide_share_percent"],
        "complaints": ["warning_days", "lookback_days", "sla_days"],
        "life_events": ["lookback_days"],
        "calendar": ["holidays", "make_up_workdays", "replace"],
        "classification": ["acceptance_product_types", "acceptance_invested_percent", "older_age", "dormant_days",
                           "fall_percent", "fall_months", "fall_minimum", "acquisition_months", "developing_from"],
        "service": ["matrix", "mass_items", "segment_cadence_percent"],
        "campaigns": ["attribution_days"],
    ]

    mutating func read(_ root: TOMLTable) -> RulesConfig {
        var c = RulesConfig()
        for key in root.keys {
            guard let keys = Self.known[key] else {
                problem([key], "unknown section; known: " + Self.known.keys.sorted().joined(separator: ", "))
                continue
            }
            guard let table = root[key]?.table else { problem([key], "expected a [\(key)] table"); continue }
            for k in table.keys where !keys.contains(k) {
                problem([key, k], "unknown setting; known in [\(key)]: " + keys.sorted().joined(separator: ", "))
            }
        }
        if let t = root["tiers"]?.table { readTiers(t, into: &c) }
        if let t = root["greetings"]?.table {
            if let v = t["minimum_tier"] {
                if let s = v.string, let tier = Tier(rawValue: s) { c.greetingMinimumTier = tier } else {
                    problem(["greetings", "minimum_tier"], "expected one of mass, wealth, affluent, private")
                }
            }
            days(t, ["greetings", "lead_days"]) { c.greetingLeadDays = $0 }
            days(t, ["greetings", "birthday_lead_days"]) { c.birthdayLeadDays = $0 }
            int(t, ["greetings", "grace_days"], 0...60, "whole days, 0 to 60") { c.greetingGraceDays = $0 }
        }
        if let t = root["maturity"]?.table {
            days(t, ["maturity", "lead_days"]) { c.maturityLeadDays = $0 }
            days(t, ["maturity", "instalment_lead_days"]) { c.instalmentLeadDays = $0 }
            days(t, ["maturity", "loan_lead_days"]) { c.loanMaturityLeadDays = $0 }
        }
        if let t = root["risk"]?.table {
            days(t, ["risk", "validity_days"], min: 1) { c.riskValidityDays = $0 }
            days(t, ["risk", "lead_days"]) { c.riskLeadDays = $0 }
        }
        if let t = root["cadence"]?.table {
            for (key, tier) in [("wealth", Tier.wealth), ("affluent", .affluent), ("private", .privateBanking)] {
                days(t, ["cadence", key], min: 1) { c.cadenceDays[tier] = $0 }
            }
        }
        if let t = root["money"]?.table {
            yuan(t, ["money", "large_inflow"]) { c.largeInflow = $0 }
            yuan(t, ["money", "large_outflow"]) { c.largeOutflow = $0 }
            days(t, ["money", "lookback_days"]) { c.transactionLookbackDays = $0 }
            days(t, ["money", "tide_days"], min: 1) { c.tideDays = $0 }
            int(t, ["money", "tide_share_percent"], 1...100, "a percentage, 1 to 100") { c.tideSharePercent = $0 }
        }
        if let t = root["campaigns"]?.table {
            days(t, ["campaigns", "attribution_days"], min: 1) { c.campaignAttributionDays = $0 }
        }
        if let t = root["complaints"]?.table {
            days(t, ["complaints", "warning_days"]) { c.complaintWarningDays = $0 }
            days(t, ["complaints", "lookback_days"], min: 1) { c.complaintLookbackDays = $0 }
            if let v = t["sla_days"] {
                if let sla = v.table {
                    for k in sla.keys where Severity(rawValue: k) == nil {
                        problem(["complaints", "sla_days", k], "severities are low, medium, high")
                    }
                    // The regulator's outer limit bounds every severity's days.
                    for s in Severity.allCases {
                        int(sla, ["complaints", "sla_days", s.rawValue], 1...ComplaintSLA.outerLimitDays,
                            "whole days, 1 to \(ComplaintSLA.outerLimitDays) (the regulator's limit)") { c.complaintSLA.days[s] = $0 }
                    }
                } else {
                    problem(["complaints", "sla_days"], "expected a table such as { high = 2, medium = 5, low = 15 }")
                }
            }
        }
        if let t = root["life_events"]?.table { days(t, ["life_events", "lookback_days"], min: 1) { c.lifeEventLookbackDays = $0 } }
        if let t = root["calendar"]?.table { readCalendar(t, into: &c) }
        if let t = root["classification"]?.table {
            let k = ["classification"]
            int(t, k + ["acceptance_product_types"], 1...9, "product types, 1 to 9") { c.classification.acceptanceProductTypes = $0 }
            int(t, k + ["acceptance_invested_percent"], 1...100, "a percentage, 1 to 100") { c.classification.acceptanceInvestedPercent = $0 }
            int(t, k + ["older_age"], 18...100, "an age, 18 to 100") { c.classification.olderAge = $0 }
            days(t, k + ["dormant_days"], min: 1) { c.classification.dormantDays = $0 }
            int(t, k + ["fall_percent"], 1...100, "a percentage, 1 to 100") { c.classification.fallPercent = $0 }
            int(t, k + ["fall_months"], 1...11, "months, 1 to 11") { c.classification.fallMonths = $0 }
            yuan(t, k + ["fall_minimum"]) { c.classification.fallMinimum = $0 }
            int(t, k + ["acquisition_months"], 1...120, "months, 1 to 120") { c.classification.acquisitionMonths = $0 }
            yuan(t, k + ["developing_from"]) { c.classification.developingFrom = $0 }
        }
        if let t = root["service"]?.table { readService(t, into: &c) }
        return c
    }

    private mutating func readTiers(_ t: TOMLTable, into c: inout RulesConfig) {
        var wealth = c.tiers.wealth, affluent = c.tiers.affluent, priv = c.tiers.privateBanking
        yuan(t, ["tiers", "wealth"]) { wealth = $0 }
        yuan(t, ["tiers", "affluent"]) { affluent = $0 }
        yuan(t, ["tiers", "private"]) { priv = $0 }
        do { c.tiers = try TierThresholds(wealth: wealth, affluent: affluent, privateBanking: priv) } catch {
            problem(["tiers"], "\(error)")
        }
        if let v = t["months_below_to_drop"] {
            guard let m = v.table else { problem(["tiers", "months_below_to_drop"], "expected { wealth = 3, affluent = 3, private = 6 }"); return }
            var drop = c.hysteresis.monthsBelowToDrop
            for k in m.keys where !["wealth", "affluent", "private"].contains(k) {
                problem(["tiers", "months_below_to_drop", k], "tiers that can drop are wealth, affluent, private")
            }
            for (key, tier) in [("wealth", Tier.wealth), ("affluent", .affluent), ("private", .privateBanking)] {
                // The nightly run reads 13 months of history: more could never be seen.
                int(m, ["tiers", "months_below_to_drop", key], 1...12, "months, 1 to 12") { drop[tier] = $0 }
            }
            c.hysteresis.monthsBelowToDrop = drop
        }
        c.hysteresis.thresholds = c.tiers
    }

    private mutating func readCalendar(_ t: TOMLTable, into c: inout RulesConfig) {
        var cal = t["replace"]?.bool == true ? WorkCalendar() : c.workCalendar
        if let v = t["replace"], v.bool == nil { problem(["calendar", "replace"], "expected true or false") }
        if let v = t["holidays"] {
            guard let list = v.array else { problem(["calendar", "holidays"], "expected a list of { from, to, name }"); return }
            for (i, item) in list.enumerated() {
                guard let h = item.table, let from = h["from"]?.string.flatMap({ CalendarDate(iso: $0) }),
                      let to = h["to"]?.string.flatMap({ CalendarDate(iso: $0) }) ?? h["from"]?.string.flatMap({ CalendarDate(iso: $0) }),
                      let name = h["name"]?.string, !name.isEmpty else {
                    problem(["calendar", "holidays"], "entry \(i + 1): expected { from = \"YYYY-MM-DD\", to = \"YYYY-MM-DD\", name = \"…\" } with real dates")
                    continue
                }
                guard from <= to, from.days(until: to) < 31 else {
                    problem(["calendar", "holidays"], "entry \(i + 1): \(from.iso) to \(to.iso) must run forwards, at most 31 days")
                    continue
                }
                for n in 0...from.days(until: to) { cal.holidays[from.adding(days: n)] = name }
            }
        }
        if let v = t["make_up_workdays"] {
            guard let list = v.array else { problem(["calendar", "make_up_workdays"], "expected a list of dates"); return }
            for (i, item) in list.enumerated() {
                guard let day = item.string.flatMap({ CalendarDate(iso: $0) }) else {
                    problem(["calendar", "make_up_workdays"], "entry \(i + 1): expected a date \"YYYY-MM-DD\"")
                    continue
                }
                if cal.holidays[day] != nil { problem(["calendar", "make_up_workdays"], "\(day.iso) is also a holiday") }
                cal.makeUpWorkdays.insert(day)
            }
        }
        c.workCalendar = cal
    }

    private mutating func items(_ v: any TOMLValueConvertible, _ path: [String]) -> [ServiceItem]? {
        guard let list = v.array else { problem(path, "expected a list of service items 1 to 9, e.g. [1, 2, 4]"); return nil }
        var out: [ServiceItem] = []
        for x in list {
            guard let n = x.int, let item = ServiceItem(rawValue: n) else { problem(path, "service items are 1 to 9, got \(Self.show(x))"); return nil }
            guard !out.contains(item) else { problem(path, "item \(n) is listed twice"); return nil }
            out.append(item)
        }
        guard out.count <= ServicePlans.maxItems else {
            problem(path, "at most \(ServicePlans.maxItems) items, so customers are not pestered (got \(out.count))")
            return nil
        }
        return out
    }

    private mutating func readService(_ t: TOMLTable, into c: inout RulesConfig) {
        if let v = t["matrix"] {
            guard let m = v.table else { problem(["service", "matrix"], "expected { A = [1, 2, 4, 5, 8, 9], … }"); return }
            for key in m.keys {
                guard let seg = Segment(rawValue: key) else { problem(["service", "matrix", key], "segments are A to H"); continue }
                if let list = items(m[key]!, ["service", "matrix", key]) { c.servicePlans.matrix[seg] = list }
            }
        }
        if let v = t["mass_items"], let list = items(v, ["service", "mass_items"]) { c.servicePlans.massItems = list }
        if let v = t["segment_cadence_percent"] {
            guard let m = v.table else { problem(["service", "segment_cadence_percent"], "expected { A = 75, … }"); return }
            for key in m.keys {
                guard let seg = Segment(rawValue: key) else { problem(["service", "segment_cadence_percent", key], "segments are A to H"); continue }
                int(m, ["service", "segment_cadence_percent", key], 10...400, "a percentage, 10 to 400") { c.servicePlans.segmentCadencePercent[seg] = $0 }
            }
        }
    }

    private mutating func int(_ t: TOMLTable, _ path: [String], _ range: ClosedRange<Int>, _ expected: String, set: (Int) -> Void) {
        guard let v = t[path.last!] else { return }
        guard let n = v.int, range.contains(n) else { problem(path, "expected \(expected), got \(Self.show(v))"); return }
        set(n)
    }

    private mutating func days(_ t: TOMLTable, _ path: [String], min: Int = 0, set: (Int) -> Void) {
        int(t, path, min...3650, "whole days, \(min) to 3650", set: set)
    }

    private mutating func yuan(_ t: TOMLTable, _ path: [String], set: (Money) -> Void) {
        guard let v = t[path.last!] else { return }
        if let n = v.int, n >= 1, n <= 1_000_000_000_000 { set(Money(yuan: Int64(n))); return }
        if let d = v.double, d >= 1, d <= 1e12 { set(Money(fen: Int64((d * 100).rounded()))); return }
        problem(path, "expected an amount in yuan, at least 1, got \(Self.show(v))")
    }

    static func show(_ v: any TOMLValueConvertible) -> String {
        if let s = v.string { return "\"\(s)\"" }
        if let n = v.int { return String(n) }
        if let d = v.double { return String(d) }
        if let b = v.bool { return String(b) }
        return "a \(v.type)"
    }
}
