import Foundation
import FurrowCore
import FurrowImport
import FurrowStore
import TerminalUI
import Workstation

/// The workstation's figures on a store: keystroke → finished frame while searching as you
/// type, a scroll step of the portfolio at every offset, start-up to the first Today frame,
/// and what a terminal is sent per step. A frame here is the app's work (key handling, the
/// store, drawing into the buffer, the diff against the last frame); `terminalBytes` adds what
/// ncurses writes for it when a measuring terminal is given.
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
        public var startup: LatencySummary
        public var startupParts: [String: Double]
        public var changedCellsPerStep: LatencySummary
        public var terminalBytesPerStep: LatencySummary?
        public var terminalBytesFullFrame: Int?
        public var processStartup: LatencySummary?
    }

    /// Writes frames somewhere that counts bytes (an offscreen curses terminal); returns the
    /// bytes written for the frame.
    public typealias FrameSink = (ScreenBuffer) -> Int

    public var storePath: String
    public var width = 120
    public var height = 40
    public var samples = 300

    public init(storePath: String, samples: Int = 300) {
        self.storePath = storePath
        self.samples = samples
    }

    func makeApp(_ store: AppDatabase, rm: String) throws -> WorkstationApp {
        let identity = UserIdentity.resolve(rm, staff: try store.staff())
        return WorkstationApp(store: store, user: identity, scope: .rm(rm), storeLabel: "bench")
    }

    /// The RM whose day is measured (the largest portfolio). Their Today queue must not be
    /// empty: a store straight from extracts has no tasks, so the demo's follow-ups are added.
    public func prepare(log: (String) -> Void) throws -> (rm: String, customers: Int) {
        let store = try AppDatabase.open(path: storePath)
        guard let rm = try store.largestPortfolio() else { throw BenchError("the store has no assigned customers") }
        if try store.todayQueue(scope: .rm(rm.staffID), limit: 1).isEmpty {
            log("adding the demo's follow-up tasks for \(rm.staffID), so Today has a queue …")
            try DemoTasks.seed(store, rm: rm.staffID, asOf: .today(), seed: 1)
        }
        return (rm.staffID, rm.customers)
    }

    public func run(rm: String, rmCustomers: Int, sink: FrameSink?, processStartup: (() throws -> LatencySummary?)? = nil,
                    log: (String) -> Void) throws -> Result {
        // Start-up first, before anything else warms the cache in this process.
        log("start-up to the first Today frame …")
        var startup: [Double] = []
        var parts: [String: Double] = [:]
        for i in 0..<15 {
            let (_, t) = try Stopwatch.ms { () throws in
                let (store, tOpen) = try Stopwatch.ms { try AppDatabase.open(path: storePath) }
                let (app, tApp) = try Stopwatch.ms { try makeApp(store, rm: rm) }
                let (frame, tFrame) = Stopwatch.ms { app.render(width: width, height: height) }
                let (_, tDiff) = Stopwatch.ms { frame.changes(from: nil) }
                if i == 0 {
                    parts = ["open the store (migrations checked)": tOpen,
                             "load Today's queue (other screens load when first shown)": tApp, "draw": tFrame, "diff": tDiff]
                }
            }
            startup.append(t)
        }
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
                var typed = ""
                for c in q {
                    typed.append(c)
                    let (frame, t) = Stopwatch.ms { () -> ScreenBuffer in
                        _ = app.handle(.character(c))
                        let f = app.render(width: width, height: height)
                        _ = f.changes(from: previous)
                        return f
                    }
                    previous = frame
                    a.append(t)
                    let (_, tr) = try Stopwatch.ms { try store.rawSearchBaseline(typed, limit: 200) }
                    b.append(tr)
                }
                _ = app.handle(.escape)
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
        _ = sink?(previous)
        func step(_ key: Key, into times: inout [Double]) {
            let (frame, t) = Stopwatch.ms { () -> ScreenBuffer in
                _ = scroller.handle(key)
                return scroller.render(width: width, height: height)
            }
            let changes = frame.changes(from: previous)
            times.append(t)
            cells.append(Double(changes.reduce(0) { $0 + $1.cells.count }))
            if let sink { bytes.append(Double(sink(frame))) }
            previous = frame
        }
        for _ in 0..<rmCustomers { step(.down, into: &steps) }
        var pages: [Double] = []
        _ = scroller.handle(.character("g"))
        previous = scroller.render(width: width, height: height)
        for _ in 0..<(rmCustomers / max(1, height - 6)) { step(.pageDown, into: &pages) }
        var deep: [Double] = []
        for _ in 0..<200 { step(.up, into: &deep) }
        var full: Int?
        if let sink {
            // The same frame sent whole, for comparison with the diff.
            full = sink(ScreenBuffer(width: width, height: height))
            full = sink(previous)
        }
        return Result(
            customers: customers, rm: rm, rmCustomers: rmCustomers, width: width, height: height,
            searchKeystroke: keystroke, searchRaw: raw,
            scrollStep: LatencySummary(name: "j / ↓", samplesMs: steps),
            scrollPage: LatencySummary(name: "PgDn", samplesMs: pages),
            scrollDeepStep: LatencySummary(name: "k / ↑ at the end", samplesMs: deep),
            startup: LatencySummary(name: "start-up", samplesMs: startup), startupParts: parts,
            changedCellsPerStep: LatencySummary(name: "changed cells per j step", samplesMs: cells),
            terminalBytesPerStep: sink == nil ? nil : LatencySummary(name: "bytes per step", samplesMs: bytes),
            terminalBytesFullFrame: full, processStartup: try processStartup?())
    }
}
