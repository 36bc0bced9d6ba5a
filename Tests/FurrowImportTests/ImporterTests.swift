import Foundation
import FurrowCore
import FurrowStore
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
    static func snapshot(_ store: AppDatabase) throws -> String {
        let rows = try store.portfolio(scope: .branch, sort: .name, limit: 1000).rows
        var out = ""
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
        #expect(try store.profile(customerID: "C0005")?.customer.address?.contains("\n") == true)
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

    @Test("importing the same directory twice changes nothing")
    func idempotent() throws {
        let (store, _) = try Self.tempStore()
        let first = try Self.importDir(store, FixtureFiles.url("branch"))
        let before = try Self.snapshot(store)
        let second = try Self.importDir(store, FixtureFiles.url("branch"))
        #expect(first.rowsChanged > 800)
        #expect(second.isComplete)
        #expect(second.rowsChanged == 0)
        #expect(try Self.snapshot(store) == before)
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
        let oldMobile = try #require(try store.profile(customerID: "C0003")?.customer.mobile)
        lines[c3] = lines[c3].replacingOccurrences(of: oldMobile, with: "13912349876")
        let newRow = lines[c3].replacingOccurrences(of: "C0003,", with: "C0100,")
        try ([header, lines[c3], newRow].joined(separator: "\n") + "\n").write(
            to: later.appendingPathComponent("customers.csv"), atomically: true, encoding: .utf8)
        let report = try Self.importDir(store, later)
        #expect(report.isComplete, "\(report.issues)")
        #expect(report.rowsChanged == 2)
        #expect(try store.customerCount() == 51)
        #expect(try store.profile(customerID: "C0003")?.customer.mobile == "13912349876")
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
        #expect(report.rowsChanged == 0)
        let got = report.issues.map { "\($0.file):\($0.line): \($0.column):" }
        #expect(got == (try Self.expectedPrefixes(name)), "\(report.issues)")
        #expect(report.issues.allSatisfy { !$0.reason.isEmpty })
        #expect(try Self.snapshot(store) == before)
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
        #expect(try store.profile(customerID: "C1")?.customer.address?.count == 1_000_000)
    }
}
