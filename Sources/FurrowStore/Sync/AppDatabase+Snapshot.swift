import Foundation
import FurrowCore
import GRDB

/// Snapshots: the branch sends a user the rows of their customers in pages; a workstation
/// replaces its copy of those customers with them, page by page, each page in one transaction
/// with the snapshot's cursor, so a cut connection resumes where it stopped.
extension AppDatabase {
    /// Tables sent whole with the first page: the branch's reference data.
    /// Sent whole on a snapshot's first page (campaigns: their headers, which the members name).
    static let referenceTables = ["staff", "products", "payroll_units", "campaigns"]

    /// The customer-scoped tables of a phase, children after parents, each with how its rows
    /// belong to the page's customers (`?` is the page's IDs as a JSON array).
    static func snapshotTables(_ phase: SnapshotPhase) -> [(table: String, select: String, owned: String)] {
        let page = "(SELECT value FROM json_each(?))"
        let accounts = "(SELECT account_id FROM accounts WHERE customer_id IN \(page))"
        func byCustomer(_ t: String) -> (String, String, String) { (t, "*", "customer_id IN \(page)") }
        switch phase {
        case .profiles:
            return [
                byCustomer("customers"),
                ("customer_name_chars", "rowid AS rowid, chars", "rowid IN (SELECT id FROM customers WHERE customer_id IN \(page))"),
                byCustomer("accounts"), byCustomer("monthly_balances"), ("loan_schedule", "*", "account_id IN \(accounts)"),
                byCustomer("assignments"), byCustomer("surveys"), byCustomer("complaints"),
                ("complaint_events", "*", "complaint_id IN (SELECT complaint_id FROM complaints WHERE customer_id IN \(page))"),
                byCustomer("interactions"), byCustomer("tasks"), byCustomer("notes"), byCustomer("customer_tags"),
                byCustomer("customer_rules"), byCustomer("service_upgrades"), byCustomer("customer_preferences"),
                byCustomer("retention_cases"), byCustomer("profile_proposals"), byCustomer("campaign_members"),
                ("retention_actions", "*", "case_id IN (SELECT case_id FROM retention_cases WHERE customer_id IN \(page))"),
                // The clocks of the merged fields come along, so an edit made after the snapshot
                // is known to have seen them (no false conflict). Last: its clause reads tasks
                // and complaints, which a client deletes after it.
                ("field_clocks", "*", """
                    record IN (SELECT 'tag:' || value FROM json_each(?1) UNION ALL SELECT 'prefs:' || value FROM json_each(?1)
                      UNION ALL SELECT 'rules:' || value FROM json_each(?1)
                      UNION ALL SELECT 'task:' || ifnull(cause_key, task_id) FROM tasks WHERE customer_id IN (SELECT value FROM json_each(?1))
                      UNION ALL SELECT 'complaint:' || complaint_id FROM complaints WHERE customer_id IN (SELECT value FROM json_each(?1)))
                    """),
            ]
        case .history:
            // Relations come once every profile is in: a relative may be on a later page.
            return [("transactions", "*", "account_id IN \(accounts)"), byCustomer("relations")]
        }
    }

    /// Which customers `user` may see, as a condition on `customers` aliased `c`.
    static func scope(_ user: UserRef) -> (sql: String, arguments: [DatabaseValueConvertible]) {
        switch user.role {
        case .president, .admin: ("1", [])
        case .lead: ("c.rm_id IN (SELECT staff_id FROM staff WHERE team = ?)", [user.team ?? ""])
        case .rm: ("c.rm_id = ?", [user.staffID])
        }
    }

    /// The branch's extract generation: bumped by every import, so workstations know to
    /// re-snapshot (new balances, reassignments).
    public func coreGeneration() throws(StoreError) -> Int64 {
        try read { db in try Self.generation(db) }
    }

    static func generation(_ db: Database) throws -> Int64 {
        try String.fetchOne(db, sql: "SELECT value FROM sync_state WHERE key = 'core_generation'").flatMap { Int64($0) } ?? 1
    }

    public func bumpCoreGeneration() throws(StoreError) {
        try write { db in
            try db.execute(sql: """
                INSERT INTO sync_state (key, value) VALUES ('core_generation', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value
                """, arguments: [String(try Self.generation(db) + 1)])
        }
    }

    /// The newest change-feed sequence number (a first snapshot's pull starts after it).
    public func feedHead() throws(StoreError) -> Int64 {
        try read { db in max(try Int64.fetchOne(db, sql: "SELECT ifnull(max(seq), 0) FROM change_feed") ?? 0, try Self.feedFloor(db)) }
    }

