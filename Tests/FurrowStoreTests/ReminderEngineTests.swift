import FurrowCore
import Testing
@testable import FurrowStore

/// The reminder engine on a small branch built so that each rule has exactly one cause,
/// on Monday 2026-09-21 (Mid-Autumn is Friday the 25th).
@Suite("The reminder engine")
struct ReminderEngineTests {
    static let asOf = CalendarDate(iso: "2026-09-21")!
    let db: AppDatabase

    init() throws {
        db = try AppDatabase.inMemory(clock: testClock)
        try Self.seed(db, asOf: Self.asOf)
    }

    static func seed(_ db: AppDatabase, asOf: CalendarDate, accountStatus: AccountStatus = .active, rmOfP1: String = "S1",
                     assignedSince: String = "2024-01-01") throws {
        func d(_ s: String) -> CalendarDate { CalendarDate(iso: s)! }
        _ = try db.importExtract(directory: "rules", actor: "t", asOf: asOf) { s in
            try s.upsert(Staff(staffID: "S1", name: "李经理", role: .rm, team: "东"))
            try s.upsert(Staff(staffID: "S2", name: "陈经理", role: .rm, team: "东"))
            try s.upsert(Product(productCode: "D", name: "活期", type: .demand, riskLevel: .r1))
            try s.upsert(Product(productCode: "T", name: "一年定期", type: .timeDeposit, riskLevel: .r1, termDays: 365))
            try s.upsert(Product(productCode: "W2", name: "稳健理财", type: .wealth, riskLevel: .r2))
            try s.upsert(Product(productCode: "W4", name: "进取基金", type: .fund, riskLevel: .r4))
            try s.upsert(Product(productCode: "L", name: "农户贷款", type: .loan))
            // P1: private tier; birthday in two days; risk assessment expired; not contacted for
            // seven weeks; a deposit maturing on Mid-Autumn day; a large inflow last week.
            try s.upsert(Customer(customerID: "P1", name: "钱多多", kind: .individual, birthDate: d("1960-09-23"),
                                  riskLevel: .c2, riskAssessedOn: d("2025-09-01")))
            try s.upsert(Account(accountID: "P1-D", customerID: "P1", productCode: "D", balance: Money(yuan: 5_500_000), status: .active))
            try s.upsert(Account(accountID: "P1-T", customerID: "P1", productCode: "T", maturityDate: d("2026-09-25"),
                                 balance: Money(yuan: 1_500_000), status: accountStatus))
            try s.upsert(Transaction(txnID: "P1-in", accountID: "P1-D", postedAt: "2026-09-18 10:00:00",
                                     amount: Money(yuan: 500_000), kind: .transferIn, counterpartyName: "拆迁办"))
            try s.upsert(Interaction(interactionID: "P1-old", customerID: "P1", staffID: "S1", at: "2026-08-01 09:00:00",
                                     channel: .visit, purpose: "回访"))
            // W1: wealth tier, born on 29 February; a complaint due today; money to another bank.
            try s.upsert(Customer(customerID: "W1", name: "王小虎", kind: .individual, birthDate: d("1992-02-29"),
                                  riskLevel: .c3, riskAssessedOn: d("2026-06-01")))
            try s.upsert(Account(accountID: "W1-D", customerID: "W1", productCode: "D", balance: Money(yuan: 600_000), status: .active))
            try s.upsert(Transaction(txnID: "W1-out", accountID: "W1-D", postedAt: "2026-09-20 15:00:00",
                                     amount: Money(yuan: -250_000), kind: .transferOut, counterpartyName: "王小虎",
                                     counterpartyBank: "杭州银行"))
            try s.upsert(Interaction(interactionID: "W1-call", customerID: "W1", staffID: "S1", at: "2026-09-15 09:00:00",
                                     channel: .call, purpose: "问候"))
            try s.upsert(Complaint(complaintID: "K1", customerID: "W1", receivedAt: "2026-09-19 09:00:00", channel: .counter,
                                   category: "排队", severity: .high))
            // M1: mass tier (no greetings for the RM), a payroll that left at once, a loan instalment.
            try s.upsert(Customer(customerID: "M1", name: "马小明", kind: .farmer, birthDate: d("1980-09-22")))
            try s.upsert(Account(accountID: "M1-D", customerID: "M1", productCode: "D", balance: Money(yuan: 3_000), status: .active))
            try s.upsert(Account(accountID: "M1-L", customerID: "M1", productCode: "L", balance: Money(yuan: 30_000), status: .active))
            try s.upsert(LoanInstalment(accountID: "M1-L", dueDate: d("2026-09-24"), principal: Money(yuan: 2_000), interest: Money(yuan: 90)))
            try s.upsert(Transaction(txnID: "M1-pay", accountID: "M1-D", postedAt: "2026-09-15 08:00:00",
                                     amount: Money(yuan: 10_000), kind: .payroll))
            try s.upsert(Transaction(txnID: "M1-out", accountID: "M1-D", postedAt: "2026-09-16 12:00:00",
                                     amount: Money(yuan: -9_000), kind: .transferOut, counterpartyBank: "网商银行"))
            // Tiers come from the monthly average AUM.
            for (id, yuan) in [("P1", Int64(7_000_000)), ("W1", 600_000), ("M1", 3_000)] {
                try s.upsert(MonthlyBalance(customerID: id, month: "2026-08", aumAverage: Money(yuan: yuan), aumEnd: Money(yuan: yuan)))
            }
            try s.upsert(Assignment(customerID: "P1", staffID: rmOfP1, since: d(assignedSince)))
            if rmOfP1 != "S1" { try s.upsert(Assignment(customerID: "P1", staffID: "S1", since: d("2024-01-01"))) }
            try s.upsert(Assignment(customerID: "W1", staffID: "S1", since: d("2024-01-01")))
            try s.upsert(Assignment(customerID: "M1", staffID: "S1", since: d("2024-01-01")))
            return .commit(summary: "rules fixture")
        }
        _ = try db.logContact(ContactLog(customerID: "W1", channel: .visit, at: "2026-09-10 10:00", purpose: "回访",
                                         lifeEvents: "父亲住院"), by: "S1", now: "2026-09-10 12:00:00")
    }

