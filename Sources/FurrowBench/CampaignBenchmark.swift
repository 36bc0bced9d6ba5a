import Foundation
import FurrowCore
import FurrowImport
import FurrowStore

/// A campaign's target list over a whole branch: a five-condition target with a fund's
/// suitability rules, matched (read) and built (kept), next to the sqlite3 shell running the same
/// candidate query. Works on a copy of the store, after the nightly run the segments come from.
public struct CampaignBenchmark {
    public struct Result: Sendable, Codable {
        public var customers: Int
        public var nightlySeconds: Double
        public var target: String
        public var targeted: Int
        public var excluded: Int
        public var match: LatencySummary
        public var build: LatencySummary
        public var sqlite3: LatencySummary
        /// Attribution over the store's 12 months for 50 launched campaigns.
        public var campaigns: Int
        public var contacts: Int
        public var setupSeconds: Double
        public var attribution: LatencySummary
        public var conversions: Int
        /// The sqlite3 shell reading the same events (no matching).
        public var attributionSqlite3: LatencySummary
    }

    public var storePath: String
    public var target = "tier=wealth,affluent,private aum>=200000 maturing<=90 not-holding=fund age=40-75"
    public init(storePath: String) { self.storePath = storePath }

    public func run(log: (String) -> Void) throws -> Result {
        log("copying the store …")
        let working = try StoreCopy(of: storePath, named: "furrow-campaign-bench.sqlite")
        defer { working.remove() }
        let copy = working.path
        let store = try AppDatabase.open(path: copy)
        log("the nightly run (segments, value classes) …")
        let (_, nightly) = try Stopwatch.ms { try store.runNightly(by: "bench") }
        guard let fund = try store.productCodes(ofType: .fund).first else { throw BenchError("the store has no fund to push") }
        let asOf = CalendarDate.today()
        let parsed = try CampaignTarget.parse(target)
        // A lead runs campaigns (the store checks).
        guard let lead = try store.staff().first(where: { $0.role == .lead })?.staffID else { throw BenchError("the store has no team lead") }
        let c = try store.createCampaign(name: "基金推广 bench", kind: .productPush, startsOn: asOf, endsOn: asOf.adding(days: 30),
                                         products: [fund], target: parsed, by: lead)
        var match: [Double] = [], build: [Double] = [], raw: [Double] = []
        var list: AppDatabase.CampaignList?
        for i in 0..<5 {
            log("run \(i + 1) of 5 …")
            let (l, m) = try Stopwatch.ms { try store.matchCampaign(c, asOf: asOf) }
            match.append(m)
            list = l
            let (_, b) = try Stopwatch.ms { try store.buildCampaignList(c.campaignID, asOf: asOf, by: lead) }
            build.append(b)
            let (ms, rows) = try sqlite3(copy, AppDatabase.campaignSQLText(c, asOf: asOf))
            raw.append(ms)
            // The baseline must be the same work: the same rows.
            let matched = (list?.targeted.count ?? 0) + (list?.excluded.count ?? 0)
            guard rows == matched else { throw BenchError("sqlite3 returned \(rows) rows, the campaign matched \(matched)") }
        }
        // 50 care campaigns over the year (one village each), launched; four contacts in ten
        // answered on a day of the last 12 months; then attribution over the extracts.
        log("50 campaigns: lists, launches, contacts over 12 months …")
        let setupStarted = ContinuousClock.now
        var generator = SplitMix64(state: 42)   // the same contacts on every run
        var contacts = 0
        let yearAgo = asOf.adding(days: -365)
        let villages = try store.villages(limit: 50)
        guard villages.count == 50 else { throw BenchError("the store has \(villages.count) villages; the attribution figure wants 50 campaigns, one a village") }
        for (i, v) in villages.enumerated() {
            let c = try store.createCampaign(name: "关怀 \(i)", kind: .care, startsOn: yearAgo, endsOn: asOf,
                                             target: try CampaignTarget.parse("village=\(v.village)"), by: lead)
            let l = try store.buildCampaignList(c.campaignID, asOf: yearAgo, by: lead)
            _ = try store.launchCampaign(c.campaignID, asOf: yearAgo, by: lead)
            for m in l.targeted where Int.random(in: 0..<10, using: &generator) < 4 {
                let day = yearAgo.adding(days: Int.random(in: 0..<365, using: &generator))
                try store.recordCampaignResponse(c.campaignID, customerID: m.customerID,
                                                 response: [.reached, .accepted, .declined].randomElement(using: &generator)!,
                                                 at: "\(day.iso) 10:00", by: "bench")
                contacts += 1
            }
        }
        let setup = ContinuousClock.now - setupStarted
        var attribution: [Double] = [], rawEvents: [Double] = []
        var conversions = 0
        for i in 0..<3 {
            log("attribution, run \(i + 1) of 3 …")
            let (r, ms) = try Stopwatch.ms { try store.attributeCampaigns(by: "bench") }
            attribution.append(ms)
            conversions = r.conversions
            rawEvents.append(try sqlite3(copy, AppDatabase.attributionEventsSQLText).0)
        }
        return Result(customers: try store.customerCount(), nightlySeconds: nightly / 1000, target: target,
                      targeted: list?.targeted.count ?? 0, excluded: list?.excluded.count ?? 0,
                      match: LatencySummary(name: "match", samplesMs: match), build: LatencySummary(name: "build", samplesMs: build),
                      sqlite3: LatencySummary(name: "sqlite3", samplesMs: raw), campaigns: 50, contacts: contacts,
                      setupSeconds: setup.seconds,
                      attribution: LatencySummary(name: "attribution", samplesMs: attribution), conversions: conversions,
                      attributionSqlite3: LatencySummary(name: "sqlite3", samplesMs: rawEvents))
    }

