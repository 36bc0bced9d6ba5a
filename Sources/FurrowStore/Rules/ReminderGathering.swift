import FurrowCore
import GRDB

/// Reads what the reminder rules look at, for the customers in a scope, with one set-based
/// query per kind of cause (not one per customer), and turns it into candidates.
struct ReminderGathering {
    let db: Database
    let scopeSQL: String
    let scopeArgs: [(any DatabaseValueConvertible)?]
    let asOf: CalendarDate
    let rules: RulesConfig

    init(_ db: Database, scope: PortfolioScope, asOf: CalendarDate, rules: RulesConfig) {
        self.db = db
        self.asOf = asOf
        self.rules = rules
        switch scope {
        case .rm(let id): (scopeSQL, scopeArgs) = ("c.rm_id = ?", [id])
        case .team(let t): (scopeSQL, scopeArgs) = ("c.rm_id IN (SELECT staff_id FROM staff WHERE team = ?)", [t])
        case .branch: (scopeSQL, scopeArgs) = ("c.rm_id IS NOT NULL", [])
        }
    }

    private func rows(_ sql: String, _ args: [(any DatabaseValueConvertible)?] = []) throws -> RowCursor {
        try Row.fetchCursor(db, sql: sql, arguments: StatementArguments(scopeArgs + args))
    }

    private var calendar: WorkCalendar { rules.workCalendar }
    private func key(_ parts: String..., staff: String) -> String { parts.joined(separator: ":") + "@" + staff }
    private func yuan(_ fen: Int64) -> String { "¥" + Money(fen: fen).formattedWan() }

    /// The day before `d` on which the RM works, but not before `asOf` unless `d` itself is past.
    private func dueBefore(_ d: CalendarDate) -> CalendarDate {
        d < asOf ? d : max(asOf, calendar.workday(before: d))
    }

    func all() throws -> [ReminderCandidate] {
        var out: [ReminderCandidate] = []
        // The scope's accounts, read once: maturities, instalments and transactions all start
        // from them, and walking customers → accounts three times was most of the run. The
        // joins from this table are CROSS JOINs: SQLite has no statistics for a temp table and
        // would otherwise scan the whole transactions index against it.
        try db.execute(sql: """
            CREATE TEMP TABLE IF NOT EXISTS reminder_accounts (
                account_id TEXT PRIMARY KEY, customer_id TEXT NOT NULL, rm_id TEXT NOT NULL, type TEXT NOT NULL,
                product TEXT NOT NULL, maturity_date TEXT, balance_fen INTEGER NOT NULL, status TEXT NOT NULL
            ) WITHOUT ROWID;
            CREATE INDEX IF NOT EXISTS temp.reminder_accounts_customer ON reminder_accounts(customer_id);
            DELETE FROM reminder_accounts;
            """)
        try db.execute(sql: """
            INSERT INTO reminder_accounts
            SELECT a.account_id, a.customer_id, c.rm_id, p.type, p.name, a.maturity_date, a.balance_fen, a.status
            FROM customers c JOIN accounts a ON a.customer_id = c.customer_id JOIN products p ON p.product_code = a.product_code
            WHERE \(scopeSQL)
            """, arguments: StatementArguments(scopeArgs))
        defer { try? db.execute(sql: "DELETE FROM reminder_accounts") }
        try people(&out)
        try maturities(&out)
        try instalments(&out)
        try complaints(&out)
        try lifeEvents(&out)
        try transactions(&out)
        try retentionCases(&out)
        return out
    }

    // MARK: Birthdays, greetings, risk assessments, contact cadence

