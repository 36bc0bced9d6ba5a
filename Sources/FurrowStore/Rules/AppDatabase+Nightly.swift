import Foundation
import FurrowCore
import GRDB

/// What the nightly run did.
public struct NightlyReport: Sendable, Codable, Hashable {
    public var asOf: CalendarDate
    public var customers: Int
    public var changed: Int
    /// Retention cases opened for new churn warnings.
    public var casesOpened: Int
    public var tiers: [String: Int]
    public var segments: [String: Int]
    public var activity: [String: Int]
    public var reminders: ReminderRunReport
    public var seconds: Double
}

extension AppDatabase {
    /// The nightly run over the whole branch: every customer's tier (with hysteresis),
    /// segment, value class, activity and lifecycle stage, each with its reason; then the
    /// reminder engine. The workstation and `furrow nightly` run it after an import.
    public func runNightly(asOf asOfGiven: CalendarDate? = nil, rules: RulesConfig = .standard,
                           by actor: String) throws(StoreError) -> NightlyReport {
        let asOf = asOfGiven ?? CalendarDate.today(now: clock())
        let started = ContinuousClock.now
        // Reminders first: their churn signals (the tide, money leaving) feed the activity.
        let firstPass = try runReminders(scope: .branch, asOf: asOf, rules: rules, by: actor)
        let (customers, changed, tiers, segments, activity) = try write { db in
            let result = try Self.classifyAll(db, asOf: asOf, rules: rules)
            try Audit.record(db, at: clock(), actor: actor, action: "nightly.classify", customerID: nil,
                             detail: "as of \(asOf.iso): \(result.0) customers, \(result.1) changed")
            return result
        }
        // A new churn warning opens a retention case (not again within 90 days of the last one);
        // the reminders run again so the cases reach their owners' queues.
        let opened = try write { db -> Int in
            let warned = try Row.fetchAll(db, sql: """
                SELECT r.customer_id, r.activity_reason FROM customer_rules r
                WHERE r.activity = 'churn-warning'
                  AND NOT EXISTS (SELECT 1 FROM retention_cases k WHERE k.customer_id = r.customer_id
                                  AND (k.status = 'open' OR k.closed_at >= ?))
                """, arguments: [asOf.adding(days: -90).iso])
            for w in warned { _ = try Self.openCase(db, customerID: w[0], signal: w[1], by: actor, byStaff: false, now: clock()) }
            return warned.count
        }
        var reminders = try runReminders(scope: .branch, asOf: asOf, rules: rules, by: actor)
        reminders.created += firstPass.created
        reminders.withdrawn += firstPass.withdrawn
        let seconds = Double((ContinuousClock.now - started) / .milliseconds(1)) / 1000
        try write { db in
            try Audit.record(db, at: clock(), actor: actor, action: "nightly.run", customerID: nil,
                             detail: "as of \(asOf.iso): \(customers) customers, \(changed) changed")
        }
        return NightlyReport(asOf: asOf, customers: customers, changed: changed, casesOpened: opened, tiers: tiers, segments: segments,
                             activity: activity, reminders: reminders, seconds: seconds)
    }

