import FurrowCore
import Testing
@testable import FurrowStore

@Suite("What the workstation writes and reads: contact logs, tasks, complaints, drafts, views")
struct WorkstationStoreTests {
    let db: AppDatabase
    let today = StoreFixture.asOf
    init() throws { db = try StoreFixture.make() }

    func day(_ offset: Int) -> CalendarDate { today.adding(days: offset) }

    @Test("a visit log with a next step writes the log, the task and both audit entries, and drops its draft")
    func visitWithNextStep() throws {
        let draft = Draft(staffID: "S1", kind: "contact.visit", customerID: "C006", fields: ["purpose": "续存"], createdAt: "2026-11-20 09:00:00")
        try db.saveDraft(draft)
        let log = ContactLog(customerID: "C006", channel: .visit, at: "2026-11-20 09:30", durationMinutes: 40,
                             present: "妻子", purpose: "定期到期续存", discussed: "谈了续存", outcome: "同意下周来网点",
                             mood: .pleased, lifeEvents: "女儿明年上大学", nextStep: "网点办理续存",
                             nextStepDue: day(5))
        let (i, task) = try db.logContact(log, draftID: draft.draftID, by: "S1", now: "2026-11-20 12:00:00")
        let t = try #require(task)
        #expect(t.dueOn == day(5))
        #expect(t.title == "网点办理续存")
        let p = try #require(try db.profile(customerID: "C006"))
        let saved = try #require(p.interactions.first { $0.interactionID == i.interactionID })
        #expect(saved.at == "2026-11-20 09:30:00")
        #expect(saved.durationMinutes == 40 && saved.mood == .pleased && saved.present == "妻子")
        #expect(saved.lifeEvents == "女儿明年上大学")
        #expect(p.tasks.contains { $0.taskID == t.taskID && $0.status == .open })
        #expect(p.lastContactAt == "2026-11-20 09:30:00")
        #expect(try db.drafts(staffID: "S1").isEmpty)
        let actions = try db.auditTrail(customerID: "C006").map(\.action)
        #expect(actions.contains("interaction.log") && actions.contains("task.create"))
    }

