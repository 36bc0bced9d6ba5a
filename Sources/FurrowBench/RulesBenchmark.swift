import Foundation
import FurrowCore
import FurrowStore

/// The reminder engine's figures: one RM's portfolio (the largest: 5,000 customers on the
/// 1,000,000-customer store) — the first run, which creates the tasks, and the runs after it,
/// which find nothing new — and the whole branch in one run. Works on a copy of the store.
public struct RulesBenchmark {
    public struct Result: Sendable, Codable {
        public var customers: Int
        public var rm: String
        public var rmCustomers: Int
        public var firstRunMs: Double
        public var firstRunCreated: Int
        public var reruns: LatencySummary
        public var otherRMs: LatencySummary
        public var branchMs: Double?
        public var branchCreated: Int?
        public var nightlySeconds: Double?
        public var nightlyRerunSeconds: Double?
        public var asOf: CalendarDate
    }

    public var storePath: String
    public var includeBranch: Bool
    public var checkpointFirst = false

    public init(storePath: String, includeBranch: Bool) {
        self.storePath = storePath
        self.includeBranch = includeBranch
    }

    public func run(log: (String) -> Void) throws -> Result {
        log("copying the store (the engine writes tasks) …")
        let working = try StoreCopy(of: storePath, named: "furrow-rules-bench.sqlite")
        defer { working.remove() }
        let copy = working.path
        let store = try AppDatabase.open(path: copy)
        // Tasks from an earlier benchmark or the demo would make the first run look cheaper.
        _ = try store.deleteReminderTasks()
        let asOf = CalendarDate.today()
        guard let rm = try store.largestPortfolio() else { throw BenchError("the store has no assigned customers") }
        let customers = try store.customerCount()
        log("first run for \(rm.staffID) (\(rm.customers) customers) …")
        let (first, tFirst) = try Stopwatch.ms { try store.runReminders(scope: .rm(rm.staffID), asOf: asOf, by: "bench") }
        var reruns: [Double] = []
        for _ in 0..<20 {
            let (r, t) = try Stopwatch.ms { try store.runReminders(scope: .rm(rm.staffID), asOf: asOf, by: "bench") }
            guard r.created == 0, r.withdrawn == 0 else { throw BenchError("a rerun changed tasks: the engine is not idempotent") }
            reruns.append(t)
        }
        log("first runs of 20 other RMs …")
        var others: [Double] = []
        for staff in try store.staff().filter({ $0.role == .rm && $0.staffID != rm.staffID }).prefix(20) {
            // SQLite copies the WAL back into the store every ~1,000 pages, with an fsync, inside
            // whichever commit crosses the mark; checkpointing first keeps that out of the run
            // timed (the figure without it is printed as well).
            if checkpointFirst { try store.checkpoint() }
            let (r, t) = try Stopwatch.ms { try store.runReminders(scope: .rm(staff.staffID), asOf: asOf, by: "bench") }
            log("  \(staff.staffID): \(String(format: "%.1f", t)) ms, \(r.created) tasks")
            others.append(t)
        }
        var branchMs: Double?, branchCreated: Int?, nightly: Double?, nightlyRerun: Double?
        if includeBranch {
            _ = try store.deleteReminderTasks()
            log("the whole branch in one run …")
            let (r, t) = try Stopwatch.ms { try store.runReminders(scope: .branch, asOf: asOf, by: "bench") }
            branchMs = t
            branchCreated = r.created
            _ = try store.deleteReminderTasks()
            log("the nightly run: classification of every customer and the reminders …")
            nightly = try Stopwatch.ms { try store.runNightly(asOf: asOf, by: "bench") }.1 / 1000
            log("the nightly run again (nothing new) …")
            nightlyRerun = try Stopwatch.ms { try store.runNightly(asOf: asOf, by: "bench") }.1 / 1000
        }
        return Result(customers: customers, rm: rm.staffID, rmCustomers: rm.customers, firstRunMs: tFirst,
                      firstRunCreated: first.created, reruns: LatencySummary(name: "rerun", samplesMs: reruns),
                      otherRMs: LatencySummary(name: "other RMs, first run", samplesMs: others),
                      branchMs: branchMs, branchCreated: branchCreated, nightlySeconds: nightly,
                      nightlyRerunSeconds: nightlyRerun, asOf: asOf)
    }
}

extension BenchReport {
    public static func markdown(_ r: RulesBenchmark.Result) -> String {
        var out = "### Reminder engine on a store of \(r.customers) customers, as of \(r.asOf.iso)\n\n"
        out += BenchProvenance.markdown
        out += "| run | customers | time | tasks created | target |\n|---|---:|---:|---:|---|\n"
        out += "| \(r.rm), first run | \(r.rmCustomers) | \(fmt(r.firstRunMs, 1)) ms | \(r.firstRunCreated) | ≤ 100 ms |\n"
        out += "| \(r.rm), 20 reruns (nothing new) | \(r.rmCustomers) | p50 \(fmt(r.reruns.p50, 1)) ms, \(r.reruns.tail(1)) | 0 | ≤ 100 ms |\n"
        out += "| 20 other RMs, first run | | p50 \(fmt(r.otherRMs.p50, 1)) ms, max \(fmt(r.otherRMs.max, 1)) ms | | ≤ 100 ms |\n"
        if let b = r.branchMs, let c = r.branchCreated {
            out += "| the whole branch, one run | \(r.customers) | \(fmt(b / 1000, 2)) s | \(c) | (part of the nightly ≤ 30 s) |\n"
        }
        if let n = r.nightlySeconds, let again = r.nightlyRerunSeconds {
            out += "| nightly: classify every customer + reminders | \(r.customers) | \(fmt(n, 2)) s (again: \(fmt(again, 2)) s) | | ≤ 30 s |\n"
        }
        return out
    }
}
