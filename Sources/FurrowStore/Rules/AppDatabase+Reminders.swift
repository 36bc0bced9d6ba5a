import Foundation
import FurrowCore
import GRDB

/// What a run of the reminder engine did.
public struct ReminderRunReport: Sendable, Codable, Hashable {
    public var asOf: CalendarDate
    public var created: Int
    public var withdrawn: Int
    /// Open reminder tasks after the run, by rule.
    public var open: [String: Int]
    public var milliseconds: Int
}

extension AppDatabase {
    /// Runs the reminder engine for the customers in `scope` on `asOf`, in one transaction:
    /// every cause the rules find gets a task (once — a cause that already has one, open or
    /// closed, gets nothing new), and every open reminder whose cause is gone, or whose day has
    /// passed beyond use, is withdrawn. Running it twice changes nothing the second time.
    @discardableResult
    public func runReminders(scope: PortfolioScope, asOf asOfGiven: CalendarDate? = nil, rules: RulesConfig = .standard,
                             by actor: String) throws(StoreError) -> ReminderRunReport {
        let asOf = asOfGiven ?? CalendarDate.today(now: clock())
        let started = ContinuousClock.now
        return try write { db in
            let candidates = try ReminderGathering(db, scope: scope, asOf: asOf, rules: rules).all()
            var byKey: [String: ReminderCandidate] = [:]
            for c in candidates { byKey[c.causeKey] = byKey[c.causeKey] ?? c }

            let (staffSQL, staffArgs): (String, [(any DatabaseValueConvertible)?]) = switch scope {
            case .rm(let id): ("t.staff_id = ?", [id])
            case .team(let team): ("t.staff_id IN (SELECT staff_id FROM staff WHERE team = ?)", [team])
            case .branch: ("1", [])
            }
            let (customerSQL, customerArgs): (String, [(any DatabaseValueConvertible)?]) = switch scope {
            case .rm(let id): ("c.rm_id = ?", [id])
            case .team(let team): ("c.rm_id IN (SELECT staff_id FROM staff WHERE team = ?)", [team])
            case .branch: ("1", [])
            }
            // The open reminders this run answers for: those of the scope's customers (whoever
            // holds them — a lead's escalation too), and this scope's own whose customer has left
            // it. Closed ones need no reading: their cause key already keeps them from coming back.
            var existing: [String: (taskID: String, rule: String, due: String, customer: String, staff: String, inScope: Bool)] = [:]
            let cursor = try Row.fetchCursor(db, sql: """
                SELECT t.cause_key, t.task_id, t.rule, t.due_on, t.customer_id, t.staff_id, ifnull(\(customerSQL), 0)
                FROM tasks t JOIN customers c ON c.customer_id = t.customer_id
                WHERE t.cause_key IS NOT NULL AND t.status = 'open' AND (\(customerSQL) OR \(staffSQL))
                """, arguments: StatementArguments(customerArgs + customerArgs + staffArgs))
            while let r = try cursor.next() {
                existing[r[0]] = (r[1], r[2], r[3], r[4], r[5], (r[6] as Int) == 1)
            }
            let now = Timestamp.utcNow(clock())
            var created = 0
            let insert = try db.makeStatement(sql: """
                INSERT INTO tasks (task_id, customer_id, staff_id, title, reason, due_on, status, created_at, priority, rule, cause_key)
                VALUES (?, ?, ?, ?, ?, ?, 'open', ?, ?, ?, ?) ON CONFLICT DO NOTHING
                """)
            // A key already used (open or closed) is skipped by the unique index.
            for c in candidates where existing[c.causeKey] == nil && byKey[c.causeKey] == c {
                try insert.execute(arguments: [UUID().uuidString.lowercased(), c.customerID, c.staffID, c.title, c.reason,
                                               c.dueOn.iso, now, c.priority.rawValue, c.rule.rawValue, c.causeKey])
                let inserted = db.changesCount
                created += inserted
                if inserted > 0, c.rule == .escalation {
                    // The complaint remembers who it was raised to.
                    let complaint = c.causeKey.dropFirst("escalation:".count).prefix { $0 != "@" }
                    try db.execute(sql: "UPDATE complaints SET escalated_to = ? WHERE complaint_id = ? AND escalated_to IS NULL",
                                   arguments: [c.staffID, String(complaint)])
                }
            }

            var withdrawn = 0
            let withdraw = try db.makeStatement(sql: """
                UPDATE tasks SET status = 'withdrawn', outcome = ?, closed_at = ? WHERE task_id = ? AND status = 'open'
                """)
            for (key, t) in existing where byKey[key] == nil {
                guard let rule = ReminderRule(rawValue: t.rule) else { continue }
                let due = CalendarDate(iso: t.due) ?? asOf
                let currentRM = try String.fetchOne(db, sql: "SELECT rm_id FROM customers WHERE customer_id = ?", arguments: [t.customer])
                // An escalation belongs to the lead, not the customer's RM.
                let reassigned = rule != .escalation && currentRM != t.staff
                // Outside this scope: only a reassignment is this run's business.
                guard t.inScope || reassigned else { continue }
                let why: String
                if reassigned {
                    why = "客户已转给其他客户经理 customer reassigned"
                } else if let grace = rule.graceDays(rules) {
                    // A moment that passed (a birthday, a payroll gone): too late only after the grace days.
                    guard due < asOf.adding(days: -grace) else { continue }
                    why = "已过期 too late to act"
                } else if rule == .cadence, try Self.sameLastContact(db, key: key, customer: t.customer) {
                    // Still not contacted: the cadence only moved (a cap, a segment, the rules); keep it.
                    continue
                } else {
                    why = "原因已消失 cause gone"
                }
                try withdraw.execute(arguments: [why, now, t.taskID])
                withdrawn += db.changesCount
            }

            var open: [String: Int] = [:]
            for r in try Row.fetchAll(db, sql: """
                SELECT t.rule, count(*) FROM tasks t WHERE t.rule IS NOT NULL AND t.status = 'open' AND \(staffSQL) GROUP BY t.rule
                """, arguments: StatementArguments(staffArgs)) {
                open[r[0]] = r[1]
            }
            let ms = Int((ContinuousClock.now - started) / .milliseconds(1))
            let scopeText: String = switch scope {
            case .rm(let id): "rm \(id)"
            case .team(let t): "team \(t)"
            case .branch: "branch"
            }
            try db.execute(sql: """
                INSERT INTO reminder_runs (at, actor, scope, as_of, created, withdrawn, open, milliseconds) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [now, actor, scopeText, asOf.iso, created, withdrawn, open.values.reduce(0, +), ms])
            try Audit.record(db, at: clock(), actor: actor, action: "reminders.run", customerID: nil,
                             detail: "\(scopeText) as of \(asOf.iso): +\(created) −\(withdrawn)")
            return ReminderRunReport(asOf: asOf, created: created, withdrawn: withdrawn, open: open, milliseconds: ms)
        }
    }
}

extension AppDatabase {
    /// Removes every task the engine made (for benchmarks on a copy of a store).
    public func deleteReminderTasks() throws(StoreError) -> Int {
        try write { db in
            try db.execute(sql: "DELETE FROM tasks WHERE cause_key IS NOT NULL")
            return db.changesCount
        }
    }
}

extension AppDatabase {
    /// Whether a cadence task's key still names the customer's last contact.
    static func sameLastContact(_ db: Database, key: String, customer: String) throws -> Bool {
        let last = try String.fetchOne(db, sql: "SELECT last_contact_at FROM customers WHERE customer_id = ?", arguments: [customer])
        let named = key.split(separator: ":").dropFirst(2).first.map { String($0.prefix { $0 != "@" }) }
        return named == (last.map { String($0.prefix(10)) } ?? "never")
    }
}
