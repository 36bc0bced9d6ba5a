import Foundation
import FurrowCore
import Testing
@testable import FurrowStore

/// Profile corrections: an RM proposes, a lead (never the proposer) decides, the branch carries
/// an accepted one until the core's extract shows it.
@Suite("Profile correction proposals")
struct ProposalTests {
    static let day = CalendarDate(iso: "2026-11-20")!

    /// S1, S2 (RMs) and L1 (lead) of team 东; L9 leads 西. C1 is S1's, C2 is S2's.
    static func seed(_ db: AppDatabase, c1Mobile: String = "13800001234") throws {
        _ = try db.importExtract(directory: "p", actor: "t", asOf: day) { s in
            for (id, role, team) in [("S1", StaffRole.rm, "东"), ("S2", .rm, "东"), ("L1", .lead, "东"), ("L9", .lead, "西")] {
                try s.upsert(Staff(staffID: id, name: "员工\(id)", role: role, team: team))
            }
            try s.upsert(Customer(customerID: "C1", name: "张三丰", kind: .individual, mobile: c1Mobile, address: "东村1号"))
            try s.upsert(Customer(customerID: "C2", name: "王小虎", kind: .individual, mobile: "13900005678"))
            try s.upsert(Assignment(customerID: "C1", staffID: "S1", since: CalendarDate(iso: "2024-01-01")!))
            try s.upsert(Assignment(customerID: "C2", staffID: "S2", since: CalendarDate(iso: "2024-01-01")!))
            return .commit(summary: "")
        }
    }

    func user(_ id: String, _ role: StaffRole, _ team: String = "东") -> AppDatabase.UserRef { .init(staffID: id, role: role, team: team) }

    @Test("a proposal is checked (a valid mobile, a change, one waiting per field) and written as row + audit + outbox op")
    func propose() throws {
        let db = try AppDatabase.inMemory(clock: testClock)
        try Self.seed(db)
        #expect(throws: StoreError.self) { try db.proposeCorrection(customerID: "C1", field: .mobile, value: "1380000", reason: nil, by: "S1") }
        do {
            _ = try db.proposeCorrection(customerID: "C1", field: .mobile, value: "23800001234", reason: nil, by: "S1")
            Issue.record("a mobile must start with 1")
        } catch {
            #expect(error.description.contains("mobile"), "\(error)")
        }
        #expect(throws: StoreError.self) { try db.proposeCorrection(customerID: "C1", field: .mobile, value: "138 0000 1234", reason: nil, by: "S1") }
        #expect(throws: StoreError.self) { try db.proposeCorrection(customerID: "C1", field: .address, value: "  ", reason: nil, by: "S1") }
        #expect(throws: StoreError.self) { try db.proposeCorrection(customerID: "C404", field: .address, value: "x", reason: nil, by: "S1") }
        #expect(try db.pendingOpCount() == 0, "nothing refused leaves a trace")

        let p = try db.proposeCorrection(customerID: "C1", field: .mobile, value: "+86 139-1111-2222", reason: "客户换号", by: "S1")
        #expect(p.newValue == "13911112222" && p.oldValue == "13800001234" && p.status == .pending)
        #expect(throws: StoreError.self) { try db.proposeCorrection(customerID: "C1", field: .mobile, value: "13933334444", reason: nil, by: "S1") }
        _ = try db.proposeCorrection(customerID: "C1", field: .address, value: "西村2号", reason: nil, by: "S1")
        let ops = try db.pendingOps()
        #expect(ops.map(\.kind) == ["profile.propose", "profile.propose"])
        #expect(ops[0].fields["value"] == "13911112222" && ops[0].fields["old"] == "13800001234")
        #expect(try db.auditTrail(customerID: "C1").filter { $0.action == "profile.propose" }.count == 2)
        #expect(try db.proposals(status: .pending).count == 2)
        #expect(try db.revealIdentity(customerID: "C1").mobile == "13800001234", "the core's value stands until a lead accepts")
    }

