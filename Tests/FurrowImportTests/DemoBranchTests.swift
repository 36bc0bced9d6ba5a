import Foundation
import FurrowCore
import FurrowImport
import Testing

/// The demo-branch generator: determinism, the format's headers, valid IDs, the long tail of
/// AUM and referential integrity.
@Suite struct DemoBranchTests {
    static let asOf = CalendarDate(year: 2026, month: 11, day: 20)!

    /// The headers of docs/extract-format.md, copied here by hand so the test does not trust the
    /// generator's own table.
    static let specHeaders: [String: String] = [
        "customers.csv": "customer_id,name,kind,gender,birth_date,id_type,id_number,mobile,address,village,occupation,employer,industry_quality,risk_level,risk_assessed_on,acquisition_channel,referrer_id,opened_on,flags",
        "relations.csv": "customer_id,related_id,relation",
        "products.csv": "product_code,name,type,risk_level,term_days",
        "accounts.csv": "account_id,customer_id,product_code,opened_on,maturity_date,balance,status,rate",
        "monthly_balances.csv": "customer_id,month,aum_avg,aum_end",
        "transactions.csv": "txn_id,account_id,posted_at,amount,kind,channel,counterparty_name,counterparty_bank,payroll_unit_id,memo",
        "loan_schedule.csv": "account_id,due_date,principal,interest",
        "staff.csv": "staff_id,name,role,team,active",
        "assignments.csv": "customer_id,staff_id,since",
        "payroll_units.csv": "unit_id,name,uscc,payroll_day,contact_name,contact_mobile",
        "surveys.csv": "response_id,customer_id,answered_on,attitude,online,efficiency,skill,recommend",
        "complaints.csv": "complaint_id,customer_id,received_at,channel,category,severity,description",
        "interactions.csv": "interaction_id,customer_id,staff_id,at,channel,purpose,notes,outcome",
    ]

    /// One 20,000-customer branch shared by the tests that read it.
    static let branch: (dir: URL, summary: DemoBranchSummary) = {
        removeStaleDirectories()
        let dir = temporaryDirectory("demo20k")
        let summary = try! DemoBranchGenerator(customers: 20_000, seed: 1, asOf: asOf).write(to: dir)
        return (dir, summary)
    }()

