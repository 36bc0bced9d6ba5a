import Foundation
import FurrowCore
import FurrowImport
@testable import FurrowStore
import Testing

/// Prospects on fixtures/branch: checked when added, moved through the stages, converted when a
/// later extract brings them as customers (by ID number, by mobile), a near match left to the RM.
@Suite("Prospects on fixtures/branch", .serialized)
struct ProspectTests {
    static let asOf = CalendarDate(iso: "2026-11-30")!
    let store: AppDatabase

    init() throws {
        store = try AppDatabase.inMemory(clock: testClock)
        let r = try ExtractImporter(store: store).run(ImportOptions(directory: FixtureFiles.url("branch"), asOf: Self.asOf, actor: "t"))
        #expect(r.isComplete)
    }

    func refused(_ field: String, _ body: () throws -> Void) {
        do {
            try body()
            Issue.record("\(field) must be refused")
        } catch let e as StoreError {
            #expect(e.description.contains(field), "\(e)")
        } catch {
            Issue.record("\(error)")
        }
    }

    @Test("a prospect is checked when added: a valid mobile or ID, a real referrer, not a customer or a prospect already")
    func adding() throws {
        let someone = try store.revealIdentity(customerID: "C0001")
        refused("mobile") { _ = try store.addProspect(name: "刘强", mobile: "1380000", source: .outreach, owner: "S003", by: "S003") }
        refused("mobile") { _ = try store.addProspect(name: "刘强", mobile: nil, source: .outreach, owner: "S003", by: "S003") }
        refused("referrer") { _ = try store.addProspect(name: "刘强", mobile: "13900001111", source: .referral, owner: "S003", by: "S003") }
        refused("C9999") { _ = try store.addProspect(name: "刘强", mobile: "13900001111", source: .referral, referrerID: "C9999", owner: "S003", by: "S003") }
        refused("already a customer: C0001") {
            _ = try store.addProspect(name: "查文斌", mobile: someone.mobile, source: .event, owner: "S003", by: "S003")
        }
        refused("outreach") { _ = try store.addProspect(name: "刘强", mobile: "13900001111", source: .outreach, outreachID: "OR-x", owner: "S003", by: "S003") }
        let day = try store.logOutreach(place: "沙市镇集市", on: Self.asOf, staff: ["S003", "S004"], peopleMet: 40, note: nil, by: "S003")
        let p = try store.addProspect(name: "刘强", mobile: "139 0000 1111", source: .outreach, outreachID: day, interest: "养老理财",
                                      owner: "S003", by: "S003")
        #expect(p.mobile == "13900001111" && p.stage == .new)
        refused("already a prospect: \(p.prospectID)") {
            _ = try store.addProspect(name: "刘强", mobile: "13900001111", source: .online, owner: "S004", by: "S004")
        }
        let r = try store.addProspect(name: "周敏", mobile: "13700002222", source: .referral, referrerID: "C0001", owner: "S003", by: "S003")
        #expect(r.referrerID == "C0001")
        #expect(try store.outreachLogs().first?.prospects == 1)
    }

    @Test("stages go forward, lost needs a reason, and every move is kept")
    func stages() throws {
        let p = try store.addProspect(name: "刘强", mobile: "13900001111", source: .event, owner: "S003", by: "S003")
        // A next step without its day is refused with the move: neither is kept.
        refused("a next step has a day") {
            try store.advanceProspect(p.prospectID, to: .contacted, note: nil, next: ("约周六面谈", nil), by: "S003")
        }
        #expect(try store.prospect(p.prospectID)?.prospect.stage == .new, "the stage did not move without its next step")
        try store.advanceProspect(p.prospectID, to: .contacted, note: "电话约了周六", next: ("约周六面谈", Self.asOf.adding(days: 3)), by: "S003")
        #expect(try store.prospect(p.prospectID)?.prospect.nextStep == "约周六面谈")
        refused("stage") { try store.advanceProspect(p.prospectID, to: .new, note: nil, by: "S003") }
        refused("reason") { try store.advanceProspect(p.prospectID, to: .lost, note: " ", by: "S003") }
        try store.advanceProspect(p.prospectID, to: .lost, note: "已在邮储开户", by: "S003")
        refused("nothing further") { try store.advanceProspect(p.prospectID, to: .meeting, note: nil, by: "S003") }
        let d = try #require(try store.prospect(p.prospectID))
        #expect(d.prospect.stage == .lost && d.prospect.lostReason == "已在邮储开户")
        #expect(d.history.map(\.to) == ["new", "contacted", "lost"])
    }