    func open() throws -> [FollowUpTask] {
        try db.taskQueue(scope: .rm("S1"), from: nil, through: Self.asOf.adding(days: 60), today: Self.asOf).map(\.task)
    }

    @Test("each rule raises its task, with the reason, and only for its cause")
    func everyRule() throws {
        let r = try db.runReminders(scope: .rm("S1"), asOf: Self.asOf, by: "test")
        let tasks = try open()
        func the(_ rule: ReminderRule, _ customer: String) -> FollowUpTask? {
            tasks.first { $0.rule == rule && $0.customerID == customer }
        }
        let birthday = try #require(the(.birthday, "P1"))
        #expect(birthday.title.contains("66岁") && birthday.dueOn == CalendarDate(iso: "2026-09-23"))
        #expect(the(.birthday, "M1") == nil, "mass tier: the system greets, not the RM")
        let greeting = try #require(the(.greeting, "P1"))
        #expect(greeting.title.contains("中秋") && greeting.dueOn == CalendarDate(iso: "2026-09-24"), "the workday before the festival")
        #expect(the(.greeting, "W1") != nil && the(.greeting, "M1") == nil)
        let maturity = try #require(the(.maturity, "P1"))
        #expect(maturity.dueOn == CalendarDate(iso: "2026-09-24") && maturity.priority == .high)
        #expect(maturity.reason?.contains("¥150万") == true)
        #expect(try #require(the(.riskExpiry, "P1")).dueOn == CalendarDate(iso: "2026-09-01"))
        #expect(the(.riskExpiry, "W1") == nil, "assessed in June: valid")
        #expect(try #require(the(.cadence, "P1")).reason?.contains("2026-08-01") == true)
        #expect(the(.cadence, "W1") == nil, "called last week, within 90 days")
        let inflow = try #require(the(.largeInflow, "P1"))
        // The C2 rating has lapsed: deposits only (R1) until the customer is assessed again.
        #expect(inflow.reason?.contains("一年定期") == true)
        #expect(inflow.reason?.contains("稳健理财") == false && inflow.reason?.contains("进取基金") == false)
        #expect(inflow.reason?.contains("先做风险测评") == true, "the assessment has expired")
        #expect(the(.largeOutflow, "W1")?.title.contains("杭州银行") == true)
        #expect(the(.complaint, "W1")?.dueOn == CalendarDate(iso: "2026-09-21"))
        let life = try #require(the(.lifeEvent, "W1"))
        #expect(life.title.contains("主管陪访") && life.priority == .high)
        #expect(the(.tide, "M1") != nil)
        #expect(the(.instalment, "M1")?.dueOn == CalendarDate(iso: "2026-09-23"))
        #expect(r.created == tasks.count)
        #expect(Set(tasks.compactMap(\.rule)) == Set(ReminderRule.allCases).subtracting([.loanMaturity, .escalation, .retention]),
                "escalation, retention: see their own tests")
    }

    @Test("running it again creates nothing and withdraws nothing")
    func idempotent() throws {
        let first = try db.runReminders(scope: .rm("S1"), asOf: Self.asOf, by: "test")
        let before = try db.rowCounts()["tasks"]
        let second = try db.runReminders(scope: .rm("S1"), asOf: Self.asOf, by: "test")
        #expect(first.created > 10)
        #expect(second.created == 0 && second.withdrawn == 0)
        #expect(try db.rowCounts()["tasks"] == before)
        #expect(second.open == first.open)
        // A task the RM closed does not come back.
        let greeting = try #require(try open().first { $0.rule == .greeting && $0.customerID == "P1" })
        try db.completeTask(taskID: greeting.taskID, outcome: "已问候", by: "S1")
        #expect(try db.runReminders(scope: .rm("S1"), asOf: Self.asOf, by: "test").created == 0)
    }

    @Test("a reminder whose cause goes away is withdrawn: the deposit renewed, the customer contacted")
    func withdrawn() throws {
        try db.runReminders(scope: .rm("S1"), asOf: Self.asOf, by: "test")
        try Self.seed(db, asOf: Self.asOf, accountStatus: .closed)
        _ = try db.logContact(ContactLog(customerID: "P1", channel: .call, purpose: "到期续存"), by: "S1", now: "2026-09-21 10:00:00")
        let r = try db.runReminders(scope: .rm("S1"), asOf: Self.asOf, by: "test")
        #expect(r.withdrawn == 2)
        let tasks = try open()
        #expect(!tasks.contains { $0.rule == .maturity } && !tasks.contains { $0.rule == .cadence })
        #expect(tasks.contains { $0.rule == .birthday }, "a birthday is not withdrawn for a contact")
    }

    @Test("a birthday stays while it can still be acted on, and goes a week after")
    func dated() throws {
        try db.runReminders(scope: .rm("S1"), asOf: Self.asOf, by: "test")
        try db.runReminders(scope: .rm("S1"), asOf: CalendarDate(iso: "2026-09-28")!, by: "test")
        #expect(try open().contains { $0.rule == .birthday })
        try db.runReminders(scope: .rm("S1"), asOf: CalendarDate(iso: "2026-10-01")!, by: "test")
        #expect(!(try open().contains { $0.rule == .birthday }))
    }

    @Test("29 February birthdays are kept on the 28th in other years; visits never land on a holiday")
    func leapDayAndHolidays() throws {
        try db.runReminders(scope: .rm("S1"), asOf: CalendarDate(iso: "2027-02-26")!, by: "test")
        let queue = try db.taskQueue(scope: .rm("S1"), from: nil, through: CalendarDate(iso: "2027-03-31")!,
                                     today: CalendarDate(iso: "2027-02-26")!)
        #expect(queue.contains { $0.task.rule == .birthday && $0.task.customerID == "W1" && $0.task.reason?.contains("2027-02-28") == true })
        for item in queue where item.task.rule != .riskExpiry && item.task.dueOn >= CalendarDate(iso: "2027-02-26")! {
            #expect(WorkCalendar.china.isWorkday(item.task.dueOn) || item.task.rule == .birthday || item.task.rule == .complaint,
                    "\(item.task.title) due \(item.task.dueOn)")
        }
    }

    @Test("a customer reassigned to another RM: the old RM's reminders are withdrawn, the new RM gets them")
    func reassigned() throws {
        try db.runReminders(scope: .rm("S1"), asOf: Self.asOf, by: "test")
        try Self.seed(db, asOf: Self.asOf, rmOfP1: "S2", assignedSince: "2026-09-21")
        let old = try db.runReminders(scope: .rm("S1"), asOf: Self.asOf, by: "test")
        #expect(old.withdrawn >= 5)
        #expect(!(try open().contains { $0.customerID == "P1" }))
        let new = try db.runReminders(scope: .rm("S2"), asOf: Self.asOf, by: "test")
        #expect(new.created >= 5)
    }
}