    @Test("a bad log is refused with the field and reason, and writes nothing", arguments: [
        (ContactLog(customerID: "C006", channel: .call, at: "2026-13-01 10:00", purpose: "x"), "at"),
        (ContactLog(customerID: "C006", channel: .call, at: "2026-11-21 10:00", purpose: "x"), "at"),
        (ContactLog(customerID: "C006", channel: .call, durationMinutes: 0, purpose: "x"), "duration"),
        (ContactLog(customerID: "C006", channel: .call, purpose: "x", nextStep: "回访"), "nextStepDue"),
        (ContactLog(customerID: "C006", channel: .call, purpose: "x", nextStepDue: CalendarDate(year: 2026, month: 12, day: 1)), "nextStep"),
        (ContactLog(customerID: "C006", channel: .call, at: "2026-11-20 10:00", purpose: "x", nextStep: "回访",
                    nextStepDue: CalendarDate(year: 2026, month: 11, day: 1)), "nextStepDue"),
        (ContactLog(customerID: "C006", channel: .call, purpose: "  "), "purpose"),
        (ContactLog(customerID: "C006", channel: .call, at: "2026-11-20 +9:+5", purpose: "x"), "at"),
    ])
    func badLog(log: ContactLog, field: String) throws {
        let before = try db.rowCounts()
        #expect {
            try db.logContact(log, by: "S1", now: "2026-11-20 12:00:00")
        } throws: { ($0 as? StoreError) == .invalid(field: field, reason: log.problems(now: "2026-11-20 12:00:00")[field]!) }
        #expect(try db.rowCounts() == before)
    }

    @Test("a correction references the original log of the same customer only")
    func correction() throws {
        let first = try db.logInteraction(customerID: "C006", channel: .call, purpose: "问候", notes: nil, outcome: nil, by: "S1")
        let fix = try db.logContact(ContactLog(customerID: "C006", channel: .call, purpose: "问候并介绍理财", corrects: first.interactionID),
                                    by: "S1").0
        #expect(fix.corrects == first.interactionID)
        #expect(throws: StoreError.self) {
            try db.logContact(ContactLog(customerID: "C001", channel: .call, purpose: "x", corrects: first.interactionID), by: "S1")
        }
    }

    @Test("the Today queue groups overdue, today and the next 7 days, most urgent first, and explains why")
    func queue() throws {
        let a = try db.createTask(customerID: "C006", title: "回访", reason: nil, dueOn: day(-3), by: "S1")
        let b = try db.createTask(customerID: "C002", title: "生日问候", reason: nil, dueOn: day(0), by: "S1")
        let c = try db.createTask(customerID: "C003", title: "到期提醒", reason: nil, dueOn: day(2), priority: .high, by: "S1")
        let d = try db.createTask(customerID: "C004", title: "走访", reason: nil, dueOn: day(6), by: "S1")
        _ = try db.createTask(customerID: "C005", title: "太远", reason: nil, dueOn: day(8), by: "S1")
        _ = try db.createTask(customerID: "C007", title: "别人的", reason: nil, dueOn: day(0), by: "S2")
        let e = try db.createTask(customerID: "C006", title: "更逾期", reason: nil, dueOn: day(-10), by: "S1")
        let q = try db.todayQueue(scope: .rm("S1"), today: today)
        #expect(q.map(\.task.taskID) == [e.taskID, a.taskID, b.taskID, c.taskID, d.taskID])
        #expect(q.map { $0.group(today: today) } == [.overdue, .overdue, .today, .upcoming, .upcoming])
        #expect(q[0].urgency.score > q[1].urgency.score)
        #expect(q[3].urgency.explanation.contains("high priority +20"))
        try db.completeTask(taskID: a.taskID, outcome: "已联系", by: "S1")
        try db.rescheduleTask(taskID: b.taskID, to: day(9), by: "S1")
        #expect(try db.todayQueue(scope: .rm("S1"), today: today).map(\.task.taskID) == [e.taskID, c.taskID, d.taskID])
        #expect(throws: StoreError.self) { try db.rescheduleTask(taskID: a.taskID, to: day(1), by: "S1") }
        #expect(try db.todayQueue(scope: .branch, today: today).count == 4)
        #expect(try db.auditTrail(customerID: "C002").contains { $0.action == "task.reschedule" })
    }

    @Test("a filed complaint gets its deadline from the severity and shows in the list by deadline")
    func complaints() throws {
        let k = try db.fileComplaint(ComplaintIntake(customerID: "C006", channel: .counter, category: "排队时间长",
                                                     severity: .high, description: "等了一个小时"),
                                     by: "S1", now: "2026-11-20 10:15:00")
        #expect(k.deadlineAt == "2026-11-22 10:15:00")
        let list = try db.complaints(scope: .rm("S1"), openOnly: true)
        #expect(list.contains { $0.complaint.complaintID == k.complaintID && $0.customerName == "王小虎" })
        #expect(list.map(\.complaint.deadlineAt) == list.map(\.complaint.deadlineAt).sorted())
        #expect {
            try db.fileComplaint(ComplaintIntake(customerID: "C006", channel: .phone, category: "", severity: .low,
                                                 description: "x"), by: "S1")
        } throws: { ($0 as? StoreError) == .invalid(field: "category", reason: "must not be empty") }
    }

    @Test("drafts are kept per user, replaced on save and deleted")
    func drafts() throws {
        var d = Draft(staffID: "S1", kind: "contact.call", customerID: "C001", fields: ["purpose": "问"], createdAt: "2026-11-20 09:00:00")
        try db.saveDraft(d)
        d.fields["purpose"] = "问候，说到“理财”\n第二行"
        try db.saveDraft(d)
        #expect(try db.drafts(staffID: "S1").map(\.fields) == [d.fields])
        #expect(try db.drafts(staffID: "S2").isEmpty)
        try db.deleteDraft(d.draftID)
        #expect(try db.drafts(staffID: "S1").isEmpty)
    }

    @Test("row details: AUM change, next task, open complaints, expired risk assessment")
    func details() throws {
        _ = try db.createTask(customerID: "C001", title: "t", reason: nil, dueOn: day(3), by: "S1")
        _ = try db.createTask(customerID: "C001", title: "t2", reason: nil, dueOn: day(1), by: "S1")
        let d = try db.rowDetails(customerIDs: ["C001", "C002"], today: today)
        #expect(d["C001"]?.nextTaskDue == day(1))
        #expect(d["C001"]?.aumChange == Money(yuan: 6_500_000 - 100_011))
        #expect(d["C002"]?.aumChange == Money(yuan: 1))
        #expect(d["C002"]?.nextTaskDue == nil)
        #expect(d["C001"]?.openComplaints == 1)
    }

    @Test("saved views are per user and replace by name")
    func views() throws {
        try db.saveView(SavedView(name: "大客户", spec: "tier=private"), staffID: "S1")
        try db.saveView(SavedView(name: "大客户", spec: "tier=affluent,private"), staffID: "S1")
        #expect(try db.savedViews(staffID: "S1") == [SavedView(name: "大客户", spec: "tier=affluent,private")])
        #expect(try db.savedViews(staffID: "S2").isEmpty)
        #expect(throws: StoreError.self) { try db.saveView(SavedView(name: " ", spec: ""), staffID: "S1") }
    }

    @Test("transactions page newest first without gaps or repeats")
    func transactionPages() throws {
        let all = try db.transactions(customerID: "C001", limit: 100)
        let first = try db.transactions(customerID: "C001", limit: 1)
        let rest = try db.transactions(customerID: "C001", before: (first[0].postedAt, first[0].txnID), limit: 100)
        #expect((first + rest).map(\.txnID) == all.map(\.txnID))
    }
}

