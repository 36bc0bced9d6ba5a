import Foundation
import FurrowCore
@testable import FurrowStore
import Testing
@testable import FurrowImport

/// The importer on the committed fixtures: a real SQLite file per test.
@Suite("Importing extract directories")
struct ImporterTests {
    static let asOf = CalendarDate(year: 2026, month: 11, day: 30)!

    static func tempStore() throws -> (AppDatabase, URL) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("furrow-import-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return (try AppDatabase.open(path: dir.appendingPathComponent("store.sqlite").path), dir)
    }

    static func importDir(_ store: AppDatabase, _ dir: URL, skipInvalid: Bool = false, encoding: ExtractEncoding? = nil,
                          rejects: URL? = nil) throws -> ImportReport {
        try ExtractImporter(store: store).run(ImportOptions(
            directory: dir, skipInvalid: skipInvalid, encoding: encoding, asOf: asOf, actor: "test", rejectsURL: rejects))
    }

    /// Everything a screen can read, as text, to compare two stores.
    /// With `runs`, the import log and audit trail count too (a rolled-back import leaves
    /// no trace at all); without, only the data.
    static func snapshot(_ store: AppDatabase, runs: Bool = true) throws -> String {
        let rows = try store.portfolio(scope: .branch, sort: .name, limit: 1000).rows
        let counts = try store.rowCounts().filter { runs || !["import_runs", "audit_log"].contains($0.key) }
        var out = "\(counts.sorted { $0.key < $1.key })\n"
        for s in try store.staff() { out += "\(s)\n" }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        for r in rows {
            let p = try #require(try store.profile(customerID: r.customerID, asOf: asOf))
            let data = try encoder.encode(p)
            out += String(decoding: data, as: UTF8.self) + "\n"
        }
        return out
    }

