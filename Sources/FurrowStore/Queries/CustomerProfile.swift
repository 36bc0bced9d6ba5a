import FurrowCore
import GRDB

/// A household member or related party as the 360° view lists it.
public struct RelatedParty: Hashable, Sendable, Codable {
    /// How the other party relates to this customer, read from this customer's side:
    /// `spouse`, `parent`, `child`, … For a stored (A, B, relation) row, A is `relation` of B.
    public var relation: RelationKind
    /// True when the stored row reads "this customer is `relation` of the other".
    public var thisCustomerIsSubject: Bool
    public var customerID: String
    public var name: String
    public var tier: Tier
    public var aum: Money
}

public struct AssignmentRecord: Hashable, Sendable, Codable {
    public var staffID: String
    public var staffName: String?
    public var since: CalendarDate
}

/// Everything the 360° screen shows about one customer, read in one transaction so the parts
/// agree with each other.
public struct CustomerProfile: Sendable, Codable {
    public var customer: Customer
    public var rowID: Int64
    public var tier: Tier
    public var aum: Money
    public var aumMonth: String?
    public var rmID: String?
    public var rmName: String?
    public var lastContactAt: String?
    public var household: [RelatedParty]
    public var holdings: [Holding]
    public var liabilities: [Holding]
    public var aumByMonth: [MonthlyBalance]
    public var recentTransactions: [Transaction]
    public var upcomingInstalments: [LoanInstalment]
    public var interactions: [Interaction]
    public var tasks: [FollowUpTask]
    public var complaints: [Complaint]
    public var notes: [Note]
    public var tags: [String]
    public var assignments: [AssignmentRecord]
}