    private func people(_ out: inout [ReminderCandidate]) throws {
        let tiers = Tier.allCases.filter { $0 >= rules.greetingMinimumTier }.map { "'\($0.rawValue)'" }.joined(separator: ",")
        let graceStart = asOf.adding(days: -rules.greetingGraceDays)
        // A festival inside a long holiday is greeted on the last workday before the holiday,
        // so the lead time counts from that day.
        let occurrences = rules.greetings.map { g in (g, g.next(onOrAfter: graceStart)) }
            .filter { calendar.workday(before: $0.1) <= asOf.adding(days: rules.greetingLeadDays) }
        let cursor = try rows("""
            SELECT c.customer_id, c.name, c.rm_id, ifnull(cr.tier, c.tier), c.birth_date, c.flags, c.risk_assessed_on, c.last_contact_at,
                   (SELECT served_as FROM service_upgrades u WHERE u.customer_id = c.customer_id AND u.status = 'approved'),
                   cr.segment, p.monthly_cap, p.no_home_visits, p.preferred_channel,
                   CASE WHEN p.monthly_cap IS NOT NULL THEN
                     (SELECT count(*) FROM interactions i WHERE i.customer_id = c.customer_id AND i.at >= '\(asOf.adding(days: -30).iso)') END
            FROM customers c LEFT JOIN customer_rules cr ON cr.customer_id = c.customer_id
            LEFT JOIN customer_preferences p ON p.customer_id = c.customer_id
            WHERE \(scopeSQL) AND (ifnull(cr.tier, c.tier) IN (\(tiers))
                   OR c.customer_id IN (SELECT customer_id FROM service_upgrades WHERE status = 'approved'))
            """)
        while let r = try cursor.next() {
            let id: String = r[0], name: String = r[1], rm: String = r[2]
            let ownTier = Tier(rawValue: r[3] ?? "") ?? .mass
            // Served as the higher of their tier and an approved 一户一策 upgrade.
            let tier = max(ownTier, (r[8] as String?).flatMap(Tier.init(rawValue:)) ?? ownTier)
            guard tier >= rules.greetingMinimumTier else { continue }
            let plan = rules.servicePlans.plan(tier: ownTier, segment: (r[9] as String?).flatMap(Segment.init(rawValue:)),
                                               upgradedTo: (r[8] as String?).flatMap(Tier.init(rawValue:)), cadence: rules.cadenceDays)
            // (The date above is an ISO date Furrow made, not input: it is written into the SQL
            // because the select list's placeholders would come before the scope's.)
            // The customer's own limits: at the cap, no more contacts are proposed this month.
            let cap: Int? = r[10]
            let atCap = cap.map { ((r[13] as Int?) ?? 0) >= $0 } ?? false
            var wishes: [String] = []
            if let c = (r[12] as String?).flatMap(InteractionChannel.init(rawValue:)) { wishes.append("偏好\(c.label)") }
            if (r[11] as Int?) == 1 { wishes.append("不上门 no home visits") }
            let wish = wishes.isEmpty ? "" : " · " + wishes.joined(separator: ", ")
            // What the service plan brings for a festival or a birthday.
            var gestures: [String] = []
            if plan.items.contains(.gifts) { gestures.append("礼品 gift") }
            if plan.items.contains(.visit), (r[11] as Int?) != 1 { gestures.append("可上门 a visit") }
            let gesture = gestures.isEmpty ? " · 电话/短信 call or SMS" : " · " + gestures.joined(separator: ", ")
            let born = (r[4] as String?).flatMap { CalendarDate(iso: $0) }
            let flags: String = r[5] ?? ""
            if let born, let day = birthday(born, lunar: flags.contains("lunar_birthday"), from: graceStart),
               day <= asOf.adding(days: rules.birthdayLeadDays) {
                let age = born.age(on: day)
                out.append(ReminderCandidate(
                    rule: .birthday, causeKey: key("birthday", id, day.iso, staff: rm), customerID: id, staffID: rm,
                    title: "生日问候 birthday (\(age)岁)",
                    reason: "\(name) \(flags.contains("lunar_birthday") ? "农历" : "")生日 \(day.iso)", dueOn: dueBefore(day.adding(days: 1))))
            }
            for (g, day) in occurrences where !atCap {
                if let min = g.minimumAge, (born?.age(on: day) ?? 0) < min { continue }
                out.append(ReminderCandidate(
                    rule: .greeting, causeKey: key("greeting", g.id, day.iso, id, staff: rm), customerID: id, staffID: rm,
                    title: "\(g.name.split(separator: " ").first ?? "")问候 greeting",
                    reason: "\(g.name) \(day.iso) · \(plan.reason)\(gesture)\(wish)", dueOn: dueBefore(day)))
            }
            if let assessed = (r[6] as String?).flatMap({ CalendarDate(iso: $0) }) {
                let expiry = assessed.adding(days: rules.riskValidityDays)
                if expiry <= asOf.adding(days: rules.riskLeadDays), expiry >= asOf.adding(days: -rules.riskValidityDays) {
                    out.append(ReminderCandidate(
                        rule: .riskExpiry, causeKey: key("risk", id, expiry.iso, staff: rm), customerID: id, staffID: rm,
                        title: "风险测评到期 risk assessment " + (expiry < asOf ? "expired" : "expiring"),
                        reason: "测评 \(assessed.iso), 有效至 valid to \(expiry.iso); 到期后不能购买理财 no wealth products after",
                        dueOn: expiry < asOf ? expiry : dueBefore(expiry)))
                }
            }
            if let every = plan.cadenceDays, !atCap {
                let last = (r[7] as String?).flatMap { CalendarDate(iso: $0.prefix(10)) }
                let due = last.map { $0.adding(days: every) } ?? asOf
                if due <= asOf {
                    out.append(ReminderCandidate(
                        rule: .cadence, causeKey: key("cadence", id, last?.iso ?? "never", staff: rm), customerID: id, staffID: rm,
                        title: "定期联系 contact due",
                        reason: "\(plan.reason) 每 \(every) 天联系一次 every \(every) days; 上次 last " + (last?.iso ?? "从未 never") + wish,
                        dueOn: calendar.workday(onOrAfter: due)))
                }
            }
        }
    }

