import Foundation
import FurrowCore
import GRDB
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

    static let secrets: [String] = StoreFixture.people.flatMap { [$0.2, $0.3].compactMap { $0 } }

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
}
