import Foundation
import FurrowCore
import GRDB
import Testing
@testable import FurrowStore

/// Prospects between copies, at the store level: the branch's checks, effects that end alike
/// whatever order they arrive in, and a snapshot's reconciliation with what a copy holds.
@Suite("Prospects: sync at the store level")
struct ProspectSyncTests {
    let rm = AppDatabase.UserRef(staffID: "S1", role: .rm, team: "东")
    static let asOf = ReminderEngineTests.asOf

    func seeded() throws -> AppDatabase {
        let db = try AppDatabase.inMemory(clock: testClock)
        try ReminderEngineTests.seed(db, asOf: Self.asOf)
        return db
    }

    func stageAndStep(_ db: AppDatabase, _ id: String) throws -> String {
        let p = try #require(try db.prospect(id)?.prospect)
        return "\(p.stage.rawValue) \(p.nextStep ?? "-")"
    }

    @Test("a next step and a close made on two devices end alike on every copy, whichever arrives first")
    func nextStepAndCloseCommute() throws {
        let device = try seeded()
        let p = try device.addProspect(name: "王五", mobile: "13800138000", source: .outreach, owner: "S1", by: "S1")
        try device.setProspectNextStep(p.prospectID, step: "上门面谈", due: Self.asOf.adding(days: 2), by: "S1")
        let ops = try device.pendingOps().filter { $0.customerID == nil }   // the fixture's own writes name customers
        #expect(ops.map(\.kind) == ["prospect.add", "prospect.next"])
        let close = SyncOp(opID: UUID().uuidString, hlc: ops[1].hlc.tick(now: ops[1].hlc.wallMs + 1_000), kind: "prospect.stage",
                           customerID: nil, recordID: p.prospectID,
                           fields: ["from": "new", "to": "lost", "note": "去了别家", "at": "2026-09-21 10:00:00"])
        let (a, b) = (try seeded(), try seeded())
        try a.applyPulled([(ops[0], "S1"), (ops[1], "S1"), (close, "S1")], next: 3)
        try b.applyPulled([(ops[0], "S1"), (close, "S1"), (ops[1], "S1")], next: 3)
        #expect(try stageAndStep(a, p.prospectID) == "lost -")
        #expect(try stageAndStep(b, p.prospectID) == "lost -", "a step arriving after the close is refused, not set on a lost prospect")
        #expect(throws: StoreError.self) { try b.setProspectNextStep(p.prospectID, step: "再联系", due: Self.asOf, by: "S1") }
    }

    @Test("a prospect's change sent again (resubmitted) takes effect on this copy too: the value that had lost is put back")
    func resubmitAppliesLocally() throws {
        let device = try seeded()
        let p = try device.addProspect(name: "王五", mobile: "13800138000", source: .outreach, owner: "S1", by: "S1")
        try device.setProspectNextStep(p.prospectID, step: "上门面谈", due: Self.asOf.adding(days: 2), by: "S1")
        let first = try #require(try device.pendingOps().first { $0.kind == "prospect.next" })
        try device.setProspectNextStep(p.prospectID, step: "电话回访", due: Self.asOf.adding(days: 5), by: "S1")
        try device.markOps([first.opID], status: .superseded, code: "superseded", reason: "a later change was kept")
        try device.resubmitOp(first.opID, by: "S1")
        #expect(try stageAndStep(device, p.prospectID) == "new 上门面谈")
    }

    @Test("the branch refuses a prospect op that names a customer, an id another prospect has, and a confirmation of a match it never offered")
    func branchRefusals() throws {
        let (device, branch) = (try seeded(), try seeded())
        let p = try device.addProspect(name: "王五", mobile: "13800138000", source: .outreach, owner: "S1", by: "S1")
        let add = try #require(try device.pendingOps().first { $0.kind == "prospect.add" })
        #expect(try branch.applyOps([add], user: rm).first?.status == .applied)

        var naming = add
        naming.opID = UUID().uuidString
        naming.customerID = "P1"
        #expect(try branch.applyOps([naming], user: rm).first?.code == "bad_fields")

        var other = add
        other.opID = UUID().uuidString
        other.fields["created_at"] = "2026-09-22 08:00:00"
        other.fields["name"] = "赵六"
        #expect(try branch.applyOps([other], user: rm).first?.code == "duplicate_id")
        #expect(try branch.prospect(p.prospectID)?.prospect.name == "王五", "the first stands")

        let confirm = SyncOp(opID: UUID().uuidString, hlc: add.hlc.tick(now: add.hlc.wallMs + 1), kind: "prospect.confirm", customerID: nil,
                             recordID: p.prospectID, fields: ["customer": "P1", "same": "1", "at": "2026-09-21 10:00:00"])
        #expect(try branch.applyOps([confirm], user: rm).first?.code == "no_such_match")
        #expect(try branch.prospect(p.prospectID)?.prospect.customerID == nil)
    }

    @Test("a snapshot's first page: the user's own prospects the branch never had are sent, history and all; another's no longer in scope goes")
    func snapshotReconciles() throws {
        let (device, branch) = (try seeded(), try seeded())
        let shared = try branch.addProspect(name: "孙七", mobile: "13700137000", source: .event, owner: "S1", by: "S1")
        // What the device held before prospects synced: its own, moved on, and a colleague's (as a lead's copy might).
        let day = try device.logOutreach(place: "东村集市", on: Self.asOf, staff: ["S1"], peopleMet: 12, note: nil, by: "S1")
        let mine = try device.addProspect(name: "王五", mobile: "13800138000", source: .outreach, outreachID: day, owner: "S1", by: "S1")
        try device.advanceProspect(mine.prospectID, to: .contacted, note: "电话联系", next: (step: "面谈", due: Self.asOf.adding(days: 3)), by: "S1")
        let theirs = try device.addProspect(name: "周八", mobile: "13600136000", source: .online, owner: "S2", by: "S2")
        try device.writer.write { db in try db.execute(sql: "DELETE FROM outbox") }
        try device.setSyncValues([.user: "S1"])

        try device.applySnapshotPage(try branch.snapshotPage(for: rm, phase: .profiles, after: "", limit: 100))
        #expect(try device.prospect(shared.prospectID) != nil, "the branch's prospect arrives")
        #expect(try device.prospect(theirs.prospectID) == nil, "S2's is not S1's to see: gone")
        #expect(try stageAndStep(device, mine.prospectID) == "contacted 面谈", "the user's own unsent work stays")
        let ops = try device.pendingOps()
        #expect(ops.map(\.kind) == ["outreach.log", "prospect.add", "prospect.stage", "prospect.next"], "\(ops.map(\.kind))")

        let answers = try branch.applyOps(ops, user: rm)
        #expect(answers.allSatisfy { $0.status == .applied }, "\(answers)")
        let there = try #require(try branch.prospect(mine.prospectID))
        #expect(there.prospect.stage == .contacted && there.prospect.nextStep == "面谈" && there.history.map(\.to) == ["new", "contacted"])
        #expect(try branch.outreachLogs().first { $0.id == day }?.prospects == 1)
    }
}
