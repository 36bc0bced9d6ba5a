import Foundation
import FurrowCore
import GRDB
import Synchronization
import Testing
@testable import FurrowStore

/// A lost laptop or a copied store file: ID numbers, mobiles and addresses are sealed at rest,
/// and only the store's key (its key file, or the user's PIN) opens them.
@Suite("Personal data sealed at rest")
struct SealingTests {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("furrow-sealing-\(UUID().uuidString)")

    /// Every byte of the store as it is on disk (the file and its WAL).
    func diskBytes(_ path: String) -> Data {
        var d = Data()
        for suffix in ["", "-wal"] { d.append(FileManager.default.contents(atPath: path + suffix) ?? Data()) }
        return d
    }

    func leaked(_ path: String, _ values: [String]) -> [String] {
        let bytes = diskBytes(path)
        return values.filter { bytes.range(of: Data($0.utf8)) != nil }
    }

    static let secrets: [String] = StoreFixture.people.flatMap { [$0.2, $0.3].compactMap { $0 } } + [StoreFixture.payrollContact]

    @Test("an imported store holds no full ID number or mobile anywhere in its files; plain SQLite sees masks and sealed bytes; a reveal opens them")
    func importedStoreIsSealed() throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("s.sqlite").path
        let db = try AppDatabase.open(path: path, clock: testClock)
        try StoreFixture.seed(db)
        #expect(Self.secrets.count > 10)
        #expect(leaked(path, Self.secrets).isEmpty)
        // What `sqlite3` would print: a plain connection, none of furrow's functions.
        let plain = try DatabaseQueue(path: path)
        let row = try #require(try plain.read { try Row.fetchOne($0, sql: "SELECT id_number, mobile, id_sealed, mobile_sealed FROM customers WHERE customer_id = 'C001'") })
        #expect(row["mobile"] as String? == "138****5678")
        #expect((row["id_number"] as String?)?.contains("**********") == true)
        #expect((row["mobile_sealed"] as Data?)?.count == 1 + 11 + 16, "version, ciphertext, tag; the nonce is derived, not stored")
        #expect(try plain.read { try String.fetchOne($0, sql: "SELECT contact_mobile FROM payroll_units") } == "133****2222")
        let opened = try db.revealIdentity(customerID: "C001")
        #expect(opened.mobile == "13812345678")
        #expect(opened.idNumber == StoreFixture.people[0].3)
        // Search by the suffixes and by the full number still finds them.
        #expect(try db.search("5678").map(\.customer.customerID).contains("C001"))
        #expect(try db.search("13812345678").map(\.customer.customerID) == ["C001"])
        #expect(try db.search(StoreFixture.people[0].3!).map(\.customer.customerID) == ["C001"])
        #expect(try db.search("13812349999").isEmpty, "the same visible digits, another number: not a match while unlocked")
    }

    @Test("a sealed value moved to another customer, or changed, does not open")
    func tamperedValues() throws {
        let db = try StoreFixture.make()
        try db.writer.write { db in
            try db.execute(sql: "UPDATE customers SET mobile_sealed = (SELECT mobile_sealed FROM customers WHERE customer_id = 'C002') WHERE customer_id = 'C001'")
            // One bit of C003's sealed ID number flipped.
            var blob = try #require(try Data.fetchOne(db, sql: "SELECT id_sealed FROM customers WHERE customer_id = 'C003'"))
            blob[blob.startIndex + 20] ^= 0x01
            try db.execute(sql: "UPDATE customers SET id_sealed = ? WHERE customer_id = 'C003'", arguments: [blob])
        }
        #expect(throws: StoreError.self) { _ = try db.revealIdentity(customerID: "C001") }
        #expect(throws: StoreError.self) { _ = try db.revealIdentity(customerID: "C003") }
        #expect(try db.revealIdentity(customerID: "C002").mobile == "13900001111")
    }

    @Test("a store made before sealing is sealed when it is next opened, and its old pages leave the file")
    func migrationSealsAnOldStore() throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let path = dir.appendingPathComponent("old.sqlite").path
        let secrets = ["330185196005010011", "13812345678", "浙江省杭州市富阳区青山村五组12号"]
        do {
            let old = try DatabaseQueue(path: path)
            try Migrations.migrator.migrate(old, upTo: "2026-12-04 lost devices")
            try old.write { db in
                for i in 0..<300 {
                    try db.execute(sql: """
                        INSERT INTO customers (customer_id, name, kind, id_type, id_number, mobile, address, phone_last4, id_last6)
                        VALUES (?, '张三', 'individual', 'resident_id', ?, ?, ?, ?, ?)
                        """, arguments: ["C\(i)", i == 7 ? secrets[0] : "33018519600501\(String(format: "%04d", 1000 + i))",
                                         i == 7 ? secrets[1] : "139\(String(format: "%08d", i))", i == 7 ? secrets[2] : "某地\(i)号",
                                         i == 7 ? "5678" : "0000", i == 7 ? "010011" : "000000"])
                }
            }
            try old.close()
        }
        chmod(path, 0o600)
        #expect(leaked(path, secrets) == secrets, "the old store holds them in clear")
        let db = try AppDatabase.open(path: path, clock: testClock)
        #expect(leaked(path, secrets).isEmpty, "sealed, and the file rewritten without the old pages")
        let opened = try db.revealIdentity(customerID: "C7")
        #expect([opened.idNumber, opened.mobile, opened.address] == secrets)
        #expect(FileManager.default.fileExists(atPath: path + ".key"))
        let keyMode = (try FileManager.default.attributesOfItem(atPath: path + ".key")[.posixPermissions] as? NSNumber)?.intValue
        #expect(keyMode == 0o600)
    }

    @Test("with a PIN the key file is gone: the store opens locked (masked lists, no reveal), a wrong PIN is refused, the right one opens it")
    func pinWrappedStore() throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("s.sqlite").path
        do {
            let db = try AppDatabase.open(path: path, clock: testClock)
            try StoreFixture.seed(db)
            try db.rewrap(to: .pin("482913"))
        }
        #expect(!FileManager.default.fileExists(atPath: path + ".key"))
        let db = try AppDatabase.open(path: path, clock: testClock)
        #expect(try db.sealingState() == .locked(wrap: "pin"))
        #expect(throws: StoreError.self) { _ = try db.revealIdentity(customerID: "C001") }
        #expect(try db.search("5678").map(\.customer.customerID).contains("C001"), "search by the kept suffixes works locked")
        #expect(try db.search("13812345678").map(\.customer.customerID) == ["C001"], "locked: by the masked form's visible digits")
        #expect(throws: StoreError.self) { try db.unlock(.pin("000000")) }
        #expect(throws: StoreError.self) { try db.unlock(.besideStore(path)) }
        try db.unlock(.pin("482913"))
        #expect(try db.revealIdentity(customerID: "C001").mobile == "13812345678")
        #expect(leaked(path, Self.secrets).isEmpty)
    }

    @Test("wrong PINs at the store's unlock wait longer after three, and the count survives reopening the store")
    func pinUnlockBacksOff() throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("s.sqlite").path
        let now = Mutex(Date(timeIntervalSince1970: 1_796_004_000))
        let clock: @Sendable () -> Date = { now.withLock { $0 } }
        do {
            let db = try AppDatabase.open(path: path, clock: clock)
            try StoreFixture.seed(db)
            try db.rewrap(to: .pin("482913"))
        }
        var db = try AppDatabase.open(path: path, clock: clock)
        for _ in 0..<4 { #expect(throws: StoreError.self) { try db.unlock(.pin("000000")) } }
        #expect(db.pinWait() == 5)
        db = try AppDatabase.open(path: path, clock: clock)   // a new start
        do {
            try db.unlock(.pin("482913"))
            Issue.record("the right PIN was checked during the wait")
        } catch {
            #expect(error.description.contains("try again in 5 s"), "\(error)")
        }
        now.withLock { $0 += 6 }
        try db.unlock(.pin("482913"))
        #expect(db.pinFailures().count == 0)
    }

    @Test("a store whose key file is missing says so and which file; a key file others may read is refused")
    func missingKeyFile() throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("s.sqlite").path
        do { _ = try AppDatabase.open(path: path, clock: testClock) }
        try FileManager.default.moveItem(atPath: path + ".key", toPath: path + ".key.moved")
        do {
            _ = try AppDatabase.open(path: path, clock: testClock)
            Issue.record("opened without its key file")
        } catch {
            #expect(error.description.contains("\(path).key is missing"), "\(error)")
        }
        try FileManager.default.moveItem(atPath: path + ".key.moved", toPath: path + ".key")
        chmod(path + ".key", 0o644)
        do {
            _ = try AppDatabase.open(path: path, clock: testClock)
            Issue.record("opened with a key file others may read")
        } catch {
            #expect(error.description.contains("chmod 600"), "\(error)")
        }
    }

    @Test("a reveal opens and records in one step: a locked store or an unknown customer shows nothing and records nothing")
    func revealIsAudited() throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("s.sqlite").path
        do {
            let db = try AppDatabase.open(path: path, clock: testClock)
            try StoreFixture.seed(db)
            let opened = try db.reveal(customerIDs: ["C001", "C002"], by: "S1", context: "test")
            #expect(opened["C001"]?.mobile == "13812345678" && opened["C002"]?.mobile == "13900001111")
            #expect(try db.auditTrail(customerID: "C001").first?.action == "reveal")
            #expect(throws: StoreError.self) { _ = try db.reveal(customerIDs: ["C003", "C999"], by: "S1", context: "test") }
            #expect(try db.auditTrail(customerID: "C003").allSatisfy { $0.action != "reveal" }, "nothing recorded for a reveal that failed")
            try db.rewrap(to: .pin("482913"))
        }
        let locked = try AppDatabase.open(path: path, clock: testClock)
        #expect(throws: StoreError.self) { _ = try locked.reveal(customerIDs: ["C004"], by: "S1", context: "test") }
        #expect(try locked.auditTrail(customerID: "C004").allSatisfy { $0.action != "reveal" })
    }

    @Test("a key file that is not one furrow wrote is refused by name")
    func corruptKeyFile() throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("s.sqlite").path
        do { _ = try AppDatabase.open(path: path, clock: testClock) }
        try "furrow-store-key v1\nbm90IGEga2V5\n".write(toFile: path + ".key", atomically: false, encoding: .utf8)
        do {
            _ = try AppDatabase.open(path: path, clock: testClock)
            Issue.record("opened with a damaged key file")
        } catch {
            #expect(error.description.contains("not a key file furrow wrote"), "\(error)")
        }
        #expect(throws: StoreError.self) { _ = try AppDatabase.open(path: path, key: .secret(Array(repeating: 7, count: 32)), clock: testClock) }
    }

    @Test("a re-import of the same extract changes nothing: the sealing is deterministic per customer and column")
    func reimportChangesNothing() throws {
        let db = try StoreFixture.make()
        let before = try db.writer.read { try Row.fetchAll($0, sql: "SELECT id_sealed, mobile_sealed FROM customers ORDER BY id") }
        try StoreFixture.seed(db)
        let after = try db.writer.read { try Row.fetchAll($0, sql: "SELECT id_sealed, mobile_sealed FROM customers ORDER BY id") }
        #expect(before == after)
        // The same mobile of two customers seals to different bytes (bound to its record).
        let sealer = FieldSealer.random()
        #expect(try sealer.seal("13812345678", record: "C1", column: "mobile") != sealer.seal("13812345678", record: "C2", column: "mobile"))
    }

    @Test("a prospect's mobile and ID number, a correction's old and new values and the ops that carry them are sealed too; each opens where it is needed")
    func prospectsCorrectionsAndOpsAreSealed() throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("s.sqlite").path
        let db = try AppDatabase.open(path: path, clock: testClock)
        try StoreFixture.seed(db)
        let id = StoreFixture.id("330185", 1991, 4, 5, 21, .female)
        let p = try db.addProspect(name: "赵敏", mobile: "13055556666", idNumber: id, village: "青山村", source: .online, owner: "S1", by: "S1")
        let newMobile = "18899990000", newAddress = "浙江省杭州市富阳区白水村三组8号"
        let mobileFix = try db.proposeCorrection(customerID: "C001", field: .mobile, value: newMobile, reason: "换号", by: "S1")
        _ = try db.proposeCorrection(customerID: "C002", field: .address, value: newAddress, reason: nil, by: "S1")
        try db.setProspectNextStep(p.prospectID, step: "回电", due: StoreFixture.asOf.adding(days: 1), by: "S1")
        let secrets = ["13055556666", id, newMobile, newAddress, "13812345678"]
        #expect(leaked(path, secrets).isEmpty)
        // What `sqlite3` prints: masks, and the ops' fields as sealed bytes.
        let plain = try DatabaseQueue(path: path)
        let seen: [String?] = try plain.read { d -> [String?] in
            [try String.fetchOne(d, sql: "SELECT mobile FROM prospects"),
             try String.fetchOne(d, sql: "SELECT new_value FROM profile_proposals WHERE field = 'mobile'"),
             try String.fetchAll(d, sql: "SELECT typeof(fields) FROM outbox WHERE kind IN ('prospect.add', 'profile.propose')").joined(separator: ","),
             try String.fetchAll(d, sql: "SELECT DISTINCT typeof(fields) FROM outbox WHERE kind NOT IN ('prospect.add', 'profile.propose')").joined(separator: ",")]
        }
        #expect(seen == ["130****6666", "188****0000", "blob,blob,blob", "text"], "the other ops stay readable text")
        // The ops go to the branch whole; the lists show masks; a reveal opens them.
        let ops = try db.pendingOps()
        #expect(ops.first { $0.kind == "prospect.add" }?.fields["mobile"] == "13055556666")
        #expect(ops.first { $0.recordID == mobileFix.proposalID }?.fields["value"] == newMobile)
        #expect(ops.first { $0.recordID == mobileFix.proposalID }?.fields["old"] == "13812345678")
        #expect(try db.prospects().first?.mobile == "130****6666")
        #expect(try db.revealProspects([p.prospectID], by: "S1")[p.prospectID].map { [$0.mobile, $0.idNumber] } == ["13055556666", id])
        #expect(try db.proposals(customerID: "C001").first?.newValue == "188****0000")
        #expect(try db.reveal(customerIDs: ["C001"], by: "S1", context: "test")["C001"]?.corrections[mobileFix.proposalID]
                == RevealedCorrection(oldValue: "13812345678", newValue: newMobile))
        // The same person again is recognised through the seal; an accepted correction opens and seals the new value.
        #expect(throws: StoreError.self) { try db.addProspect(name: "赵敏", mobile: "130 5555 6666", source: .online, owner: "S1", by: "S1") }
        try db.writer.write { d in try d.execute(sql: "INSERT INTO staff (staff_id, name, role, team, active) VALUES ('L1', '组长', 'lead', '东', 1)") }
        try db.decideProposal(mobileFix.proposalID, accept: true, note: nil, by: "L1")
        #expect(try db.revealIdentity(customerID: "C001").mobile == newMobile)
        #expect(leaked(path, secrets).isEmpty)
    }

    @Test("a store whose prospects, corrections and queued ops were kept in clear is sealed at its next opening")
    func migrationSealsProspectsAndOps() throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let path = dir.appendingPathComponent("old.sqlite").path
        let secrets = ["13055556666", "18899990000", "13812345678"]
        do {
            let old = try DatabaseQueue(path: path)
            try Migrations.migrator.migrate(old, upTo: "2026-12-05 sealed personal data")
            try old.write { db in
                try db.execute(sql: """
                    INSERT INTO staff (staff_id, name, role, active) VALUES ('S1', '李', 'rm', 1);
                    INSERT INTO customers (customer_id, name, kind, mobile) VALUES ('C1', '张三', 'individual', '13812345678');
                    INSERT INTO prospects (prospect_id, name, mobile, source, owner_id, created_at) VALUES ('PR-1', '赵敏', '13055556666', 'online', 'S1', '2026-11-20T02:00:00Z');
                    INSERT INTO profile_proposals (proposal_id, customer_id, field, old_value, new_value, proposed_by, proposed_at)
                      VALUES ('PP-1', 'C1', 'mobile', '13812345678', '18899990000', 'S1', '2026-11-20T02:00:00Z');
                    INSERT INTO outbox (op_id, hlc, kind, actor, record_id, fields, created_at)
                      VALUES ('op-1', '000000000000001-0000-n1', 'prospect.add', 'S1', 'PR-1', '{"mobile":"13055556666"}', '2026-11-20T02:00:00Z');
                    """)
            }
            try old.close()
        }
        chmod(path, 0o600)
        #expect(leaked(path, secrets) == secrets)
        let db = try AppDatabase.open(path: path, clock: testClock)
        #expect(leaked(path, secrets).isEmpty, "sealed, and the file rewritten without the old pages")
        #expect(try db.revealProspects(["PR-1"], by: "S1")["PR-1"]?.mobile == "13055556666")
        #expect(try db.pendingOps().first { $0.opID == "op-1" }?.fields["mobile"] == "13055556666")
        #expect(try db.reveal(customerIDs: ["C1"], by: "S1", context: "test")["C1"]?.corrections["PP-1"]?.newValue == "18899990000")
    }
}