    @Test("at the branch only a lead of the team, the president or an admin decides, never the proposer, and only once; accepting changes the field and its search key")
    func decide() throws {
        let client = try AppDatabase.inMemory(clock: testClock), branch = try AppDatabase.inMemory(clock: testClock)
        for db in [client, branch] { try Self.seed(db) }
        let p = try client.proposeCorrection(customerID: "C1", field: .mobile, value: "13911112222", reason: "客户换号", by: "S1")
        #expect(try branch.applyOps(client.pendingOps(), user: user("S1", .rm)).map(\.status) == [.applied])
        #expect(try branch.proposals(status: .pending).map(\.proposalID) == [p.proposalID])

        func decision(_ accept: Bool, note: String? = nil, wall: Int64 = 1_790_000_000_000) -> SyncOp {
            var fields = ["decision": accept ? "accepted" : "rejected", "at": "2026-11-21T02:00:00Z"]
            if let note { fields["note"] = note }
            return SyncOp(opID: UUID().uuidString, hlc: HLC(wallMs: wall, node: "x"), kind: "profile.decide", customerID: "C1",
                          recordID: p.proposalID, fields: fields)
        }
        let byRM = try branch.applyOps([decision(true)], user: user("S2", .rm))
        #expect(byRM.first?.code == "not_allowed", "\(byRM)")
        let otherTeam = try branch.applyOps([decision(true)], user: user("L9", .lead, "西"))
        #expect(otherTeam.first?.code == "out_of_scope", "\(otherTeam)")
        #expect(try branch.proposals(status: .pending).count == 1)

        let accepted = try branch.applyOps([decision(true)], user: user("L1", .lead))
        #expect(accepted.first?.status == .applied, "\(accepted)")
        #expect(try branch.revealIdentity(customerID: "C1").mobile == "13911112222")
        #expect(try branch.search("2222").map(\.customer.customerID) == ["C1"], "the phone's last four follow")
        let again = try branch.applyOps([decision(false, note: "no")], user: user("L1", .lead))
        #expect(again.first?.code == "already_decided" && again.first?.reason?.contains("accepted by L1") == true, "\(again)")

        // A lead's own proposal goes to someone else.
        let own = try client.proposeCorrection(customerID: "C2", field: .address, value: "南村3号", reason: nil, by: "L1")
        _ = try branch.applyOps(client.pendingOps().filter { $0.recordID == own.proposalID }, user: user("L1", .lead))
        let self_ = SyncOp(opID: UUID().uuidString, hlc: HLC(wallMs: 1_790_000_000_000, node: "x"), kind: "profile.decide", customerID: "C2",
                           recordID: own.proposalID, fields: ["decision": "accepted"])
        #expect(try branch.applyOps([self_], user: user("L1", .lead)).first?.code == "own_proposal")
        #expect(try branch.auditTrail(customerID: "C2").contains { $0.action == "sync.rejected" && $0.actor == "L1" })
    }

    @Test("on a lead's workstation: a decision needs the role and, for a rejection, a reason; it becomes an op")
    func decideOnWorkstation() throws {
        let db = try AppDatabase.inMemory(clock: testClock)
        try Self.seed(db)
        let p = try db.proposeCorrection(customerID: "C1", field: .address, value: "西村2号", reason: nil, by: "S1")
        #expect(throws: StoreError.self) { try db.decideProposal(p.proposalID, accept: true, note: nil, by: "S2") }
        #expect(throws: StoreError.self) { try db.decideProposal(p.proposalID, accept: true, note: nil, by: "S1") }
        #expect(throws: StoreError.self) { try db.decideProposal(p.proposalID, accept: false, note: " ", by: "L1") }
        try db.decideProposal(p.proposalID, accept: false, note: "地址要核实 to check", by: "L1")
        let decided = try #require(try db.proposals(customerID: "C1").first)
        #expect(decided.status == .rejected && decided.decidedBy == "L1" && decided.decisionNote == "地址要核实 to check")
        #expect(try db.revealIdentity(customerID: "C1").address == "东村1号")
        #expect(try db.pendingOps().map(\.kind) == ["profile.propose", "profile.decide"])
    }

    @Test("after an import an accepted correction stays until the extract shows it; a third value from the core wins")
    func carriedUntilTheCoreHasIt() throws {
        let db = try AppDatabase.inMemory(clock: testClock)
        try Self.seed(db)
        let p = try db.proposeCorrection(customerID: "C1", field: .mobile, value: "13911112222", reason: nil, by: "S1")
        try db.decideProposal(p.proposalID, accept: true, note: nil, by: "L1")
        // The next night's extract still has the old number.
        try Self.seed(db)
        #expect(try db.revealIdentity(customerID: "C1").mobile == "13800001234")
        #expect(try db.carryAcceptedCorrections() == 1)
        #expect(try db.revealIdentity(customerID: "C1").mobile == "13911112222")
        #expect(try db.proposals(customerID: "C1").first?.core == .waiting)
        // The core has it now.
        try Self.seed(db, c1Mobile: "13911112222")
        #expect(try db.carryAcceptedCorrections() == 0)
        #expect(try db.proposals(customerID: "C1").first?.core == .inCore)

        let q = try db.proposeCorrection(customerID: "C1", field: .mobile, value: "13955556666", reason: nil, by: "S1")
        try db.decideProposal(q.proposalID, accept: true, note: nil, by: "L1")
        // Meanwhile the customer changed the number again at the counter: the core wins.
        try Self.seed(db, c1Mobile: "13677778888")
        #expect(try db.carryAcceptedCorrections() == 0)
        #expect(try db.revealIdentity(customerID: "C1").mobile == "13677778888")
        #expect(try db.proposals(customerID: "C1").first { $0.proposalID == q.proposalID }?.core == .overridden)
    }
}