@Suite("The nightly run")
struct NightlyTests {
    @Test("classifies every customer with reasons, feeds churn signals into activity, and a rerun changes nothing")
    func nightly() throws {
        let db = try AppDatabase.inMemory(clock: testClock)
        try ReminderEngineTests.seed(db, asOf: ReminderEngineTests.asOf)
        let r = try db.runNightly(asOf: ReminderEngineTests.asOf, by: "test")
        #expect(r.customers == 3 && r.changed == 3)
        #expect(r.tiers == ["private": 1, "wealth": 1, "mass": 1])
        let p1 = try #require(try db.classification(customerID: "P1")?.1)
        #expect(p1.tier == .privateBanking && p1.valueClass == .core && p1.segment != nil)
        let m1 = try #require(try db.classification(customerID: "M1")?.1)
        #expect(m1.activity == .churnWarning && m1.activityReason.contains("salary left"), "the tide reminder is a churn signal")
        #expect(m1.segment == nil)
        let again = try db.runNightly(asOf: ReminderEngineTests.asOf, by: "test")
        #expect(again.changed == 0 && again.reminders.created == 0)
    }
}

@Suite("Complaint escalation")
struct EscalationTests {
    @Test("an open complaint past its deadline is raised to the team lead, once; closing it withdraws the lead's task")
    func escalation() throws {
        let db = try AppDatabase.inMemory(clock: testClock)
        try ReminderEngineTests.seed(db, asOf: ReminderEngineTests.asOf)
        _ = try db.importExtract(directory: "lead", actor: "t", asOf: ReminderEngineTests.asOf) { s in
            try s.upsert(Staff(staffID: "L1", name: "赵组长", role: .lead, team: "东"))
            return .commit(summary: "")
        }
        // K1 (high, received 09-19) is due 09-21: on the 22nd it is overdue.
        let day = CalendarDate(iso: "2026-09-22")!
        try db.runReminders(scope: .branch, asOf: day, by: "t")
        let lead = try db.taskQueue(scope: .rm("L1"), from: nil, through: day.adding(days: 30), today: day)
        #expect(lead.count == 1 && lead.first?.task.rule == .escalation)
        #expect(lead.first?.urgency.explanation.contains("投诉升级 complaint escalated +30") == true)
        #expect(try db.runReminders(scope: .branch, asOf: day, by: "t").created == 0)
        try db.advanceComplaint("K1", to: .inProgress, note: nil, by: "S1")
        try db.advanceComplaint("K1", to: .resolved, note: "已道歉并加开窗口", by: "S1")
        let r = try db.runReminders(scope: .branch, asOf: day, by: "t")
        #expect(r.withdrawn == 2, "the RM's deadline task and the lead's escalation")
        #expect(try db.taskQueue(scope: .rm("L1"), from: nil, through: day.adding(days: 30), today: day).isEmpty)
    }
}