    @Test("the UTF-8 branch imports completely, with the hand-checked counts and tiers")
    func branch() throws {
        let (store, _) = try Self.tempStore()
        let report = try Self.importDir(store, FixtureFiles.url("branch"))
        #expect(report.isComplete, "\(report.issues)")
        let counts = Dictionary(uniqueKeysWithValues: report.files.map { ($0.file, $0.imported) })
        #expect(counts == [
            "customers.csv": 50, "relations.csv": 27, "products.csv": 13, "accounts.csv": 81,
            "monthly_balances.csv": 600, "transactions.csv": 38, "loan_schedule.csv": 12, "staff.csv": 5,
            "assignments.csv": 52, "payroll_units.csv": 2, "surveys.csv": 3, "complaints.csv": 2, "interactions.csv": 4,
        ])
        #expect(try store.customerCount() == 50)
        let c1 = try #require(try store.profile(customerID: "C0001", asOf: Self.asOf))
        #expect(c1.aum == Money(fen: 706_480_788))
        #expect(c1.tier == .privateBanking)
        #expect(c1.aumByMonth.last?.aumEnd == Money(fen: 701_234_567))
        #expect(c1.holdings.reduce(Money.zero) { $0 + $1.account.balance } == Money(fen: 701_234_567))
        #expect(try store.profile(customerID: "C0002")?.tier == .affluent)
        #expect(try store.profile(customerID: "C0005")?.tier == .wealth)
        #expect(try store.profile(customerID: "C0003")?.tier == .mass)
        let c8 = try #require(try store.profile(customerID: "C0008", asOf: Self.asOf))
        #expect(c8.liabilities.first?.account.balance == Money(fen: 11_666_665))
        #expect(!c8.holdings.contains { $0.product.type.isLiability })
        // Characters outside the BMP and quoted fields survive.
        #expect(try store.profile(customerID: "C0011")?.customer.name == "李𠮷祥")
        #expect(try store.revealIdentity(customerID: "C0005").address?.contains("\n") == true)
        #expect(try store.search("𠮷").map(\.customer.customerID) == ["C0011"])
        // Polyphonic surnames under both readings.
        #expect(try store.search("zhawenbin").map(\.customer.customerID) == ["C0001"])
        #expect(try store.search("chawenbin").map(\.customer.customerID) == ["C0001"])
    }

    @Test("the GB18030 branch gives exactly the same store as the UTF-8 one")
    func gb18030() throws {
        let (a, _) = try Self.tempStore()
        let (b, _) = try Self.tempStore()
        let ra = try Self.importDir(a, FixtureFiles.url("branch"))
        let rb = try Self.importDir(b, FixtureFiles.url("branch-gb18030"))
        #expect(rb.isComplete, "\(rb.issues)")
        #expect(rb.files.first { $0.file == "customers.csv" }?.encoding == "gb18030")
        #expect(ra.files.first { $0.file == "customers.csv" }?.encoding == "utf-8")
        #expect(try Self.snapshot(a) == Self.snapshot(b))
    }

    @Test("a first load (derived columns read ahead) ends exactly where an incremental load does")
    func firstLoadEqualsIncremental() throws {
        let (a, _) = try Self.tempStore()
        let (b, dir) = try Self.tempStore()
        _ = try Self.importDir(a, FixtureFiles.url("branch"))
        // b: customers (and what they need) first, then everything: the derived columns are
        // computed by the store's SQL, not read ahead.
        let part = dir.appendingPathComponent("part")
        try FileManager.default.createDirectory(at: part, withIntermediateDirectories: true)
        for f in ["customers.csv", "staff.csv", "products.csv", "payroll_units.csv"] {
            try FileManager.default.copyItem(at: FixtureFiles.url("branch", f), to: part.appendingPathComponent(f))
        }
        #expect(try Self.importDir(b, part).isComplete)
        #expect(try Self.importDir(b, FixtureFiles.url("branch")).isComplete)
        #expect(try Self.snapshot(a, runs: false) == Self.snapshot(b, runs: false))
        // And the derived columns are what the fixture's hand-check sheet says.
        let c1 = try #require(try a.profile(customerID: "C0001", asOf: Self.asOf))
        #expect(c1.rmID == c1.assignments.last?.staffID)
        #expect(c1.aumMonth == "2026-11")
    }

    @Test("with --skip-invalid, a rejected monthly row does not count towards the customer's AUM")
    func rejectedRowsDoNotFeedDerived() throws {
        let (store, dir) = try Self.tempStore()
        let d = dir.appendingPathComponent("x")
        try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
        try "customer_id,name,kind\nC1,王一,farmer\n".write(to: d.appendingPathComponent("customers.csv"), atomically: true, encoding: .utf8)
        // The "2026-13" row reads fine ahead but fails validation: November stays the latest month.
        try "customer_id,month,aum_avg,aum_end\nC1,2026-11,300000.00,300000.00\nC1,2026-13,9000000.00,1.00\n"
            .write(to: d.appendingPathComponent("monthly_balances.csv"), atomically: true, encoding: .utf8)
        let r = try Self.importDir(store, d, skipInvalid: true, rejects: dir.appendingPathComponent("rejects.csv"))
        #expect(r.committed)
        let mode = try FileManager.default.attributesOfItem(atPath: dir.appendingPathComponent("rejects.csv").path)[.posixPermissions] as? NSNumber
        #expect(mode?.intValue == 0o600, "rejected rows are personal data: the owner's alone")
        let p = try #require(try store.profile(customerID: "C1"))
        #expect(p.aum == Money(yuan: 300_000))
        #expect(p.aumMonth == "2026-11")
        #expect(p.tier == .wealth)
    }

    @Test("with --skip-invalid, a refused monthly file does not feed the customer's AUM either")
    func refusedFileDoesNotFeedDerived() throws {
        let (store, dir) = try Self.tempStore()
        let d = dir.appendingPathComponent("y")
        try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
        try "customer_id,name,kind\nC1,王一,farmer\n".write(to: d.appendingPathComponent("customers.csv"), atomically: true, encoding: .utf8)
        // No aum_end column: the whole file is refused, yet its aum_avg reads fine ahead.
        try "customer_id,month,aum_avg\nC1,2026-11,9000000.00\n"
            .write(to: d.appendingPathComponent("monthly_balances.csv"), atomically: true, encoding: .utf8)
        let r = try Self.importDir(store, d, skipInvalid: true, rejects: dir.appendingPathComponent("rejects.csv"))
        #expect(r.committed)
        let p = try #require(try store.profile(customerID: "C1"))
        #expect(p.aum == .zero)
        #expect(p.tier == .mass)
        #expect(p.aumByMonth.isEmpty)
    }

    @Test("importing the same directory twice changes nothing")
    func idempotent() throws {
        let (store, _) = try Self.tempStore()
        let first = try Self.importDir(store, FixtureFiles.url("branch"))
        let before = try Self.snapshot(store, runs: false)
        let second = try Self.importDir(store, FixtureFiles.url("branch"))
        #expect(first.rowsChanged > 800)
        #expect(second.isComplete)
        #expect(second.rowsChanged == 0)
        #expect(try Self.snapshot(store, runs: false) == before)
    }

    @Test("a later extract updates rows by key and adds new ones")
    func laterExtract() throws {
        let (store, dir) = try Self.tempStore()
        _ = try Self.importDir(store, FixtureFiles.url("branch"))
        let later = dir.appendingPathComponent("later")
        try FileManager.default.createDirectory(at: later, withIntermediateDirectories: true)
        let original = try String(contentsOf: FixtureFiles.url("branch", "customers.csv"), encoding: .utf8)
        var lines = original.components(separatedBy: "\n")
        let header = lines[0]
        let c3 = try #require(lines.firstIndex { $0.hasPrefix("C0003,") })
        let oldMobile = try #require(try store.revealIdentity(customerID: "C0003").mobile)
        lines[c3] = lines[c3].replacingOccurrences(of: oldMobile, with: "13912349876")
        let newRow = lines[c3].replacingOccurrences(of: "C0003,", with: "C0100,")
        try ([header, lines[c3], newRow].joined(separator: "\n") + "\n").write(
            to: later.appendingPathComponent("customers.csv"), atomically: true, encoding: .utf8)
        let report = try Self.importDir(store, later)
        #expect(report.isComplete, "\(report.issues)")
        #expect(report.rowsChanged == 2)
        #expect(try store.customerCount() == 51)
        #expect(try store.revealIdentity(customerID: "C0003").mobile == "13912349876")
        #expect(Set(try store.search("9876").map(\.customer.customerID)) == ["C0003", "C0100"])
        #expect(try store.search(String(oldMobile.suffix(4))).map(\.customer.customerID).contains("C0003") == false)
    }

    /// `FILE:LINE: column:` of each expected line.
    static func expectedPrefixes(_ name: String, file: String = "expected.txt") throws -> [String] {
        let text = try String(contentsOf: FixtureFiles.url("bad", name, file), encoding: .utf8)
        return text.split(separator: "\n").filter { !$0.isEmpty }.map { line in
            let parts = line.split(separator: ":", maxSplits: 3, omittingEmptySubsequences: false)
            return parts.prefix(3).joined(separator: ":") + ":"
        }
    }

    static let badCases = [
        "bad-amount", "bad-birth-date", "bad-check-character", "bad-date", "bad-mobile", "bad-uscc",
        "birth-date-mismatch", "broken-quote", "duplicate-key", "invalid-utf8-forced", "missing-required-column",
        "quote-in-unquoted-field", "unknown-code", "unknown-customer", "wrong-column-count",
    ]

    @Test("each defect is reported at its file, line and column, and the store is left as it was",
          arguments: badCases)
    func badExtract(_ name: String) throws {
        let (store, _) = try Self.tempStore()
        _ = try Self.importDir(store, FixtureFiles.url("branch"))
        let before = try Self.snapshot(store)
        let report = try Self.importDir(store, FixtureFiles.url("bad", name))
        #expect(!report.committed)
        let got = report.issues.map { "\($0.file):\($0.line): \($0.column):" }
        #expect(got == (try Self.expectedPrefixes(name)), "\(report.issues)")
        #expect(report.issues.allSatisfy { !$0.reason.isEmpty })
        #expect(try Self.snapshot(store) == before)
    }

    @Test("a duplicate key in a first load is caught by the store's constraint and reported at its line")
    func duplicateInFirstLoad() throws {
        let (store, _) = try Self.tempStore()
        let report = try Self.importDir(store, FixtureFiles.url("bad", "duplicate-key"))
        #expect(!report.committed)
        #expect(report.issues.map { "\($0.file):\($0.line): \($0.column):" } == (try Self.expectedPrefixes("duplicate-key")))
        #expect(report.issues.first?.reason.contains("duplicate key C0001") == true)
        #expect(try store.customerCount() == 0)
        #expect(try store.rowCounts()["import_runs"] == 0)
    }

    /// Writes `files` (name → text) into a new directory and imports it.
    func importText(_ store: AppDatabase, _ dir: URL, _ name: String, _ files: [String: String],
                    asOf: CalendarDate = ImporterTests.asOf, skipInvalid: Bool = false) throws -> ImportReport {
        let d = dir.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
        for (f, text) in files { try text.write(to: d.appendingPathComponent(f), atomically: true, encoding: .utf8) }
        return try ExtractImporter(store: store).run(ImportOptions(
            directory: d, skipInvalid: skipInvalid, asOf: asOf, actor: "test",
            rejectsURL: dir.appendingPathComponent("rejects.csv")))
    }

    @Test("a later customers.csv with fewer columns leaves the missing columns as they were")
    func partialColumns() throws {
        let (store, dir) = try Self.tempStore()
        _ = try Self.importDir(store, FixtureFiles.url("branch"))
        let before = try #require(try store.profile(customerID: "C0003"))
        let beforeOpened = try store.revealIdentity(customerID: "C0003")
        let report = try importText(store, dir, "partial", ["customers.csv": "customer_id,name,kind,village\nC0003,\(before.customer.name),\(before.customer.kind.rawValue),新村\n"])
        #expect(report.isComplete, "\(report.issues)")
        #expect(report.rowsChanged == 1)
        let after = try #require(try store.profile(customerID: "C0003"))
        #expect(after.customer.village == "新村")
        #expect(after.customer.idNumber == before.customer.idNumber)
        #expect(after.customer.mobile == before.customer.mobile)
        #expect(try store.revealIdentity(customerID: "C0003") == beforeOpened, "the sealed values stay as they were")
        #expect(after.customer.birthDate == before.customer.birthDate)
        #expect(after.customer.riskLevel == before.customer.riskLevel)
        #expect(after.aum == before.aum)
        if let m = before.customer.mobile {
            #expect(try store.search(String(m.suffix(4))).contains { $0.customer.customerID == "C0003" })
        }
    }

    @Test("a small later extract moves one customer's AUM and tier, and a due reassignment comes into force")
    func incrementalDerived() throws {
        let (store, dir) = try Self.tempStore()
        _ = try Self.importDir(store, FixtureFiles.url("branch"))
        let c3 = try #require(try store.profile(customerID: "C0003"))
        #expect(c3.tier == .mass)
        let staff = try store.staff().filter { $0.role == .rm }.map(\.staffID)
        let other = try #require(staff.first { $0 != c3.rmID })
        // December: C0003 becomes wealth tier, and is reassigned from 2027-01-01.
        let r1 = try importText(store, dir, "dec", [
            "monthly_balances.csv": "customer_id,month,aum_avg,aum_end\nC0003,2026-12,250000.00,251000.00\n",
            "assignments.csv": "customer_id,staff_id,since\nC0003,\(other),2027-01-01\n",
        ], asOf: CalendarDate(year: 2026, month: 12, day: 31)!)
        #expect(r1.isComplete, "\(r1.issues)")
        let dec = try #require(try store.profile(customerID: "C0003"))
        #expect(dec.aum == Money(yuan: 250_000))
        #expect(dec.tier == .wealth)
        #expect(dec.aumMonth == "2026-12")
        #expect(dec.rmID == c3.rmID)   // not yet in force
        // January's extract carries no assignments, yet the reassignment is now in force.
        let r2 = try importText(store, dir, "jan", [
            "monthly_balances.csv": "customer_id,month,aum_avg,aum_end\nC0004,2027-01,100.00,100.00\n",
        ], asOf: CalendarDate(year: 2027, month: 1, day: 2)!)
        #expect(r2.isComplete)
        #expect(try store.profile(customerID: "C0003")?.rmID == other)
        #expect(try store.profile(customerID: "C0004")?.aum == Money(yuan: 100))
        // An older extract imported afterwards does not move the RM back.
        _ = try importText(store, dir, "old", [
            "monthly_balances.csv": "customer_id,month,aum_avg,aum_end\nC0003,2026-12,250000.00,251000.00\n",
        ], asOf: CalendarDate(year: 2026, month: 11, day: 30)!)
        #expect(try store.profile(customerID: "C0003")?.rmID == other)
    }

    @Test("mobiles must be bare digits, amounts within a trillion yuan, and header problems name the header's line")
    func strictFields() throws {
        let (store, dir) = try Self.tempStore()
        let report = try importText(store, dir, "strict", [
            "customers.csv": "customer_id,name,kind,mobile\nC1,王一,farmer,008613812345678\nC2,王二,farmer,138　12345678\nC3,王三,farmer,13812345678\n",
            "products.csv": "product_code,name,type\nP1,活期,demand\n",
            "accounts.csv": "account_id,customer_id,product_code,balance,status\nA1,C3,P1,99999999999999999.99,active\nA2,C3,P1,-1000000000000.01,active\nA3,C3,P1,1000000000000.00,active\n",
            "staff.csv": "\nstaff_id,name\nS1,李\n",
        ])
        let got = report.issues.map { "\($0.file):\($0.line): \($0.column)" }
        #expect(got == ["staff.csv:2: role", "customers.csv:2: mobile", "customers.csv:3: mobile",
                        "accounts.csv:2: balance", "accounts.csv:3: balance"])
    }

    @Test("a field holding a control character is refused with its column")
    func controlCharacters() throws {
        let (store, dir) = try Self.tempStore()
        let r = try importText(store, dir, "esc", ["customers.csv": "customer_id,name,kind,address\nC1,王\u{1B}[31m红,farmer,\"一\n二\"\nC2,李\t四,farmer,村\n"])
        #expect(r.issues.map(\.description) == ["customers.csv:2: name: contains the control character U+001B"])
    }

    @Test("--skip-invalid replaces an old rejects.csv and lists file-level problems too")
    func rejectsFreshEachRun() throws {
        let (store, dir) = try Self.tempStore()
        let rejects = dir.appendingPathComponent("rejects.csv")
        try "stale\n".write(to: rejects, atomically: true, encoding: .utf8)
        let clean = try importText(store, dir, "clean", ["staff.csv": "staff_id,name,role\nS1,李,rm\n"], skipInvalid: true)
        #expect(clean.isComplete)
        #expect(!FileManager.default.fileExists(atPath: rejects.path))
        let r = try importText(store, dir, "mixed", [
            "staff.csv": "staff_id,name,role\nS2,王,rm\n",
            "products.csv": "product_code,name\nP1,活期\n",
        ], skipInvalid: true)
        #expect(r.committed)
        let text = try String(contentsOf: rejects, encoding: .utf8)
        #expect(text.contains("products.csv,1,type,required column is missing from the header,"))
    }

    @Test("forcing UTF-8 on a file with an invalid byte names the line and byte")
    func forcedUTF8() throws {
        let (store, _) = try Self.tempStore()
        let report = try Self.importDir(store, FixtureFiles.url("bad", "invalid-utf8-forced"), encoding: .utf8)
        #expect(report.issues.map { "\($0.file):\($0.line): \($0.column):" }
                == (try Self.expectedPrefixes("invalid-utf8-forced", file: "expected-forced-utf8.txt")))
        #expect(report.issues.first?.reason.contains("byte 10") == true)
    }

    @Test("--skip-invalid imports the valid rows and writes the rejected ones with their reasons")
    func skipInvalid() throws {
        let (store, dir) = try Self.tempStore()
        let rejects = dir.appendingPathComponent("rejects.csv")
        let report = try Self.importDir(store, FixtureFiles.url("bad", "bad-mobile"), skipInvalid: true, rejects: rejects)
        #expect(report.committed)
        #expect(!report.isComplete)
        let customers = try #require(report.files.first { $0.file == "customers.csv" })
        #expect(customers.rejected == 3)
        #expect(customers.imported == customers.records - 3)
        #expect(try store.customerCount() == customers.imported)
        let text = try String(contentsOf: rejects, encoding: .utf8)
        let lines = text.split(separator: "\n")
        #expect(lines.first == "file,line,column,reason,record")
        #expect(lines.count == 4)
        #expect(lines[1].hasPrefix("customers.csv,3,mobile,"))
        #expect(text.contains("138-7412-6650"))
    }

    @Test("a missing directory, an empty one and an empty file are clear errors")
    func hostileDirectories() throws {
        let (store, dir) = try Self.tempStore()
        #expect(throws: ImportFailure.notADirectory(dir.appendingPathComponent("nope").path)) {
            _ = try Self.importDir(store, dir.appendingPathComponent("nope"))
        }
        let empty = dir.appendingPathComponent("empty")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        #expect(throws: ImportFailure.noExtractFiles(empty.path)) { _ = try Self.importDir(store, empty) }
        try Data().write(to: empty.appendingPathComponent("customers.csv"))
        let report = try Self.importDir(store, empty)
        #expect(!report.committed)
        #expect(report.issues.map(\.description) == ["customers.csv:1: -: is empty: a header row is required"])
    }

    @Test("unknown columns are ignored with a warning; a huge field does not break the reader")
    func unknownColumnsAndHugeFields() throws {
        let (store, dir) = try Self.tempStore()
        let d = dir.appendingPathComponent("x")
        try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
        let huge = String(repeating: "长", count: 1_000_000)
        try "customer_id,name,kind,shoe_size,address\nC1,王五,farmer,42,\"\(huge)\"\n"
            .write(to: d.appendingPathComponent("customers.csv"), atomically: true, encoding: .utf8)
        let report = try Self.importDir(store, d)
        #expect(report.isComplete, "\(report.issues)")
        #expect(report.warnings.map(\.description) == ["customers.csv:1: shoe_size: unknown column; ignored"])
        #expect(try store.revealIdentity(customerID: "C1").address?.count == 1_000_000)
    }
}
