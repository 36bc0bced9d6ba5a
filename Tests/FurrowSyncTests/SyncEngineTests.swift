import Foundation
import FurrowCore
import FurrowServer
@testable import FurrowStore
import FurrowSync
import Hummingbird
import FurrowTestSupport
import HummingbirdTesting
import Testing

/// The sync engine against the real branch server on loopback (HTTP through AsyncHTTPClient),
/// with every store a real SQLite file.
/// Its own threads: the branch answers from the test's tasks, which other suites' blocking
/// and busy tests must not hold up past a client's timeout.
@Suite("Sync: workstations and the branch server over loopback", .ownThreads)
struct SyncEngineTests {
    let dir: URL

    init() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("furrow-sync-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    func store(_ name: String) throws -> AppDatabase {
        try AppDatabase.open(path: dir.appendingPathComponent(name).path, clock: Self.clock)
    }

    static let day = CalendarDate(iso: "2026-09-21")!
    /// Every store here (the branch's and the workstations') runs on the target's clock, which
    /// starts on the fixture's day.
    static let clock = testClock

    /// A branch: S1 and S2 (RMs) and L1 (their lead) of team 东, S9 of team 西; C1, C3 are S1's,
    /// C2 is S2's (and C1's spouse), C9 is S9's.
    func branch() throws -> AppDatabase {
        let db = try store("branch.sqlite")
        _ = try db.importExtract(directory: "b", actor: "t", asOf: Self.day) { s in
            for (id, role, team) in [("S1", StaffRole.rm, "东"), ("S2", .rm, "东"), ("L1", .lead, "东"), ("S9", .rm, "西")] {
                try s.upsert(Staff(staffID: id, name: "员工\(id)", role: role, team: team))
            }
            try s.upsert(Product(productCode: "TD1Y", name: "一年定期", type: .timeDeposit))
            try s.upsert(PayrollUnit(unitID: "U1", name: "东村小学", contactName: "李老师", contactMobile: "13311112222"))
            for (c, name, rm) in [("C1", "张三丰", "S1"), ("C2", "王小虎", "S2"), ("C3", "单田芳", "S1"), ("C9", "李四", "S9")] {
                // An ID number each (sealed at rest on both sides).
                try s.upsert(Customer(customerID: c, name: name, kind: .individual, idType: .residentID,
                                      idNumber: ResidentID.make(region: "330185", birthDate: CalendarDate(iso: "1970-01-0\(c.last!)")!,
                                                                sequence: 10, gender: .male)))
                try s.upsert(Assignment(customerID: c, staffID: rm, since: CalendarDate(iso: "2024-01-01")!))
                try s.upsert(Account(accountID: "A-\(c)", customerID: c, productCode: "TD1Y", balance: Money(fen: 5_000_000), status: .active))
                for i in 0..<3 {
                    try s.upsert(Transaction(txnID: "T-\(c)-\(i)", accountID: "A-\(c)", postedAt: "2026-09-0\(i + 1) 10:00:00",
                                             amount: Money(fen: 10_000), kind: .deposit))
                }
            }
            try s.upsert(Relation(customerID: "C1", relatedID: "C2", relation: .spouse))
            try s.upsert(Relation(customerID: "C1", relatedID: "C3", relation: .sibling))
            return .commit(summary: "")
        }
        for (u, p) in [("S1", "password-s1"), ("S2", "password-s2"), ("L1", "password-l1"), ("S9", "password-s9")] {
            try db.setBranchUser(staffID: u, passwordHash: BranchServer.hashPassword(p), by: "admin")
        }
        return db
    }

    /// Runs `body` with the branch server listening on a loopback port.
    func withServer(_ db: AppDatabase, tokenLifetime: TimeInterval = 86400,
                    _ body: @escaping @Sendable (String) async throws -> Void) async throws {
        let app = Application(router: BranchServer.router(store: db, tokenLifetime: tokenLifetime),
                              configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in
            try await body("http://127.0.0.1:\(client.port!)")
        }
    }

    func signIn(_ server: String, _ user: String, _ password: String, into store: AppDatabase) async throws -> SyncEngine {
        let answer = try await SyncClient(server: server).login(user: user, password: password, device: "test")
        return SyncEngine(store: store, client: SyncClient(server: server, token: answer.token))
    }

    func customers(_ db: AppDatabase) throws -> [String] {
        try db.portfolio(scope: .branch, sort: .name, limit: 100).rows.map(\.customerID).sorted()
    }

