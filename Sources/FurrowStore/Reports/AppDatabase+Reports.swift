import Foundation
import FurrowCore
import GRDB

extension AppDatabase {
    /// Runs a report. Month reports read what the nightly run wrote (`furrow nightly`); the
    /// others read the store as it is.
    public func report(_ name: ReportName, _ q: ReportRequest = ReportRequest(), today todayGiven: CalendarDate? = nil,
                       rules: RulesConfig = .standard) throws(StoreError) -> Report {
        let today = todayGiven ?? CalendarDate.today(now: clock())
        return try read { db in
            let r = ReportQueries(db: db, q: q, today: today, now: clock(), rules: rules)
            switch name {
            case .tiers: return try r.tiers()
            case .migration: return try r.migration()
            case .aum: return try r.aum()
            case .coverage: return try r.coverage()
            case .tasks: return try r.tasks()
            case .complaints: return try r.complaints()
            case .retention: return try r.retention()
            case .payroll: return try r.payroll()
            case .nps: return try r.nps()
            case .channels: return try r.channels()
            }
        }
    }
}

struct ReportQueries {
    let db: Database
    let q: ReportRequest
    let today: CalendarDate
    /// The store's clock when the report was asked for.
    let now: Date
    let rules: RulesConfig

    typealias V = Report.Value

    var params: [String: String] {
        var p: [String: String] = [:]
        if let f = q.from { p["from"] = f }
        if let t = q.to { p["to"] = t }
        p["rm"] = q.rm ?? "branch"
        return p
    }

    /// The latest month the nightly run has totals for.
    func latestMonth() throws -> String {
        guard let m = try String.fetchOne(db, sql: "SELECT max(month) FROM monthly_totals") else {
            throw StoreError.invalid(field: "report", reason: "no monthly figures yet: run `furrow nightly` after an import")
        }
        return m
    }

    /// The month `n` before `month` (after, for a negative `n`).
    static func previous(_ month: String, _ n: Int = 1) -> String {
        var y = Int(month.prefix(4))!, m = Int(month.suffix(2))! - n
        while m < 1 { m += 12; y -= 1 }
        while m > 12 { m -= 12; y += 1 }
        return String(format: "%04d-%02d", y, m)
    }

    /// Refuses a month the nightly figures do not cover, saying which they do.
    func requireTotals(for month: String) throws {
        guard try Bool.fetchOne(db, sql: "SELECT 1 FROM monthly_totals WHERE month = ? LIMIT 1", arguments: [month]) == true else {
            let range = try Row.fetchOne(db, sql: "SELECT min(month), max(month) FROM monthly_totals")
            let kept = range.flatMap { r in (r[0] as String?).map { "\($0) … \(r[1] as String? ?? "")" } } ?? "none"
            throw StoreError.invalid(field: "month", reason: "no figures for \(month); the nightly run keeps \(kept)")
        }
    }

    func checkMonth(_ s: String?, _ field: String) throws -> String? {
        guard let s else { return nil }
        guard s.count == 7, CalendarDate(iso: s + "-01") != nil else {
            throw StoreError.invalid(field: field, reason: "expected a month YYYY-MM, got \"\(s)\"")
        }
        return s
    }

    var rmClause: (String, [DatabaseValueConvertible]) { q.rm.map { (" AND rm_id = ?", [$0]) } ?? ("", []) }

    // MARK: tiers