    @Test("a later extract converts by ID number and by mobile, history kept; a same-name neighbour is only offered, and the RM decides")
    func conversion() throws {
        let id = ResidentID.make(region: "430181", birthDate: CalendarDate(iso: "1985-06-01")!, sequence: 123, gender: .female)
        let byID = try store.addProspect(name: "王芳", mobile: nil, idNumber: id, source: .payrollUnit, owner: "S003", by: "S003")
        let byMobile = try store.addProspect(name: "刘强", mobile: "13900001111", source: .outreach, owner: "S004", by: "S004")
        try store.advanceProspect(byMobile.prospectID, to: .meeting, note: nil, by: "S004")
        // One the RM already marked as opened (told by the customer) is linked when the extract shows them.
        let told = try store.addProspect(name: "赵敏", mobile: "13700002222", source: .referral, referrerID: "C0001", owner: "S003", by: "S003")
        for stage in [Prospect.Stage.contacted, .meeting, .opened] { try store.advanceProspect(told.prospectID, to: stage, note: nil, by: "S003") }
        // A neighbour with a fixture customer's name and village, but another phone.
        let c = try #require(try store.profile(customerID: "C0001")?.customer)
        let near = try store.addProspect(name: c.name, mobile: "13611112222", village: c.village, source: .event, owner: "S003", by: "S003")
        let first = try store.matchProspects(by: "t")
        #expect(first.converted == 0 && first.possible == 1, "no new customers yet; the neighbour is offered: \(first)")

        // The next night's extract.
        _ = try store.importExtract(directory: "next", actor: "t", asOf: Self.asOf.adding(days: 1)) { s in
            try s.upsert(Customer(customerID: "C0101", name: "王芳", kind: .individual, idType: .residentID, idNumber: id))
            try s.upsert(Customer(customerID: "C0102", name: "刘强", kind: .individual, mobile: "13900001111"))
            try s.upsert(Customer(customerID: "C0103", name: "赵敏", kind: .individual, mobile: "13700002222"))
            return .commit(summary: "")
        }
        let r = try store.matchProspects(by: "t")
        #expect(r.converted == 3 && r.possible == 0, "\(r)")
        #expect(try store.prospect(told.prospectID)?.prospect.customerID == "C0103", "opened by hand, linked by the extract")
        let a = try #require(try store.prospect(byID.prospectID)), b = try #require(try store.prospect(byMobile.prospectID))
        #expect(a.prospect.customerID == "C0101" && a.prospect.stage == .opened && a.history.last?.note?.contains("same ID number") == true)
        #expect(b.prospect.customerID == "C0102" && b.history.map(\.to) == ["new", "meeting", "opened"])
        var n = try #require(try store.prospect(near.prospectID))
        #expect(n.prospect.stage == .new && n.possibleMatches.map(\.customerID) == ["C0001"], "never merged on a guess")
        #expect(try store.matchProspects(by: "t").possible == 0, "offered once")
        try store.confirmProspectMatch(near.prospectID, customerID: "C0001", same: true, by: "S003")
        n = try #require(try store.prospect(near.prospectID))
        #expect(n.prospect.customerID == "C0001" && n.prospect.stage == .opened && n.possibleMatches.isEmpty)
        refused("possible match") { try store.confirmProspectMatch(near.prospectID, customerID: "C0001", same: false, by: "S003") }
    }
}