    @Test("a first sync brings exactly the user's customers with their history; the lead gets the team's; relatives outside the scope stay unseen")
    func firstSync() async throws {
        let branch = try branch()
        let rm = try store("s1.sqlite"), lead = try store("l1.sqlite")
        try await withServer(branch) { server in
            let s = try await signIn(server, "S1", "password-s1", into: rm).run()
            #expect(s.firstSync && s.snapshotCustomers == 2)
            let l = try await signIn(server, "L1", "password-l1", into: lead).run()
            #expect(l.snapshotCustomers == 3)
        }
        #expect(try customers(rm) == ["C1", "C3"])
        #expect(try customers(lead) == ["C1", "C2", "C3"])
        let c1 = try #require(try rm.profile(customerID: "C1"))
        #expect(c1.household.map(\.customerID) == ["C3"], "the spouse C2 is S2's: not sent to S1")
        #expect(try rm.rowCounts()["transactions"] == 6)
        #expect(try rm.search("zsf").first?.customer.customerID == "C1", "search keys arrive with the snapshot")
        #expect(try rm.search("田").first?.customer.customerID == "C3")
        #expect(try rm.syncValue(.generation) != nil && rm.syncValue(.snapshotPhase) == nil)
        // The branch opened its sealed values to send them; the workstation sealed them under its own key.
        for id in ["C1", "C3"] {
            let atBranch = try branch.revealIdentity(customerID: id)
            #expect(atBranch.idNumber?.count == 18)
            #expect(try rm.revealIdentity(customerID: id) == atBranch)
            var bytes = Data()
            for suffix in ["", "-wal"] { bytes.append(FileManager.default.contents(atPath: rm.path + suffix) ?? Data()) }
            for value in [atBranch.mobile, atBranch.idNumber, atBranch.address].compactMap({ $0 }) where value.count >= 8 {
                #expect(bytes.range(of: Data(value.utf8)) == nil, "\(id): \(value) in clear in the workstation's store")
            }
        }
        // So is the payroll unit's contact, which comes with the reference tables.
        var bytes = Data()
        for suffix in ["", "-wal"] { bytes.append(FileManager.default.contents(atPath: rm.path + suffix) ?? Data()) }
        #expect(bytes.range(of: Data("13311112222".utf8)) == nil && bytes.range(of: Data("133****2222".utf8)) != nil)
        let contact = try await rm.writer.read { try Data.fetchOne($0, sql: "SELECT contact_mobile_sealed FROM payroll_units WHERE unit_id = 'U1'") }
        #expect(contact?.count == 1 + 11 + 16, "sealed under the workstation's own key")
    }

    @Test("what an RM writes offline reaches the branch and the lead at the next syncs; a second sync sends and fetches nothing new")
    func roundTrip() async throws {
        let branch = try branch()
        let rm = try store("s1.sqlite"), lead = try store("l1.sqlite")
        try await withServer(branch) { server in
            let rmSync = try await signIn(server, "S1", "password-s1", into: rm)
            let leadSync = try await signIn(server, "L1", "password-l1", into: lead)
            _ = try await rmSync.run()
            _ = try await leadSync.run()
            // Offline work.
            _ = try rm.addNote(customerID: "C1", text: "喜欢喝茶", by: "S1")
            _ = try rm.logContact(ContactLog(customerID: "C1", channel: .visit, purpose: "理财到期", outcome: "同意续存",
                                             nextStep: "回访", nextStepDue: CalendarDate(iso: "2026-12-01")), by: "S1")
            try rm.addTag(customerID: "C3", tag: "茶友", by: "S1")
            let pushed = try await rmSync.run()
            #expect(pushed.pushed == 4 && pushed.applied == 4 && pushed.rejected == 0)
            let pulled = try await leadSync.run()
            #expect(pulled.pulled == 4)
            let again = try await leadSync.run()
            #expect(again.pushed == 0 && again.pulled == 0 && again.roundTrips == 2, "hello and one pull")
        }
        let c1 = try #require(try lead.profile(customerID: "C1"))
        #expect(c1.notes.map(\.text) == ["喜欢喝茶"])
        #expect(c1.interactions.contains { $0.purpose == "理财到期" && $0.staffID == "S1" })
        #expect(c1.tasks.contains { $0.title == "回访" && $0.dueOn == CalendarDate(iso: "2026-12-01") })
        #expect(try lead.profile(customerID: "C3")?.tags == ["茶友"])
        #expect(try rm.pendingOpCount() == 0)
    }

    @Test("an op for another RM's customer is rejected with the reason, kept on the workstation, and audited at the branch")
    func outOfScope() async throws {
        let branch = try branch()
        let rm = try store("s1.sqlite")
        try await withServer(branch) { server in
            let sync = try await signIn(server, "S1", "password-s1", into: rm)
            _ = try await sync.run()
            // C1's spouse C2 is S2's; pretend the workstation had it (an old copy).
            try rm.setSyncValues([:])
            let forged = SyncOp(opID: UUID().uuidString.lowercased(), hlc: HLC(wallMs: 1, node: "x"), kind: "note.add",
                                customerID: "C2", recordID: "N-forged", fields: ["text": "hi", "at": "2026-11-01 10:00:00"])
            let answer = try await sync.client.push([forged])
            #expect(answer.results.first?.status == .rejected && answer.results.first?.code == "out_of_scope")
        }
        #expect(try branch.profile(customerID: "C2")?.notes.isEmpty == true)
        #expect(try branch.auditTrail(actor: "S1").contains { $0.action == "sync.rejected" && $0.customerID == "C2" })
    }

    @Test("tags changed on two devices: the later change wins everywhere; the overwritten one is answered superseded and kept in the conflict log")
    func concurrentTags() async throws {
        let branch = try branch()
        let a = try store("s1-laptop.sqlite"), b = try store("s1-tablet.sqlite")
        try await withServer(branch) { server in
            let syncA = try await signIn(server, "S1", "password-s1", into: a)
            let syncB = try await signIn(server, "S1", "password-s1", into: b)
            _ = try await syncA.run()
            _ = try await syncB.run()
            try a.addTag(customerID: "C1", tag: "VIP", by: "S1")
            _ = try await syncA.run()
            _ = try await syncB.run()
            #expect(try b.profile(customerID: "C1")?.tags == ["VIP"])
            // Both offline: the laptop removes the tag; later the tablet removes and adds it back.
            try a.removeTag(customerID: "C1", tag: "VIP", by: "S1")
            try await Task.sleep(for: .milliseconds(5))
            try b.removeTag(customerID: "C1", tag: "VIP", by: "S1")
            try b.addTag(customerID: "C1", tag: "VIP", by: "S1")
            // The tablet syncs first; the laptop's older removal arrives after.
            let tablet = try await syncB.run()
            #expect(tablet.applied == 2 && tablet.superseded == 0, "the tablet's own edits are edits, not conflicts")
            let laptop = try await syncA.run()
            #expect(laptop.superseded == 1)
            _ = try await syncB.run()
        }
        for db in [a, b, branch] { #expect(try db.profile(customerID: "C1")?.tags == ["VIP"]) }
        let conflicts = try branch.syncConflicts()
        #expect(conflicts.count == 1 && conflicts.first?.lostValue == "0" && conflicts.first?.keptValue == "1")
        let answered = try a.rejectedOps()
        #expect(answered.count == 1 && answered.first?.op.kind == "tag.remove" && answered.first?.op.status == .superseded,
                "the laptop's Sync screen shows its removal did not stand")
    }

