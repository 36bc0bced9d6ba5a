import Foundation
import FurrowCore
import GRDB

/// Attribution: what contacted customers bought afterwards, from the extracts — a new account,
/// or money put into one of a product — credited to the campaign whose contact came last before it within
/// the window (`[campaigns] attribution_days`). A push counts its own products; a campaign
/// without products counts any product that is not a loan or a card.
extension AppDatabase {
    public struct AttributionReport: Sendable, Codable {
        public var conversions: Int
        public var amountFen: Int64
        public var campaigns: Int
        public var milliseconds: Double
    }

    @discardableResult
    public func attributeCampaigns(rules: RulesConfig = .standard, by actor: String) throws(StoreError) -> AttributionReport {
        let started = ContinuousClock.now
        return try write { db in
            let window = rules.campaignAttributionDays
            // Each contact that reached the customer: (campaign, day) — the first time they were
            // reached, and the latest answer when it reached them too.
            var contacts: [String: [(campaign: String, day: String)]] = [:]
            let cursor = try Row.fetchCursor(db, sql: """
                SELECT m.customer_id, m.campaign_id, substr(m.first_reached_at, 1, 10),
                       CASE WHEN m.response != 'not_reached' THEN substr(m.responded_at, 1, 10) END
                FROM campaign_members m JOIN campaigns c ON c.campaign_id = m.campaign_id
                WHERE c.status != 'draft' AND m.first_reached_at IS NOT NULL
                """)
            while let r = try cursor.next() {
                let (customer, campaign, first, latest): (String, String, String, String?) = (r[0], r[1], r[2], r[3])
                contacts[customer, default: []].append((campaign, first))
                if let latest, latest != first { contacts[customer, default: []].append((campaign, latest)) }
            }
            let products = try Dictionary(uniqueKeysWithValues: Row.fetchAll(db, sql: "SELECT campaign_id, products FROM campaigns WHERE status != 'draft'")
                .map { ($0[0] as String, Set(($0[1] as String).split(separator: ",").map(String.init))) })
            try db.execute(sql: "DELETE FROM campaign_conversions")
            guard !contacts.isEmpty else { return AttributionReport(conversions: 0, amountFen: 0, campaigns: 0, milliseconds: 0) }

            // What those customers bought: a new account (not a loan or a card: the extract's
            // balance), or money put into an account of a product afterwards (a top-up of a
            // deposit, a wealth product, a fund, a bond, a policy — not the current account,
            // where payroll and transfers land). A `purchase` transaction is the debit on the
            // paying account, so the product is the account it bought, not the one it left.
            let ids = String(decoding: try JSONEncoder().encode(Array(contacts.keys)), as: UTF8.self)
            let earliest = contacts.values.flatMap { $0.map(\.day) }.min() ?? "0000"
            let events = try Row.fetchAll(db, sql: """
                SELECT a.customer_id, a.account_id, a.product_code, a.opened_on AS day, a.balance_fen AS amount, 'opened' AS what
                FROM accounts a JOIN products p ON p.product_code = a.product_code
                WHERE a.customer_id IN (SELECT value FROM json_each(?)) AND a.opened_on >= ? AND p.type NOT IN ('loan', 'credit_card')
                UNION ALL
                SELECT a.customer_id, a.account_id, a.product_code, substr(t.posted_at, 1, 10), sum(t.amount_fen), 'purchase'
                FROM accounts a JOIN products p ON p.product_code = a.product_code JOIN transactions t ON t.account_id = a.account_id
                WHERE a.customer_id IN (SELECT value FROM json_each(?)) AND p.type NOT IN ('demand', 'loan', 'credit_card')
                  AND t.amount_fen > 0 AND t.posted_at >= ? AND substr(t.posted_at, 1, 10) > ifnull(a.opened_on, '')
                GROUP BY a.account_id, substr(t.posted_at, 1, 10)   -- a day's top-ups of one account are one purchase
                """, arguments: [ids, earliest, ids, earliest])
            let insert = try db.makeStatement(sql: """
                INSERT INTO campaign_conversions (campaign_id, customer_id, account_id, product_code, on_day, amount_fen, contact_day, what)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """)
            var report = AttributionReport(conversions: 0, amountFen: 0, campaigns: 0, milliseconds: 0)
            var credited = Set<String>()
            for e in events {
                let customer: String = e["customer_id"], product: String = e["product_code"], day: String = e["day"]
                guard let d = CalendarDate(iso: day) else { continue }
                let from = d.adding(days: -window).iso
                // Last touch: the latest contact on or before the day, within the window, of a
                // campaign that offered this product (or any, when it named none).
                let touch = (contacts[customer] ?? []).filter { c in
                    c.day <= day && c.day >= from && (products[c.campaign].map { $0.isEmpty || $0.contains(product) } ?? false)
                }.max { ($0.day, $0.campaign) < ($1.day, $1.campaign) }
                guard let touch else { continue }
                let amount: Int64 = e["amount"]
                try insert.execute(arguments: [touch.campaign, customer, e["account_id"] as String, product, day, amount, touch.day, e["what"] as String])
                report.conversions += 1
                report.amountFen += amount
                credited.insert(touch.campaign)
            }
            report.campaigns = credited.count
            let spent = ContinuousClock.now - started
            report.milliseconds = spent.milliseconds
            try Audit.record(db, at: clock(), actor: actor, action: "campaign.attribute", customerID: nil,
                             detail: "\(report.conversions) conversions, ¥\(Money(fen: report.amountFen).formatted()) to \(report.campaigns) campaigns")
            return report
        }
    }

    /// The events query over every contacted customer, as text for the sqlite3 shell (the
    /// benchmark's raw baseline: the rows attribution reads, without the matching).
    public static var attributionEventsSQLText: String {
        let contacted = """
            (SELECT m.customer_id FROM campaign_members m JOIN campaigns c ON c.campaign_id = m.campaign_id
             WHERE c.status != 'draft' AND m.response IS NOT NULL AND m.response != 'not_reached')
            """
        return """
            SELECT a.customer_id, a.account_id, a.product_code, a.opened_on, a.balance_fen, 'opened'
            FROM accounts a JOIN products p ON p.product_code = a.product_code
            WHERE a.customer_id IN \(contacted) AND a.opened_on >= '0000' AND p.type NOT IN ('loan', 'credit_card')
            UNION ALL
            SELECT a.customer_id, a.account_id, a.product_code, substr(t.posted_at, 1, 10), t.amount_fen, 'purchase'
            FROM accounts a JOIN products p ON p.product_code = a.product_code JOIN transactions t ON t.account_id = a.account_id
            WHERE a.customer_id IN \(contacted) AND p.type NOT IN ('demand', 'loan', 'credit_card')
              AND t.amount_fen > 0 AND t.posted_at >= '0000' AND substr(t.posted_at, 1, 10) > ifnull(a.opened_on, '');
            """
    }

    /// A campaign's conversions: who bought what, when, after which contact.
    public func campaignConversions(_ campaignID: String) throws(StoreError) -> [(customerID: String, productCode: String, day: String, amount: Money, contactDay: String)] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT customer_id, product_code, on_day, amount_fen, contact_day FROM campaign_conversions WHERE campaign_id = ?
                ORDER BY on_day, customer_id
                """, arguments: [campaignID]).map { ($0[0], $0[1], $0[2], Money(fen: $0[3]), $0[4]) }
        }
    }
}