    private static func classifyAll(_ db: Database, asOf: CalendarDate, rules: RulesConfig) throws
        -> (Int, Int, [String: Int], [String: Int], [String: Int]) {
        // Each fact is one grouped pass over its table, keyed by customer; then one pass over
        // the customers classifies and writes.
        var months: [String: [(month: String, average: Money)]] = [:]
        // 12 months back and one more, for the hysteresis to start from.
        let since = CalendarDate(year: asOf.year - 1, month: asOf.month, day: 1)!.monthKey
        let m = try Row.fetchCursor(db, sql: """
            SELECT customer_id, month, aum_avg_fen FROM monthly_balances WHERE month >= ? AND month <= ? ORDER BY customer_id, month
            """, arguments: [since, asOf.monthKey])
        while let r = try m.next() { months[r[0], default: []].append((r[1], Money(fen: r[2]))) }

        var holdings: [String: [ProductType: Money]] = [:]
        let h = try Row.fetchCursor(db, sql: """
            SELECT a.customer_id, p.type, sum(a.balance_fen) FROM accounts a JOIN products p ON p.product_code = a.product_code
            WHERE a.status = 'active' GROUP BY a.customer_id, p.type
            """)
        while let r = try h.next() {
            if let t = ProductType(rawValue: r[1]) { holdings[r[0], default: [:]][t] = Money(fen: r[2]) }
        }

        var lastOwn: [String: String] = [:]
        let t = try Row.fetchCursor(db, sql: """
            SELECT a.customer_id, max(t.posted_at) FROM transactions t JOIN accounts a ON a.account_id = t.account_id
            WHERE t.kind NOT IN ('interest', 'fee', 'payroll', 'loan_disbursement') AND t.posted_at >= ?
            GROUP BY a.customer_id
            """, arguments: [asOf.adding(days: -rules.classification.dormantDays - 1).iso])
        while let r = try t.next() { lastOwn[r[0]] = r[1] }

        // Churn signals (domain.md), the first found per customer: money leaving (the reminder
        // engine's tide and large transfers), a maturity not renewed, a complaint, dissatisfaction.
        var signals: [String: String] = [:]
        func signal(_ sql: String, _ args: StatementArguments = []) throws {
            let c = try Row.fetchCursor(db, sql: sql, arguments: args)
            while let r = try c.next() {
                let id: String = r[0]
                if signals[id] == nil { signals[id] = r[1] }
            }
        }
        try signal("SELECT customer_id, title FROM tasks WHERE status = 'open' AND rule IN ('tide', 'large-outflow')")
        try signal("""
            SELECT a.customer_id, '到期未转存 matured ' || a.maturity_date || ', not renewed' FROM accounts a
            JOIN products p ON p.product_code = a.product_code
            WHERE a.status = 'active' AND p.type IN ('time_deposit', 'wealth', 'bond') AND a.maturity_date BETWEEN ? AND ?
            """, [asOf.adding(days: -30).iso, asOf.adding(days: -7).iso])
        try signal("""
            SELECT customer_id, '投诉未结 open complaint ' || complaint_id FROM complaints
            WHERE ifnull(status, 'received') NOT IN ('resolved', 'confirmed', 'closed')
              AND (received_at >= ? OR owner_id IS NOT NULL OR recorded_by IS NOT NULL OR ifnull(status, 'received') != 'received')
            """, [asOf.adding(days: -rules.complaintLookbackDays).iso])
        try signal("""
            SELECT customer_id, '满意度低 low satisfaction (' || answered_on || ')' FROM surveys
            WHERE customer_id IS NOT NULL AND answered_on >= ? AND (recommend <= 6 OR attitude <= 2)
            """, [asOf.adding(days: -90).iso])
        try signal("""
            SELECT customer_id, '客户不满 unhappy on ' || substr(at, 1, 10) FROM interactions
            WHERE mood = 'unhappy' AND at >= ?
            """, [asOf.adding(days: -30).iso])

        let upgrades = try Dictionary(Row.fetchAll(db, sql: """
            SELECT customer_id, served_as FROM service_upgrades WHERE status = 'approved'
            """).compactMap { r in Tier(rawValue: r[1]).map { (r[0] as String, $0) } }, uniquingKeysWith: { a, _ in a })
        let overrides = try Dictionary(Row.fetchAll(db, sql: """
            SELECT customer_id, acceptance_override FROM customer_rules WHERE acceptance_override IS NOT NULL
            """).map { ($0[0] as String, ($0[1] as Int) == 1) }, uniquingKeysWith: { a, _ in a })

        // The 12 months the reports look back over, ending with this one.
        let window: [String] = (0..<12).reversed().map { back in
            var y = asOf.year, mo = asOf.month - back
            while mo < 1 { mo += 12; y -= 1 }
            return CalendarDate(year: y, month: mo, day: 1)!.monthKey
        }
        var totals: [String: (customers: Int, aum: Int64)] = [:]
        let upsert = try db.makeStatement(sql: """
            INSERT INTO customer_rules (customer_id, as_of, tier, tier_reason, segment, segment_reason, high_acceptance,
                value_class, value_reason, activity, activity_reason, lifecycle, lifecycle_reason, tier_history, history_from)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT(customer_id) DO UPDATE SET as_of = excluded.as_of, tier = excluded.tier, tier_history = excluded.tier_history,
                history_from = excluded.history_from,
                tier_reason = excluded.tier_reason, segment = excluded.segment, segment_reason = excluded.segment_reason,
                high_acceptance = excluded.high_acceptance, value_class = excluded.value_class,
                value_reason = excluded.value_reason, activity = excluded.activity, activity_reason = excluded.activity_reason,
                lifecycle = excluded.lifecycle, lifecycle_reason = excluded.lifecycle_reason
            WHERE (customer_rules.tier, customer_rules.segment, customer_rules.value_class, customer_rules.activity,
                   customer_rules.lifecycle, customer_rules.tier_reason, customer_rules.activity_reason,
                   customer_rules.tier_history, customer_rules.history_from)
                IS NOT (excluded.tier, excluded.segment, excluded.value_class, excluded.activity, excluded.lifecycle,
                        excluded.tier_reason, excluded.activity_reason, excluded.tier_history, excluded.history_from)
            """)
        var count = 0, changed = 0
        var tiers: [String: Int] = [:], segments: [String: Int] = [:], activity: [String: Int] = [:]
        let c = try Row.fetchCursor(db, sql: """
            SELECT customer_id, birth_date, industry_quality, opened_on, flags, last_contact_at, ifnull(rm_id, '') FROM customers
            """)
        while let r = try c.next() {
            let id: String = r[0]
            let facts = CustomerFacts(
                customerID: id, birthDate: (r[1] as String?).flatMap { CalendarDate(iso: $0) },
                industryQuality: (r[2] as String?).flatMap(IndustryQuality.init(rawValue:)),
                openedOn: (r[3] as String?).flatMap { CalendarDate(iso: $0) },
                flags: (r[4] as String?).map { $0.split(separator: ";").map(String.init) } ?? [],
                months: months[id] ?? [], holdings: holdings[id] ?? [:],
                lastOwnTransaction: lastOwn[id].flatMap { CalendarDate(iso: $0.prefix(10)) },
                lastContact: (r[5] as String?).flatMap { CalendarDate(iso: $0.prefix(10)) },
                churnSignal: signals[id], acceptanceOverride: overrides[id])
            let k = rules.classification.classify(facts, hysteresis: rules.hysteresis, asOf: asOf, servedAs: upgrades[id])
            // This customer's tier each month of the window, and their share of the month totals.
            let byMonth = Dictionary((months[id] ?? []).map { ($0.month, $0.average) }, uniquingKeysWith: { a, _ in a })
            let rm: String = r[6]
            var history = ""
            for month in window {
                guard let aum = byMonth[month] else { history.append("-"); continue }
                let tier = rules.tiers.tier(forAUM: aum)
                history.append(Self.letter(tier))
                let band = MassBand.band(forAUM: aum, thresholds: rules.tiers)?.rawValue ?? ""
                let key = "\(month)|\(rm)|\(tier.rawValue)|\(band)"
                totals[key, default: (0, 0)].customers += 1
                totals[key, default: (0, 0)].aum += aum.fen
            }
            try upsert.execute(arguments: [id, asOf.iso, k.tier.rawValue, k.tierReason, k.segment?.rawValue, k.segmentReason,
                                           k.highAcceptance ? 1 : 0, k.valueClass.rawValue, k.valueReason, k.activity.rawValue,
                                           k.activityReason, k.lifecycle.rawValue, k.lifecycleReason, history, window[0]])
            changed += db.changesCount
            count += 1
            tiers[k.tier.rawValue, default: 0] += 1
            if let seg = k.segment { segments[seg.rawValue, default: 0] += 1 }
            activity[k.activity.rawValue, default: 0] += 1
        }
        try db.execute(sql: "DELETE FROM monthly_totals")
        let total = try db.makeStatement(sql: """
            INSERT INTO monthly_totals (month, rm_id, tier, band, customers, aum_avg_fen) VALUES (?, ?, ?, ?, ?, ?)
            """)
        for (key, v) in totals {
            let parts = key.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
            try total.execute(arguments: [parts[0], parts[1], parts[2], parts[3], v.customers, v.aum])
        }
        return (count, changed, tiers, segments, activity)
    }