    @Test("a reassignment at the branch: the old RM's store drops the customer after the next sync unless work for it is unsent; the new RM gets it with the old RM's log")
    func reassignment() async throws {
        let branch = try branch()
        let s1 = try store("s1.sqlite"), s2 = try store("s2.sqlite")
        try await withServer(branch) { server in
            let sync1 = try await signIn(server, "S1", "password-s1", into: s1)
            let sync2 = try await signIn(server, "S2", "password-s2", into: s2)
            _ = try await sync1.run()
            _ = try await sync2.run()
            // Offline, S1 logs a visit to C3 and a note on C1 …
            _ = try s1.logContact(ContactLog(customerID: "C3", channel: .visit, at: "2026-11-20 10:00:00", purpose: "拜访"), by: "S1")
            _ = try s1.addNote(customerID: "C1", text: "note before the move", by: "S1")
            _ = try await sync1.run()
            // … then the nightly extract moves C3 and C1 to S2.
            _ = try branch.importExtract(directory: "n", actor: "t", asOf: CalendarDate(iso: "2026-11-22")!) { s in
                try s.upsert(Assignment(customerID: "C3", staffID: "S2", since: CalendarDate(iso: "2026-11-21")!))
                try s.upsert(Assignment(customerID: "C1", staffID: "S2", since: CalendarDate(iso: "2026-11-21")!))
                return .commit(summary: "")
            }
            try branch.bumpCoreGeneration()
            // S1 tags C1 before hearing of it: unsent work keeps C1 in S1's store for now.
            try s1.addTag(customerID: "C1", tag: "late", by: "S1")
            let after = try await sync1.run()
            #expect(after.rejected == 1, "a change after the move is refused")
            let s2After = try await sync2.run()
            #expect(s2After.snapshotCustomers == 3)
        }
        #expect(try customers(s1).isEmpty, "both moved customers leave S1's store once nothing for them is unsent")
        #expect(try s1.rejectedOps().first?.reason?.contains("outside your scope") == true, "the refusal and its reason stay visible")
        #expect(try customers(s2) == ["C1", "C2", "C3"])
        #expect(try s2.profile(customerID: "C3")?.interactions.contains { $0.purpose == "拜访" && $0.staffID == "S1" } == true)
        #expect(try s2.profile(customerID: "C1")?.notes.map(\.text) == ["note before the move"])

        // C1 comes back to S1; the refused tag is resubmitted (a new op: the branch answers an op once) and now lands.
        _ = try branch.importExtract(directory: "n2", actor: "t", asOf: CalendarDate(iso: "2026-11-23")!) { s in
            try s.upsert(Assignment(customerID: "C1", staffID: "S1", since: CalendarDate(iso: "2026-11-22")!))
            return .commit(summary: "")
        }
        try branch.bumpCoreGeneration()
        let refused = try #require(try s1.rejectedOps().first)
        try s1.resubmitOp(refused.op.opID, by: "S1")
        try await withServer(branch) { server in
            let again = try await signIn(server, "S1", "password-s1", into: s1).run()
            #expect(again.applied == 1 && again.rejected == 0, "\(again)")
        }
        #expect(try branch.profile(customerID: "C1")?.tags == ["late"])
        #expect(try s1.profile(customerID: "C1")?.tags == ["late"])
        #expect(try s1.rejectedOps().isEmpty)
    }

    @Test("a retried push has one effect; a revoked token and a server that is down give a clear error and keep the work")
    func faults() async throws {
        let branch = try branch()
        let rm = try store("s1.sqlite")
        var engine: SyncEngine?
        try await withServer(branch) { server in
            let sync = try await signIn(server, "S1", "password-s1", into: rm)
            _ = try await sync.run()
            _ = try rm.addNote(customerID: "C1", text: "once", by: "S1")
            let ops = try rm.pendingOps()
            // The answer was lost: the workstation sends the same op again.
            _ = try await sync.client.push(ops)
            let second = try await sync.client.push(ops)
            #expect(second.results.map(\.status) == [.duplicate])
            _ = try await sync.run()
            for d in try branch.deviceTokens(staffID: "S1") { _ = try branch.revokeDevice(id: d.id, by: "admin") }
            _ = try rm.addNote(customerID: "C1", text: "after the revoke", by: "S1")
            await #expect(throws: SyncError.self) { try await sync.run() }
        }
        #expect(try branch.profile(customerID: "C1")?.notes.map(\.text) == ["once"])
        #expect(try rm.pendingOpCount() == 1)
        #expect(try rm.syncOverview().lastProblem?.contains("furrow login") == true)
        var down = SyncClient(server: "http://127.0.0.1:9", token: "x")
        down.helloTimeout = .seconds(2)
        engine = SyncEngine(store: rm, client: down)
        do {
            _ = try await engine!.run()
            Issue.record("a sync with no server cannot succeed")
        } catch {
            #expect(error.description.contains("cannot reach the branch server"))
        }
        #expect(try rm.pendingOpCount() == 1)
    }

