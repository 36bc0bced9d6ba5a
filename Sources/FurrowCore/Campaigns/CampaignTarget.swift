import Foundation

/// Who a campaign is for: a saved filter over the store. Each set condition narrows the list;
/// an empty target is the whole scope. Written and read as text for the command line
/// (`tier=wealth,affluent aum>=200000 maturing<=30 not-holding=fund age=45-70`).
public struct CampaignTarget: Codable, Hashable, Sendable {
    public var tiers: [Tier] = []
    public var segments: [Segment] = []
    /// Value class from the nightly run.
    public var valueClasses: [ValueClass] = []
    public var kinds: [CustomerKind] = []
    public var villages: [String] = []
    /// Any of these tags.
    public var tags: [String] = []
    public var aumMin: Money?
    /// Below this (exclusive).
    public var aumMax: Money?
    /// Holds a time deposit maturing within this many days.
    public var maturingWithinDays: Int?
    /// Holds none of these product types.
    public var notHolding: [ProductType] = []
    /// The customer's risk rating (C1–C5).
    public var riskLevels: [RiskLevel] = []
    public var ageMin: Int?
    public var ageMax: Int?
    /// Paid through this payroll unit.
    public var payrollUnit: String?
    /// Not contacted for at least this many days (or never).
    public var noContactDays: Int?

    public init() {}

    /// How many conditions are set.
    public var conditionCount: Int {
        [!tiers.isEmpty, !segments.isEmpty, !valueClasses.isEmpty, !kinds.isEmpty, !villages.isEmpty, !tags.isEmpty,
         aumMin != nil || aumMax != nil, maturingWithinDays != nil, !notHolding.isEmpty, !riskLevels.isEmpty,
         ageMin != nil || ageMax != nil, payrollUnit != nil, noContactDays != nil].filter { $0 }.count
    }

    public struct ParseError: Error, Hashable, Sendable, CustomStringConvertible {
        /// The condition as written.
        public var condition: String
        public var reason: String
        public var description: String { "target: \"\(condition)\": \(reason)" }
    }

