import Foundation
import FurrowCore
import FurrowImport
import FurrowStore
import Testing

/// Every report on fixtures/branch against figures computed by hand from its CSV files
/// (fixtures/branch/README.md, "Reports").
@Suite("Reports on fixtures/branch", .serialized)
struct ReportTests {
    static let asOf = CalendarDate(iso: "2026-11-30")!
    let store: AppDatabase

    init() throws {
        store = try AppDatabase.inMemory(clock: testClock)
        let r = try ExtractImporter(store: store).run(ImportOptions(directory: FixtureFiles.url("branch"), asOf: Self.asOf, actor: "t"))
        #expect(r.isComplete)
        _ = try store.runNightly(asOf: Self.asOf, by: "t")
    }

    func report(_ name: ReportName, _ q: ReportRequest = ReportRequest()) throws -> Report {
        try store.report(name, q, today: Self.asOf)
    }

    func value(_ r: Report, row label: String, _ column: String) -> Report.Value? {
        guard let c = r.column(column), let row = r.rows.first(where: { if case .text(let t) = $0[0] { t == label } else { false } }) else { return nil }
        return row[c]
    }

    @Test("tiers in 2026-11: 1 private, 1 affluent, 5 wealth, 43 mass (25 under ¥50,000)")
    func tiers() throws {
        let r = try report(.tiers)
        #expect(r.parameters["month"] == "2026-11")
        #expect(value(r, row: "私行级", "customers") == .int(1))
        #expect(value(r, row: "财富级", "customers") == .int(1))
        #expect(value(r, row: "理财级", "customers") == .int(5))
        #expect(value(r, row: "普通客户", "customers") == .int(43))
        #expect(value(r, row: "  其中 5万–20万元", "customers") == .int(18))
        #expect(value(r, row: "私行级", "aum_fen") == .int(706_480_788), "C0001's aum_avg 7,064,807.88")
        #expect(r.totals?[1] == .int(50))
    }

    @Test("channels: walk-in 32, online 6, payroll 5, referral 3, event 3, mortgage 1")
    func channels() throws {
        let r = try report(.channels)
        for (channel, n) in [("walk_in", 32), ("online", 6), ("payroll", 5), ("referral", 3), ("event", 3), ("mortgage", 1)] {
            #expect(value(r, row: channel, "customers") == .int(Int64(n)), "\(channel)")
        }
        #expect(r.notes.first?.contains("C0002") == true)
    }

    @Test("NPS: 3 answers, 2 promoters, 1 detractor → 33; online has 2 answers, one dissatisfied")
    func nps() throws {
        let r = try report(.nps)
        let rec = try #require(r.rows.last)
        #expect(rec[1] == .int(3) && rec[5] == .int(33))
        #expect(value(r, row: "线上渠道 online", "answers") == .int(2))
        #expect(value(r, row: "线上渠道 online", "dissatisfied") == .share(0.5))
        #expect(value(r, row: "服务态度 attitude", "neutral")?.number.map { abs($0 - 1.0 / 3) < 1e-9 } == true)
        #expect(value(r, row: "走访情绪 mood on contacts", "answers") == .int(0), "the extract's history carries no moods")
        _ = try store.logContact(ContactLog(customerID: "C0005", channel: .visit, at: "2026-11-20 10:00", purpose: "回访", mood: .unhappy),
                                 by: "S01", now: "2026-11-20 12:00:00")
        let after = try report(.nps)
        #expect(value(after, row: "走访情绪 mood on contacts", "dissatisfied") == .share(1))
    }

    @Test("payroll, 2026-11: PU01 3 members, P 21,910.00, R 6,381.11; PU02 3 members, P 17,101.00, R 5,218.32")
    func payroll() throws {
        let r = try report(.payroll)
        #expect(value(r, row: "PU01", "members") == .int(3))
        #expect(value(r, row: "PU01", "payroll_fen") == .int(2_191_000))
        #expect(value(r, row: "PU01", "retained_fen") == .int(638_111))
        #expect(value(r, row: "PU02", "payroll_fen") == .int(1_710_100))
        #expect(value(r, row: "PU02", "retained_fen") == .int(521_832))
        #expect(value(r, row: "PU02", "retention")?.number.map { abs($0 - 5218.32 / 17101) < 1e-9 } == true)
    }

    @Test("complaints received in October: one medium, one low, both open")
    func complaints() throws {
        let r = try report(.complaints, ReportRequest(from: "2026-10", to: "2026-10"))
        #expect(value(r, row: "较重", "received") == .int(1) && value(r, row: "一般", "received") == .int(1))
        #expect(r.totals?[1] == .int(2) && r.totals?[2] == .int(2))
    }

    @Test("migration and AUM read the nightly figures; the counts add up")
    func migrationAndAUM() throws {
        let m = try report(.migration)
        #expect(m.parameters["from"] == "2026-10" && m.parameters["to"] == "2026-11")
        let ends = m.rows.dropLast().compactMap { $0[m.column("end")!].number }.reduce(0, +)
        #expect(ends == 50)
        for row in m.rows.dropLast() {
            let start = row[1].number!, end = row[m.column("end")!].number!
            #expect(row[m.column("net")!].number == end - start)
            #expect(row[m.column("entered")!].number! - row[m.column("left")!].number! == end - start)
        }
        let a = try report(.aum)
        #expect(a.rows.count == 12)
        #expect(a.rows.last?[1] == .int(50))
    }

    @Test("aum: 50 customers every month, ¥9,709,157.44 in 2025-12 to ¥15,025,942.98 in 2026-11; no tier moved from October to November")
    func handComputedTrend() throws {
        let a = try report(.aum)
        #expect(a.rows.first?[0] == .text("2025-12") && a.rows.first?[2] == .int(970_915_744))
        #expect(a.rows.last?[2] == .int(1_502_594_298))
        #expect(a.rows.last?[3] == .int(1_502_594_298 - 1_480_248_676))
        let m = try report(.migration)
        #expect(value(m, row: "普通客户", "to_mass") == .int(43) && value(m, row: "理财级", "to_wealth") == .int(5))
        #expect(m.rows.allSatisfy { $0[m.column("net")!] == .int(0) || $0[m.column("net")!] == .none })
    }

    @Test("coverage on 2026-11-30: of the 7 customers with a cadence only C0039 was contacted in time")
    func handComputedCoverage() throws {
        let c = try report(.coverage)
        #expect(c.totals?[2] == .int(7) && c.totals?[3] == .int(1))
    }

    @Test("bad months are refused with the field and the reason")
    func badMonths() {
        #expect { try report(.aum, ReportRequest(from: "2026-13")) } throws: { "\($0)".contains("from: expected a month YYYY-MM") }
        #expect { try report(.tiers, ReportRequest(to: "2020-01")) } throws: { "\($0)".contains("no figures for 2020-01") }
        #expect { try report(.migration, ReportRequest(from: "2026-11", to: "2026-10")) } throws: { "\($0)".contains("is not before") }
    }

    @Test("JSON is stable: money in fen, shares as fractions, rows keyed by column")
    func json() throws {
        let r = try report(.tiers)
        let object = try JSONSerialization.jsonObject(with: try r.json()) as! [String: Any]
        #expect(object["report"] as? String == "tiers")
        let rows = object["rows"] as! [[String: Any]]
        #expect(rows.first?["aum_fen"] as? Int == 706_480_788)
        #expect(r.csv.hasPrefix("tier,customers,customer_share,aum_fen,aum_share\n"))
    }
}
