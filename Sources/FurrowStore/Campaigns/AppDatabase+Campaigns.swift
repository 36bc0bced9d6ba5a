import Foundation
import FurrowCore
import GRDB

/// Campaigns: create one with its target, build its list (who the target matches, who the rules
/// leave off and why). Launching, responses and attribution build on the list.
extension AppDatabase {
    /// Campaigns are run by a team lead, the president or an administrator (staff of the
    /// branch's extract); an RM answers them.
    static func requireCampaignRunner(_ db: Database, _ actor: String) throws {
        let role = try String.fetchOne(db.cachedStatement(sql: "SELECT role FROM staff WHERE staff_id = ?"), arguments: [actor])
        guard mayDecide(role) else {
            throw StoreError.invalid(field: "user", reason: "\(actor) is not a team lead, the president or an administrator here: they run campaigns")
        }
    }

    public func createCampaign(name: String, kind: Campaign.Kind, startsOn: CalendarDate, endsOn: CalendarDate, products: [String] = [],
                               target: CampaignTarget, serviceItem: ServiceItem? = nil, venue: String? = nil, eventAt: String? = nil,
                               capacity: Int? = nil, by actor: String) throws(StoreError) -> Campaign {
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty, trimmed.count <= 100 else { throw StoreError.invalid(field: "name", reason: "1 to 100 characters") }
        guard startsOn <= endsOn else { throw StoreError.invalid(field: "ends", reason: "\(endsOn.iso) is before the start \(startsOn.iso)") }
        if kind == .productPush, products.isEmpty {
            throw StoreError.invalid(field: "products", reason: "a product push names the products it offers")
        }
        if kind != .event, venue != nil || eventAt != nil || capacity != nil {
            throw StoreError.invalid(field: "kind", reason: "a venue, a time and seats are for an event")
        }
        if let capacity, !(1...100_000).contains(capacity) { throw StoreError.invalid(field: "capacity", reason: "1 to 100,000 seats") }
        var when: String?
        if let eventAt {
            guard let n = ContactLog.normalised(eventAt), let day = CalendarDate(iso: n.prefix(10)), day >= startsOn, day <= endsOn else {
                throw StoreError.invalid(field: "at", reason: "the event's time, YYYY-MM-DD HH:MM, within the campaign's period")
            }
            when = String(n.prefix(16))
        }
        let now = clock()
        return try write { db in
            try Self.requireCampaignRunner(db, actor)
            for code in products where try Bool.fetchOne(db, sql: "SELECT 1 FROM products WHERE product_code = ?", arguments: [code]) != true {
                throw StoreError.invalid(field: "products", reason: "no product \(code) in the extracts")
            }
            let c = Campaign(campaignID: "CP-" + UUID().uuidString.lowercased().prefix(8), name: trimmed, kind: kind, startsOn: startsOn,
                             endsOn: endsOn, ownerID: actor, products: products, target: target, serviceItem: serviceItem,
                             venue: venue?.trimmingCharacters(in: .whitespaces), eventAt: when, capacity: capacity)
            try db.execute(sql: """
                INSERT INTO campaigns (campaign_id, name, kind, starts_on, ends_on, owner_id, products, target, service_item, created_at, created_by,
                                       venue, event_at, capacity)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [c.campaignID, c.name, kind.rawValue, startsOn.iso, endsOn.iso, actor, products.joined(separator: ","),
                                 target.text, serviceItem?.rawValue, Timestamp.utcNow(now), actor, c.venue, c.eventAt, c.capacity])
            try Audit.record(db, at: clock(), actor: actor, action: "campaign.create", customerID: nil, detail: "\(c.campaignID) \(c.name)")
            return c
        }
    }

    /// Villages by how many customers live there, most first (a campaign's target picks from them).
    public func villages(limit: Int = 1000) throws(StoreError) -> [(village: String, customers: Int)] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT village, count(*) FROM customers WHERE village IS NOT NULL GROUP BY village ORDER BY 2 DESC, 1 LIMIT ?
                """, arguments: [limit]).map { ($0[0], $0[1]) }
        }
    }