    /// One letter per tier in `tier_history`.
    static func letter(_ t: Tier) -> Character {
        switch t {
        case .mass: "m"
        case .wealth: "w"
        case .affluent: "a"
        case .privateBanking: "p"
        }
    }

    /// A customer's classification from the last nightly run, if there was one.
    public func classification(customerID: String) throws(StoreError) -> (asOf: String, Classification)? {
        try read { db -> (asOf: String, Classification)? in
            guard let r = try Row.fetchOne(db, sql: "SELECT * FROM customer_rules WHERE customer_id = ?", arguments: [customerID])
            else { return nil }
            return (r["as_of"], Classification(
                tier: Tier(rawValue: r["tier"]) ?? .mass, tierReason: r["tier_reason"],
                segment: (r["segment"] as String?).flatMap(Segment.init(rawValue:)), segmentReason: r["segment_reason"],
                highAcceptance: (r["high_acceptance"] as Int) == 1,
                valueClass: ValueClass(rawValue: r["value_class"]) ?? .potential, valueReason: r["value_reason"],
                activity: Activity(rawValue: r["activity"]) ?? .active, activityReason: r["activity_reason"],
                lifecycle: LifecycleStage(rawValue: r["lifecycle"]) ?? .maintenance, lifecycleReason: r["lifecycle_reason"]))
        }
    }
}

extension AppDatabase {
    /// The RM's judgement of a customer's product acceptance, overriding what the holdings say
    /// (nil clears it). Takes effect at the next nightly run; recorded in the audit trail.
    public func setAcceptanceOverride(customerID: String, high: Bool?, by actor: String) throws(StoreError) {
        try write { db in
            try requireCustomer(db, customerID)
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM customer_rules WHERE customer_id = ?", arguments: [customerID]) == true else {
                throw StoreError.invalid(field: "customer", reason: "\(customerID) has not been classified yet: run `furrow nightly` first")
            }
            try Journal.write(db, now: clock(), actor: actor, kind: .segmentOverride, customerID: customerID,
                                detail: high.map { $0 ? "acceptance high" : "acceptance low" } ?? "cleared", recordID: customerID,
                                fields: ["high_acceptance": high.map { $0 ? "1" : "0" }])
        }
    }
}