@Suite("A complaint's closed loop")
struct ComplaintLoopTests {
    @Test("every step recorded; steps out of order refused with what is allowed; a dissatisfied callback reopens")
    func loop() throws {
        let db = try StoreFixture.make()
        let k = try db.fileComplaint(ComplaintIntake(customerID: "C006", channel: .counter, category: "排队", severity: .high,
                                                     description: "等了一个小时"), by: "S1", now: "2026-11-20 10:00:00")
        #expect { try db.advanceComplaint(k.complaintID, to: .resolved, note: "x", by: "S1") } throws: {
            "\($0)".contains("is received; next can be assigned, in_progress")
        }
        #expect { try db.advanceComplaint(k.complaintID, to: .assigned, note: nil, by: "S9") } throws: { "\($0)".contains("needs an owner") }
        #expect { try db.advanceComplaint(k.complaintID, to: .assigned, owner: "S404", note: nil, by: "S9") } throws: { "\($0)".contains("no staff member S404") }
        try db.advanceComplaint(k.complaintID, to: .assigned, owner: "S1", note: nil, by: "S2")
        try db.advanceComplaint(k.complaintID, to: .inProgress, note: "已致电客户", by: "S1")
        #expect { try db.advanceComplaint(k.complaintID, to: .resolved, note: " ", by: "S1") } throws: { "\($0)".contains("say how it was resolved") }
        try db.advanceComplaint(k.complaintID, to: .resolved, note: "增开窗口", by: "S1", now: "2026-11-21 15:00:00")
        try db.recordComplaintCallback(k.complaintID, satisfied: false, note: "还是慢", by: "S1")
        #expect(try db.complaints(scope: .branch).first { $0.complaint.complaintID == k.complaintID }?.complaint.status == "in_progress")
        try db.advanceComplaint(k.complaintID, to: .resolved, note: "预约取号", by: "S1")
        try db.recordComplaintCallback(k.complaintID, satisfied: true, note: nil, by: "S1")
        try db.advanceComplaint(k.complaintID, to: .closed, note: "归档", by: "S1")
        let history = try db.complaintHistory(k.complaintID)
        #expect(history.map(\.to) == [.assigned, .inProgress, .resolved, .inProgress, .resolved, .confirmed, .closed])
        #expect(history.first?.ownerID == "S1" && history.first?.actor == "S2")
        #expect(try db.auditTrail(customerID: "C006").filter { $0.action.hasPrefix("complaint.") }.count == 8)
        #expect { try db.advanceComplaint(k.complaintID, to: .inProgress, note: nil, by: "S1") } throws: { "\($0)".contains("nothing (closed)") }
    }
}

