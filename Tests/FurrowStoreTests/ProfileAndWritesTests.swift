import FurrowCore
import Testing
@testable import FurrowStore

@Suite("The 360° profile and the RM's writes")
struct ProfileAndWritesTests {
    let db: AppDatabase
    init() throws { db = try StoreFixture.make() }

    @Test("the profile gathers identity, household, holdings, AUM trend, transactions, contacts")
    func profile() throws {
        let p = try #require(try db.profile(customerID: "C001", asOf: StoreFixture.asOf))
        #expect(p.customer.name == "张三丰")
        #expect(p.tier == .privateBanking)
        #expect(p.rmID == "S2")
        #expect(p.rmName == "陈经理")
        #expect(p.household.map(\.customerID) == ["C008"])
        #expect(p.household.first?.relation == .spouse)
        #expect(Set(p.holdings.map(\.account.accountID)) == ["AC001", "TD1"])
        #expect(p.liabilities.map(\.account.accountID) == ["LN1"])
        #expect(p.aumByMonth.count == 12)
        #expect(p.aumByMonth.last?.month == "2026-11")
        #expect(p.aumByMonth.first?.month == "2025-12")
        #expect(p.recentTransactions.map(\.txnID) == ["X2", "X1"])
        #expect(p.upcomingInstalments.map(\.dueDate.iso) == ["2026-12-15"])
        #expect(p.interactions.map(\.interactionID) == ["I1"])
        #expect(p.complaints.map(\.complaintID) == ["K1"])
        #expect(p.assignments.map(\.staffID) == ["S1", "S2"])
        #expect(p.lastContactAt == "2026-10-01 10:00:00")
        // The spouse sees the relation from the other side.
        let wife = try #require(try db.profile(customerID: "C008"))
        #expect(wife.household.first?.customerID == "C001")
        #expect(wife.household.first?.thisCustomerIsSubject == true)
    }

    @Test("an unknown customer has no profile")
    func unknown() throws {
        #expect(try db.profile(customerID: "C404") == nil)
    }

    @Test("each RM write lands with its audit entry; a failed write leaves neither")
    func writesAreAudited() throws {
        let before = try db.auditTrail(customerID: "C002").count
        try db.addNote(customerID: "C002", text: "想买车", by: "S1")
        try db.addTag(customerID: "C002", tag: "购车意向", by: "S1")
        try db.addTag(customerID: "C002", tag: "购车意向", by: "S1")   // already there: no second entry
        let visit = try db.logInteraction(customerID: "C002", channel: .visit, at: "2026-11-21 09:30:00",
                                          purpose: "续存", notes: "计划买车", outcome: "下周报价", by: "S1")
        let task = try db.createTask(customerID: "C002", title: "20日电话报车贷", reason: "走访后续",
                                     dueOn: CalendarDate(year: 2026, month: 11, day: 30)!, by: "S1")
        try db.completeTask(taskID: task.taskID, outcome: "已报价", by: "S1")
        let trail = try db.auditTrail(customerID: "C002")
        #expect(trail.count - before == 5)
        #expect(Set(trail.map(\.action)) == ["note.add", "tag.add", "interaction.log", "task.create", "task.complete"])
        let p = try #require(try db.profile(customerID: "C002"))
        #expect(p.notes.map(\.text) == ["想买车"])
        #expect(p.tags == ["购车意向"])
        #expect(p.interactions.first?.interactionID == visit.interactionID)
        #expect(p.lastContactAt == "2026-11-21 09:30:00")
        #expect(p.tasks.first?.status == .done)

        #expect(throws: StoreError.notFound(what: "customer C404")) {
            try db.addNote(customerID: "C404", text: "x", by: "S1")
        }
        #expect(throws: StoreError.invalid(field: "note", reason: "must not be empty")) {
            try db.addNote(customerID: "C002", text: "  \n", by: "S1")
        }
        #expect(throws: StoreError.self) {
            _ = try db.logInteraction(customerID: "C002", channel: .call, at: "yesterday", purpose: nil, notes: nil,
                                      outcome: nil, by: "S1")
        }
        #expect(throws: StoreError.self) { try db.completeTask(taskID: task.taskID, outcome: "again", by: "S1") }
        #expect(try db.auditTrail(customerID: "C002").count == trail.count)
    }

    @Test("re-importing the same rows writes nothing; a changed field is written")
    func idempotentImport() throws {
        var written = -1
        _ = try db.importExtract(directory: "again", actor: "test", asOf: StoreFixture.asOf) { s in
            try s.upsert(Customer(customerID: "C001", name: "张三丰", kind: .individual, idType: .residentID,
                                  idNumber: StoreFixture.people[0].3, mobile: "13812345678", village: "青山村"))
            try s.upsert(Staff(staffID: "S1", name: "李经理", role: .rm, team: "东"))
            written = s.rowsWritten
            return .rollback
        }
        var changed = -1
        _ = try db.importExtract(directory: "changed", actor: "test", asOf: StoreFixture.asOf) { s in
            try s.upsert(Staff(staffID: "S1", name: "李经理", role: .lead, team: "东"))
            changed = s.rowsWritten
            return .commit(summary: "")
        }
        #expect(changed == 1)
        #expect(try db.staff().first { $0.staffID == "S1" }?.role == .lead)
        #expect(written == 0)
    }

    @Test("a reveal is recorded per customer")
    func reveal() throws {
        try db.recordReveal(customerIDs: ["C003", "C004"], by: "S1", context: "test")
        #expect(try db.auditTrail(customerID: "C003").first?.action == "reveal")
        #expect(try db.auditTrail(customerID: "C004").first?.detail == "test")
    }
}