    func tiers() throws -> Report {
        let month = try checkMonth(q.to ?? q.from, "month") ?? latestMonth()
        try requireTotals(for: month)
        let (clause, args) = rmClause
        var byTier: [String: (Int64, Int64)] = [:], byBand: [String: (Int64, Int64)] = [:]
        for r in try Row.fetchAll(db, sql: """
            SELECT tier, band, sum(customers), sum(aum_avg_fen) FROM monthly_totals WHERE month = ?\(clause) GROUP BY tier, band
            """, arguments: StatementArguments([month] + args)) {
            let t: String = r[0], b: String = r[1], n: Int64 = r[2], a: Int64 = r[3]
            byTier[t, default: (0, 0)].0 += n; byTier[t, default: (0, 0)].1 += a
            if !b.isEmpty { byBand[b] = (n, a) }
        }
        let total = byTier.values.reduce((Int64(0), Int64(0))) { ($0.0 + $1.0, $0.1 + $1.1) }
        func share(_ x: Int64, _ of: Int64) -> V { .share(of > 0 ? Double(x) / Double(of) : nil) }
        var rows: [[V]] = []
        for t in Tier.allCases.reversed() {
            let v = byTier[t.rawValue] ?? (0, 0)
            rows.append([.text(t.label), .int(v.0), share(v.0, total.0), .int(v.1), share(v.1, total.1)])
        }
        for b in MassBand.allCases.reversed() {
            let v = byBand[b.rawValue] ?? (0, 0)
            rows.append([.text("  其中 " + b.label), .int(v.0), share(v.0, total.0), .int(v.1), share(v.1, total.1)])
        }
        var p = params
        p["month"] = month
        return Report(name: "tiers", title: "客户分层 Customers by tier, \(month)", parameters: p,
                      columns: [.init("tier", "层级 tier", .text), .init("customers", "客户 customers", .count),
                                .init("customer_share", "占比 share", .share), .init("aum_fen", "AUM (月日均 monthly average)", .money),
                                .init("aum_share", "AUM 占比", .share)],
                      rows: rows, totals: [.text("合计 total"), .int(total.0), .share(total.0 > 0 ? 1 : nil), .int(total.1), .share(total.1 > 0 ? 1 : nil)],
                      notes: ["tiers from each month's average AUM (the tier a customer is managed in, with hysteresis, is on the 360°)"],
                      chart: ("tier", "customers"))
    }

    // MARK: migration

    func migration() throws -> Report {
        let to = try checkMonth(q.to, "to") ?? latestMonth()
        let from = try checkMonth(q.from, "from") ?? Self.previous(to)
        guard from < to else { throw StoreError.invalid(field: "from", reason: "\(from) is not before \(to)") }
        guard let start = try String.fetchOne(db, sql: "SELECT history_from FROM customer_rules WHERE history_from IS NOT NULL LIMIT 1") else {
            throw StoreError.invalid(field: "report", reason: "no tier history yet: run `furrow nightly` after an import")
        }
        func index(_ month: String) throws -> Int {
            var i = 0, m = start
            while m < month, i < 12 { m = Self.previous(m, -1); i += 1 }
            guard m == month, i < 12 else {
                throw StoreError.invalid(field: "month", reason: "\(month) is outside the 12 months the nightly run keeps (\(start) on)")
            }
            return i + 1
        }
        let (a, b) = (try index(from), try index(to))
        let (join, args): (String, [DatabaseValueConvertible]) = q.rm.map {
            (" JOIN customers c ON c.customer_id = r.customer_id WHERE c.rm_id = ?", [$0])
        } ?? ("", [])
        var matrix: [String: [String: Int64]] = [:]
        for r in try Row.fetchAll(db, sql: """
            SELECT substr(r.tier_history, ?, 1), substr(r.tier_history, ?, 1), count(*) FROM customer_rules r\(join) GROUP BY 1, 2
            """, arguments: StatementArguments([a, b] + args)) {
            matrix[r[0], default: [:]][r[1]] = r[2]
        }
        let letters: [(String, Tier?)] = [("p", .privateBanking), ("a", .affluent), ("w", .wealth), ("m", .mass)]
        var rows: [[V]] = []
        for (l, tier) in letters {
            let out = matrix[l] ?? [:]
            let startCount = out.values.reduce(0, +)
            let endCount = matrix.values.reduce(Int64(0)) { $0 + ($1[l] ?? 0) }
            let stayed = out[l] ?? 0
            var cells: [V] = [.text(tier!.label), .int(startCount)]
            for (m, _) in letters { cells.append(.int(out[m] ?? 0)) }
            cells += [.int(out["-"] ?? 0), .int(endCount - stayed), .int(startCount - stayed), .int(endCount - startCount), .int(endCount)]
            rows.append(cells)
        }
        // Customers with no figure at the start (new, or back): where they are at the end.
        let new = matrix["-"] ?? [:]
        rows.append([.text("新 new / 无 none"), .int(new.values.reduce(0, +))] + letters.map { .int(new[$0.0] ?? 0) }
                    + [.int(new["-"] ?? 0), .none, .none, .none, .none])
        var p = params
        p["from"] = from; p["to"] = to
        var columns: [Report.Column] = [.init("tier", "\(from) 层级", .text), .init("start", "期初 start", .count)]
        columns += letters.map { .init("to_" + ($0.1!.rawValue), "→" + $0.1!.label, .count) }
        columns += [.init("to_none", "→无 none", .count), .init("entered", "进入 entered", .count), .init("left", "离开 left", .count),
                    .init("net", "净 net", .count), .init("end", "期末 end (\(to))", .count)]
        return Report(name: "migration", title: "层级迁移 Tier migration \(from) → \(to)", parameters: p, columns: columns,
                      rows: rows, totals: nil,
                      notes: ["→无: no AUM figure in \(to) (account closed or not in the extract)",
                              "a tier can grow in count while many of its members leave: read entered and left, not only net"],
                      chart: ("tier", "net"))
    }