    static func temporaryDirectory(_ name: String) -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("furrow-demo-tests-\(ProcessInfo.processInfo.processIdentifier)-\(name)")
        try? FileManager.default.removeItem(at: url)
        return url
    }

    /// The 20,000-customer branches of earlier runs (over an hour old).
    static func removeStaleDirectories() {
        let fm = FileManager.default
        let tmp = fm.temporaryDirectory
        for name in (try? fm.contentsOfDirectory(atPath: tmp.path)) ?? [] where name.hasPrefix("furrow-demo-tests-") {
            let url = tmp.appendingPathComponent(name)
            if let date = (try? fm.attributesOfItem(atPath: url.path))?[.modificationDate] as? Date,
               date < Date().addingTimeInterval(-3_600) {
                try? fm.removeItem(at: url)
            }
        }
    }

    /// FNV-1a over every file, in the order of the format document.
    static func fingerprint(_ dir: URL) throws -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for name in DemoBranchGenerator.fileNames {
            let data = try Data(contentsOf: dir.appendingPathComponent(name))
            for b in data { h = (h ^ UInt64(b)) &* 0x100_0000_01B3 }
            h = (h ^ 0xFF) &* 0x100_0000_01B3
        }
        return h
    }

    /// A minimal RFC 4180 reader: rows of fields, header included.
    static func readCSV(_ url: URL) throws -> [[String]] {
        let bytes = [UInt8](try Data(contentsOf: url))
        var rows: [[String]] = [], row: [String] = [], field: [UInt8] = []
        var i = 0, quoted = false
        while i < bytes.count {
            let c = bytes[i]
            if quoted {
                if c == 34 {
                    if i + 1 < bytes.count && bytes[i + 1] == 34 { field.append(34); i += 1 } else { quoted = false }
                } else { field.append(c) }
            } else if c == 34 && field.isEmpty {
                quoted = true
            } else if c == 44 {
                row.append(String(decoding: field, as: UTF8.self)); field = []
            } else if c == 10 {
                row.append(String(decoding: field, as: UTF8.self)); field = []
                rows.append(row); row = []
            } else if c != 13 {
                field.append(c)
            }
            i += 1
        }
        if !field.isEmpty || !row.isEmpty { row.append(String(decoding: field, as: UTF8.self)); rows.append(row) }
        return rows
    }

    /// Rows as dictionaries by column name.
    static func table(_ name: String, in dir: URL) throws -> [[String: String]] {
        let rows = try readCSV(dir.appendingPathComponent(name))
        let header = rows[0]
        return rows.dropFirst().map { r in
            #expect(r.count == header.count, "\(name): \(r)")
            var d: [String: String] = [:]
            for (k, v) in zip(header, r) { d[k] = v }
            return d
        }
    }

    @Test func sameInputsGiveTheSameBytesAndAnotherSeedDoesNot() throws {
        let a = Self.temporaryDirectory("det-a"), b = Self.temporaryDirectory("det-b"), c = Self.temporaryDirectory("det-c")
        defer { for d in [a, b, c] { try? FileManager.default.removeItem(at: d) } }
        let sa = try DemoBranchGenerator(customers: 3_000, seed: 7, asOf: Self.asOf).write(to: a)
        let sb = try DemoBranchGenerator(customers: 3_000, seed: 7, asOf: Self.asOf).write(to: b)
        _ = try DemoBranchGenerator(customers: 3_000, seed: 8, asOf: Self.asOf).write(to: c)
        #expect(try Self.fingerprint(a) == Self.fingerprint(b))
        #expect(sa == sb)
        #expect(try Self.fingerprint(a) != Self.fingerprint(c))
        for name in DemoBranchGenerator.fileNames where name != "products.csv" {
            let da = try Data(contentsOf: a.appendingPathComponent(name))
            let dc = try Data(contentsOf: c.appendingPathComponent(name))
            #expect(da != dc, "\(name) should change with the seed")
        }
    }

    @Test("the extract's folder and files are the owner's alone (they hold personal data), an existing folder too")
    func ownerOnly() throws {
        let dir = Self.temporaryDirectory("perm")
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        _ = try DemoBranchGenerator(customers: 50, seed: 1, asOf: Self.asOf).write(to: dir)
        func mode(_ path: String) -> Int? { (try? FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue }
        #expect(mode(dir.path) == 0o700)
        for name in DemoBranchGenerator.fileNames { #expect(mode(dir.appendingPathComponent(name).path) == 0o600, "\(name)") }
    }

    @Test func everyFileHasTheSpecHeaderInOrder() throws {
        let dir = Self.branch.dir
        #expect(DemoBranchGenerator.fileNames.count == 13)
        for (name, header) in Self.specHeaders {
            let data = try Data(contentsOf: dir.appendingPathComponent(name))
            let firstLine = data.prefix { $0 != 10 }
            #expect(String(decoding: firstLine, as: UTF8.self) == header, "\(name)")
            #expect(Self.branch.summary.rows(in: name) > 0, "\(name) has rows")
            #expect(data.prefix(3) != Data([0xEF, 0xBB, 0xBF]), "no BOM")
        }
    }

    @Test func residentIDsPassTheCheckCharacterAndAgreeWithBirthDateAndGender() throws {
        let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
        let checks = Array("10X98765432")
        var residents = 0, usccs = 0
        for c in try Self.table("customers.csv", in: Self.branch.dir) {
            switch c["id_type"] {
            case "resident_id":
                residents += 1
                let id = Array(c["id_number"]!)
                #expect(id.count == 18)
                let digits = id.prefix(17).map { Int(String($0))! }
                let sum = zip(digits, weights).reduce(0) { $0 + $1.0 * $1.1 }
                #expect(id[17] == checks[sum % 11], "\(c["id_number"]!)")
                let birth = c["birth_date"]!.replacingOccurrences(of: "-", with: "")
                #expect(String(id[6..<14]) == birth)
                #expect((digits[16] % 2 == 1 ? "M" : "F") == c["gender"])
            case "uscc":
                usccs += 1
                #expect(c["kind"] == "micro_enterprise")
                #expect(c["gender"] == "" && c["birth_date"] == "")
                #expect((try? UnifiedSocialCreditCode.parse(c["id_number"]!)) != nil)
            default: break
            }
            if let m = c["mobile"], !m.isEmpty {
                #expect(m.count == 11 && m.first == "1" && m.allSatisfy(\.isASCII) && Int(m) != nil)
            }
        }
        #expect(residents > 15_000)
        #expect(usccs > 100)
    }

    @Test func aumHasTheLongTailShape() throws {
        var latest: [String: (month: String, avg: Int64)] = [:]
        for r in try Self.table("monthly_balances.csv", in: Self.branch.dir) {
            let fen = Money.fenForTest(r["aum_avg"]!)
            if let old = latest[r["customer_id"]!], old.month > r["month"]! { continue }
            latest[r["customer_id"]!] = (r["month"]!, fen)
        }
        #expect(latest.count == 20_000)
        let under1000 = latest.values.filter { $0.avg < 100_000 }.count
        let privates = latest.values.filter { $0.avg >= 600_000_000 }.count
        let wealth = latest.values.filter { $0.avg >= 20_000_000 && $0.avg < 100_000_000 }.count
        #expect(Double(under1000) / 20_000 >= 0.70)
        #expect(privates >= 1)
        #expect((600...1_800).contains(wealth), "wealth tier ~6%: \(wealth)")
        #expect(Self.branch.summary.highlights.privateTier != nil)
        #expect(Self.branch.summary.highlights.polyphonicSurname != nil)
        #expect(Self.branch.summary.highlights.household != nil)
    }

    @Test func referencesResolve() throws {
        let dir = Self.branch.dir
        let customers = Set(try Self.table("customers.csv", in: dir).map { $0["customer_id"]! })
        #expect(customers.count == 20_000)
        let accounts = try Self.table("accounts.csv", in: dir)
        let accountIDs = Set(accounts.map { $0["account_id"]! })
        #expect(accountIDs.count == accounts.count, "account IDs unique")
        let products = Set(try Self.table("products.csv", in: dir).map { $0["product_code"]! })
        for a in accounts {
            #expect(customers.contains(a["customer_id"]!))
            #expect(products.contains(a["product_code"]!))
        }
        let txns = try Self.table("transactions.csv", in: dir)
        #expect(Set(txns.map { $0["txn_id"]! }).count == txns.count, "txn IDs unique")
        #expect(Double(txns.count) / 20_000 <= 6)
        let units = Set(try Self.table("payroll_units.csv", in: dir).map { $0["unit_id"]! })
        for t in txns {
            #expect(accountIDs.contains(t["account_id"]!))
            if let u = t["payroll_unit_id"], !u.isEmpty { #expect(units.contains(u)) }
        }
        for l in try Self.table("loan_schedule.csv", in: dir) { #expect(accountIDs.contains(l["account_id"]!)) }
        for r in try Self.table("relations.csv", in: dir) {
            #expect(customers.contains(r["customer_id"]!) && customers.contains(r["related_id"]!))
        }
        let staff = Set(try Self.table("staff.csv", in: dir).map { $0["staff_id"]! })
        for a in try Self.table("assignments.csv", in: dir) {
            #expect(customers.contains(a["customer_id"]!) && staff.contains(a["staff_id"]!))
        }
        for i in try Self.table("interactions.csv", in: dir) {
            #expect(customers.contains(i["customer_id"]!) && staff.contains(i["staff_id"]!))
        }
        for c in try Self.table("customers.csv", in: dir) where !c["referrer_id"]!.isEmpty {
            #expect(customers.contains(c["referrer_id"]!) && c["referrer_id"]! < c["customer_id"]!)
        }
        #expect(Self.branch.summary.rmCount >= 6 && Self.branch.summary.rmCount <= 10)
    }
}

/// `FURROW_DEMO_BENCH=213500 swift test -c release --filter DemoBranchBenchmark` prints the
/// time to write a branch of that many customers and the row counts. Off by default.
@Suite struct DemoBranchBenchmark {
    static let customers = ProcessInfo.processInfo.environment["FURROW_DEMO_BENCH"].flatMap { Int($0) }

    @Test(.enabled(if: customers != nil)) func writeSpeed() throws {
        let n = Self.customers!
        let dir = DemoBranchTests.temporaryDirectory("bench")
        defer { try? FileManager.default.removeItem(at: dir) }
        let clock = ContinuousClock()
        var summary: DemoBranchSummary?
        let elapsed = try clock.measure {
            summary = try DemoBranchGenerator(customers: n, seed: 1, asOf: DemoBranchTests.asOf).write(to: dir)
        }
        var bytes = 0
        for name in DemoBranchGenerator.fileNames {
            bytes += (try FileManager.default.attributesOfItem(atPath: dir.appendingPathComponent(name).path)[.size] as? Int) ?? 0
        }
        print("demo branch: \(n) customers in \(elapsed), \(bytes / 1_000_000) MB")
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        print(String(decoding: try encoder.encode(summary!), as: UTF8.self))
    }
}

extension Money {
    /// "1234.50" → 123450, independent of the importer's parser.
    static func fenForTest(_ s: String) -> Int64 {
        let neg = s.hasPrefix("-")
        let parts = s.drop { $0 == "-" }.split(separator: ".")
        var fen = Int64(parts[0])! * 100
        if parts.count > 1 { fen += Int64(parts[1].padding(toLength: 2, withPad: "0", startingAt: 0))! }
        return neg ? -fen : fen
    }
}
