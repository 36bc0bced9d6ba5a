import FurrowCore
import GRDB

/// What a portfolio row shows beyond the customer itself: the AUM change over the last month,
/// the next open task and the warning flags. Read for the rows on screen only.
public struct CustomerRowDetails: Sendable, Hashable {
    /// Latest monthly average minus the month before; nil without two months of history.
    public var aumChange: Money?
    public var nextTaskDue: CalendarDate?
    public var openComplaints: Int
    /// Risk assessments are valid one year.
    public var riskExpired: Bool
}

extension AppDatabase {
    public func rowDetails(customerIDs: [String], today todayGiven: CalendarDate? = nil) throws(StoreError) -> [String: CustomerRowDetails] {
        let today = todayGiven ?? CalendarDate.today(now: clock())
        guard !customerIDs.isEmpty else { return [:] }
        let marks = customerIDs.map { _ in "?" }.joined(separator: ",")
        let sql = """
            SELECT c.customer_id, c.risk_assessed_on,
              (SELECT aum_avg_fen FROM monthly_balances m WHERE m.customer_id = c.customer_id ORDER BY month DESC LIMIT 1),
              (SELECT aum_avg_fen FROM monthly_balances m WHERE m.customer_id = c.customer_id ORDER BY month DESC LIMIT 1 OFFSET 1),
              (SELECT min(due_on) FROM tasks k WHERE k.customer_id = c.customer_id AND k.status = 'open'),
              (SELECT count(*) FROM complaints p WHERE p.customer_id = c.customer_id
                 AND ifnull(p.status, 'received') NOT IN ('resolved', 'confirmed', 'closed'))
            FROM customers c WHERE c.customer_id IN (\(marks))
            """
        let args = StatementArguments(customerIDs)
        let expiredBefore = today.adding(days: -365).iso
        return try read { db in
            var out: [String: CustomerRowDetails] = [:]
            for r in try Row.fetchAll(db, sql: sql, arguments: args) {
                let last: Int64? = r[2], prev: Int64? = r[3]
                let assessed: String? = r[1]
                out[r[0]] = CustomerRowDetails(
                    aumChange: last.flatMap { l in prev.map { Money(fen: l - $0) } },
                    nextTaskDue: (r[4] as String?).flatMap { CalendarDate(iso: $0) },
                    openComplaints: r[5],
                    riskExpired: assessed.map { $0 < expiredBefore } ?? false)
            }
            return out
        }
    }

    /// A page of a customer's transactions, newest first, before `before` (posted_at, txn_id).
    public func transactions(customerID: String, before: (String, String)? = nil,
                             limit: Int = 50) throws(StoreError) -> [Transaction] {
        try read { db in
            var sql = """
                SELECT t.* FROM transactions t
                WHERE t.account_id IN (SELECT account_id FROM accounts WHERE customer_id = ?)
                """
            var args: [(any DatabaseValueConvertible)?] = [customerID]
            if let before { sql += " AND (t.posted_at, t.txn_id) < (?, ?)"; args += [before.0, before.1] }
            sql += " ORDER BY t.posted_at DESC, t.txn_id DESC LIMIT ?"
            args.append(limit)
            return try Row.fetchAll(db, sql: sql, arguments: StatementArguments(args)).map(Transaction.init(row:))
        }
    }
}