    /// One page of `user`'s snapshot: up to `limit` of their customers after `after` (by ID).
    public func snapshotPage(for user: UserRef, phase: SnapshotPhase, after: String, limit: Int) throws(StoreError) -> SnapshotPage {
        try read { db in
            let (scope, scopeArgs) = Self.scope(user)
            let ids = try String.fetchAll(db, sql: """
                SELECT c.customer_id FROM customers c WHERE \(scope) AND c.customer_id > ? ORDER BY c.customer_id LIMIT ?
                """, arguments: StatementArguments(scopeArgs + [after, limit + 1]))
            let pageIDs = Array(ids.prefix(limit))
            let total = try Int.fetchOne(db, sql: "SELECT count(*) FROM customers c WHERE \(scope)", arguments: StatementArguments(scopeArgs)) ?? 0
            let json = String(decoding: try JSONEncoder().encode(pageIDs), as: UTF8.self)
            var tables: [TableRows] = []
            if after.isEmpty && phase == .profiles {
                for t in Self.referenceTables {
                    let columns = Self.sealedFields(of: t).isEmpty ? "*" : try Self.columnsInClear(db, table: t, alias: t)
                    tables.append(try Self.rows(db, table: t, sql: "SELECT \(columns) FROM \(t)", arguments: []))
                }
            }
            for spec in Self.snapshotTables(phase) {
                // Sealed values go opened (over the authenticated connection; the workstation
                // seals them under its own key), without the sealed columns.
                let select = Self.sealedFields(of: spec.table).isEmpty ? spec.select
                    : try Self.columnsInClear(db, table: spec.table, alias: spec.table)
                var sql = "SELECT \(select) FROM \(spec.table) WHERE \(spec.owned)"
                var args: [DatabaseValueConvertible] = [json]
                if spec.table == "relations" {
                    // A relative outside the user's scope stays unseen (and unnamed).
                    sql += " AND related_id IN (SELECT c.customer_id FROM customers c WHERE \(scope))"
                    args += scopeArgs
                }
                tables.append(try Self.rows(db, table: spec.table, sql: sql, arguments: args))
            }
            // The user's prospects come last on the first page (after the customers' own clocks).
            if after.isEmpty && phase == .profiles { tables += try Self.prospectRows(db, for: user) }
            return SnapshotPage(generation: try Self.generation(db), phase: phase, customers: pageIDs, tables: tables,
                                next: ids.count > limit ? pageIDs.last : nil, total: total)
        }
    }

    /// Sent with a snapshot's first page: the outreach days, and the prospects of the user's
    /// scope (by owner) with their history, their possible matches among the user's customers
    /// and the clocks of their next steps.
    static let prospectTables = ["outreach_logs", "prospects", "prospect_history", "prospect_matches"]

    private static func prospectRows(_ db: Database, for user: UserRef) throws -> [TableRows] {
        let (scope, args) = ProspectEffects.scope(user)
        let (customers, customerArgs) = Self.scope(user)
        let mine = "SELECT p.prospect_id FROM prospects p WHERE \(scope)"
        let (days, dayArgs) = ProspectEffects.outreachScope(user)
        return [
            // The days the user may see, and those their prospects were met on.
            try rows(db, table: "outreach_logs", sql: """
                SELECT * FROM outreach_logs o WHERE \(days) OR o.outreach_id IN (SELECT p.outreach_id FROM prospects p WHERE \(scope))
                """, arguments: dayArgs + args),
            try rows(db, table: "prospects", sql: "SELECT \(columnsInClear(db, table: "prospects", alias: "p")) FROM prospects p WHERE \(scope)",
                     arguments: args),
            try rows(db, table: "prospect_history", sql: "SELECT * FROM prospect_history WHERE prospect_id IN (\(mine))", arguments: args),
            try rows(db, table: "prospect_matches", sql: """
                SELECT * FROM prospect_matches WHERE prospect_id IN (\(mine))
                  AND customer_id IN (SELECT c.customer_id FROM customers c WHERE \(customers))
                """, arguments: args + customerArgs),
            try rows(db, table: "field_clocks", sql: "SELECT * FROM field_clocks WHERE record IN (SELECT 'prospect:' || prospect_id FROM (\(mine)))",
                     arguments: args),
        ]
    }

    private static func rows(_ db: Database, table: String, sql: String, arguments: [DatabaseValueConvertible]) throws -> TableRows {
        let statement = try db.makeStatement(sql: sql)
        let columns = statement.columnNames
        var out: [[SQLValue]] = []
        let cursor = try Row.fetchCursor(statement, arguments: StatementArguments(arguments))
        while let row = try cursor.next() {
            out.append((0..<columns.count).map { i in
                switch row[i] as DatabaseValue? {
                case .none: .null
                case .some(let v):
                    switch v.storage {
                    case .null: .null
                    case .int64(let x): .integer(x)
                    case .double(let x): .real(x)
                    case .string(let s): .text(s)
                    case .blob(let d): .text(String(decoding: d, as: UTF8.self))
                    }
                }
            })
        }
        return TableRows(table: table, columns: columns, rows: out)
    }
}

extension AppDatabase {
    /// Compaction: changes older than `keepingDays` leave the feed (workstations offline longer
    /// re-snapshot after pushing their work); the op log stays, so a very late retry is still
    /// answered once. Returns how many changes left and the new floor.
    @discardableResult
    public func compactFeed(keepingDays: Int, now nowGiven: Date? = nil) throws(StoreError) -> (removed: Int, floor: Int64) {
        let now = nowGiven ?? clock()
        return try write { db in
            let cutoff = Timestamp.utcNow(now.addingTimeInterval(-Double(keepingDays) * 86400))
            let floor = try Int64.fetchOne(db, sql: "SELECT max(seq) FROM change_feed WHERE at < ?", arguments: [cutoff])
            guard let floor else { return (0, try Self.feedFloor(db)) }
            try db.execute(sql: "DELETE FROM change_feed WHERE seq <= ?", arguments: [floor])
            let removed = db.changesCount
            let kept = max(floor, try Self.feedFloor(db))
            try db.execute(sql: """
                INSERT INTO sync_state (key, value) VALUES ('feed_floor', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value
                """, arguments: [String(kept)])
            try Audit.record(db, at: clock(), actor: "branch", action: "feed.compact", customerID: nil, detail: "\(removed) changes up to \(kept)")
            return (removed, kept)
        }
    }

    /// The newest change compaction removed: a pull from before it cannot be answered.
    public func feedFloor() throws(StoreError) -> Int64 {
        try read { db in try Self.feedFloor(db) }
    }

    static func feedFloor(_ db: Database) throws -> Int64 {
        try String.fetchOne(db, sql: "SELECT value FROM sync_state WHERE key = 'feed_floor'").flatMap { Int64($0) } ?? 0
    }
}