    @Test("a snapshot cut off after its first page resumes from there, and the store is whole afterwards")
    func resumableSnapshot() async throws {
        let branch = try branch()
        let lead = try store("l1.sqlite")
        try await withServer(branch) { server in
            var sync = try await signIn(server, "L1", "password-l1", into: lead)
            sync.snapshotPage = 1
            // Take one page by hand, as a sync killed after it would have.
            let hello = try await sync.client.hello()
            try lead.setSyncValues([.snapshotPhase: "profiles", .snapshotAfter: "", .snapshotGeneration: String(hello.generation),
                                    .snapshotHead: String(hello.feedHead), .user: "L1"])
            let first = try await sync.client.snapshot(phase: .profiles, after: "", limit: 1)
            try lead.applySnapshotPage(first)
            #expect(try customers(lead) == ["C1"])
            let rest = try await sync.run()
            #expect(rest.snapshotCustomers == 2, "only the pages not yet applied are fetched")
        }
        #expect(try customers(lead) == ["C1", "C2", "C3"])
        #expect(try lead.rowCounts()["transactions"] == 9)
        #expect(try lead.integrityCheck(), "\(dir.path)/l1.sqlite")
    }

    @Test("a workstation offline 120 days, past the compaction window, with 5,000 unsent changes: all are sent, then its copy is fetched again, nothing lost")
    func longOffline() async throws {
        let branch = try branch()
        let rm = try store("s1.sqlite"), tablet = try store("s1-tablet.sqlite")
        try await withServer(branch) { server in
            let sync = try await signIn(server, "S1", "password-s1", into: rm)
            let other = try await signIn(server, "S1", "password-s1", into: tablet)
            _ = try await sync.run()
            _ = try await other.run()
            for i in 0..<5000 { _ = try rm.addNote(customerID: i % 2 == 0 ? "C1" : "C3", text: "offline \(i)", by: "S1") }
            _ = try tablet.addNote(customerID: "C1", text: "from the tablet", by: "S1")
            _ = try await other.run()
            // 120 days pass; the branch keeps 90 days of changes.
            let (removed, _) = try branch.compactFeed(keepingDays: 90, now: Self.clock().addingTimeInterval(120 * 86400))
            #expect(removed >= 1)
            let back = try await sync.run()
            #expect(back.pushed == 5000 && back.applied == 5000 && back.resnapshot, "\(back)")
        }
        #expect(try branch.rowCounts()["notes"] == 5001)
        #expect(try rm.rowCounts()["notes"] == 5001, "the tablet's note came with the new snapshot")
        #expect(try rm.pendingOpCount() == 0)
        #expect(try rm.integrityCheck())
    }

    @Test("an outdated workstation pushes its work, then is told to upgrade and receives nothing; an expired token says sign in again")
    func versionsAndExpiry() async throws {
        let branch = try branch()
        let rm = try store("s1.sqlite")
        try await withServer(branch) { server in
            let current = try await signIn(server, "S1", "password-s1", into: rm)
            _ = try await current.run()
            _ = try rm.addNote(customerID: "C1", text: "written on an old furrow", by: "S1")
            var old = current.client as! SyncClient
            old.schemaVersion = SyncProtocol.schemaVersion - 1
            do {
                _ = try await SyncEngine(store: rm, client: old).run()
                Issue.record("an outdated client cannot receive")
            } catch let error as SyncError {
                guard case .upgradeRequired(let message) = error else { Issue.record("\(error)"); return }
                #expect(message.contains("older than the branch's") && message.contains("upgrade furrow"), "\(message)")
            }
            #expect(try rm.pendingOpCount() == 0, "the push went through first")
            await #expect(throws: SyncError.self) { _ = try await old.pull(cursor: 0, limit: 10) }
            await #expect(throws: SyncError.self) { _ = try await old.snapshot(phase: .profiles, after: "", limit: 10) }
            var older = old
            older.schemaVersion = SyncProtocol.schemaVersion
            older.protocolVersion = SyncProtocol.minimumClientVersion - 1
            #expect(try await older.hello().upgrade?.contains("sync protocol") == true)
            #expect(try await current.client.hello().upgrade == nil)
        }
        #expect(try branch.profile(customerID: "C1")?.notes.map(\.text) == ["written on an old furrow"])

        let tablet = try store("s1-tablet.sqlite")
        try await withServer(branch, tokenLifetime: -1) { server in
            let expired = try await signIn(server, "S1", "password-s1", into: tablet)
            do {
                _ = try await expired.run()
                Issue.record("an expired token cannot sync")
            } catch let error as SyncError {
                guard case .signInAgain = error else { Issue.record("\(error)"); return }
                #expect(error.description.contains("furrow login"))
            }
        }
    }

    @Test("clocks a day off: a write made after seeing another still wins (the hybrid clock learns from what it pulls); the skew is flagged")
    func skewedClocks() async throws {
        let branch = try branch()
        let behind = try AppDatabase.open(path: dir.appendingPathComponent("behind.sqlite").path, clock: { Self.clock().addingTimeInterval(-86400) })
        let ahead = try AppDatabase.open(path: dir.appendingPathComponent("ahead.sqlite").path, clock: { Self.clock().addingTimeInterval(86400) })
        let right = try store("right.sqlite")
        try await withServer(branch) { server in
            let b = try await signIn(server, "S1", "password-s1", into: behind)
            let a = try await signIn(server, "S1", "password-s1", into: ahead)
            let r = try await signIn(server, "S1", "password-s1", into: right)
            for e in [b, a, r] { _ = try await e.run() }
            // The correct clock tags; the slow one sees it, then removes it: the removal is later.
            try right.addTag(customerID: "C1", tag: "茶叶大户", by: "S1")
            _ = try await r.run()
            _ = try await b.run()
            try behind.removeTag(customerID: "C1", tag: "茶叶大户", by: "S1")
            let slow = try await b.run()
            #expect(slow.applied == 1 && slow.superseded == 0, "\(slow)")
            // The fast clock tags; the correct one sees it and removes it: the removal is later still.
            try ahead.addTag(customerID: "C3", tag: "养殖户", by: "S1")
            _ = try await a.run()
            _ = try await r.run()
            try right.removeTag(customerID: "C3", tag: "养殖户", by: "S1")
            let fine = try await r.run()
            #expect(fine.applied == 1 && fine.superseded == 0, "\(fine)")
            for e in [b, a, r] { _ = try await e.run() }
        }
        for db in [branch, behind, ahead, right] {
            #expect(try db.profile(customerID: "C1")?.tags == [], "\(db.path)")
            #expect(try db.profile(customerID: "C3")?.tags == [], "\(db.path)")
        }
        // Both wrong clocks are told (the status line reads this).
        for db in [behind, ahead] {
            let skew = try db.syncOverview().clockSkewSeconds
            #expect(abs(skew) > SyncSummary.skewLimitSeconds, "\(db.path): \(skew)")
        }
        #expect(try branch.syncConflicts().isEmpty)
    }

