import Foundation
import FurrowCore
import Testing
@testable import FurrowStore

/// The branch side of sync: ops from one workstation applied to the branch's store.
@Suite("Applying pushed ops on the branch")
struct ApplyOpsTests {
    let rm = AppDatabase.UserRef(staffID: "S1", role: .rm, team: "东")

    /// A workstation and a branch with the same extract (the reminder fixture: P1, W1, M1 are S1's).
    func pair() throws -> (client: AppDatabase, branch: AppDatabase) {
        let client = try AppDatabase.inMemory(clock: testClock), branch = try AppDatabase.inMemory(clock: testClock)
        for s in [client, branch] { try ReminderEngineTests.seed(s, asOf: ReminderEngineTests.asOf) }
        return (client, branch)
    }

    @Test("each op once: a retry answers duplicate and changes nothing; the effects match the workstation's")
    func exactlyOnce() throws {
        let (client, branch) = try pair()
        let before = try branch.rowCounts()
        let note = try client.addNote(customerID: "P1", text: "喜欢喝茶", by: "S1")
        let (log, _) = try client.logContact(ContactLog(customerID: "P1", channel: .visit, purpose: "回访", outcome: "同意续存"), by: "S1")
        try client.addTag(customerID: "P1", tag: "茶客", by: "S1")
        let ops = try client.pendingOps().filter { $0.customerID == "P1" }
        let first = try branch.applyOps(ops, user: rm)
        #expect(first.allSatisfy { $0.status == .applied }, "\(first)")
        let again = try branch.applyOps(ops, user: rm)
        #expect(again.allSatisfy { $0.status == .duplicate })
        let p = try #require(try branch.profile(customerID: "P1"))
        #expect(p.notes.contains { $0.noteID == note.noteID && $0.text == "喜欢喝茶" })
        #expect(p.interactions.contains { $0.interactionID == log.interactionID && $0.outcome == "同意续存" })
        #expect(p.tags == ["茶客"])
        let after = try branch.rowCounts()
        #expect(after["op_log"] == ops.count && after["notes"] == (before["notes"] ?? 0) + 1)
    }

    @Test("every field of every kind is checked as its form would write it: an unknown field, an over-long text, a value outside its list, control characters, a bad day or number are refused by field and change nothing")
    func fieldsValidated() throws {
        let (client, branch) = try pair()
        _ = try client.addNote(customerID: "P1", text: "喜欢喝茶", by: "S1")
        try client.addTag(customerID: "P1", tag: "茶客", by: "S1")
        _ = try client.createTask(customerID: "P1", title: "回访", reason: nil, dueOn: ReminderEngineTests.asOf.adding(days: 3), by: "S1")
        let good = try client.pendingOps().filter { $0.customerID == "P1" }
        func edited(_ kind: String, _ change: (inout [String: String]) -> Void) throws -> SyncOp {
            var op = try #require(good.first { $0.kind == kind })
            op.opID = UUID().uuidString.lowercased()
            change(&op.fields)
            return op
        }
        let before = try branch.rowCounts()
        let attacks: [(SyncOp, String)] = [
            (try edited("note.add") { $0["owner"] = "S9" }, "owner: not a field of a note.add change"),
            (try edited("note.add") { $0["text"] = String(repeating: "茶", count: 4001) }, "text: at most 4000 characters"),
            (try edited("tag.add") { $0["tag"] = "vip\u{1B}[2J" }, "tag: control characters"),
            (try edited("task.create") { $0["due_on"] = "2026-02-30" }, "due_on: a day"),
            (try edited("task.create") { $0["priority"] = "99999999999999999999" }, "priority: a whole number from 1 to 3"),
            (try edited("task.create") { $0["campaign_kind"] = "lottery" }, "campaign_kind: one of"),
            (try edited("task.create") { $0["_base.due_on"] = "yesterday" }, "_base.due_on: not a clock stamp"),
        ]
        for (op, expected) in attacks {
            let answer = try #require(try branch.applyOps([op], user: rm).first)
            #expect(answer.status == .rejected && answer.code == "bad_fields", "\(op.kind): \(answer)")
            #expect(answer.reason?.contains(expected) == true, "\(answer.reason ?? "") should say \(expected)")
        }
        var changed = try branch.rowCounts()
        changed["op_log"] = before["op_log"]
        changed["audit_log"] = before["audit_log"]
        #expect(changed == before, "a refused op changes nothing but the log of answers")
        // The same ops as written are applied.
        #expect(try branch.applyOps(good, user: rm).allSatisfy { $0.status == .applied })
        // Quiet hours are read as the form reads them.
        var prefs = try edited("tag.add") { _ in }
        prefs.kind = "preferences.set"
        prefs.fields = ["quiet_hours": "25:00-08:00", "no_home_visits": "0"]
        #expect(try branch.applyOps([prefs], user: rm).first?.reason?.contains("HH:MM-HH:MM") == true)
    }

