import Foundation
import FurrowCore
import FurrowImport
import FurrowStore
import TerminalUI
import Workstation

/// The workstation's figures on a store: keystroke → finished frame while searching as you
/// type, a scroll step of the portfolio at every offset, start-up to the first full Today frame,
/// and what a terminal is sent per step. A finished frame is all the work before the RM sees
/// it: key handling, the store, drawing into the buffer, and — when a terminal is given (an
/// offscreen ncurses terminal) — its diff against the last frame and ncurses writing it out.
/// Start-up includes the reminder run the workstation does at start, on copies of the store.
public struct WorkstationBenchmark {
    public struct Result: Sendable, Codable {
        public var customers: Int
        public var rm: String
        public var rmCustomers: Int
        public var width: Int
        public var height: Int
        public var searchKeystroke: [LatencySummary]
        public var searchRaw: [LatencySummary]
        public var scrollStep: LatencySummary
        public var scrollPage: LatencySummary
        public var scrollDeepStep: LatencySummary
        /// The day's first start (the reminder run creates the day's reminders), on a fresh copy each.
        public var firstStart: LatencySummary
        /// A later start the same day (the reminder run finds nothing new).
        public var laterStart: LatencySummary
        public var startupParts: [String: Double]
        /// Reminders the first start's run created, and the Today queue's length after it.
        public var remindersCreated: Int
        public var todayQueue: Int
        public var changedCellsPerStep: LatencySummary
        public var terminalBytesPerStep: LatencySummary?
        public var terminalBytesFullFrame: Int?
        public var processStartup: [LatencySummary]
        /// Frames include the terminal's diff and write (false: the app's diff only).
        public var framesWritten: Bool
    }

    /// A terminal that frames are written to (an offscreen curses terminal): `draw` diffs
    /// against the last frame and writes; `invalidate` forgets it (the next frame goes whole);
    /// `bytes` counts what has been written so far.
    public struct FrameSink {
        public var draw: (ScreenBuffer) -> Void
        public var invalidate: () -> Void
        public var bytes: () -> Int
        public init(draw: @escaping (ScreenBuffer) -> Void, invalidate: @escaping () -> Void, bytes: @escaping () -> Int) {
            self.draw = draw
            self.invalidate = invalidate
            self.bytes = bytes
        }
    }

    public var storePath: String
    public var width = 120
    public var height = 40
    public var samples = 300
    /// Start-ups timed in process: first starts of the day (each on a fresh copy), later starts.
    public var firstStarts = 5
    public var laterStarts = 15

    public init(storePath: String, samples: Int = 300) {
        self.storePath = storePath
        self.samples = samples
    }

    func makeApp(_ store: AppDatabase, rm: String) throws -> WorkstationApp {
        let identity = UserIdentity.resolve(rm, staff: try store.staff())
        return WorkstationApp(store: store, user: identity, scope: .rm(rm), storeLabel: "bench")
    }

    /// The RM whose day is measured (the largest portfolio). Their Today queue is what the
    /// reminder engine makes at start, as for a real RM — nothing is added by hand.
    public func prepare() throws -> (rm: String, customers: Int) {
        let store = try AppDatabase.open(path: storePath)
        guard let rm = try store.largestPortfolio() else { throw BenchError("the store has no assigned customers") }
        return (rm.staffID, rm.customers)
    }

    /// A copy of the store as it is before the day's first start (copying is not timed).
    public func freshCopy(_ name: String = "furrow-bench-startup.sqlite") throws -> String {
        try StoreCopy(of: storePath, named: name).path
    }