    @Test("a new device's snapshot carries the fields' clocks: undoing a tag it was given is an edit, not a conflict")
    func snapshotCarriesClocks() async throws {
        let branch = try branch()
        let phone = try store("phone.sqlite"), laptop = try store("laptop.sqlite")
        try await withServer(branch) { server in
            let p = try await signIn(server, "S1", "password-s1", into: phone)
            _ = try await p.run()
            try phone.addTag(customerID: "C1", tag: "茶叶大户", by: "S1")
            _ = try await p.run()
            let l = try await signIn(server, "S1", "password-s1", into: laptop)
            #expect(try await l.run().firstSync)
            #expect(try laptop.profile(customerID: "C1")?.tags == ["茶叶大户"])
            try laptop.removeTag(customerID: "C1", tag: "茶叶大户", by: "S1")
            let s = try await l.run()
            #expect(s.applied == 1 && s.superseded == 0, "\(s)")
            _ = try await p.run()
        }
        #expect(try branch.syncConflicts().isEmpty)
        #expect(try phone.profile(customerID: "C1")?.tags == [])
    }

    @Test("a correction proposed offline reaches the lead, who accepts one and rejects another; the RM's copy follows; the branch's own decision reaches both")
    func corrections() async throws {
        let branch = try branch()
        let rm = try store("s1.sqlite"), lead = try store("l1.sqlite")
        try await withServer(branch) { server in
            let r = try await signIn(server, "S1", "password-s1", into: rm)
            let l = try await signIn(server, "L1", "password-l1", into: lead)
            _ = try await r.run()
            _ = try await l.run()
            let mobile = try rm.proposeCorrection(customerID: "C1", field: .mobile, value: "13911112222", reason: "客户换号", by: "S1")
            let address = try rm.proposeCorrection(customerID: "C3", field: .address, value: "西村2号", reason: nil, by: "S1")
            let third = try rm.proposeCorrection(customerID: "C3", field: .mobile, value: "13655554444", reason: nil, by: "S1")
            #expect(try await r.run().applied == 3)
            _ = try await l.run()
            #expect(Set(try lead.proposals(status: .pending).map(\.proposalID)) == [mobile.proposalID, address.proposalID, third.proposalID])
            // An RM cannot decide, even by pushing the op by hand.
            #expect(throws: StoreError.self) { try rm.decideProposal(mobile.proposalID, accept: true, note: nil, by: "S1") }
            try lead.decideProposal(mobile.proposalID, accept: true, note: nil, by: "L1")
            try lead.decideProposal(address.proposalID, accept: false, note: "请核实门牌 check the number", by: "L1")
            #expect(try await l.run().applied == 2)
            // The branch's administrator decides the third from the command line.
            #expect(try branch.decideProposalAtBranch(third.proposalID, accept: true, note: nil, by: "L1").status == .applied)
            let back = try await r.run()
            #expect(back.pulled >= 3, "\(back)")
            _ = try await l.run()
        }
        for db in [branch, rm, lead] {
            #expect(try db.revealIdentity(customerID: "C1").mobile == "13911112222", "\(db.path)")
            #expect(try db.revealIdentity(customerID: "C3").mobile == "13655554444", "\(db.path)")
            #expect(try db.revealIdentity(customerID: "C3").address == nil, "\(db.path)")
            let decided = try db.proposals()
            #expect(decided.count == 3 && decided.allSatisfy { $0.status != .pending && $0.decidedBy == "L1" }, "\(db.path): \(decided)")
            #expect(decided.first { $0.field == .address }?.decisionNote == "请核实门牌 check the number")
        }
        #expect(try branch.syncConflicts().isEmpty && rm.rejectedOps().isEmpty && lead.rejectedOps().isEmpty)
    }

    @Test("the same push sent eight times at once (a retry racing the original): each op takes effect once, every answer says so")
    func duplicatedConcurrently() async throws {
        let branch = try branch()
        let rm = try store("s1.sqlite")
        try await withServer(branch) { server in
            let sync = try await signIn(server, "S1", "password-s1", into: rm)
            _ = try await sync.run()
            for i in 0..<50 { _ = try rm.addNote(customerID: "C1", text: "race \(i)", by: "S1") }
            let ops = try rm.pendingOps()
            let answers = try await withThrowingTaskGroup(of: PushResponse.self) { group in
                for _ in 0..<8 { group.addTask { try await sync.client.push(ops) } }
                return try await group.reduce(into: [PushResponse]()) { $0.append($1) }
            }
            for op in ops {
                let statuses = answers.map { a in a.results.first { $0.opID == op.opID }?.status }
                #expect(statuses.filter { $0 == .applied }.count == 1 && statuses.filter { $0 == .duplicate }.count == 7, "\(statuses)")
            }
        }
        #expect(try branch.profile(customerID: "C1")?.notes.count == 50)
        #expect(try branch.rowCounts()["op_log"] == 50)
    }