    @Test("a complaint's deadline travels as the filing branch's rules set it, but only within the regulator's 15 days of its receipt; past that, or before the receipt, it is refused")
    func complaintDeadlineBounded() throws {
        let (client, branch) = try pair()
        let strict = ComplaintSLA(days: [.high: 1, .medium: 3, .low: 10])
        let k = try client.fileComplaint(ComplaintIntake(customerID: "P1", channel: .counter, category: "排队", severity: .low,
                                                         description: "等了一个小时"), sla: strict, by: "S1", now: "2026-11-20 10:00:00")
        #expect(k.deadlineAt == "2026-11-30 10:00:00")
        let op = try #require(try client.pendingOps().first { $0.kind == "complaint.file" })
        #expect(try branch.applyOps([op], user: rm).first?.status == .applied)
        #expect(try branch.read { try String.fetchOne($0, sql: "SELECT deadline_at FROM complaints WHERE complaint_id = ?",
                                                      arguments: [k.complaintID]) } == "2026-11-30 10:00:00", "the filer's rules, not the standard 15 days")
        for (deadline, why) in [("9999-12-31 00:00:00", "never breached"), ("2026-12-05 10:00:01", "a second past 15 days"),
                                ("2026-11-19 10:00:00", "before it was received"), ("soon", "not a time")] {
            var hostile = op
            hostile.opID = UUID().uuidString.lowercased()
            hostile.recordID = "RM-" + UUID().uuidString.lowercased().prefix(13)
            hostile.fields["deadline_at"] = deadline
            let answer = try #require(try branch.applyOps([hostile], user: rm).first)
            #expect(answer.status == .rejected && answer.reason?.contains("deadline_at: a time from received_at to 15 days after it") == true,
                    "\(why): \(answer)")
        }
    }

    @Test("a write that loses to a later change this device has seen (its clock days behind) is refused with the reason, and writes nothing")
    func writeBehindIsRefused() throws {
        let (client, _) = try pair()
        try client.addTag(customerID: "P1", tag: "茶客", by: "S1")
        // Another device, its clock three days ahead of this one's (past what a pull adopts), removed it.
        let ahead = Int64((client.clock().timeIntervalSince1970 + 3 * 86400) * 1000)
        let removal = SyncOp(opID: "far-ahead", hlc: HLC(wallMs: ahead, node: "other"), kind: .tagRemove, customerID: "P1",
                             recordID: "茶客", fields: ["tag": "茶客"])
        try client.applyPulled([(removal, "S2")], next: 1)
        #expect(try client.profile(customerID: "P1")?.tags == [])
        let pending = try client.pendingOpCount()
        #expect {
            try client.addTag(customerID: "P1", tag: "茶客", by: "S1")
        } throws: { error in
            "\(error)".contains("this computer's date and time are behind")
        }
        #expect(try client.profile(customerID: "P1")?.tags == [], "nothing written")
        #expect(try client.pendingOpCount() == pending, "nothing queued")
    }

    @Test("pushes written together (a group commit): answered in order, a retry in the same batch is a duplicate, a push that fails leaves nothing and the others whole")
    func groupCommit() throws {
        let (client, branch) = try pair()
        _ = try client.addNote(customerID: "P1", text: "first device", by: "S1")
        let a = try client.pendingOps().filter { $0.customerID == "P1" }
        let hlc = HLC(wallMs: Int64(testClock().timeIntervalSince1970 * 1000), node: "b")
        // A log correcting a log the branch never had: the store refuses it mid-push (a foreign key).
        let b = [SyncOp(opID: UUID().uuidString, hlc: hlc, kind: "note.add", customerID: "W1", recordID: "N-b",
                        fields: ["text": "second device", "at": "2026-09-20 10:00:00"]),
                 SyncOp(opID: UUID().uuidString, hlc: hlc, kind: "interaction.log", customerID: "W1", recordID: "I-b",
                        fields: ["at": "2026-09-20 10:00:00", "channel": "visit", "corrects": "I-nowhere"])]
        let notesBefore = try branch.rowCounts()["notes"] ?? 0
        let answers = try branch.applyPushes([(a, rm), (b, rm), (a, rm)])
        #expect(answers.count == 3)
        #expect((try? answers[0].get())?.map(\.status) == a.map { _ in .applied })
        guard case .failure = answers[1] else { Issue.record("the push with the bad log must fail: \(answers[1])"); return }
        #expect((try? answers[2].get())?.map(\.status) == a.map { _ in .duplicate }, "the same ops again in the same batch: one effect")
        #expect(try branch.rowCounts()["notes"] == notesBefore + 1, "the failed push's note went with it")
        #expect(try branch.profile(customerID: "W1")?.notes.contains { $0.text == "second device" } == false)
        #expect(try branch.rowCounts()["op_log"] == a.count)
    }

    @Test("a snapshot carries the clocks of a reminder's rescheduled day and of an acceptance override (no false conflict on a new device)")
    func snapshotClocks() throws {
        let branch = try AppDatabase.inMemory(clock: testClock)
        try ReminderEngineTests.seed(branch, asOf: ReminderEngineTests.asOf)
        _ = try branch.runNightly(asOf: ReminderEngineTests.asOf, by: "t")
        let reminder = try #require(try ["P1", "W1", "M1"].lazy.compactMap { id in
            try branch.profile(customerID: id, asOf: ReminderEngineTests.asOf)?.tasks.first { $0.status == .open && $0.rule != nil }
        }.first)
        try branch.rescheduleTask(taskID: reminder.taskID, to: ReminderEngineTests.asOf.adding(days: 3), by: "S1")
        try branch.setAcceptanceOverride(customerID: reminder.customerID, high: true, by: "S1")
        let page = try branch.snapshotPage(for: rm, phase: .profiles, after: "", limit: 100)
        let clocks = try #require(page.tables.first { $0.table == "field_clocks" })
        let column = try #require(clocks.columns.firstIndex(of: "record"))
        let records = Set(clocks.rows.compactMap { if case .text(let r) = $0[column] { r } else { nil } })
        #expect(records.contains { $0.hasPrefix("task:") && !$0.hasSuffix(reminder.taskID) }, "a reminder is known by its cause: \(records)")
        #expect(records.contains("rules:\(reminder.customerID)"), "\(records)")
    }

    @Test("an op on another RM's record is refused even when it names one of the user's own customers")
    func recordScope() throws {
        let branch = try AppDatabase.inMemory(clock: testClock)
        try ReminderEngineTests.seed(branch, asOf: ReminderEngineTests.asOf, rmOfP1: "S2", assignedSince: "2026-09-01")
        let theirs = try branch.openRetentionCase(customerID: "P1", signal: "大额转出", by: "S2")
        let task = try branch.createTask(customerID: "P1", title: "回访", reason: nil, dueOn: ReminderEngineTests.asOf, by: "S2")
        let hlc = HLC(wallMs: Int64(testClock().timeIntervalSince1970 * 1000), node: "s1")
        let ops = [SyncOp(opID: "x1", hlc: hlc, kind: "retention.close", customerID: "W1", recordID: theirs.caseID,
                          fields: ["outcome": "retained", "reason": "yield"]),
                   SyncOp(opID: "x2", hlc: hlc, kind: "task.complete", customerID: "W1", recordID: task.taskID, fields: [:]),
                   SyncOp(opID: "x3", hlc: hlc, kind: "retention.act", customerID: "W1", recordID: theirs.caseID, fields: ["note": "x"])]
        let answers = try branch.applyOps(ops, user: rm)
        #expect(answers.map(\.code) == ["out_of_scope", "out_of_scope", "out_of_scope"], "\(answers)")
        #expect(try branch.retentionCases(customerID: "P1").first?.status == "open")
        #expect(try branch.profile(customerID: "P1")?.tasks.first { $0.taskID == task.taskID }?.status == .open)
    }

    @Test("another RM's customer is refused with a code and a reason, audited; a log written before a reassignment is accepted")
    func scope() throws {
        let (client, branch) = try pair()
        _ = try client.addNote(customerID: "P1", text: "written while P1 was mine", by: "S1")
        let ops = try client.pendingOps()
        let other = AppDatabase.UserRef(staffID: "S2", role: .rm, team: "东")
        let refused = try branch.applyOps(ops, user: other)
        #expect(refused.first?.status == .rejected && refused.first?.code == "out_of_scope")
        #expect(refused.first?.reason?.contains("outside your scope") == true)
        #expect(refused.first?.reason?.contains("S1") == false, "the refusal does not say whose customer it is")
        #expect(try branch.auditTrail(customerID: "P1").contains { $0.action == "sync.rejected" && $0.actor == "S2" })
        // S1's laptop last caught up with the feed while P1 was S1's; then P1 moves to S2. A note
        // it wrote offline still lands (the laptop had not heard of the move) …
        let laptop = AppDatabase.UserRef(staffID: "S1", role: .rm, team: "东", device: "laptop")
        try branch.recordCaughtUp(laptop)
        try ReminderEngineTests.seed(branch, asOf: ReminderEngineTests.asOf, rmOfP1: "S2", assignedSince: "2026-09-21")
        #expect(try branch.applyOps(ops, user: other).first?.status == .rejected, "an op id already answered keeps its answer, though P1 is now S2's")
        let stamp = HLC(wallMs: Int64(testClock().timeIntervalSince1970 * 1000), node: "a")
        func note(_ id: String, _ hlc: HLC) -> SyncOp {
            SyncOp(opID: UUID().uuidString, hlc: hlc, kind: "note.add", customerID: "P1", recordID: id,
                   fields: ["text": id, "at": "2026-09-20 10:00:00"])
        }
        #expect(try branch.applyOps([note("N-offline", stamp)], user: laptop).map(\.status) == [.applied])
        // … but not from a device that had already caught up after the move: the same RM's phone,
        // or the laptop once it has synced, however far back the note is stamped.
        #expect(try branch.applyOps([note("N-phone", stamp)], user: .init(staffID: "S1", role: .rm, team: "东", device: "phone"))
                    .first?.code == "out_of_scope", "a device the branch never saw catch up knows nothing of P1")
        try branch.recordCaughtUp(laptop)
        let backdated = HLC(wallMs: 1_600_000_000_000, node: "a")   // 2020
        let answers = try branch.applyOps([note("N-after", stamp), note("N-backdated", backdated)], user: laptop)
        #expect(answers.map(\.status) == [.rejected, .rejected])
        #expect(answers.allSatisfy { $0.code == "out_of_scope" })
        #expect(try branch.profile(customerID: "P1")?.notes.map(\.text).contains("N-backdated") == false)
        let lead = AppDatabase.UserRef(staffID: "L1", role: .lead, team: "东")
        let leadOp = SyncOp(opID: UUID().uuidString, hlc: ops[0].hlc, kind: "tag.add", customerID: "W1", recordID: "x", fields: ["tag": "重点"])
        #expect(try branch.applyOps([leadOp], user: lead).first?.status == .applied, "a lead's team")
    }

    @Test("concurrent tag changes: the later clock wins and the other value is kept as a conflict; completion wins over a reschedule")
    func merge() throws {
        let (_, branch) = try pair()
        let early = HLC(wallMs: 1_000, node: "a"), late = HLC(wallMs: 2_000, node: "b")
        let add = SyncOp(opID: "op-add", hlc: late, kind: "tag.add", customerID: "P1", recordID: "茶客", fields: ["tag": "茶客"])
        let remove = SyncOp(opID: "op-remove", hlc: early, kind: "tag.remove", customerID: "P1", recordID: "茶客", fields: ["tag": "茶客"])
        _ = try branch.applyOps([add, remove], user: rm)
        #expect(try branch.profile(customerID: "P1")?.tags == ["茶客"], "the later add stands though the earlier remove arrived last")
        #expect(try branch.rowCounts()["sync_conflicts"] == 1)
        try branch.runReminders(scope: .rm("S1"), asOf: ReminderEngineTests.asOf, by: "branch")
        let task = try #require(try branch.taskQueue(scope: .rm("S1"), from: nil, through: ReminderEngineTests.asOf.adding(days: 30),
                                                     today: ReminderEngineTests.asOf).first { $0.task.rule == .maturity })
        let cause = task.task.taskID
        let done = SyncOp(opID: "op-done", hlc: early, kind: "task.complete", customerID: "P1", recordID: cause, fields: ["outcome": "已续存"])
        let moved = SyncOp(opID: "op-move", hlc: late, kind: "task.reschedule", customerID: "P1", recordID: cause, fields: ["due_on": "2026-10-30"])
        let r = try branch.applyOps([done, moved], user: rm)
        #expect(r[0].status == .applied && r[1].status == .superseded && r[1].code == "superseded")
        let unknown = SyncOp(opID: "op-x", hlc: late, kind: "campaign.launch", customerID: "P1", recordID: "u", fields: [:])
        #expect(try branch.applyOps([unknown], user: rm).first?.code == "not_supported")
    }

    @Test("requests reordered: the ops of two devices applied in every order leave the same tags, preferences, task date and complaint status")
    func reorderedRequests() throws {
        let (_, base) = try pair()
        let a = { (ms: Int64) in HLC(wallMs: ms, node: "a") }, b = { (ms: Int64) in HLC(wallMs: ms, node: "b") }
        try base.runReminders(scope: .rm("S1"), asOf: ReminderEngineTests.asOf, by: "branch")
        let task = try #require(try base.taskQueue(scope: .rm("S1"), from: nil, through: ReminderEngineTests.asOf.adding(days: 30),
                                                   today: ReminderEngineTests.asOf).first?.task.taskID)
        func op(_ id: String, _ hlc: HLC, _ kind: String, _ customer: String, _ record: String?, _ fields: [String: String]) -> SyncOp {
            SyncOp(opID: id, hlc: hlc, kind: kind, customerID: customer, recordID: record, fields: fields)
        }
        let ops = [
            op("1", a(1_000), "tag.add", "P1", "茶客", ["tag": "茶客"]),
            op("2", b(1_500), "tag.remove", "P1", "茶客", ["tag": "茶客"]),
            op("3", a(2_000), "tag.add", "W1", "养殖户", ["tag": "养殖户"]),
            op("4", b(1_200), "preferences.set", "P1", "P1", ["preferred_channel": "call", "monthly_cap": "2"]),
            op("5", a(1_300), "preferences.set", "P1", "P1", ["preferred_channel": "wechat", "monthly_cap": "2"]),
            op("6", a(1_100), "task.reschedule", "P1", task, ["due_on": "2026-10-01"]),
            op("7", b(1_400), "task.reschedule", "P1", task, ["due_on": "2026-10-09"]),
            op("8", b(1_600), "complaint.assigned", "W1", "K1", ["at": "2026-09-21 10:00:00", "owner": "S1"]),
            op("9", a(1_700), "complaint.in_progress", "W1", "K1", ["at": "2026-09-21 11:00:00"]),
            op("10", a(1_800), "note.add", "P1", "N-r", ["text": "顺序无关", "at": "2026-09-21 12:00:00"]),
        ]
        func state(_ db: AppDatabase) throws -> String {
            let p1 = try #require(try db.profile(customerID: "P1")), w1 = try #require(try db.profile(customerID: "W1"))
            let prefs = try db.preferences(customerID: "P1")
            return "\(p1.tags) \(w1.tags) \(prefs?.preferredChannel?.rawValue ?? "-") \(p1.tasks.first { $0.taskID == task }?.dueOn.iso ?? "-") "
                + "\(w1.complaints.first?.status ?? "-") \(p1.notes.map(\.text))"
        }
        var rng = SystemRandomNumberGenerator()
        var seen = Set<String>()
        for order in [ops, ops.reversed()] + (0..<8).map({ _ in ops.shuffled(using: &rng) }) {
            let branch = try base.inMemoryCopy()
            // One request per op, in this order; each is answered, none is lost.
            let answers = try order.flatMap { try branch.applyOps([$0], user: rm) }
            #expect(answers.allSatisfy { $0.status == .applied || $0.status == .superseded }, "\(answers)")
            seen.insert(try state(branch))
        }
        #expect(seen.count == 1, "every order ends alike: \(seen)")
        #expect(seen.first?.contains("[] [\"养殖户\"] wechat 2026-10-09 in_progress [\"顺序无关\"]") == true, "\(seen)")
    }

    @Test("retention cases, upgrade requests and decisions, and acceptance overrides travel too: the branch ends as the workstation did")
    func casesUpgradesOverrides() throws {
        let (client, branch) = try pair()
        for db in [client, branch] {
            _ = try db.runNightly(asOf: ReminderEngineTests.asOf, by: "t")
            // A lead for the decisions.
            _ = try db.importExtract(directory: "lead", actor: "t", asOf: ReminderEngineTests.asOf) { s in
                try s.upsert(Staff(staffID: "L1", name: "赵组长", role: .lead, team: "东"))
                return .commit(summary: "")
            }
        }
        let before = try client.pendingOpCount()
        var free: String?
        for id in ["P1", "W1", "M1"] where try client.retentionCases(customerID: id, openOnly: true).isEmpty { free = id; break }
        let quiet: String = try #require(free, "a customer with no open case")
        let c = try client.openRetentionCase(customerID: quiet, signal: "说要转去网商银行", by: "S1")
        try client.recordRetentionAction(c.caseID, note: "上门谈了利率", by: "S1")
        try client.closeRetentionCase(c.caseID, outcome: .partly, reason: .competitorRate, moneyWent: "网商银行 2 万", by: "S1")
        let u = try client.requestUpgrade(customerID: "W1", to: .privateBanking, reason: "家族企业主", by: "S1")
        try client.setAcceptanceOverride(customerID: "P1", high: true, by: "S1")
        let rmOps = try client.pendingOps().suffix(try client.pendingOpCount() - before)
        let answers = try branch.applyOps(Array(rmOps), user: rm)
        #expect(answers.allSatisfy { $0.status == .applied }, "\(answers)")
        // The RM cannot approve (not even by pushing the op); the lead can.
        try client.decideUpgrade(u.upgradeID, approve: true, note: "同意", by: "L1")
        let decision = try #require(try client.pendingOps().last)
        #expect(try branch.applyOps([SyncOp(opID: "forged", hlc: decision.hlc, kind: decision.kind, customerID: decision.customerID,
                                            recordID: decision.recordID, fields: decision.fields)], user: rm).first?.code == "not_allowed")
        let lead = AppDatabase.UserRef(staffID: "L1", role: .lead, team: "东")
        #expect(try branch.applyOps([decision], user: lead).first?.status == .applied)

        for db in [client, branch] {
            let closed = try #require(try db.retentionCases(customerID: quiet).first { $0.caseID == c.caseID })
            #expect(closed.status == "closed" && closed.outcome == .partly && closed.moneyWent == "网商银行 2 万")
            #expect(closed.actions.count == 1 && closed.actions[0].hasSuffix("S1: 上门谈了利率"))
            #expect(try db.upgrades().first { $0.upgradeID == u.upgradeID }?.status == "approved")
        }
        // The override counts at the next nightly run, on the branch as on the workstation.
        for db in [client, branch] {
            _ = try db.runNightly(asOf: ReminderEngineTests.asOf, by: "t")
            #expect(try db.classification(customerID: "P1")?.1.segmentReason.contains("set by the RM") == true)
        }
        #expect(try branch.applyOps(Array(rmOps), user: rm).allSatisfy { $0.status == .duplicate })
        // A second close of the same case (another device) is answered superseded: the first stands.
        let again = SyncOp(opID: "close-2", hlc: HLC(wallMs: Int64(testClock().timeIntervalSince1970 * 1000) + 3_600_000, node: "t"), kind: "retention.close", customerID: quiet,
                           recordID: c.caseID, fields: ["outcome": "lost", "reason": "yield", "money_went": "x"])
        #expect(try branch.applyOps([again], user: rm).first?.status == .superseded)
        #expect(try branch.retentionCases(customerID: quiet).first { $0.caseID == c.caseID }?.outcome == .partly)
    }
}