    /// The birthday on or after `from` (29 February on 28 February in other years), or the
    /// lunar one for customers who keep it.
    func birthday(_ born: CalendarDate, lunar: Bool, from: CalendarDate) -> CalendarDate? {
        if lunar {
            let l = LunarCalendar.lunar(born)
            return LunarCalendar.next(month: l.month, day: l.day, onOrAfter: from)
        }
        for year in [from.year, from.year + 1] {
            let day = CalendarDate(year: year, month: born.month, day: born.day)
                ?? CalendarDate(year: year, month: born.month, day: born.day - 1)
            if let day, day >= from { return day }
        }
        return nil
    }

    // MARK: Maturities and loans

    private func maturities(_ out: inout [ReminderCandidate]) throws {
        let cursor = try Row.fetchCursor(db, sql: """
            SELECT r.account_id, r.customer_id, r.maturity_date, r.balance_fen, r.product, r.type, r.rm_id
            FROM reminder_accounts r
            WHERE r.status = 'active' AND r.maturity_date BETWEEN ? AND ? AND r.type IN ('time_deposit', 'wealth', 'bond', 'loan')
            """, arguments: [asOf.adding(days: -30).iso, asOf.adding(days: max(rules.maturityLeadDays, rules.loanMaturityLeadDays)).iso])
        while let r = try cursor.next() {
            let account: String = r[0], id: String = r[1], rm: String = r[6]
            guard let day = CalendarDate(iso: r[2] as String) else { continue }
            let balance: Int64 = r[3]
            let product: String = r[4]
            if r[5] as String == "loan" {
                guard day <= asOf.adding(days: rules.loanMaturityLeadDays) else { continue }
                out.append(ReminderCandidate(
                    rule: .loanMaturity, causeKey: key("loan-maturity", account, day.iso, staff: rm), customerID: id, staffID: rm,
                    title: "贷款到期 loan matures \(day.iso)", reason: "\(product) 余额 \(yuan(balance)): 续贷还是结清 renew or repay",
                    dueOn: day < asOf ? day : max(asOf, calendar.workday(onOrAfter: day.adding(days: -7)))))
                continue
            }
            guard day <= asOf.adding(days: rules.maturityLeadDays) else { continue }
            out.append(ReminderCandidate(
                rule: .maturity, causeKey: key("maturity", account, day.iso, staff: rm), customerID: id, staffID: rm,
                title: "到期转存 \(product) matures \(day.iso)",
                reason: "\(yuan(balance)) 到期 \(day.iso): 续存或转购 renew or reinvest before it leaves",
                dueOn: dueBefore(day), priority: balance >= 100_000_000 ? .high : .normal))
        }
    }