@Suite("Service plans, 一户一策 upgrades and contact preferences")
struct ServiceTests {
    @Test("the A–H matrix: at most six items each; cadence by tier and segment")
    func matrix() {
        let plans = ServicePlans()
        for s in Segment.allCases { #expect((plans.matrix[s]?.count ?? 0) <= ServicePlans.maxItems) }
        let a = plans.plan(tier: .affluent, segment: .a, upgradedTo: nil, cadence: RulesConfig.standard.cadenceDays)
        #expect(a.items.map(\.rawValue) == [1, 2, 4, 5, 8, 9] && a.cadenceDays == 22)
        let h = plans.plan(tier: .wealth, segment: .h, upgradedTo: nil, cadence: RulesConfig.standard.cadenceDays)
        #expect(h.items.map(\.rawValue) == [1, 2, 3, 6, 7] && h.cadenceDays == 112)
        let mass = plans.plan(tier: .mass, segment: nil, upgradedTo: nil, cadence: RulesConfig.standard.cadenceDays)
        #expect(mass.cadenceDays == nil && mass.items == [.smsCare, .massEvents])
    }

    @Test("an upgrade needs a reason, a lead's decision (not the requester's), and then the engine serves the customer as the higher tier")
    func upgrade() throws {
        let db = try AppDatabase.inMemory(clock: testClock)
        try ReminderEngineTests.seed(db, asOf: ReminderEngineTests.asOf)
        _ = try db.importExtract(directory: "lead", actor: "t", asOf: ReminderEngineTests.asOf) { s in
            try s.upsert(Staff(staffID: "L1", name: "赵组长", role: .lead, team: "东"))
            return .commit(summary: "")
        }
        #expect(throws: StoreError.self) { try db.requestUpgrade(customerID: "M1", to: .affluent, reason: " ", by: "S1") }
        #expect(throws: StoreError.self) { try db.requestUpgrade(customerID: "P1", to: .affluent, reason: "x", by: "S1") }
        let u = try db.requestUpgrade(customerID: "M1", to: .affluent, reason: "儿子在杭州开厂, 资金将回流", by: "S1")
        #expect { try db.decideUpgrade(u.upgradeID, approve: true, note: nil, by: "S2") } throws: { "\($0)".contains("not a team lead") }
        try db.runReminders(scope: .rm("S1"), asOf: ReminderEngineTests.asOf, by: "t")
        let before = try db.taskQueue(scope: .rm("S1"), from: nil, through: ReminderEngineTests.asOf.adding(days: 30), today: ReminderEngineTests.asOf)
        #expect(!before.contains { $0.task.customerID == "M1" && $0.task.rule == .greeting })
        try db.decideUpgrade(u.upgradeID, approve: true, note: "同意", by: "L1")
        #expect(try db.servicePlan(customerID: "M1")?.servedAs == .affluent)
        try db.runReminders(scope: .rm("S1"), asOf: ReminderEngineTests.asOf, by: "t")
        let after = try db.taskQueue(scope: .rm("S1"), from: nil, through: ReminderEngineTests.asOf.adding(days: 30), today: ReminderEngineTests.asOf)
        #expect(after.contains { $0.task.customerID == "M1" && $0.task.rule == .greeting && $0.task.reason?.contains("一户一策") == true })
        #expect(after.contains { $0.task.customerID == "M1" && $0.task.rule == .birthday })
        // The nightly gives the upgraded customer a segment, and with it the plan's items.
        _ = try db.runNightly(asOf: ReminderEngineTests.asOf, by: "t")
        let plan = try #require(try db.servicePlan(customerID: "M1"))
        #expect(plan.items != [.smsCare, .massEvents] && plan.items.count >= 5, "\(plan.items)")
    }

    @Test("a festival inside a long holiday is greeted on the last workday before the holiday")
    func festivalInHoliday() throws {
        let db = try AppDatabase.inMemory(clock: testClock)
        try ReminderEngineTests.seed(db, asOf: ReminderEngineTests.asOf)
        // Mid-Autumn 2025 fell on 10-06, inside the National Day holiday (10-01 … 10-08).
        let day = CalendarDate(iso: "2025-09-25")!
        try db.runReminders(scope: .rm("S1"), asOf: day, by: "t")
        let q = try db.taskQueue(scope: .rm("S1"), from: nil, through: day.adding(days: 30), today: day)
        let g = try #require(q.first { $0.task.rule == .greeting && $0.task.customerID == "P1" && $0.task.title.contains("中秋") })
        #expect(g.task.dueOn == CalendarDate(iso: "2025-09-30") && g.task.reason?.contains("2025-10-06") == true)
    }

    @Test("preferences: bad values refused; a monthly cap reached stops cadence and greetings; wishes show in the reason")
    func preferences() throws {
        let db = try AppDatabase.inMemory(clock: testClock)
        try ReminderEngineTests.seed(db, asOf: ReminderEngineTests.asOf)
        #expect { try db.setPreferences(customerID: "P1", ContactPreferences(quietHours: "9pm-8am"), by: "S1") } throws: { "\($0)".contains("HH:MM-HH:MM") }
        try db.setPreferences(customerID: "W1", ContactPreferences(preferredChannel: .call, noHomeVisits: true), by: "S1")
        try db.setPreferences(customerID: "P1", ContactPreferences(monthlyCap: 1), by: "S1")
        _ = try db.logContact(ContactLog(customerID: "P1", channel: .call, at: "2026-09-05 10:00", purpose: "问候"), by: "S1", now: "2026-09-05 12:00:00")
        try db.runReminders(scope: .rm("S1"), asOf: ReminderEngineTests.asOf, by: "t")
        let q = try db.taskQueue(scope: .rm("S1"), from: nil, through: ReminderEngineTests.asOf.adding(days: 30), today: ReminderEngineTests.asOf)
        #expect(!q.contains { $0.task.customerID == "P1" && ($0.task.rule == .greeting || $0.task.rule == .cadence) }, "P1 is at their cap")
        #expect(q.contains { $0.task.customerID == "P1" && $0.task.rule == .maturity }, "money matters are not capped")
        #expect(q.first { $0.task.customerID == "W1" && $0.task.rule == .greeting }?.task.reason?.contains("不上门") == true)
        #expect(try db.preferences(customerID: "W1")?.summary == "偏好电话 · 不上门")
    }
}

@Suite("Retention cases")
struct RetentionTests {
    @Test("a churn warning opens one case, on its owner's queue; closing needs the outcome, the reason and where the money went")
    func cases() throws {
        let db = try AppDatabase.inMemory(clock: testClock)
        try ReminderEngineTests.seed(db, asOf: ReminderEngineTests.asOf)
        let n = try db.runNightly(asOf: ReminderEngineTests.asOf, by: "t")
        #expect(n.casesOpened == 2, "M1's tide, W1's large transfer out")
        let c = try #require(try db.retentionCases(customerID: "M1", openOnly: true).first)
        #expect(c.ownerID == "S1" && c.signal.contains("salary left"))
        #expect(try db.runNightly(asOf: ReminderEngineTests.asOf, by: "t").casesOpened == 0, "one open case at a time")
        let queue = try db.taskQueue(scope: .rm("S1"), from: nil, through: ReminderEngineTests.asOf.adding(days: 30), today: ReminderEngineTests.asOf)
        #expect(queue.contains { $0.task.rule == .retention && $0.task.customerID == "M1" })
        #expect(throws: StoreError.self) { try db.openRetentionCase(customerID: "M1", signal: "again", by: "S1") }
        try db.recordRetentionAction(c.caseID, note: "上门了解: 工资转到网商银行买理财", by: "S1")
        #expect { try db.closeRetentionCase(c.caseID, outcome: .lost, reason: .yield, moneyWent: nil, by: "S1") } throws: {
            "\($0)".contains("say where the money went")
        }
        try db.closeRetentionCase(c.caseID, outcome: .partly, reason: .yield, moneyWent: "网商银行余额宝类产品", by: "S1")
        #expect(try db.retentionCases(customerID: "M1").first?.actions.count == 1)
        #expect(throws: StoreError.self) { try db.recordRetentionAction(c.caseID, note: "x", by: "S1") }
        let r = try db.runReminders(scope: .rm("S1"), asOf: ReminderEngineTests.asOf, by: "t")
        #expect(r.withdrawn >= 1, "the case's task goes when it closes")
        let report = try db.report(.retention, ReportRequest(from: "2026-01", to: "2026-12"), today: ReminderEngineTests.asOf)
        #expect(report.rows.first { if case .text(let t) = $0[0] { t.contains("partly") } else { false } }?[1] == .int(1))
        #expect(report.notes.first?.contains("网商银行") == true)
    }
}

