import Foundation
import FurrowCore

/// Markdown for docs/benchmarks.md: each figure beside its target and its raw baseline.
public enum BenchReport {
    public static func markdown(_ r: ImportBenchmark.Result) -> String {
        var out = "### Import: \(r.customers) customers, \(r.totalRows) rows\n\n"
        out += BenchProvenance.markdown
        out += "| measure | value | target |\n|---|---:|---|\n"
        out += "| furrow import, to the end of its final checkpoint | \(fmt(r.importSeconds)) s | |\n"
        if let raw = r.sqliteImportSeconds {
            out += "| sqlite3 .import of the same CSVs into the same tables, indexes built after, checkpoint included (row counts checked equal) | \(fmt(raw)) s | |\n"
            out += "| ratio furrow / sqlite3 | \(fmt(r.ratio ?? 0))× | ≤ 2.5× |\n"
        }
        out += "| customers/s (with their related rows) | \(Int(r.customersPerSecond)) | ≥ 50,000 |\n"
        if let floor = r.sqliteFloorSeconds, let cps = r.floorCustomersPerSecond {
            out += "| floor: sqlite3 .import into bare tables (no secondary index, no journal, no sync; row counts checked equal) | \(fmt(floor)) s = \(Int(cps)) customers/s | |\n"
            out += "| ratio furrow / floor | \(fmt(r.importSeconds / floor))× | |\n"
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
        out += BenchProvenance.markdown
        out += "Search (50 results at most), ms per query:\n\n"
        out += "| query class | e.g. | hits | p50 | p99 | max | raw p50 | raw p99 | p99 ratio | target |\n"
        out += "|---|---|---:|---:|---:|---:|---:|---:|---:|---|\n"
        for s in r.search {
            out += "| \(s.queryClass) | \(s.example) | \(fmt(s.averageHits, 1)) | \(fmt(s.store.p50, 3)) | \(s.store.p99Cell()) | \(fmt(s.store.max, 3)) | \(fmt(s.raw.p50, 3)) | \(s.raw.p99Cell()) | \(fmt(s.ratioP99))× | p99 ≤ 10 ms, ≤ 2× raw |\n"
        }
        out += "\nPortfolio of \(r.portfolioRM) (\(r.portfolioCustomers) customers), every page, ms:\n\n"
        out += "| page | pages | p50 | p99 | max | target |\n|---|---:|---:|---:|---:|---|\n"
        for p in r.portfolio {
            out += "| \(p.name) | \(p.count) | \(fmt(p.p50, 3)) | \(p.p99Cell()) | \(fmt(p.max, 3)) | p99 ≤ 5 ms |\n"
        }
        out += "\n| 360° aggregate | \(r.profile.count) customers | p50 \(fmt(r.profile.p50, 3)) | \(r.profile.tail()) | max \(fmt(r.profile.max, 3)) | p99 ≤ 5 ms |\n"
        out += "|---|---|---|---|---|---|\n"
        out += "\nStore size \(fmt(r.storeMiB, 1)) MiB; peak memory of this process \(fmt(r.peakMemoryMiB, 0)) MiB.\n"
        return out
    }
}

extension BenchReport {
    public static func markdown(_ r: WorkstationBenchmark.Result) -> String {
        var out = "### Workstation on a store of \(r.customers) customers (\(r.width)×\(r.height) terminal)\n\n"
        out += BenchProvenance.markdown
        let frame = r.framesWritten ? "key handling, search, drawing, the diff and ncurses writing it to the terminal"
            : "key handling, search, drawing, the diff; no terminal written"
        out += "Keystroke → finished frame while searching as you type (\(frame)), ms:\n\n"
        out += "| query class | keystrokes | p50 | p99 | max | search SQL alone, raw p99 | target |\n|---|---:|---:|---:|---:|---:|---|\n"
        for (k, raw) in zip(r.searchKeystroke, r.searchRaw) {
            out += "| \(k.name) | \(k.count) | \(fmt(k.p50, 3)) | \(k.p99Cell()) | \(fmt(k.max, 3)) | \(raw.p99Cell()) | p99 ≤ 16 ms |\n"
        }
        out += "\nScrolling the portfolio of \(r.rm) (\(r.rmCustomers) customers, pages loading as it goes), ms per finished frame:\n\n"
        out += "| step | steps | p50 | p99 | max | target |\n|---|---:|---:|---:|---:|---|\n"
        for s in [r.scrollStep, r.scrollPage, r.scrollDeepStep] {
            out += "| \(s.name) | \(s.count) | \(fmt(s.p50, 3)) | \(s.p99Cell()) | \(fmt(s.max, 3)) | p99 ≤ 5 ms |\n"
        }
        out += "\nStart-up to the first full Today frame, the reminder run included (target ≤ 200 ms); "
        out += "the first start of the day creates \(r.remindersCreated) reminders for \(r.rm), leaving \(r.todayQueue) open:\n\n"
        out += "| start | how | runs | p50 | tail |\n|---|---|---:|---:|---|\n"
        for s in [r.firstStart, r.laterStart] {
            out += "| \(s.name) | in process: open, screens, reminder run, draw, write | \(s.count) | \(fmt(s.p50, 1)) ms | \(s.tail(1)) |\n"
        }
        for p in r.processStartup {
            out += "| \(p.name) | whole process in a pseudo-terminal, exec until the terminal has the full frame | \(p.count) | \(fmt(p.p50, 1)) ms | \(p.tail(1)) |\n"
        }
        out += "\nThe first start's parts: " + r.startupParts.sorted { $0.value > $1.value }.map { "\($0.key) \(fmt($0.value, 1)) ms" }.joined(separator: ", ") + ".\n"
        out += "\nWhat a scroll step sends: \(fmt(r.changedCellsPerStep.p50, 0)) changed cells (p50), \(fmt(r.changedCellsPerStep.max, 0)) at most"
        if let b = r.terminalBytesPerStep, let full = r.terminalBytesFullFrame {
            out += "; ncurses wrote \(fmt(b.p50, 0)) bytes per step (p50), \(b.p99Cell(0)) (p99), \(fmt(b.max, 0)) (max), "
            out += "against \(full) bytes for the same frame drawn whole"
        }
        out += ".\n"
        return out
    }
}