    /// Coming instalments only: the extract does not say which past ones were paid, so a past
    /// one would be a guess (an open task stays until a week after its day, then goes).
    private func instalments(_ out: inout [ReminderCandidate]) throws {
        let cursor = try Row.fetchCursor(db, sql: """
            SELECT l.account_id, l.due_date, l.principal_fen + l.interest_fen, r.customer_id, r.rm_id
            FROM reminder_accounts r CROSS JOIN loan_schedule l ON l.account_id = r.account_id
            WHERE r.type = 'loan' AND r.status = 'active' AND l.due_date BETWEEN ? AND ?
            """, arguments: [asOf.iso, asOf.adding(days: rules.instalmentLeadDays).iso])
        while let r = try cursor.next() {
            let account: String = r[0], id: String = r[3], rm: String = r[4]
            guard let day = CalendarDate(iso: r[1] as String) else { continue }
            out.append(ReminderCandidate(
                rule: .instalment, causeKey: key("instalment", account, day.iso, staff: rm), customerID: id, staffID: rm,
                title: "还款提醒 instalment \(day.iso)", reason: "贷款 \(account) 应还 \(yuan(r[2])) due \(day.iso)",
                dueOn: dueBefore(day)))
        }
    }

    // MARK: Complaints and life events

    private func complaints(_ out: inout [ReminderCandidate]) throws {
        // Old complaints nobody has touched are the extract's history; anything in the loop
        // (an owner, a status, filed by an RM) is work whatever its age. The task goes to the
        // complaint's owner, else the customer's RM; a reopening makes a new cause.
        let cursor = try rows("""
            SELECT p.complaint_id, p.customer_id, p.received_at, p.severity, p.deadline_at, p.category, ifnull(p.owner_id, c.rm_id),
                   (SELECT l.staff_id FROM staff s JOIN staff l ON l.team = s.team AND l.role = 'lead' AND l.active = 1
                    WHERE s.staff_id = c.rm_id ORDER BY l.staff_id LIMIT 1), p.status,
                   (SELECT count(*) FROM complaint_events e WHERE e.complaint_id = p.complaint_id
                    AND e.from_status = 'resolved' AND e.to_status = 'in_progress')
            FROM complaints p JOIN customers c ON c.customer_id = p.customer_id
            WHERE \(scopeSQL) AND ifnull(p.status, 'received') NOT IN ('resolved', 'confirmed', 'closed')
              AND (p.received_at >= ? OR p.owner_id IS NOT NULL OR p.recorded_by IS NOT NULL OR ifnull(p.status, 'received') != 'received')
            """, [asOf.adding(days: -rules.complaintLookbackDays).iso])
        while let r = try cursor.next() {
            let complaint: String = r[0], id: String = r[1], rm: String = r[6]
            let severity = Severity(rawValue: r[3] ?? "") ?? .medium
            let deadline: String = r[4] ?? rules.complaintSLA.deadline(receivedAt: r[2], severity: severity)
            guard let day = CalendarDate(iso: deadline.prefix(10)), day <= asOf.adding(days: rules.complaintWarningDays) else { continue }
            let status = ComplaintStatus(stored: r[8])
            let reopened: Int = r[9]
            let cause = reopened > 0 ? "\(complaint)#\(reopened)" : complaint
            out.append(ReminderCandidate(
                rule: .complaint, causeKey: key("complaint", cause, staff: rm), customerID: id, staffID: rm,
                title: "投诉期限 complaint deadline \(deadline.prefix(16))",
                reason: "\(r[5] as String? ?? "投诉") · \(severity.label) · \(status.label) · 收到 received \((r[2] as String).prefix(10))",
                dueOn: day, priority: .high))
            // Past its deadline: the team lead steps in (domain.md).
            if day < asOf, let lead: String = r[7], lead != rm {
                out.append(ReminderCandidate(
                    rule: .escalation, causeKey: key("escalation", cause, staff: lead), customerID: id, staffID: lead,
                    title: "投诉超期升级 overdue complaint of \(rm)",
                    reason: "\(r[5] as String? ?? "投诉") · \(severity.label) · 期限 deadline \(deadline.prefix(16)) · \(status.label)",
                    dueOn: asOf, priority: .high))
            }
        }
    }