@Suite("Churn signals, the acceptance override, filters by classification")
struct ClassificationStoreTests {
    @Test("an open complaint, an unhappy contact or a maturity not renewed are churn signals; the override moves the segment")
    func signalsAndOverride() throws {
        let db = try AppDatabase.inMemory(clock: testClock)
        try ReminderEngineTests.seed(db, asOf: ReminderEngineTests.asOf)
        _ = try db.runNightly(asOf: ReminderEngineTests.asOf, by: "t")
        // W1: a large transfer out comes first; P1 has no signal yet.
        #expect(try db.classification(customerID: "P1")?.1.activity == .active)
        _ = try db.logContact(ContactLog(customerID: "P1", channel: .visit, at: "2026-09-20 10:00", purpose: "回访", mood: .unhappy),
                              by: "S1", now: "2026-09-20 12:00:00")
        _ = try db.runNightly(asOf: ReminderEngineTests.asOf, by: "t")
        let p1 = try #require(try db.classification(customerID: "P1")?.1)
        #expect(p1.activity == .churnWarning && p1.activityReason.contains("unhappy"))
        #expect(try db.retentionCases(customerID: "P1", openOnly: true).count == 1)
        let before = try #require(p1.segment)
        try db.setAcceptanceOverride(customerID: "P1", high: !p1.highAcceptance, by: "S1")
        _ = try db.runNightly(asOf: ReminderEngineTests.asOf, by: "t")
        let after = try #require(try db.classification(customerID: "P1")?.1)
        #expect(after.highAcceptance != p1.highAcceptance && after.segment != before)
        #expect(after.segmentReason.contains("set by the RM"))
        #expect(try db.portfolio(scope: .rm("S1"), filter: PortfolioFilter(activity: "churn-warning")).rows.map(\.customerID).sorted() == ["M1", "P1", "W1"])
        #expect(try db.portfolio(scope: .rm("S1"), filter: PortfolioFilter(segment: after.segment!.rawValue)).rows.map(\.customerID) == ["P1"])
        #expect(throws: StoreError.self) { try db.setAcceptanceOverride(customerID: "NOPE", high: true, by: "S1") }
    }
}