    // MARK: aum

    func aum() throws -> Report {
        let to = try checkMonth(q.to, "to") ?? latestMonth()
        let from = try checkMonth(q.from, "from") ?? Self.previous(to, 11)
        let (clause, args) = rmClause
        var rows: [[V]] = []
        var last: Int64?
        for r in try Row.fetchAll(db, sql: """
            SELECT month, sum(customers), sum(aum_avg_fen) FROM monthly_totals WHERE month BETWEEN ? AND ?\(clause)
            GROUP BY month ORDER BY month
            """, arguments: StatementArguments([from, to] + args)) {
            let aum: Int64 = r[2]
            rows.append([.text(r[0]), .int(r[1]), .int(aum), last.map { .int(aum - $0) } ?? .none])
            last = aum
        }
        var p = params
        p["from"] = from; p["to"] = to
        return Report(name: "aum", title: "资产趋势 AUM by month \(from) → \(to)", parameters: p,
                      columns: [.init("month", "月份 month", .month), .init("customers", "客户 customers", .count),
                                .init("aum_fen", "AUM (月日均)", .money), .init("change_fen", "变化 change", .money)],
                      rows: rows, totals: nil, chart: ("month", "aum_fen"))
    }

    // MARK: coverage

    func coverage() throws -> Report {
        let (clause, args) = rmClause
        var perRM: [String: (Int64, Int64)] = [:]
        // One pass over the customers for every tier with a cadence (a pass per tier was three
        // walks of a million rows). Contacted within the cadence: a contact `days` ago is
        // already due, as the engine says.
        let cadences = rules.cadenceDays.sorted { $0.key < $1.key }
        if !cadences.isEmpty {
            let since = cadences.map { _ in "WHEN ? THEN ?" }.joined(separator: " ")
            let tiers = cadences.map { _ in "?" }.joined(separator: ", ")
            let sinceArgs: [DatabaseValueConvertible] = cadences.flatMap { [$0.key.rawValue, today.adding(days: -$0.value + 1).iso] }
            for r in try Row.fetchAll(db, sql: """
                SELECT ifnull(rm_id, '—'), count(*), sum(ifnull(last_contact_at, '') >= CASE tier \(since) END)
                FROM (SELECT c.rm_id, c.last_contact_at, ifnull(cr.tier, c.tier) AS tier FROM customers c
                      LEFT JOIN customer_rules cr ON cr.customer_id = c.customer_id
                      WHERE 1\(clause.replacingOccurrences(of: "rm_id", with: "c.rm_id")))
                WHERE tier IN (\(tiers)) GROUP BY 1
                """, arguments: StatementArguments(sinceArgs + args + cadences.map(\.key.rawValue))) {
                perRM[r[0], default: (0, 0)].0 += r[1]
                perRM[r[0], default: (0, 0)].1 += r[2]
            }
        }
        let names = Dictionary(try Row.fetchAll(db, sql: "SELECT staff_id, name FROM staff").map { ($0[0] as String, $0[1] as String) },
                               uniquingKeysWith: { a, _ in a })
        let rows: [[V]] = perRM.sorted { $0.key < $1.key }.map { rm, v in
            [.text(rm), .text(names[rm] ?? ""), .int(v.0), .int(v.1), .share(v.0 > 0 ? Double(v.1) / Double(v.0) : nil)]
        }
        let t = perRM.values.reduce((Int64(0), Int64(0))) { ($0.0 + $1.0, $0.1 + $1.1) }
        let cadence = rules.cadenceDays.sorted { $0.key > $1.key }.map { "\($0.key.label) \($0.value)天" }.joined(separator: ", ")
        return Report(name: "coverage", title: "联系覆盖 Contact coverage on \(today.iso)", parameters: params,
                      columns: [.init("rm", "客户经理 RM", .text), .init("name", "姓名", .text), .init("customers", "需联系 with a cadence", .count),
                                .init("contacted", "已按期联系 contacted in time", .count), .init("coverage", "覆盖率 coverage", .share)],
                      rows: rows, totals: [.text("合计"), .text(""), .int(t.0), .int(t.1), .share(t.0 > 0 ? Double(t.1) / Double(t.0) : nil)],
                      notes: ["cadence: \(cadence)"], chart: ("rm", "coverage"))
    }

