import Foundation

/// Markdown for docs/benchmarks.md: each figure beside its target and its raw baseline.
public enum BenchReport {
    public static func markdown(_ r: ImportBenchmark.Result) -> String {
        var out = "### Import: \(r.customers) customers, \(r.totalRows) rows\n\n"
        out += "| measure | value | target |\n|---|---:|---|\n"
        out += "| furrow import | \(fmt(r.importSeconds)) s | |\n"
        if let raw = r.sqliteImportSeconds {
            out += "| sqlite3 .import of the same CSVs, same schema | \(fmt(raw)) s | |\n"
            out += "| ratio furrow / sqlite3 | \(fmt(r.ratio ?? 0))× | ≤ 2.5× |\n"
        }
        out += "| customers/s (with their related rows) | \(Int(r.customersPerSecond)) | ≥ 50,000 |\n"
        if let floor = r.sqliteFloorSeconds, let cps = r.floorCustomersPerSecond {
            out += "| floor: sqlite3 .import into bare tables (no secondary index, no journal, no sync) | \(fmt(floor)) s = \(Int(cps)) customers/s | |\n"
        }
        out += "| all rows/s | \(Int(r.rowsPerSecond)) | |\n"
        out += "| store size | \(fmt(r.storeMiB, 1)) MiB | |\n"
        out += "| peak memory of the process | \(fmt(r.peakMemoryMiB, 0)) MiB | |\n"
        if r.generateSeconds > 0 { out += "| (generating the extract, not counted) | \(fmt(r.generateSeconds)) s | |\n" }
        out += "\nRows per file: " + r.rowsPerFile.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ") + "\n"
        return out
    }

    public static func markdown(_ r: QueryBenchmark.Result) -> String {
        var out = "### Queries on a store of \(r.customers) customers (\(fmt(r.storeMiB, 0)) MiB)\n\n"
        out += "Search (50 results at most), ms per query:\n\n"
        out += "| query class | e.g. | hits | p50 | p99 | max | raw p50 | raw p99 | p99 ratio | target |\n"
        out += "|---|---|---:|---:|---:|---:|---:|---:|---:|---|\n"
        for s in r.search {
            out += "| \(s.queryClass) | \(s.example) | \(fmt(s.averageHits, 1)) | \(fmt(s.store.p50, 3)) | \(fmt(s.store.p99, 3)) | \(fmt(s.store.max, 3)) | \(fmt(s.raw.p50, 3)) | \(fmt(s.raw.p99, 3)) | \(fmt(s.ratioP99))× | p99 ≤ 10 ms, ≤ 2× raw |\n"
        }
        out += "\nPortfolio of \(r.portfolioRM) (\(r.portfolioCustomers) customers), every page, ms:\n\n"
        out += "| page | pages | p50 | p99 | max | target |\n|---|---:|---:|---:|---:|---|\n"
        for p in r.portfolio {
            out += "| \(p.name) | \(p.count) | \(fmt(p.p50, 3)) | \(fmt(p.p99, 3)) | \(fmt(p.max, 3)) | p99 ≤ 5 ms |\n"
        }
        out += "\n| 360° aggregate | \(r.profile.count) customers | p50 \(fmt(r.profile.p50, 3)) | p99 \(fmt(r.profile.p99, 3)) | max \(fmt(r.profile.max, 3)) | p99 ≤ 5 ms |\n"
        out += "|---|---|---|---|---|---|\n"
        out += "\nStore size \(fmt(r.storeMiB, 1)) MiB; peak memory of this process \(fmt(r.peakMemoryMiB, 0)) MiB.\n"
        return out
    }
}

extension BenchReport {
    public static func markdown(_ r: WorkstationBenchmark.Result) -> String {
        var out = "### Workstation on a store of \(r.customers) customers (\(r.width)×\(r.height) terminal)\n\n"
        out += "Keystroke → finished frame while searching as you type (key handling, search, drawing, diff), ms:\n\n"
        out += "| query class | keystrokes | p50 | p99 | max | search SQL alone, raw p99 | target |\n|---|---:|---:|---:|---:|---:|---|\n"
        for (k, raw) in zip(r.searchKeystroke, r.searchRaw) {
            out += "| \(k.name) | \(k.count) | \(fmt(k.p50, 3)) | \(fmt(k.p99, 3)) | \(fmt(k.max, 3)) | \(fmt(raw.p99, 3)) | p99 ≤ 16 ms |\n"
        }
        out += "\nScrolling the portfolio of \(r.rm) (\(r.rmCustomers) customers, pages loading as it goes), ms per step:\n\n"
        out += "| step | steps | p50 | p99 | max | target |\n|---|---:|---:|---:|---:|---|\n"
        for s in [r.scrollStep, r.scrollPage, r.scrollDeepStep] {
            out += "| \(s.name) | \(s.count) | \(fmt(s.p50, 3)) | \(fmt(s.p99, 3)) | \(fmt(s.max, 3)) | p99 ≤ 5 ms |\n"
        }
        out += "\nStart-up to the first full Today frame, in-process (open the store, load the screens, draw): "
        out += "p50 \(fmt(r.startup.p50, 1)) ms, p99 \(fmt(r.startup.p99, 1)) ms, max \(fmt(r.startup.max, 1)) ms (target ≤ 200 ms).\n"
        out += "First run's parts: " + r.startupParts.sorted { $0.value > $1.value }.map { "\($0.key) \(fmt($0.value, 1)) ms" }.joined(separator: ", ") + ".\n"
        if let p = r.processStartup {
            out += "Whole process in a pseudo-terminal (exec to first frame on screen, then exit; \(p.name)): p50 \(fmt(p.p50, 1)) ms, "
            out += "p99 \(fmt(p.p99, 1)) ms, max \(fmt(p.max, 1)) ms over \(p.count) launches.\n"
        }
        out += "\nWhat a scroll step sends: \(fmt(r.changedCellsPerStep.p50, 0)) changed cells (p50), \(fmt(r.changedCellsPerStep.max, 0)) at most"
        if let b = r.terminalBytesPerStep, let full = r.terminalBytesFullFrame {
            out += "; ncurses wrote \(fmt(b.p50, 0)) bytes per step (p50), \(fmt(b.p99, 0)) (p99), \(fmt(b.max, 0)) (max), "
            out += "against \(full) bytes for the same frame drawn whole"
        }
        out += ".\n"
        return out
    }
}