    /// The products of a type, by code (a push picks from them).
    public func productCodes(ofType type: ProductType) throws(StoreError) -> [String] {
        try read { db in try String.fetchAll(db, sql: "SELECT product_code FROM products WHERE type = ? ORDER BY product_code", arguments: [type.rawValue]) }
    }

    public func campaign(_ id: String) throws(StoreError) -> Campaign? {
        try read { db in try Row.fetchOne(db, sql: "SELECT * FROM campaigns WHERE campaign_id = ?", arguments: [id]).map(Self.campaign) }
    }

    public func campaigns() throws(StoreError) -> [Campaign] {
        try read { db in try Row.fetchAll(db, sql: "SELECT * FROM campaigns ORDER BY starts_on DESC, campaign_id").map(Self.campaign) }
    }

    static func campaign(_ r: Row) -> Campaign {
        // Days are checked when a campaign is written; one unreadable is shown as the epoch, not today.
        let unreadable = CalendarDate(dayNumber: 0)   // 1970-01-01
        let products: String = r["products"]
        return Campaign(campaignID: r["campaign_id"], name: r["name"], kind: Campaign.Kind(rawValue: r["kind"]) ?? .care,
                        startsOn: CalendarDate(iso: r["starts_on"] as String) ?? unreadable, endsOn: CalendarDate(iso: r["ends_on"] as String) ?? unreadable,
                        ownerID: r["owner_id"], products: products.split(separator: ",").map(String.init),
                        target: (try? CampaignTarget.parse(r["target"])) ?? CampaignTarget(),
                        serviceItem: (r["service_item"] as Int?).flatMap(ServiceItem.init(rawValue:)),
                        status: Campaign.Status(rawValue: r["status"]) ?? .draft, venue: r["venue"], eventAt: r["event_at"], capacity: r["capacity"])
    }

    /// A campaign's list: the customers its target matched, kept or left off with the reason.
    public struct CampaignList: Sendable {
        public var targeted: [CampaignCandidate]
        public var excluded: [(candidate: CampaignCandidate, reason: CampaignExclusion)]
        public var byRM: [String: Int] {
            targeted.reduce(into: [:]) { $0[$1.rmID ?? "—", default: 0] += 1 }
        }
        public var exclusionCounts: [CampaignExclusion: Int] {
            excluded.reduce(into: [:]) { $0[$1.reason, default: 0] += 1 }
        }
    }

    /// Builds (or rebuilds, while the campaign is a draft) its list and keeps it.
    @discardableResult
    public func buildCampaignList(_ campaignID: String, rules: RulesConfig = .standard, asOf asOfGiven: CalendarDate? = nil,
                                  by actor: String) throws(StoreError) -> CampaignList {
        let asOf = asOfGiven ?? CalendarDate.today(now: clock())
        return try write { db in
            try Self.requireCampaignRunner(db, actor)
            guard let c = try Row.fetchOne(db, sql: "SELECT * FROM campaigns WHERE campaign_id = ?", arguments: [campaignID]).map(Self.campaign) else {
                throw StoreError.notFound(what: "campaign \(campaignID)")
            }
            guard c.status == .draft else {
                throw StoreError.invalid(field: "campaign", reason: "\(campaignID) is \(c.status.rawValue); its list is fixed")
            }
            let list = try Self.matchCampaign(db, c, rules: rules, asOf: asOf)
            try db.execute(sql: "DELETE FROM campaign_members WHERE campaign_id = ?", arguments: [campaignID])
            let insert = try db.makeStatement(sql: "INSERT INTO campaign_members (campaign_id, customer_id, rm_id, excluded) VALUES (?, ?, ?, ?)")
            for m in list.targeted { try insert.execute(arguments: [campaignID, m.customerID, m.rmID, nil]) }
            for (m, why) in list.excluded { try insert.execute(arguments: [campaignID, m.customerID, m.rmID, why.rawValue]) }
            try Audit.record(db, at: clock(), actor: actor, action: "campaign.list", customerID: nil,
                             detail: "\(campaignID): \(list.targeted.count) targeted, \(list.excluded.count) excluded")
            return list
        }
    }