    /// The same candidate query through the sqlite3 shell, every row written out; returns the
    /// time and the number of rows.
    func sqlite3(_ path: String, _ sql: String) throws -> (Double, Int) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["sqlite3", "-readonly", path, sql]
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        let started = ContinuousClock.now
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        let d = ContinuousClock.now - started
        guard p.terminationStatus == 0 else {
            throw BenchError("sqlite3: " + String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self))
        }
        return (d.milliseconds, data.filter { $0 == 10 }.count)
    }
}

extension BenchReport {
    public static func markdown(_ r: CampaignBenchmark.Result) -> String {
        var out = "### A campaign's target list on a store of \(r.customers) customers\n\n"
        out += BenchProvenance.markdown
        out += "After the nightly run (\(fmt(r.nightlySeconds, 1)) s). Target: `\(r.target)` (five conditions), a fund push "
        out += "(suitability: risk rating and its expiry, contact caps): \(r.targeted) targeted, \(r.excluded) excluded.\n\n"
        out += "| step | p50 | max of 5 | target |\n|---|---:|---:|---|\n"
        out += "| match (query + rules, read) | \(fmt(r.match.p50, 1)) ms | \(fmt(r.match.max, 1)) ms | ≤ 1,000 ms |\n"
        out += "| build (match + keep the list) | \(fmt(r.build.p50, 1)) ms | \(fmt(r.build.max, 1)) ms | ≤ 1,000 ms |\n"
        out += "| sqlite3 shell, the same candidate query (process included) | \(fmt(r.sqlite3.p50, 1)) ms | \(fmt(r.sqlite3.max, 1)) ms | baseline |\n"
        out += "| ratio build / sqlite3 (p50) | \(fmt(r.build.p50 / max(r.sqlite3.p50, 0.001), 2))× | | |\n"
        out += "\n### Attribution: \(r.campaigns) launched campaigns, \(r.contacts) contacts over 12 months\n\n"
        out += "Set up in \(fmt(r.setupSeconds, 1)) s (lists, launches, answers; not timed below). \(r.conversions) conversions found.\n\n"
        out += "| step | p50 | max of 3 | target |\n|---|---:|---:|---|\n"
        out += "| attribution over the store's extracts | \(fmt(r.attribution.p50, 1)) ms | \(fmt(r.attribution.max, 1)) ms | ≤ 5,000 ms |\n"
        out += "| sqlite3 shell reading the same accounts and transactions (no matching) | \(fmt(r.attributionSqlite3.p50, 1)) ms | \(fmt(r.attributionSqlite3.max, 1)) ms | baseline |\n"
        out += "| ratio (p50) | \(fmt(r.attribution.p50 / max(r.attributionSqlite3.p50, 0.001), 2))× | | |\n"
        return out
    }
}