    // MARK: tasks
    // (Instants are stored in UTC; months here are Shanghai's, hence the +8 hours.)

    func tasks() throws -> Report {
        let (from, to) = try period(defaultMonths: 1)
        let (clause, args): (String, [DatabaseValueConvertible]) = q.rm.map { (" AND staff_id = ?", [$0]) } ?? ("", [])
        var by: [String: [String: Int64]] = [:]
        for r in try Row.fetchAll(db, sql: """
            SELECT ifnull(rule, 'rm'),
                   sum(status = 'open'), sum(status = 'open' AND due_on < ?),
                   sum(status = 'done' AND substr(datetime(closed_at, '+8 hours'), 1, 7) BETWEEN ? AND ?),
                   sum(status = 'withdrawn' AND substr(datetime(closed_at, '+8 hours'), 1, 7) BETWEEN ? AND ?),
                   sum(substr(datetime(created_at, '+8 hours'), 1, 7) BETWEEN ? AND ?)
            FROM tasks WHERE 1\(clause) GROUP BY 1
            """, arguments: StatementArguments([today.iso, from, to, from, to, from, to] + args)) {
            by[r[0]] = ["open": r[1] ?? 0, "overdue": r[2] ?? 0, "done": r[3] ?? 0, "withdrawn": r[4] ?? 0, "created": r[5] ?? 0]
        }
        let keys = ["created", "done", "withdrawn", "open", "overdue"]
        let rows: [[V]] = by.sorted { ($0.value["open"] ?? 0) > ($1.value["open"] ?? 0) }.map { rule, v in
            [.text(ReminderRule(rawValue: rule)?.label ?? "客户经理 set by the RM")] + keys.map { .int(v[$0] ?? 0) }
        }
        let totals: [V] = [.text("合计 total")] + keys.map { k in .int(by.values.reduce(0) { $0 + ($1[k] ?? 0) }) }
        var p = params
        p["from"] = from; p["to"] = to
        return Report(name: "tasks", title: "待办 Tasks \(from) → \(to)", parameters: p,
                      columns: [.init("reason", "原因 reason", .text), .init("created", "新建 created", .count),
                                .init("done", "完成 done", .count), .init("withdrawn", "撤回 withdrawn", .count),
                                .init("open", "未完成 open now", .count), .init("overdue", "逾期 overdue now", .count)],
                      rows: rows, totals: totals, chart: ("reason", "open"))
    }

    /// `from`…`to` as months, defaulting to the last `defaultMonths` up to this month.
    func period(defaultMonths: Int) throws -> (String, String) {
        let to = try checkMonth(q.to, "to") ?? today.monthKey
        let from = try checkMonth(q.from, "from") ?? Self.previous(to, defaultMonths - 1)
        guard from <= to else { throw StoreError.invalid(field: "from", reason: "\(from) is after \(to)") }
        return (from, to)
    }

    // MARK: complaints