/// What the review of the rules found, each kept from coming back.
@Suite("Reminder engine: scopes, reopenings, long-lived causes")
struct ReminderRegressionTests {
    static let asOf = ReminderEngineTests.asOf

    func store() throws -> AppDatabase {
        let db = try AppDatabase.inMemory(clock: testClock)
        try ReminderEngineTests.seed(db, asOf: Self.asOf)
        _ = try db.importExtract(directory: "lead", actor: "t", asOf: Self.asOf) { s in
            try s.upsert(Staff(staffID: "L1", name: "赵组长", role: .lead, team: "东"))
            return .commit(summary: "")
        }
        return db
    }

    func open(_ db: AppDatabase, _ staff: String, _ day: CalendarDate = ReminderEngineTests.asOf) throws -> [FollowUpTask] {
        try db.taskQueue(scope: .rm(staff), from: nil, through: day.adding(days: 60), today: day).map(\.task)
    }

    @Test("a lead's own run does not withdraw the escalations of their RMs' customers")
    func leadScope() throws {
        let db = try store()
        let day = CalendarDate(iso: "2026-09-22")!
        try db.runReminders(scope: .rm("S1"), asOf: day, by: "t")
        #expect(try open(db, "L1", day).count == 1)
        try db.runReminders(scope: .rm("L1"), asOf: day, by: "t")
        try db.runReminders(scope: .team("东"), asOf: day, by: "t")
        #expect(try open(db, "L1", day).count == 1)
    }