    /// The list without keeping it (what the benchmark times, and a preview).
    public func matchCampaign(_ campaign: Campaign, rules: RulesConfig = .standard, asOf asOfGiven: CalendarDate? = nil) throws(StoreError) -> CampaignList {
        let asOf = asOfGiven ?? CalendarDate.today(now: clock())
        return try read { db in try Self.matchCampaign(db, campaign, rules: rules, asOf: asOf) }
    }

    /// The candidate query with its values written in, for the sqlite3 shell (the benchmark's
    /// raw baseline). Values are Furrow's own (dates, amounts, codes from a parsed target), quoted.
    public static func campaignSQLText(_ c: Campaign, asOf: CalendarDate) -> String {
        var (sql, args) = candidateSQL(c, asOf: asOf)
        for a in args {
            guard let r = sql.range(of: "?") else { break }
            let literal: String = switch a.databaseValue.storage {
            case .int64(let i): String(i)
            case .string(let t): "'" + t.replacingOccurrences(of: "'", with: "''") + "'"
            default: "NULL"
            }
            sql.replaceSubrange(r, with: literal)
        }
        return sql
    }

    static func candidateSQL(_ c: Campaign, asOf: CalendarDate) -> (String, [DatabaseValueConvertible]) {
        let (conditions, args) = CampaignTargetSQL.conditions(c.target, asOf: asOf)
        return ("""
            SELECT c.customer_id, c.rm_id, ifnull(cr.tier, c.tier), cr.segment, c.risk_level, c.risk_assessed_on,
                   p.monthly_cap, p.no_home_visits,
                   CASE WHEN p.monthly_cap IS NOT NULL THEN
                     (SELECT count(*) FROM interactions i WHERE i.customer_id = c.customer_id AND i.at >= ?) END,
                   (SELECT served_as FROM service_upgrades u WHERE u.customer_id = c.customer_id AND u.status = 'approved')
            FROM customers c LEFT JOIN customer_rules cr ON cr.customer_id = c.customer_id
            LEFT JOIN customer_preferences p ON p.customer_id = c.customer_id
            WHERE \(conditions.isEmpty ? "1" : conditions.joined(separator: " AND "))
            ORDER BY c.customer_id
            """, [asOf.adding(days: -30).iso] + args)
    }

    static func matchCampaign(_ db: Database, _ c: Campaign, rules: RulesConfig, asOf: CalendarDate) throws -> CampaignList {
        let productRisks: [ProductRiskLevel] = try c.products.isEmpty ? [] : Row.fetchAll(db, sql: """
            SELECT type, risk_level FROM products WHERE product_code IN (SELECT value FROM json_each(?))
            """, arguments: [String(decoding: try JSONEncoder().encode(c.products), as: UTF8.self)]).compactMap { r in
            // Deposits need no risk rating; wealth products, funds, bonds and insurance do.
            let type = ProductType(rawValue: r["type"] ?? "")
            guard let type, ![.demand, .timeDeposit, .loan, .creditCard].contains(type) else { return nil }
            return (r["risk_level"] as String?).flatMap(ProductRiskLevel.init(rawValue:)) ?? .r5
        }
        let (sql, args) = candidateSQL(c, asOf: asOf)
        let cursor = try Row.fetchCursor(db, sql: sql, arguments: StatementArguments(args))
        let eligibility = CampaignEligibility(plans: rules.servicePlans, cadence: rules.cadenceDays)
        var list = CampaignList(targeted: [], excluded: [])
        while let r = try cursor.next() {
            let candidate = CampaignCandidate(
                customerID: r[0], rmID: r[1], tier: Tier(rawValue: r[2] ?? "") ?? .mass, segment: (r[3] as String?).flatMap(Segment.init(rawValue:)),
                upgradedTo: (r[9] as String?).flatMap(Tier.init(rawValue:)), riskLevel: (r[4] as String?).flatMap(RiskLevel.init(rawValue:)),
                riskAssessedOn: (r[5] as String?).flatMap { CalendarDate(iso: $0) }, monthlyCap: r[6], recentContacts: r[8] ?? 0,
                noHomeVisits: (r[7] as Int?) == 1)
            if let why = eligibility.exclusion(candidate, campaign: c, productRisks: productRisks, asOf: asOf) {
                list.excluded.append((candidate, why))
            } else {
                list.targeted.append(candidate)
            }
        }
        return list
    }