    func complaints() throws -> Report {
        let (from, to) = try period(defaultMonths: 12)
        let (join, args): (String, [DatabaseValueConvertible]) = q.rm.map {
            (" JOIN customers c ON c.customer_id = p.customer_id AND c.rm_id = ?", [$0])
        } ?? ("", [])
        let now = Timestamp.shanghaiNow(self.now)
        var rows: [[V]] = []
        var t: [Int64] = [0, 0, 0, 0]
        for s in Severity.allCases.reversed() {
            let days = rules.complaintSLA.days[s] ?? 15
            let r = try Row.fetchOne(db, sql: """
                SELECT count(*), sum(ifnull(p.status, 'received') NOT IN ('resolved', 'confirmed', 'closed')),
                       sum(ifnull(p.status, 'received') NOT IN ('resolved', 'confirmed', 'closed')
                           AND coalesce(p.deadline_at, datetime(p.received_at, '+\(days) days')) < ?),
                       avg(julianday(p.closed_at) - julianday(p.received_at))
                FROM complaints p\(join) WHERE p.severity = ? AND substr(p.received_at, 1, 7) BETWEEN ? AND ?
                """, arguments: StatementArguments([now] + args + [s.rawValue, from, to]))!
            let n: Int64 = r[0] ?? 0, open: Int64 = r[1] ?? 0, overdue: Int64 = r[2] ?? 0
            let close: Double? = r[3]
            rows.append([.text(s.label), .int(n), .int(open), .int(overdue), .int(n - open), .int(Int64(days)),
                         close.map { .text(String(format: "%.1f", $0)) } ?? .none])
            t[0] += n; t[1] += open; t[2] += overdue; t[3] += n - open
        }
        var p = params
        p["from"] = from; p["to"] = to
        return Report(name: "complaints", title: "投诉 Complaints received \(from) → \(to)", parameters: p,
                      columns: [.init("severity", "严重程度 severity", .text), .init("received", "收到 received", .count),
                                .init("open", "未结 open", .count), .init("overdue", "逾期 overdue", .count),
                                .init("closed", "已结 resolved or closed", .count), .init("sla_days", "期限 SLA", .days),
                                .init("days_to_close", "平均结案天数 days to close", .text)],
                      rows: rows, totals: [.text("合计"), .int(t[0]), .int(t[1]), .int(t[2]), .int(t[3]), .none, .none],
                      notes: ["days to close: from receipt to closed, for the complaints closed through the loop"], chart: ("severity", "open"))
    }

    // MARK: retention

    func retention() throws -> Report {
        let (from, to) = try period(defaultMonths: 12)
        let (join, args): (String, [DatabaseValueConvertible]) = q.rm.map {
            (" JOIN customers c ON c.customer_id = k.customer_id AND c.rm_id = ?", [$0])
        } ?? ("", [])
        var rows: [[V]] = []
        // Cases opened in the period, by how they stand, then why customers left.
        let status = try Row.fetchAll(db, sql: """
            SELECT ifnull(k.outcome, 'open'), count(*) FROM retention_cases k\(join)
            WHERE substr(datetime(k.opened_at, '+8 hours'), 1, 7) BETWEEN ? AND ? GROUP BY 1
            """, arguments: StatementArguments(args + [from, to]))
        let byStatus = Dictionary(status.map { ($0[0] as String, $0[1] as Int64) }, uniquingKeysWith: { a, _ in a })
        let total = byStatus.values.reduce(0, +)
        func share(_ n: Int64) -> V { .share(total > 0 ? Double(n) / Double(total) : nil) }
        rows.append([.text("未结 open"), .int(byStatus["open"] ?? 0), share(byStatus["open"] ?? 0)])
        for o in RetentionOutcome.allCases { rows.append([.text(o.label), .int(byStatus[o.rawValue] ?? 0), share(byStatus[o.rawValue] ?? 0)]) }
        let reasons = try Row.fetchAll(db, sql: """
            SELECT k.reason_category, count(*) FROM retention_cases k\(join)
            WHERE substr(datetime(k.opened_at, '+8 hours'), 1, 7) BETWEEN ? AND ? AND k.reason_category IS NOT NULL GROUP BY 1 ORDER BY 2 DESC
            """, arguments: StatementArguments(args + [from, to]))
        for r in reasons {
            rows.append([.text("  原因 " + (RetentionReason(rawValue: r[0])?.label ?? r[0])), .int(r[1]), share(r[1])])
        }
        let went = try String.fetchAll(db, sql: """
            SELECT k.money_went FROM retention_cases k\(join)
            WHERE substr(datetime(k.opened_at, '+8 hours'), 1, 7) BETWEEN ? AND ? AND k.money_went IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC LIMIT 5
            """, arguments: StatementArguments(args + [from, to]))
        var p = params
        p["from"] = from; p["to"] = to
        return Report(name: "retention", title: "流失预警与挽留 Churn warnings and retention \(from) → \(to)", parameters: p,
                      columns: [.init("status", "结果 outcome / 原因 reason", .text), .init("cases", "案例 cases", .count),
                                .init("share", "占比 share", .share)],
                      rows: rows, totals: [.text("合计 cases opened"), .int(total), .share(total > 0 ? 1 : nil)],
                      notes: ["money went to: " + (went.isEmpty ? "—" : went.joined(separator: ", "))], chart: ("status", "cases"))
    }