    @Test("a thousand long notes in Chinese (6 MB) go in several pushes under the branch's body limit; a body over it is refused with 413")
    func bigPushes() async throws {
        let branch = try branch()
        let rm = try store("s1.sqlite")
        let long = String(repeating: "客户说想把定期转成理财，下周再来网点面谈。", count: 95)   // about 2,000 characters
        try await withServer(branch) { server in
            let sync = try await signIn(server, "S1", "password-s1", into: rm)
            _ = try await sync.run()
            for i in 0..<1000 { _ = try rm.addNote(customerID: "C1", text: "\(i) " + long, by: "S1") }
            let ops = try rm.pendingOps()
            do {
                _ = try await sync.client.push(ops)
                Issue.record("a 6 MB push must be refused")
            } catch let error as SyncError {
                guard case .refused(let status, _) = error else { Issue.record("\(error)"); return }
                #expect(status == 413)
            }
            let s = try await sync.run()
            #expect(s.applied == 1000 && s.roundTrips >= 7, "\(s)")
        }
        #expect(try branch.rowCounts()["notes"] == 1000)
        #expect(try rm.pendingOpCount() == 0)
    }

    @Test("a lead launches a campaign on their workstation: the RMs get the tasks and the campaign, answer, and the lead's funnel moves")
    func campaignsTravel() async throws {
        let branch = try branch()
        let lead = try store("l1.sqlite"), rm = try store("s1.sqlite")
        try await withServer(branch) { server in
            let l = try await signIn(server, "L1", "password-l1", into: lead)
            let r = try await signIn(server, "S1", "password-s1", into: rm)
            _ = try await l.run()
            _ = try await r.run()
            let day = CalendarDate.today(now: Self.clock())
            let c = try lead.createCampaign(name: "中秋关怀", kind: .care, startsOn: day, endsOn: day.adding(days: 10),
                                            target: CampaignTarget(), by: "L1")
            let list = try lead.buildCampaignList(c.campaignID, asOf: day, by: "L1")
            #expect(list.targeted.map(\.customerID).sorted() == ["C1", "C2", "C3"], "the lead's team")
            _ = try lead.launchCampaign(c.campaignID, asOf: day, by: "L1")
            #expect(try await l.run().applied == 3)
            _ = try await r.run()
            // S1's store knows the campaign and its two customers' tasks; C2 is S2's.
            #expect(try rm.openCampaign(customerID: "C1")?.name == "中秋关怀")
            #expect(try rm.openCampaign(customerID: "C2") == nil)
            try rm.recordCampaignResponse(c.campaignID, customerID: "C1", response: .accepted, by: "S1")
            try rm.recordCampaignResponse(c.campaignID, customerID: "C3", response: .notReached, by: "S1")
            #expect(try await r.run().rejected == 0)
            _ = try await l.run()
        }
        // A new device of S1 gets the campaign and its members with the snapshot.
        let tablet = try store("s1-tablet.sqlite")
        try await withServer(branch) { server in _ = try await signIn(server, "S1", "password-s1", into: tablet).run() }
        #expect(try tablet.campaignMembers(try #require(try tablet.campaigns().first).campaignID).map(\.customerID) == ["C1", "C3"])
        let funnel = try lead.campaignFunnel(try #require(try lead.campaigns().first).campaignID)
        #expect(funnel.total.targeted == 3 && funnel.total.contacted == 2 && funnel.total.accepted == 1, "\(funnel.total)")
        #expect(try branch.campaignFunnel(try #require(try branch.campaigns().first).campaignID).total.accepted == 1)
        #expect(try branch.profile(customerID: "C1")?.interactions.contains { $0.purpose == "中秋关怀" } == true)
    }

    @Test("a refused task is edited and sent again: bad edits are refused by field and change nothing; the edit reaches the branch and the local copy; the audit names the fields")
    func editAndResubmit() async throws {
        let branch = try branch()
        let s1 = try store("s1.sqlite")
        try await withServer(branch) { server in
            let sync = try await signIn(server, "S1", "password-s1", into: s1)
            _ = try await sync.run()
            // The branch moves C1 to S2; S1, not yet told, sets a task for C1: refused.
            _ = try branch.importExtract(directory: "n", actor: "t", asOf: CalendarDate(iso: "2026-11-22")!) { s in
                try s.upsert(Assignment(customerID: "C1", staffID: "S2", since: CalendarDate(iso: "2026-11-21")!))
                return .commit(summary: "")
            }
            try branch.bumpCoreGeneration()
            _ = try s1.createTask(customerID: "C1", title: "回访", reason: nil, dueOn: CalendarDate(iso: "2026-11-25")!, by: "S1")
            let refused = try await sync.run()
            #expect(refused.rejected == 1, "\(refused)")
        }
        let answered = try #require(try s1.rejectedOps().first)
        #expect(answered.op.kind == "task.create" && answered.code == "out_of_scope")
        let taskID = try #require(answered.op.recordID)
        #expect(EditableOpField.fields(ofKind: "task.create").map(\.field) == ["title", "due_on", "reason"])
        #expect(EditableOpField.fields(ofKind: "tag.add").isEmpty, "a tag has nothing to edit")

        // Bad edits: named by field; the outbox and the local task stay as they were.
        func taskRow() throws -> FollowUpTask? { try s1.profile(customerID: "C1")?.tasks.first { $0.taskID == taskID } }
        for (edits, field) in [(["due_on": "next week"], "due_on"), (["title": "  "], "title"), (["owner": "S9"], "owner"),
                               (["title": String(repeating: "长", count: 201)], "title")] {
            #expect(throws: StoreError.self) { try s1.resubmitOp(answered.op.opID, edits: edits, by: "S1") }
            do { _ = try s1.resubmitOp(answered.op.opID, edits: edits, by: "S1") } catch {
                guard case .invalid(let f, _) = error else { Issue.record("\(error)"); continue }
                #expect(f == field, "\(edits): \(error)")
            }
        }
        #expect(try s1.rejectedOps().map(\.op.opID) == [answered.op.opID], "the refused change is still there, unchanged")
        #expect(try s1.rejectedOps().first?.op.fields["title"] == "回访")
        #expect(try taskRow() == nil, "C1 has left S1's store with the move")

        // C1 comes back to S1; the RM edits the title and the day, and sends it again.
        _ = try branch.importExtract(directory: "n2", actor: "t", asOf: CalendarDate(iso: "2026-11-23")!) { s in
            try s.upsert(Assignment(customerID: "C1", staffID: "S1", since: CalendarDate(iso: "2026-11-22")!))
            return .commit(summary: "")
        }
        try branch.bumpCoreGeneration()
        let newOp = try s1.resubmitOp(answered.op.opID, edits: ["title": "回访, 带上理财资料", "due_on": " 2026-12-01 ", "reason": ""], by: "S1")
        #expect(newOp != answered.op.opID)
        let sent = try #require(try s1.pendingOps().first { $0.opID == newOp })
        #expect(sent.fields["title"] == "回访, 带上理财资料" && sent.fields["due_on"] == "2026-12-01" && sent.recordID == taskID)
        try await withServer(branch) { server in
            let again = try await signIn(server, "S1", "password-s1", into: s1).run()
            #expect(again.applied == 1 && again.rejected == 0, "\(again)")
        }
        let atBranch = try #require(try branch.profile(customerID: "C1")?.tasks.first { $0.taskID == taskID })
        #expect(atBranch.title == "回访, 带上理财资料" && atBranch.dueOn == CalendarDate(iso: "2026-12-01"))
        #expect(try s1.rejectedOps().isEmpty)
        #expect(try taskRow()?.title == "回访, 带上理财资料" && taskRow()?.dueOn == CalendarDate(iso: "2026-12-01"),
                "C1 is back in S1's store with the edited task")
        let audit = try s1.auditTrail(customerID: "C1").first { $0.action == "sync.resubmit" }
        #expect(audit?.detail?.hasSuffix("edited due_on,title") == true, "a field left as it was is no edit: \(String(describing: audit))")
        #expect(audit?.detail?.contains("理财") == false, "the audit names fields, not the words")
    }