    @Test("a complaint reopened after an unhappy callback is back on the queues; one in the loop stays however old, with its owner")
    func complaints() throws {
        let db = try store()
        let day = CalendarDate(iso: "2026-09-22")!
        try db.runReminders(scope: .branch, asOf: day, by: "t")
        try db.advanceComplaint("K1", to: .assigned, owner: "S2", note: nil, by: "L1")
        try db.advanceComplaint("K1", to: .inProgress, note: nil, by: "S2")
        try db.advanceComplaint("K1", to: .resolved, note: "道歉", by: "S2")
        try db.runReminders(scope: .branch, asOf: day, by: "t")
        #expect(!(try open(db, "S2", day).contains { $0.rule == .complaint }))
        try db.recordComplaintCallback("K1", satisfied: false, note: nil, by: "S2")
        try db.runReminders(scope: .branch, asOf: day, by: "t")
        #expect(try open(db, "S2", day).contains { $0.rule == .complaint }, "back, for its owner")
        #expect(try open(db, "L1", day).contains { $0.rule == .escalation })
        let later = CalendarDate(iso: "2026-12-01")!
        try db.runReminders(scope: .branch, asOf: later, by: "t")
        #expect(try open(db, "S2", later).contains { $0.rule == .complaint }, "in the loop: not history, however old")
    }