    // MARK: payroll

    func payroll() throws -> Report {
        let to = try checkMonth(q.to, "to") ?? latestMonth()
        let from = try checkMonth(q.from, "from") ?? to
        let before = Self.previous(from)
        // Members: everyone who ever received the unit's payroll; P: its credits in the period.
        var units: [String: (members: Set<String>, paid: Int64)] = [:]
        if let rm = q.rm {
            // One RM: from their customers' accounts.
            let cursor = try Row.fetchCursor(db, sql: """
                SELECT t.payroll_unit_id, a.customer_id, CASE WHEN substr(t.posted_at, 1, 7) BETWEEN ? AND ? THEN t.amount_fen ELSE 0 END
                FROM customers c JOIN accounts a ON a.customer_id = c.customer_id JOIN transactions t ON t.account_id = a.account_id
                WHERE c.rm_id = ? AND t.kind = 'payroll' AND t.payroll_unit_id IS NOT NULL
                """, arguments: [from, to, rm])
            while let r = try cursor.next() {
                units[r[0], default: ([], 0)].members.insert(r[1])
                units[r[0], default: ([], 0)].paid += r[2]
            }
        } else {
            // The branch: grouped by account in the (covering) payroll index, each account's
            // customer looked up once.
            var owner: [String: String] = [:]
            let customerOf = try db.makeStatement(sql: "SELECT customer_id FROM accounts WHERE account_id = ?")
            let cursor = try Row.fetchCursor(db, sql: """
                SELECT payroll_unit_id, account_id, sum(CASE WHEN substr(posted_at, 1, 7) BETWEEN ? AND ? THEN amount_fen ELSE 0 END)
                FROM transactions INDEXED BY transactions_payroll
                WHERE kind = 'payroll' AND payroll_unit_id IS NOT NULL GROUP BY payroll_unit_id, account_id
                """, arguments: [from, to])
            while let r = try cursor.next() {
                let account: String = r[1]
                if owner[account] == nil { owner[account] = try String.fetchOne(customerOf, arguments: [account]) ?? "" }
                guard let customer = owner[account], !customer.isEmpty else { continue }
                units[r[0], default: ([], 0)].members.insert(customer)
                units[r[0], default: ([], 0)].paid += r[2]
            }
        }
        let end = try db.makeStatement(sql: "SELECT aum_end_fen FROM monthly_balances WHERE customer_id = ? AND month = ?")
        let names = Dictionary(try Row.fetchAll(db, sql: "SELECT unit_id, name FROM payroll_units").map { ($0[0] as String, $0[1] as String) },
                               uniquingKeysWith: { a, _ in a })
        var rows: [[V]] = []
        var tp: Int64 = 0, tr: Int64 = 0, tm: Int64 = 0
        for (unit, u) in units.sorted(by: { $0.key < $1.key }) {
            var retained: Int64 = 0
            for m in u.members {
                let after = try Int64.fetchOne(end, arguments: [m, to]) ?? 0
                let prior = try Int64.fetchOne(end, arguments: [m, before]) ?? 0
                retained += after - prior
            }
            rows.append([.text(unit), .text(names[unit] ?? ""), .int(Int64(u.members.count)), .int(u.paid), .int(retained),
                         .share(u.paid != 0 ? Double(retained) / Double(u.paid) : nil)])
            tp += u.paid; tr += retained; tm += Int64(u.members.count)
        }
        var p = params
        p["from"] = from; p["to"] = to
        return Report(name: "payroll", title: "代发单位 Payroll units \(from) → \(to)", parameters: p,
                      columns: [.init("unit", "单位 unit", .text), .init("name", "名称 name", .text), .init("members", "成员 members", .count),
                                .init("payroll_fen", "代发 payroll P", .money), .init("retained_fen", "留存 retained R", .money),
                                .init("retention", "留存率 R/P", .share)],
                      rows: rows, totals: [.text("合计"), .text(""), .int(tm), .int(tp), .int(tr), .share(tp != 0 ? Double(tr) / Double(tp) : nil)],
                      notes: ["R = members' AUM at the end of \(to) − at the end of \(before) (extract-format.md); it can be negative"],
                      chart: ("unit", "retention"))
    }

