import Foundation
import FurrowCore
import FurrowStore

/// Every report on a store, for the branch and for its largest portfolio, after the nightly run
/// that month reports read (timed too). Works on a copy of the store.
public struct ReportsBenchmark {
    public struct Result: Sendable, Codable {
        public var customers: Int
        public var nightlySeconds: Double
        public var branch: [LatencySummary]
        public var rm: [LatencySummary]
        public var rmID: String
    }

    public var storePath: String
    public init(storePath: String) { self.storePath = storePath }

    public func run(log: (String) -> Void) throws -> Result {
        log("copying the store …")
        let working = try StoreCopy(of: storePath, named: "furrow-reports-bench.sqlite")
        defer { working.remove() }
        let copy = working.path
        let store = try AppDatabase.open(path: copy)
        log("the nightly run (the month reports read its figures) …")
        let (_, nightly) = try Stopwatch.ms { try store.runNightly(by: "bench") }
        guard let rm = try store.largestPortfolio() else { throw BenchError("the store has no assigned customers") }
        var branch: [LatencySummary] = [], mine: [LatencySummary] = []
        for name in ReportName.allCases {
            for (scope, into) in [(nil as String?, 0), (rm.staffID, 1)] {
                log("report \(name.rawValue) for \(scope ?? "the branch") …")
                var times: [Double] = []
                for _ in 0..<3 {
                    let (_, t) = try Stopwatch.ms { try store.report(name, ReportRequest(rm: scope)) }
                    times.append(t)
                }
                let s = LatencySummary(name: name.rawValue, samplesMs: times)
                if into == 0 { branch.append(s) } else { mine.append(s) }
            }
        }
        return Result(customers: try store.customerCount(), nightlySeconds: nightly / 1000, branch: branch, rm: mine,
                      rmID: rm.staffID)
    }
}

extension BenchReport {
    public static func markdown(_ r: ReportsBenchmark.Result) -> String {
        var out = "### Reports on a store of \(r.customers) customers\n\n"
        out += BenchProvenance.markdown
        out += "The nightly run first (classification + reminders): \(fmt(r.nightlySeconds, 1)) s.\n\n"
        out += "| report | branch, max of 3 | \(r.rmID), max of 3 | target |\n|---|---:|---:|---|\n"
        for (b, m) in zip(r.branch, r.rm) {
            out += "| \(b.name) | \(fmt(b.max, 1)) ms | \(fmt(m.max, 1)) ms | ≤ 2,000 ms |\n"
        }
        return out
    }
}