    @Test("money that moved stays on the queue after the look-back; it goes only a month late")
    func longLived() throws {
        let db = try store()
        try db.runReminders(scope: .rm("S1"), asOf: Self.asOf, by: "t")
        let in10 = Self.asOf.adding(days: 10)
        try db.runReminders(scope: .rm("S1"), asOf: in10, by: "t")
        #expect(try open(db, "S1", in10).contains { $0.rule == .tide } && (try open(db, "S1", in10).contains { $0.rule == .largeInflow }))
        let in40 = Self.asOf.adding(days: 40)
        try db.runReminders(scope: .rm("S1"), asOf: in40, by: "t")
        #expect(!(try open(db, "S1", in40).contains { $0.rule == .tide }))
    }

    @Test("a cadence task stays when only the cadence moved (a cap reached); a reassigned retention case reaches the new RM")
    func cadenceAndRetention() throws {
        let db = try store()
        try db.runReminders(scope: .rm("S1"), asOf: Self.asOf, by: "t")
        #expect(try open(db, "S1").contains { $0.rule == .cadence && $0.customerID == "P1" })
        try db.setPreferences(customerID: "P1", ContactPreferences(monthlyCap: 1), by: "S1")
        _ = try db.importExtract(directory: "x", actor: "t", asOf: Self.asOf) { s in
            try s.upsert(Interaction(interactionID: "P1-recent", customerID: "P1", staffID: "S9", at: "2026-09-01 09:00:00", channel: .counter,
                                     purpose: "柜面"))
            return .commit(summary: "")
        }
        try db.runReminders(scope: .rm("S1"), asOf: Self.asOf, by: "t")
        // The counter visit changed the last contact: that task is done with; the new one waits for the cap.
        let c = try db.openRetentionCase(customerID: "W1", signal: "说要转走", by: "S1")
        try db.runReminders(scope: .rm("S1"), asOf: Self.asOf, by: "t")
        #expect(try open(db, "S1").contains { $0.rule == .retention && $0.customerID == "W1" })
        try ReminderEngineTests.seed(db, asOf: Self.asOf, rmOfP1: "S1")
        _ = try db.importExtract(directory: "move", actor: "t", asOf: Self.asOf) { s in
            try s.upsert(Assignment(customerID: "W1", staffID: "S2", since: Self.asOf))
            return .commit(summary: "")
        }
        try db.runReminders(scope: .rm("S1"), asOf: Self.asOf, by: "t")
        try db.runReminders(scope: .rm("S2"), asOf: Self.asOf, by: "t")
        #expect(!(try open(db, "S1").contains { $0.rule == .retention }))
        #expect(try open(db, "S2").contains { $0.rule == .retention && $0.reason?.contains(c.caseID) == true })
    }

    @Test("the complaints report for one RM counts their customers' complaints")
    func complaintsReportForRM() throws {
        let db = try store()
        let r = try db.report(.complaints, ReportRequest(from: "2026-09", to: "2026-09", rm: "S1"), today: Self.asOf)
        #expect(r.totals?[1] == .int(1))
    }
}