extension AppDatabase {
    /// The 360° aggregate. Returns nil when the customer is unknown.
    public func profile(customerID: String, transactions: Int = 20, interactions: Int = 50,
                        asOf asOfGiven: CalendarDate? = nil) throws(StoreError) -> CustomerProfile? {
        let asOf = asOfGiven ?? CalendarDate.today(now: clock())
        return try read { db in
            guard let row = try Row.fetchOne(db, sql: """
                SELECT \(Customer.selection), id, tier, aum_fen, aum_month, rm_id, last_contact_at,
                       (SELECT name FROM staff s WHERE s.staff_id = customers.rm_id) AS rm_name
                FROM customers WHERE customer_id = ?
                """, arguments: [customerID]) else { return nil }
            let customer = Customer(row: row)
            let household = try Row.fetchAll(db, sql: """
                SELECT r.relation, 1 AS subject, c.customer_id, c.name, c.tier, c.aum_fen
                FROM relations r JOIN customers c ON c.customer_id = r.related_id WHERE r.customer_id = ?1
                UNION ALL
                SELECT r.relation, 0 AS subject, c.customer_id, c.name, c.tier, c.aum_fen
                FROM relations r JOIN customers c ON c.customer_id = r.customer_id WHERE r.related_id = ?1
                """, arguments: [customerID]).map { r in
                RelatedParty(
                    relation: RelationKind(rawValue: r["relation"] ?? "") ?? .other,
                    thisCustomerIsSubject: (r["subject"] as Int? ?? 0) == 1, customerID: r["customer_id"], name: r["name"],
                    tier: Tier(rawValue: r["tier"] ?? "") ?? .mass, aum: Money(fen: r["aum_fen"] ?? 0))
            }
            let accounts = try Row.fetchAll(db, sql: """
                SELECT a.*, p.product_code AS p_product_code, p.name AS p_name, p.type AS p_type,
                       p.risk_level AS p_risk_level, p.term_days AS p_term_days
                FROM accounts a JOIN products p ON p.product_code = a.product_code
                WHERE a.customer_id = ? ORDER BY a.balance_fen DESC
                """, arguments: [customerID]).map { Holding(account: Account(row: $0), product: Product(row: $0, prefix: "p_")) }
            let months = try Row.fetchAll(db, sql: """
                SELECT * FROM (SELECT * FROM monthly_balances WHERE customer_id = ? ORDER BY month DESC LIMIT 12)
                ORDER BY month
                """, arguments: [customerID]).map {
                MonthlyBalance(customerID: $0["customer_id"], month: $0["month"],
                               aumAverage: Money(fen: $0["aum_avg_fen"]), aumEnd: Money(fen: $0["aum_end_fen"]))
            }
            let txns = try Row.fetchAll(db, sql: """
                SELECT t.* FROM transactions t
                WHERE t.account_id IN (SELECT account_id FROM accounts WHERE customer_id = ?)
                ORDER BY t.posted_at DESC LIMIT ?
                """, arguments: [customerID, transactions]).map(Transaction.init(row:))
            let instalments = try Row.fetchAll(db, sql: """
                SELECT l.* FROM loan_schedule l
                WHERE l.account_id IN (SELECT account_id FROM accounts WHERE customer_id = ?) AND l.due_date >= ?
                ORDER BY l.due_date LIMIT 12
                """, arguments: [customerID, asOf.iso]).map {
                LoanInstalment(accountID: $0["account_id"], dueDate: CalendarDate(iso: $0["due_date"] as String)!,
                               principal: Money(fen: $0["principal_fen"]), interest: Money(fen: $0["interest_fen"]))
            }
            let inter = try Row.fetchAll(db, sql: """
                SELECT * FROM interactions WHERE customer_id = ? ORDER BY at DESC LIMIT ?
                """, arguments: [customerID, interactions]).map(Interaction.init(row:))
            let tasks = try Row.fetchAll(db, sql: """
                SELECT * FROM tasks WHERE customer_id = ?
                ORDER BY status = 'open' DESC, due_on LIMIT 50
                """, arguments: [customerID]).map(FollowUpTask.init(row:))
            let complaints = try Row.fetchAll(db, sql: """
                SELECT * FROM complaints WHERE customer_id = ? ORDER BY received_at DESC
                """, arguments: [customerID]).map(Complaint.init(row:))
            let notes = try Row.fetchAll(db, sql: """
                SELECT * FROM notes WHERE customer_id = ? ORDER BY at DESC LIMIT 50
                """, arguments: [customerID]).map(Note.init(row:))
            let tags = try String.fetchAll(db, sql: """
                SELECT tag FROM customer_tags WHERE customer_id = ? ORDER BY tag
                """, arguments: [customerID])
            let assignments = try Row.fetchAll(db, sql: """
                SELECT a.staff_id, a.since, s.name FROM assignments a LEFT JOIN staff s ON s.staff_id = a.staff_id
                WHERE a.customer_id = ? ORDER BY a.since
                """, arguments: [customerID]).map {
                AssignmentRecord(staffID: $0["staff_id"], staffName: $0["name"],
                                 since: CalendarDate(iso: $0["since"] as String)!)
            }
            return CustomerProfile(
                customer: customer, rowID: row["id"], tier: Tier(rawValue: row["tier"] ?? "") ?? .mass,
                aum: Money(fen: row["aum_fen"] ?? 0), aumMonth: row["aum_month"], rmID: row["rm_id"],
                rmName: row["rm_name"], lastContactAt: row["last_contact_at"], household: household,
                holdings: accounts.filter { !$0.product.type.isLiability },
                liabilities: accounts.filter { $0.product.type.isLiability },
                aumByMonth: months, recentTransactions: txns, upcomingInstalments: instalments,
                interactions: inter, tasks: tasks, complaints: complaints, notes: notes, tags: tags,
                assignments: assignments)
        }
    }

    /// Rows per table (extract tables, the RM's tables, the audit trail and import runs),
    /// for summaries and for tests that must see that nothing changed.
    public func rowCounts() throws(StoreError) -> [String: Int] {
        try read { db in
            let tables = try String.fetchAll(db, sql: """
                SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
                AND name NOT LIKE 'grdb_%' AND name NOT LIKE 'customer_name_chars%'
                """)
            var counts: [String: Int] = [:]
            for t in tables { counts[t] = try Int.fetchOne(db, sql: "SELECT count(*) FROM \(t)") ?? 0 }
            return counts
        }
    }

    /// Number of customers, for summaries.
    public func customerCount() throws(StoreError) -> Int {
        try read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM customers") ?? 0 }
    }

    public func staff() throws(StoreError) -> [Staff] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM staff ORDER BY staff_id").map {
                Staff(staffID: $0["staff_id"], name: $0["name"], role: StaffRole(rawValue: $0["role"] ?? "") ?? .rm,
                      team: $0["team"], active: ($0["active"] as Int? ?? 1) == 1)
            }
        }
    }
}