    /// Removes a copy made by `freshCopy`.
    public func removeCopy(_ path: String) {
        for suffix in ["", "-wal", "-shm", ".key"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }

    /// One start as the workstation does it: open, build the screens, run the reminders, draw
    /// the full Today frame (written whole to the terminal when one is given).
    func start(_ path: String, rm: String, sink: FrameSink?) throws -> (ms: Double, parts: [String: Double], reminders: ReminderRunReport?) {
        var parts: [String: Double] = [:]
        var report: ReminderRunReport?
        // The store and the app leave the timed block open: closing (SQLite's checkpoint on the
        // last connection) is not part of a start, and happens when this function returns.
        let (opened, t) = try Stopwatch.ms { () throws in
            let (store, tOpen) = try Stopwatch.ms { try AppDatabase.open(path: path) }
            let (app, tApp) = try Stopwatch.ms { try makeApp(store, rm: rm) }
            let (r, tRun) = Stopwatch.ms { app.startUp() }
            let (frame, tFrame) = Stopwatch.ms { app.render(width: width, height: height) }
            let (_, tWrite) = Stopwatch.ms { () -> Void in
                if let sink { sink.invalidate(); sink.draw(frame) } else { _ = frame.changes(from: nil) }
            }
            parts = ["open the store (migrations checked)": tOpen, "load Today's queue": tApp,
                     "the reminder run": tRun, "draw": tFrame, sink == nil ? "diff" : "diff and write to the terminal": tWrite]
            report = r
            return (store, app)
        }
        withExtendedLifetime(opened) {}
        return (t, parts, report)
    }

    public func run(rm: String, rmCustomers: Int, sink: FrameSink?, processStartup: (() throws -> [LatencySummary])? = nil,
                    log: (String) -> Void) throws -> Result {
        // Start-up first, before anything else warms this process. The day's first start on a
        // fresh copy each time; then later starts on the last copy, whose reminders are made.
        log("start-up to the first full Today frame, the reminder run included (\(firstStarts) first starts on fresh copies) …")
        var first: [Double] = [], later: [Double] = []
        var parts: [String: Double] = [:]
        var created = 0, queue = 0
        var copy = ""
        for i in 0..<firstStarts {
            if !copy.isEmpty { removeCopy(copy) }
            copy = try freshCopy()
            let s = try start(copy, rm: rm, sink: sink)
            guard let report = s.reminders else { throw BenchError("the reminder run failed at start (see the workstation's message)") }
            first.append(s.ms)
            if i == 0 {
                parts = s.parts
                created = report.created
                queue = report.open.values.reduce(0, +)
            }
        }
        for _ in 0..<laterStarts { later.append(try start(copy, rm: rm, sink: sink).ms) }
        removeCopy(copy)
        let store = try AppDatabase.open(path: storePath)
        let customers = try store.customerCount()

        // Search as you type: every prefix of each query is a keystroke and a frame.
        let people = try store.benchmarkSamples(count: samples)
        let classes: [(String, [String])] = [
            ("Chinese characters", people.map { String($0.name.prefix(3)) }),
            ("full pinyin", people.compactMap(\.pinyin).filter { !$0.isEmpty }.map { String($0.prefix(8)) }),
            ("pinyin initials", people.compactMap(\.initials).filter { !$0.isEmpty }),
            ("phone last 4", people.compactMap { $0.mobile.map { String($0.suffix(4)) } }),
        ]
        let app = try makeApp(store, rm: rm)
        _ = app.handle(.character("2"))
        var previous = app.render(width: width, height: height)
        var keystroke: [LatencySummary] = [], raw: [LatencySummary] = []
        for (name, queries) in classes {
            log("search as you type: \(name) (\(queries.count) queries) …")
            var a: [Double] = [], b: [Double] = []
            for q in queries {
                _ = app.handle(.character("/"))
                previous = app.render(width: width, height: height)
                sink?.draw(previous)
                var typed = ""
                for c in q {
                    typed.append(c)
                    let (frame, t) = Stopwatch.ms { () -> ScreenBuffer in
                        _ = app.handle(.character(c))
                        let f = app.render(width: width, height: height)
                        if let sink { sink.draw(f) } else { _ = f.changes(from: previous) }
                        return f
                    }
                    previous = frame
                    a.append(t)
                    let (_, tr) = try Stopwatch.ms { try store.rawSearchBaseline(typed, limit: 200) }
                    b.append(tr)
                }
                _ = app.handle(.escape)
                sink?.draw(app.render(width: width, height: height))
            }
            keystroke.append(LatencySummary(name: name, samplesMs: a))
            raw.append(LatencySummary(name: name + " (the search SQL alone, raw)", samplesMs: b))
        }

        // Scrolling: j through the whole portfolio (pages load as it goes), then PgDn, then j
        // again at the far end.
        log("scrolling \(rmCustomers) customers …")
        let scroller = try makeApp(store, rm: rm)
        _ = scroller.handle(.character("2"))
        previous = scroller.render(width: width, height: height)
        var steps: [Double] = [], cells: [Double] = [], bytes: [Double] = []
        sink?.draw(previous)
        var written = sink?.bytes() ?? 0
        func step(_ key: Key, into times: inout [Double]) {
            let (frame, t) = Stopwatch.ms { () -> ScreenBuffer in
                _ = scroller.handle(key)
                let f = scroller.render(width: width, height: height)
                if let sink { sink.draw(f) } else { _ = f.changes(from: previous) }
                return f
            }
            times.append(t)
            // Counted outside the timer.
            cells.append(Double(frame.changes(from: previous).reduce(0) { $0 + $1.cells.count }))
            if let sink {
                let now = sink.bytes()
                bytes.append(Double(now - written))
                written = now
            }
            previous = frame
        }
        for _ in 0..<rmCustomers { step(.down, into: &steps) }
        var pages: [Double] = []
        _ = scroller.handle(.character("g"))
        previous = scroller.render(width: width, height: height)
        sink?.draw(previous)
        written = sink?.bytes() ?? 0
        for _ in 0..<(rmCustomers / max(1, height - 6)) { step(.pageDown, into: &pages) }
        var deep: [Double] = []
        for _ in 0..<200 { step(.up, into: &deep) }
        var full: Int?
        if let sink {
            // The same frame sent whole, for comparison with the diff.
            sink.invalidate()
            let before = sink.bytes()
            sink.draw(previous)
            full = sink.bytes() - before
        }
        return Result(
            customers: customers, rm: rm, rmCustomers: rmCustomers, width: width, height: height,
            searchKeystroke: keystroke, searchRaw: raw,
            scrollStep: LatencySummary(name: "j / ↓", samplesMs: steps),
            scrollPage: LatencySummary(name: "PgDn", samplesMs: pages),
            scrollDeepStep: LatencySummary(name: "k / ↑ at the end", samplesMs: deep),
            firstStart: LatencySummary(name: "the day's first start", samplesMs: first),
            laterStart: LatencySummary(name: "a later start", samplesMs: later), startupParts: parts,
            remindersCreated: created, todayQueue: queue,
            changedCellsPerStep: LatencySummary(name: "changed cells per j step", samplesMs: cells),
            terminalBytesPerStep: sink == nil ? nil : LatencySummary(name: "bytes per step", samplesMs: bytes),
            terminalBytesFullFrame: full, processStartup: try processStartup?() ?? [], framesWritten: sink != nil)
    }
}