    /// Parses space-separated conditions: `key=a,b` (any of), `aum>=N`, `aum<N` (yuan, 万 allowed),
    /// `maturing<=DAYS`, `not-holding=TYPES`, `age=MIN-MAX`, `no-contact>=DAYS`.
    public static func parse(_ text: String) throws(ParseError) -> CampaignTarget {
        var t = CampaignTarget()
        for condition in text.split(whereSeparator: { $0 == " " || $0 == "\u{3000}" }).map(String.init) {
            func fail(_ reason: String) -> ParseError { ParseError(condition: condition, reason: reason) }
            func list<T>(_ raw: String, _ make: (String) -> T?, _ what: String) throws(ParseError) -> [T] {
                var out: [T] = []
                for item in raw.split(separator: ",").map(String.init) {
                    guard let v = make(item) else { throw fail("\(item) is not \(what)") }
                    out.append(v)
                }
                guard !out.isEmpty else { throw fail("give at least one \(what)") }
                return out
            }
            func days(_ raw: String) throws(ParseError) -> Int {
                guard let n = Int(raw), (1...3650).contains(n) else { throw fail("\(raw) is not a number of days (1 to 3650)") }
                return n
            }
            func money(_ raw: String) throws(ParseError) -> Money {
                do { return try Money.parse(humanInput: raw) } catch { throw fail("\(raw) is not an amount in yuan (e.g. 200000 or 20万)") }
            }
            if let v = condition.value(after: "aum>=") { t.aumMin = try money(v); continue }
            if let v = condition.value(after: "aum<") { t.aumMax = try money(v); continue }
            if let v = condition.value(after: "maturing<=") { t.maturingWithinDays = try days(v); continue }
            if let v = condition.value(after: "no-contact>=") { t.noContactDays = try days(v); continue }
            guard let eq = condition.firstIndex(of: "=") else {
                throw fail("a condition is key=value (tier, segment, value, kind, village, tag, risk, age, payroll, not-holding) or aum>=, aum<, maturing<=, no-contact>=")
            }
            let key = String(condition[..<eq]), raw = String(condition[condition.index(after: eq)...])
            guard !raw.isEmpty else { throw fail("no value after =") }
            switch key {
            case "tier": t.tiers = try list(raw, Tier.init(rawValue:), "a tier (mass, wealth, affluent, private)")
            case "segment": t.segments = try list(raw, { Segment(rawValue: $0.uppercased()) }, "a segment A–H")
            case "value": t.valueClasses = try list(raw, ValueClass.init(rawValue:), "a value class (core, stable, developing, potential)")
            case "kind": t.kinds = try list(raw, CustomerKind.init(rawValue:), "a customer kind (\(CustomerKind.allCases.map(\.rawValue).joined(separator: ", ")))")
            case "village": t.villages = try list(raw, { $0 }, "a village")
            case "tag": t.tags = try list(raw, { $0 }, "a tag")
            case "risk": t.riskLevels = try list(raw, { RiskLevel(rawValue: $0.uppercased()) }, "a risk rating C1–C5")
            case "not-holding":
                t.notHolding = try list(raw, ProductType.init(rawValue:), "a product type (\(ProductType.allCases.map(\.rawValue).joined(separator: ", ")))")
            case "payroll": t.payrollUnit = raw
            case "age":
                let parts = raw.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
                guard parts.count == 2, let lo = parts[0].isEmpty ? 0 : Int(parts[0]), let hi = parts[1].isEmpty ? 150 : Int(parts[1]),
                      (0...150).contains(lo), (lo...150).contains(hi) else {
                    throw fail("age is MIN-MAX in years, e.g. 45-70, 60- or -30")
                }
                (t.ageMin, t.ageMax) = (parts[0].isEmpty ? nil : lo, parts[1].isEmpty ? nil : hi)
            default:
                throw fail("unknown condition \(key); known: tier, segment, value, kind, village, tag, risk, age, payroll, not-holding, aum>=, aum<, maturing<=, no-contact>=")
            }
        }
        if let lo = t.aumMin, let hi = t.aumMax, hi <= lo {
            throw ParseError(condition: "aum<\(hi.formatted())", reason: "the upper bound must be above aum>=\(lo.formatted())")
        }
        return t
    }

    /// The conditions as text `parse` reads back.
    public var text: String {
        var parts: [String] = []
        if !tiers.isEmpty { parts.append("tier=" + tiers.map(\.rawValue).joined(separator: ",")) }
        if !segments.isEmpty { parts.append("segment=" + segments.map(\.rawValue).joined(separator: ",")) }
        if !valueClasses.isEmpty { parts.append("value=" + valueClasses.map(\.rawValue).joined(separator: ",")) }
        if !kinds.isEmpty { parts.append("kind=" + kinds.map(\.rawValue).joined(separator: ",")) }
        if !villages.isEmpty { parts.append("village=" + villages.joined(separator: ",")) }
        if !tags.isEmpty { parts.append("tag=" + tags.joined(separator: ",")) }
        if let m = aumMin { parts.append("aum>=\(m.fen / 100)") }
        if let m = aumMax { parts.append("aum<\(m.fen / 100)") }
        if let d = maturingWithinDays { parts.append("maturing<=\(d)") }
        if !notHolding.isEmpty { parts.append("not-holding=" + notHolding.map(\.rawValue).joined(separator: ",")) }
        if !riskLevels.isEmpty { parts.append("risk=" + riskLevels.map(\.rawValue).joined(separator: ",")) }
        if ageMin != nil || ageMax != nil { parts.append("age=\(ageMin.map(String.init) ?? "")-\(ageMax.map(String.init) ?? "")") }
        if let p = payrollUnit { parts.append("payroll=\(p)") }
        if let d = noContactDays { parts.append("no-contact>=\(d)") }
        return parts.joined(separator: " ")
    }
}

private extension String {
    func value(after prefix: String) -> String? { hasPrefix(prefix) ? String(dropFirst(prefix.count)) : nil }
}
