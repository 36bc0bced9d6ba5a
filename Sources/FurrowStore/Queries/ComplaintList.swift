import FurrowCore
import GRDB

/// A complaint with its customer's name, for the Complaints screen.
public struct ComplaintRow: Sendable, Hashable {
    public var complaint: Complaint
    public var customerName: String
    public var rmID: String?
}

extension AppDatabase {
    /// Complaints of the customers in scope, the open ones first by deadline (the most pressing
    /// at the top), then the rest newest first.
    public func complaints(scope: PortfolioScope, openOnly: Bool = false, sla: ComplaintSLA = .standard,
                           limit: Int = 500) throws(StoreError) -> [ComplaintRow] {
        var sql = """
            SELECT p.*, c.name AS c_name, c.rm_id AS c_rm FROM complaints p
            JOIN customers c ON c.customer_id = p.customer_id
            """
        var clauses: [String] = []
        var args: [(any DatabaseValueConvertible)?] = []
        switch scope {
        case .rm(let id): clauses.append("c.rm_id = ?"); args.append(id)
        case .team(let team): clauses.append("c.rm_id IN (SELECT staff_id FROM staff WHERE team = ?)"); args.append(team)
        case .branch: break
        }
        // Resolved ones stay on the list until the customer's callback confirms them.
        let open = "ifnull(p.status, 'received') NOT IN ('confirmed', 'closed')"
        if openOnly { clauses.append(open) }
        if !clauses.isEmpty { sql += " WHERE " + clauses.joined(separator: " AND ") }
        // The deadline in SQL too, so the limit keeps the most pressing ones.
        let deadline = """
            coalesce(p.deadline_at, datetime(p.received_at, '+' || CASE p.severity WHEN 'high' THEN ? WHEN 'low' THEN ? ELSE ? END || ' days'))
            """
        sql += " ORDER BY \(open) DESC, CASE WHEN \(open) THEN \(deadline) END, p.received_at DESC LIMIT ?"
        args += [sla.days[.high] ?? 2, sla.days[.low] ?? 15, sla.days[.medium] ?? 5, limit]
        let finalSQL = sql, finalArgs = StatementArguments(args)
        let rows = try read { db in
            try Row.fetchAll(db, sql: finalSQL, arguments: finalArgs).map {
                ComplaintRow(complaint: Complaint(row: $0), customerName: $0["c_name"], rmID: $0["c_rm"])
            }
        }
        // Deadlines depend on severity as well as arrival, so the final order is by deadline.
        func listed(_ c: Complaint) -> Bool { !["confirmed", "closed"].contains(c.status) }
        return rows.sorted {
            if listed($0.complaint) != listed($1.complaint) { return listed($0.complaint) }
            return listed($0.complaint) ? $0.complaint.deadlineAt < $1.complaint.deadlineAt
                : $0.complaint.receivedAt > $1.complaint.receivedAt
        }
    }
}