    // MARK: nps

    func nps() throws -> Report {
        let (from, to) = try period(defaultMonths: 12)
        let (join, args): (String, [DatabaseValueConvertible]) = q.rm.map {
            (" JOIN customers c ON c.customer_id = s.customer_id AND c.rm_id = ?", [$0])
        } ?? ("", [])
        var rows: [[V]] = []
        for (key, label) in [("attitude", "服务态度 attitude"), ("online", "线上渠道 online"), ("efficiency", "办理效率 efficiency"),
                             ("skill", "专业能力 skill")] {
            let r = try Row.fetchOne(db, sql: """
                SELECT count(s.\(key)), sum(s.\(key) >= 4), sum(s.\(key) = 3), sum(s.\(key) <= 2)
                FROM surveys s\(join) WHERE substr(s.answered_on, 1, 7) BETWEEN ? AND ?
                """, arguments: StatementArguments(args + [from, to]))!
            let n: Int64 = r[0] ?? 0
            func share(_ x: Int64?) -> V { .share(n > 0 ? Double(x ?? 0) / Double(n) : nil) }
            rows.append([.text(label), .int(n), share(r[1]), share(r[2]), share(r[3]), .none])
        }
        let r = try Row.fetchOne(db, sql: """
            SELECT count(s.recommend), sum(s.recommend >= 9), sum(s.recommend BETWEEN 7 AND 8), sum(s.recommend <= 6)
            FROM surveys s\(join) WHERE substr(s.answered_on, 1, 7) BETWEEN ? AND ?
            """, arguments: StatementArguments(args + [from, to]))!
        let n: Int64 = r[0] ?? 0, pro: Int64 = r[1] ?? 0, pas: Int64 = r[2] ?? 0, det: Int64 = r[3] ?? 0
        let nps: V = n > 0 ? .int(Int64((Double(pro - det) * 100 / Double(n)).rounded())) : .none
        rows.append([.text("推荐 recommend (promoters / passives / detractors)"), .int(n),
                     .share(n > 0 ? Double(pro) / Double(n) : nil), .share(n > 0 ? Double(pas) / Double(n) : nil),
                     .share(n > 0 ? Double(det) / Double(n) : nil), nps])
        // What RMs noted of the customer's mood on their contacts, as a fifth view.
        let moodJoin = q.rm.map { _ in " JOIN customers c ON c.customer_id = i.customer_id AND c.rm_id = ?" } ?? ""
        let mood = try Row.fetchOne(db, sql: """
            SELECT count(i.mood), sum(i.mood = 'pleased'), sum(i.mood = 'neutral'), sum(i.mood IN ('worried', 'unhappy'))
            FROM interactions i\(moodJoin) WHERE i.mood IS NOT NULL AND substr(i.at, 1, 7) BETWEEN ? AND ?
            """, arguments: StatementArguments(args + [from, to]))!
        let mn: Int64 = mood[0] ?? 0
        func moodShare(_ x: Int64?) -> V { .share(mn > 0 ? Double(x ?? 0) / Double(mn) : nil) }
        rows.insert([.text("走访情绪 mood on contacts"), .int(mn), moodShare(mood[1]), moodShare(mood[2]), moodShare(mood[3]), .none],
                    at: rows.count - 1)
        var p = params
        p["from"] = from; p["to"] = to
        return Report(name: "nps", title: "满意度 Satisfaction and NPS \(from) → \(to)", parameters: p,
                      columns: [.init("question", "问题 question", .text), .init("answers", "回答 answers", .count),
                                .init("satisfied", "满意 satisfied / promoters", .share), .init("neutral", "一般 neutral / passives", .share),
                                .init("dissatisfied", "不满 dissatisfied / detractors", .share), .init("nps", "NPS", .count)],
                      rows: rows, totals: nil,
                      notes: ["satisfied = 4–5, neutral = 3, dissatisfied = 1–2; NPS = %(9–10) − %(0–6) of the answers with a recommendation",
                              "mood on contacts: what RMs recorded in visit and call logs (pleased / neutral / worried or unhappy)"],
                      chart: ("question", "satisfied"))
    }