@Suite("The outbox")
struct OutboxTests {
    @Test("every RM write leaves one op with its fields, in order of a clock that only goes forward; a refused write leaves none")
    func ops() throws {
        let db = try StoreFixture.make()
        #expect(try db.pendingOpCount() == 0, "an import is not an RM write")
        let note = try db.addNote(customerID: "C001", text: "喜欢喝茶", by: "S1")
        try db.addTag(customerID: "C001", tag: "茶客", by: "S1")
        let (log, task) = try db.logContact(ContactLog(customerID: "C001", channel: .visit, purpose: "回访", nextStep: "送茶叶",
                                                       nextStepDue: CalendarDate(year: 2099, month: 1, day: 1)), by: "S1")
        try db.completeTask(taskID: task!.taskID, outcome: "已送", by: "S1")
        try db.recordReveal(customerIDs: ["C001"], by: "S1", context: "核实身份")
        let before = try db.pendingOpCount()
        #expect(throws: StoreError.self) { try db.addNote(customerID: "C001", text: "  ", by: "S1") }
        #expect(throws: StoreError.self) { try db.completeTask(taskID: task!.taskID, outcome: "again", by: "S1") }
        #expect(try db.pendingOpCount() == before)
        let ops = try db.pendingOps()
        #expect(ops.map(\.kind) == ["note.add", "tag.add", "interaction.log", "task.create", "task.complete", "reveal"])
        #expect(ops.map(\.hlc) == ops.map(\.hlc).sorted() && Set(ops.map(\.hlc)).count == ops.count)
        #expect(Set(ops.map(\.hlc.node)).count == 1)
        #expect(ops[0].recordID == note.noteID && ops[0].fields["text"] == "喜欢喝茶")
        #expect(ops[2].recordID == log.interactionID && ops[2].fields["purpose"] == "回访" && ops[2].fields["channel"] == "visit")
        #expect(ops[3].fields["from_interaction"] == log.interactionID)
        #expect(ops[4].fields["outcome"] == "已送")
        #expect(Set(ops.map(\.opID)).count == ops.count)
    }

    @Test("a completed reminder is known by its cause, which every device derives alike")
    func reminderIdentity() throws {
        let db = try AppDatabase.inMemory(clock: testClock)
        try ReminderEngineTests.seed(db, asOf: ReminderEngineTests.asOf)
        try db.runReminders(scope: .rm("S1"), asOf: ReminderEngineTests.asOf, by: "t")
        #expect(try db.pendingOps().allSatisfy { $0.kind == "interaction.log" }, "the engine's own tasks are not sent: each device derives them")
        let t = try #require(try db.taskQueue(scope: .rm("S1"), from: nil, through: ReminderEngineTests.asOf.adding(days: 30),
                                              today: ReminderEngineTests.asOf).first { $0.task.rule == .maturity })
        try db.completeTask(taskID: t.task.taskID, outcome: "已续存", by: "S1")
        #expect(try db.pendingOps().last?.recordID?.hasPrefix("maturity:P1-T:") == true)
    }
}
