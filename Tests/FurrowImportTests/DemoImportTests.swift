import Foundation
import FurrowCore
import FurrowStore
import Testing
@testable import FurrowImport

/// Generated branches (households, reassignments, payroll, every product type) through the
/// real importer: the generator and the importer must agree on the format, and the fast first
/// load must end exactly where the incremental path does.
@Suite("Demo branches through the importer")
struct DemoImportTests {
    static let asOf = CalendarDate(year: 2026, month: 11, day: 20)!

    @Test("every generated branch imports completely, with the generator's row counts", arguments: [UInt64(3), 11, 29])
    func importsCleanly(seed: UInt64) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("furrow-demo-\(UUID().uuidString)")
        let extract = dir.appendingPathComponent("extract")
        try FileManager.default.createDirectory(at: extract, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let summary = try DemoBranchGenerator(customers: 600, seed: seed, asOf: Self.asOf).write(to: extract)
        let store = try AppDatabase.open(path: dir.appendingPathComponent("s.sqlite").path)
        let report = try ExtractImporter(store: store).run(ImportOptions(directory: extract, asOf: Self.asOf, actor: "t"))
        #expect(report.isComplete, "\(report.issues.prefix(5))")
        for f in report.files { #expect(f.imported == summary.rows(in: f.file), "\(f.file)") }
        // Every customer has an RM and the RM with the largest portfolio is the generator's.
        #expect(try store.portfolio(scope: .branch, limit: 1000).rows.allSatisfy { $0.rmID != nil })
        #expect(try store.largestPortfolio()?.staffID == summary.largestPortfolio.staffID)
    }

    @Test("a first load and a customers-first incremental load give the same store")
    func firstLoadMatchesIncremental() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("furrow-demo-\(UUID().uuidString)")
        let extract = dir.appendingPathComponent("extract"), part = dir.appendingPathComponent("part")
        for d in [extract, part] { try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true) }
        defer { try? FileManager.default.removeItem(at: dir) }
        _ = try DemoBranchGenerator(customers: 800, seed: 5, asOf: Self.asOf).write(to: extract)
        for f in ["customers.csv", "staff.csv", "products.csv", "payroll_units.csv"] {
            try FileManager.default.copyItem(at: extract.appendingPathComponent(f), to: part.appendingPathComponent(f))
        }
        let a = try AppDatabase.open(path: dir.appendingPathComponent("a.sqlite").path)
        let b = try AppDatabase.open(path: dir.appendingPathComponent("b.sqlite").path)
        func load(_ s: AppDatabase, _ d: URL) throws {
            let r = try ExtractImporter(store: s).run(ImportOptions(directory: d, asOf: Self.asOf, actor: "t"))
            #expect(r.isComplete, "\(r.issues.prefix(3))")
        }
        try load(a, extract)
        try load(b, part)
        try load(b, extract)
        func summary(_ s: AppDatabase) throws -> [String] {
            try s.portfolio(scope: .branch, sort: .name, limit: 1000).rows.map {
                "\($0.customerID) \($0.aum.fen) \($0.tier.rawValue) \($0.rmID ?? "-") \($0.lastContactAt ?? "-")"
            }
        }
        let sa = try summary(a), sb = try summary(b)
        #expect(sa.count == 800)
        #expect(sa == sb)
    }
}