    // MARK: channels

    func channels() throws -> Report {
        let (clause, args) = rmClause
        var rows: [[V]] = []
        let all = try Row.fetchAll(db, sql: """
            SELECT ifnull(acquisition_channel, 'unknown'), count(*), sum(aum_fen) FROM customers WHERE 1\(clause) GROUP BY 1 ORDER BY 2 DESC
            """, arguments: StatementArguments(args))
        let total = all.reduce(Int64(0)) { $0 + ($1[1] as Int64) }
        for r in all {
            let n: Int64 = r[1]
            rows.append([.text(r[0]), .int(n), .share(total > 0 ? Double(n) / Double(total) : nil), .int(r[2] ?? 0)])
        }
        let top = try Row.fetchAll(db, sql: """
            SELECT r.referrer_id, (SELECT name FROM customers WHERE customer_id = r.referrer_id), count(*) FROM customers r
            WHERE r.referrer_id IS NOT NULL\(clause.replacingOccurrences(of: "rm_id", with: "r.rm_id")) GROUP BY 1 ORDER BY 3 DESC, 1 LIMIT 10
            """, arguments: StatementArguments(args))
        let referrers = top.map { "\($0[0] as String) \($0[1] as String? ?? "") (\($0[2] as Int64))" }
        // Prospects: where the people not yet customers come from, and whom customers referred.
        let bySource = try Row.fetchAll(db, sql: """
            SELECT source, count(*), count(customer_id) FROM prospects WHERE 1\(clause.replacingOccurrences(of: "rm_id", with: "owner_id"))
            GROUP BY 1 ORDER BY 2 DESC
            """, arguments: StatementArguments(args)).map { "\($0[0] as String) \($0[1] as Int64) (\($0[2] as Int64) opened)" }
        let prospectReferrers = try Row.fetchAll(db, sql: """
            SELECT p.referrer_id, (SELECT name FROM customers WHERE customer_id = p.referrer_id), count(*) FROM prospects p
            WHERE p.referrer_id IS NOT NULL\(clause.replacingOccurrences(of: "rm_id", with: "p.owner_id")) GROUP BY 1 ORDER BY 3 DESC, 1 LIMIT 10
            """, arguments: StatementArguments(args)).map { "\($0[0] as String) \($0[1] as String? ?? "") (\($0[2] as Int64))" }
        return Report(name: "channels", title: "获客渠道 Acquisition channels", parameters: params,
                      columns: [.init("channel", "渠道 channel", .text), .init("customers", "客户 customers", .count),
                                .init("share", "占比 share", .share), .init("aum_fen", "AUM", .money)],
                      rows: rows, totals: [.text("合计"), .int(total), .share(total > 0 ? 1 : nil), .none],
                      notes: ["top referrers: " + (referrers.isEmpty ? "—" : referrers.joined(separator: ", ")),
                              "prospects by source: " + (bySource.isEmpty ? "—" : bySource.joined(separator: ", ")),
                              "referred prospects: " + (prospectReferrers.isEmpty ? "—" : prospectReferrers.joined(separator: ", "))],
                      chart: ("channel", "customers"))
    }
}