    private func lifeEvents(_ out: inout [ReminderCandidate]) throws {
        let cursor = try rows("""
            SELECT i.interaction_id, i.customer_id, i.at, i.life_events, c.rm_id
            FROM interactions i JOIN customers c ON c.customer_id = i.customer_id
            WHERE \(scopeSQL) AND i.life_events IS NOT NULL AND i.at >= ?
            """, [asOf.adding(days: -rules.lifeEventLookbackDays).iso])
        while let r = try cursor.next() {
            let interaction: String = r[0], id: String = r[1], rm: String = r[4]
            let event: String = r[3]
            guard let day = CalendarDate(iso: (r[2] as String).prefix(10)) else { continue }
            // A hospital stay is for the manager to visit as well (domain.md).
            let serious = ["住院", "生病", "去世", "hospital", "病"].contains { event.contains($0) }
            out.append(ReminderCandidate(
                rule: .lifeEvent, causeKey: key("life-event", interaction, staff: rm), customerID: id, staffID: rm,
                title: serious ? "主管陪访 manager visit: \(event)" : "生活事件跟进 follow up: \(event)",
                reason: "\(day.iso) 记录 logged: \(event)",
                dueOn: calendar.workday(onOrAfter: max(asOf, day.adding(days: serious ? 2 : 7))),
                priority: serious ? .high : .normal))
        }
    }

    /// Each open retention case is on the customer's RM's queue until it is closed (after a
    /// reassignment, the new RM's).
    private func retentionCases(_ out: inout [ReminderCandidate]) throws {
        let cursor = try rows("""
            SELECT r.case_id, r.customer_id, c.rm_id, r.signal, substr(datetime(r.opened_at, '+8 hours'), 1, 10)
            FROM retention_cases r JOIN customers c ON c.customer_id = r.customer_id
            WHERE \(scopeSQL) AND r.status = 'open'
            """)
        while let r = try cursor.next() {
            guard let owner: String = r[2], let opened = CalendarDate(iso: r[4] as String) else { continue }
            out.append(ReminderCandidate(
                rule: .retention, causeKey: key("retention", r[0], staff: owner), customerID: r[1], staffID: owner,
                title: "挽留 retention: 了解原因并跟进 find out why, act",
                reason: "\(r[3] as String) · 案例 case \(r[0] as String) 开于 opened \(opened.iso)",
                dueOn: calendar.workday(onOrAfter: min(asOf, opened)), priority: .high))
        }
    }

    // MARK: Money moving