    /// A kept list: targeted and excluded members with their RM and reason.
    public func campaignMembers(_ campaignID: String) throws(StoreError) -> [(customerID: String, rmID: String?, excluded: CampaignExclusion?)] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT customer_id, rm_id, excluded FROM campaign_members WHERE campaign_id = ? ORDER BY customer_id",
                             arguments: [campaignID]).map { ($0[0], $0[1], ($0[2] as String?).flatMap(CampaignExclusion.init(rawValue:))) }
        }
    }
}

/// A target's conditions as SQL over `customers c` (with `customer_rules cr` joined).
enum CampaignTargetSQL {
    static func conditions(_ t: CampaignTarget, asOf: CalendarDate) -> ([String], [DatabaseValueConvertible]) {
        var sql: [String] = []
        var args: [DatabaseValueConvertible] = []
        func anyOf(_ column: String, _ values: [String]) {
            guard !values.isEmpty else { return }
            sql.append("\(column) IN (\(values.map { _ in "?" }.joined(separator: ",")))")
            args += values
        }
        // Plain columns first: SQLite tests the terms in order, the subqueries last.
        if let m = t.aumMin { sql.append("c.aum_fen >= ?"); args.append(m.fen) }
        if let m = t.aumMax { sql.append("c.aum_fen < ?"); args.append(m.fen) }
        anyOf("ifnull(cr.tier, c.tier)", t.tiers.map(\.rawValue))
        anyOf("c.kind", t.kinds.map(\.rawValue))
        anyOf("c.village", t.villages)
        anyOf("c.risk_level", t.riskLevels.map(\.rawValue))
        anyOf("cr.segment", t.segments.map(\.rawValue))
        anyOf("cr.value_class", t.valueClasses.map(\.rawValue))
        if let lo = t.ageMin { sql.append("c.birth_date <= ?"); args.append(yearsBefore(asOf, lo).iso) }
        if let hi = t.ageMax { sql.append("c.birth_date > ?"); args.append(yearsBefore(asOf, hi + 1).iso) }
        if let d = t.noContactDays { sql.append("ifnull(c.last_contact_at, '') < ?"); args.append(asOf.adding(days: -d).iso) }
        if !t.tags.isEmpty {
            sql.append("EXISTS (SELECT 1 FROM customer_tags g WHERE g.customer_id = c.customer_id AND g.tag IN (\(t.tags.map { _ in "?" }.joined(separator: ","))))")
            args += t.tags
        }
        if let d = t.maturingWithinDays {
            sql.append("""
                EXISTS (SELECT 1 FROM accounts a JOIN products pr ON pr.product_code = a.product_code WHERE a.customer_id = c.customer_id
                        AND pr.type = 'time_deposit' AND a.status = 'active' AND a.maturity_date >= ? AND a.maturity_date <= ?)
                """)
            args += [asOf.iso, asOf.adding(days: d).iso]
        }
        if !t.notHolding.isEmpty {
            sql.append("""
                NOT EXISTS (SELECT 1 FROM accounts a JOIN products pr ON pr.product_code = a.product_code WHERE a.customer_id = c.customer_id
                            AND a.status = 'active' AND pr.type IN (\(t.notHolding.map { _ in "?" }.joined(separator: ","))))
                """)
            args += t.notHolding.map(\.rawValue)
        }
        if let unit = t.payrollUnit {
            sql.append("""
                c.customer_id IN (SELECT a.customer_id FROM transactions x JOIN accounts a ON a.account_id = x.account_id
                                  WHERE x.kind = 'payroll' AND x.payroll_unit_id = ?)
                """)
            args.append(unit)
        }
        return (sql, args)
    }

    /// The same day `years` earlier (29 February → 28 February).
    static func yearsBefore(_ d: CalendarDate, _ years: Int) -> CalendarDate {
        CalendarDate(year: d.year - years, month: d.month, day: d.day) ?? CalendarDate(year: d.year - years, month: d.month, day: d.day - 1)!
    }
}