    @Test("prospects and outreach days travel: the lead gets the team's, another RM only the day, a new device all of its user's; a move made elsewhere first is refused; another RM's prospect is out of scope")
    func prospectsTravel() async throws {
        let branch = try branch()
        let rm = try store("s1.sqlite"), lead = try store("l1.sqlite"), other = try store("s2.sqlite"), west = try store("s9.sqlite")
        let day = CalendarDate.today(now: Self.clock())
        try await withServer(branch) { server in
            for (u, db) in [("S1", rm), ("L1", lead), ("S2", other), ("S9", west)] {
                _ = try await signIn(server, u, "password-\(u.lowercased())", into: db).run()
            }
        }
        // Offline at a market: the day, a person met there, a first call with a next step.
        #expect(throws: StoreError.self) { try rm.logOutreach(place: "东村集市", on: day, staff: ["S1", "S404"], peopleMet: 20, note: nil, by: "S1") }
        let outreach = try rm.logOutreach(place: "东村集市", on: day, staff: ["S1", "S2"], peopleMet: 20, note: "赶集日", by: "S1")
        // A day S1 went alone: S2 did not go, S9 is of another team.
        _ = try rm.logOutreach(place: "东村小学", on: day, staff: ["S1"], peopleMet: 5, note: nil, by: "S1")
        #expect(throws: StoreError.self) {
            try rm.addProspect(name: "王五", mobile: "13800138000", source: .outreach, owner: "S404", by: "S1")
        }
        let prospectID = try rm.addProspect(name: "王五", mobile: "13800138000", village: "东村", source: .outreach, outreachID: outreach,
                                            interest: "定期存款", owner: "S1", by: "S1").prospectID
        try rm.advanceProspect(prospectID, to: .contacted, note: "电话联系", next: (step: "上门面谈", due: day.adding(days: 2)), by: "S1")
        _ = try rm.revealProspects([prospectID], by: "S1")
        try await withServer(branch) { server in
            let sent = try await signIn(server, "S1", "password-s1", into: rm).run()
            #expect(sent.pushed == 6 && sent.applied == 6 && sent.rejected == 0, "\(sent)")
            #expect(try await signIn(server, "L1", "password-l1", into: lead).run().pulled == 6, "the lead: both days, the prospect's 4 changes")
            #expect(try await signIn(server, "S2", "password-s2", into: other).run().pulled == 1,
                    "another RM gets the outreach day they went on, not S1's prospect nor the day S1 went alone")
            #expect(try await signIn(server, "S9", "password-s9", into: west).run().pulled == 0, "another team's RM: nothing")
            // A new device of S2's: its snapshot carries the same day only.
            let s2Tablet = try store("s2-tablet.sqlite")
            _ = try await signIn(server, "S2", "password-s2", into: s2Tablet).run()
            #expect(try s2Tablet.outreachLogs().map(\.place) == ["东村集市"])
        }
        // The prospect's mobile is sealed at rest everywhere it went: in the branch's prospects,
        // op log and change feed, and in each workstation's copy and outbox; it opens on a reveal.
        for name in ["branch.sqlite", "s1.sqlite", "l1.sqlite"] {
            var bytes = Data()
            for suffix in ["", "-wal"] { bytes.append(FileManager.default.contents(atPath: dir.appendingPathComponent(name + suffix).path) ?? Data()) }
            #expect(bytes.range(of: Data("13800138000".utf8)) == nil, "\(name) holds the prospect's mobile in clear")
            #expect(bytes.range(of: Data("138****8000".utf8)) != nil, "\(name) keeps the masked form")
        }
        #expect(try lead.prospect(prospectID)?.prospect.mobile == "138****8000", "read masked")
        #expect(try lead.revealProspects([prospectID], by: "L1")[prospectID]?.mobile == "13800138000", "opened by a reveal")
        // S2 cannot touch S1's prospect, even by naming it.
        let foreign = SyncOp(opID: UUID().uuidString, hlc: HLC(wallMs: Int64(Self.clock().timeIntervalSince1970 * 1000), node: "x"),
                             kind: "prospect.stage", customerID: nil, recordID: prospectID,
                             fields: ["to": "lost", "note": "抢客户", "at": Timestamp.utcNow(Self.clock())])
        let answer = try branch.applyOps([foreign], user: .init(staffID: "S2", role: .rm, team: "东"))
        #expect(answer.first?.code == "out_of_scope", "\(answer)")
        #expect(answer.first?.reason?.contains("S1") == false, "the refusal does not say whose prospect it is")
        #expect(try branch.auditTrail(actor: "S1").contains { $0.action == "sync.prospect.reveal" && $0.detail?.hasSuffix(prospectID) == true },
                "the unmasking is in the branch's audit trail, naming the prospect")
        // The lead's copy: the prospect at its stage with its next step and history, the day it came from.
        let seen = try #require(try lead.prospect(prospectID))
        #expect(seen.prospect.stage == .contacted && seen.prospect.nextStep == "上门面谈" && seen.prospect.nextStepDue == day.adding(days: 2))
        #expect(seen.history.map(\.to) == ["new", "contacted"])
        #expect(try lead.outreachLogs().map(\.met).sorted() == [5, 20] && lead.outreachLogs().map(\.prospects).sorted() == [0, 1])
        #expect(try other.prospects().isEmpty && other.outreachLogs().map(\.place) == ["东村集市"])
        #expect(try west.outreachLogs().isEmpty)
        #expect(try branch.prospect(prospectID)?.prospect.stage == .contacted)

        // A new device of S1's: its snapshot carries the prospect whole. Both devices then move it
        // offline; the one that syncs second is refused if its move no longer follows.
        let tablet = try store("s1-tablet.sqlite")
        try await withServer(branch) { server in
            let t = try await signIn(server, "S1", "password-s1", into: tablet)
            _ = try await t.run()
            let copy = try #require(try tablet.prospect(prospectID))
            #expect(copy.prospect.stage == .contacted && copy.history.count == 2 && copy.prospect.nextStep == "上门面谈")
            #expect(try tablet.outreachLogs().map(\.prospects).sorted() == [0, 1])
            let r = try await signIn(server, "S1", "password-s1", into: rm)
            try rm.advanceProspect(prospectID, to: .lost, note: "去了别家银行", by: "S1")
            try tablet.advanceProspect(prospectID, to: .meeting, note: "见面了", by: "S1")
            #expect(try await r.run().applied == 1)
            let second = try await t.run()
            #expect(second.rejected == 1 && second.pulled == 1, "\(second)")
            #expect(try tablet.rejectedOps().first?.code == "stage_conflict")
            _ = try await r.run()
        }
        #expect(try branch.prospect(prospectID)?.prospect.stage == .lost)
        #expect(try rm.prospect(prospectID)?.history.map(\.to) == ["new", "contacted", "lost"])
    }

    @Test("a device revoked as lost erases its store at its next contact, pushing nothing; the branch's audit says when")
    func remoteWipe() async throws {
        let branch = try branch()
        let laptop = try store("lost.sqlite")
        let path = dir.appendingPathComponent("lost.sqlite").path
        try await withServer(branch) { server in
            let sync = try await signIn(server, "S1", "password-s1", into: laptop)
            _ = try await sync.run()
            #expect(try customers(laptop) == ["C1", "C3"])
            _ = try laptop.addNote(customerID: "C1", text: "written after the laptop was lost", by: "S1")
            let device = try #require(try branch.deviceTokens(staffID: "S1").first)
            _ = try branch.revokeDevice(id: device.id, lost: true, by: "admin")
            do {
                _ = try await sync.run()
                Issue.record("a lost device must be told to erase")
            } catch SyncError.wipe(let reason) {
                #expect(reason.contains("reported lost"))
            }
        }
        #expect(try branch.profile(customerID: "C1")?.notes.isEmpty == true, "nothing was pushed")
        #expect(try customers(laptop).isEmpty && laptop.pendingOpCount() == 0, "the store's rows are gone")
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path)) + ((try? Data(contentsOf: URL(fileURLWithPath: path + "-wal"))) ?? Data())
        #expect(bytes.range(of: Data("张三丰".utf8)) == nil && bytes.range(of: Data("written after".utf8)) == nil,
                "no customer's name or note is left in the file")
        #expect(try branch.auditTrail(actor: "S1").contains { $0.action == "device.wipe" })
        #expect(try branch.auditTrail().contains { $0.action == "device.revoke_lost" })
        RemoteWipe.removeFiles(forStore: path)
        #expect(!FileManager.default.fileExists(atPath: path) && !FileManager.default.fileExists(atPath: path + ".token"))
    }
}