    private func transactions(_ out: inout [ReminderCandidate]) throws {
        let since = asOf.adding(days: -(rules.transactionLookbackDays + rules.tideDays)).iso
        let cursor = try Row.fetchCursor(db, sql: """
            SELECT t.txn_id, t.posted_at, t.amount_fen, t.kind, t.counterparty_bank, t.counterparty_name,
                   r.customer_id, r.rm_id,
                   (SELECT risk_level FROM customers WHERE customer_id = r.customer_id),
                   (SELECT risk_assessed_on FROM customers WHERE customer_id = r.customer_id),
                   CASE WHEN t.kind = 'payroll' THEN
                     (SELECT -sum(o.amount_fen) FROM reminder_accounts oa CROSS JOIN transactions o ON o.account_id = oa.account_id
                      WHERE oa.customer_id = r.customer_id AND o.kind IN ('withdrawal', 'transfer_out')
                        AND o.posted_at > t.posted_at AND o.posted_at <= datetime(t.posted_at, '+\(rules.tideDays) days'))
                   END
            FROM reminder_accounts r CROSS JOIN transactions t ON t.account_id = r.account_id
            WHERE t.posted_at >= ?
              AND ((t.kind IN ('deposit', 'transfer_in') AND t.amount_fen >= ?) OR t.kind = 'payroll'
                   OR (t.kind = 'transfer_out' AND t.counterparty_bank IS NOT NULL AND t.amount_fen <= ?))
            """, arguments: [since, rules.largeInflow.fen, -rules.largeOutflow.fen])
        var suitable: [String: String] = [:]
        while let r = try cursor.next() {
            let txn: String = r[0], id: String = r[6], rm: String = r[7]
            let posted: String = r[1]
            guard let day = CalendarDate(iso: posted.prefix(10)) else { continue }
            let amount: Int64 = r[2]
            let inLookback = day >= asOf.adding(days: -rules.transactionLookbackDays)
            switch r[3] as String {
            case "payroll":
                let out_: Int64 = r[10] ?? 0
                guard amount > 0, out_ * 100 >= amount * Int64(rules.tideSharePercent) else { continue }
                out.append(ReminderCandidate(
                    rule: .tide, causeKey: key("tide", txn, staff: rm), customerID: id, staffID: rm,
                    title: "流失预警 salary left within \(rules.tideDays) days",
                    reason: "\(day.iso) 代发 payroll \(yuan(amount)), \(rules.tideDays) 天内转出 out \(yuan(out_)) — 潮汐 tide",
                    dueOn: calendar.workday(onOrAfter: asOf), priority: .high))
            case "transfer_out":
                guard inLookback else { continue }
                out.append(ReminderCandidate(
                    rule: .largeOutflow, causeKey: key("outflow", txn, staff: rm), customerID: id, staffID: rm,
                    title: "大额转出 large transfer to \(r[4] as String? ?? "another bank")",
                    reason: "\(day.iso) 转出 \(yuan(-amount)) 至 \(r[4] as String? ?? "") \(r[5] as String? ?? ""): 了解原因 ask why",
                    dueOn: calendar.workday(onOrAfter: asOf), priority: .high))
            default:
                guard inLookback else { continue }
                let risk = (r[8] as String?).flatMap(RiskLevel.init(rawValue:))
                let assessed = (r[9] as String?).flatMap { CalendarDate(iso: $0) }
                let expired = assessed.map { $0.adding(days: rules.riskValidityDays) < asOf } ?? true
                let cacheKey = expired ? "none" : (risk?.rawValue ?? "none")
                if suitable[cacheKey] == nil { suitable[cacheKey] = try products(upTo: expired ? nil : risk) }
                out.append(ReminderCandidate(
                    rule: .largeInflow, causeKey: key("inflow", txn, staff: rm), customerID: id, staffID: rm,
                    title: "大额资金入账 large inflow \(yuan(amount))",
                    reason: "\(day.iso) 入账 \(yuan(amount)) \(r[5] as String? ?? ""); 适合 fits: \(suitable[cacheKey]!)"
                        + (expired ? " (先做风险测评 assess risk first)" : ""),
                    dueOn: calendar.workday(onOrAfter: asOf), priority: amount >= rules.largeInflow.fen * 3 ? .high : .normal))
            }
        }
    }

    /// Up to three products whose risk level is within the customer's rating (deposits only
    /// without a valid assessment).
    private func products(upTo risk: RiskLevel?) throws -> String {
        let names: [String]
        if let risk {
            names = try String.fetchAll(db, sql: """
                SELECT name FROM products WHERE type IN ('time_deposit', 'wealth', 'fund', 'bond', 'insurance')
                  AND ifnull(risk_level, 'R1') <= ? ORDER BY ifnull(risk_level, 'R1') DESC, type, name LIMIT 3
                """, arguments: ["R" + risk.rawValue.dropFirst()])
        } else {
            // No valid assessment: deposits only until the customer is assessed again.
            names = try String.fetchAll(db, sql: "SELECT name FROM products WHERE type = 'time_deposit' ORDER BY name LIMIT 3")
        }
        return names.isEmpty ? "—" : names.joined(separator: "、")
    }
}
