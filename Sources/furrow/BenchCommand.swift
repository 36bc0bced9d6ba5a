import ArgumentParser
import Foundation
import FurrowBench
import FurrowCore
import FurrowStore
import TerminalCurses

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure the figures of docs/benchmarks.md (build with -c release first).",
        subcommands: [ImportBench.self, QueryBench.self, WorkstationBench.self, RulesBench.self, ReportsBench.self, WritesBench.self,
                      CampaignsBench.self])

    struct CampaignsBench: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "campaigns", abstract: "Time a five-condition campaign target list over the whole store (on a copy, after the nightly run).")
        @OptionGroup var storeOptions: StoreOptions
        func run() throws {
            // Only the copy is opened (and migrated): the store itself stays as it is.
            guard FileManager.default.fileExists(atPath: storeOptions.path) else { throw CLIError("no store at \(storeOptions.path)") }
            let r = try CampaignBenchmark(storePath: storeOptions.path).run { printError($0) }
            print(BenchReport.markdown(r))
        }
    }

    struct ImportBench: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract: "Generate a demo branch as extract files and time its import against sqlite3 .import.")

        @Option(help: "Customers in the generated branch.")
        var customers = 213_500

        @Option(help: "Where the extract and the stores go.")
        var dir = "bench-data"

        func run() throws {
            let r = try ImportBenchmark(customers: customers, workDirectory: URL(fileURLWithPath: dir))
                .run { printError($0) }
            print(BenchReport.markdown(r))
            print("Store kept at \(dir)/store-\(customers).sqlite (use it with `furrow bench queries --store …`).")
        }
    }

    struct QueryBench: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "queries",
            abstract: "Time search per query class, portfolio pages and the 360° aggregate on a store.")

        @OptionGroup var storeOptions: StoreOptions

        @Option(help: "Queries per search class and profiles to load.")
        var samples = 500

        func run() throws {
            let store = try storeOptions.openExisting()
            let r = try QueryBenchmark(store: store, storePath: storeOptions.path, perClass: samples).run { printError($0) }
            print(BenchReport.markdown(r))
        }
    }

    struct WorkstationBench: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "workstation",
            abstract: "Time keystroke → frame while searching, scroll steps, start-up, and the bytes a terminal is sent.")

        @OptionGroup var storeOptions: StoreOptions

        @Option(help: "Queries per search class.")
        var samples = 300

        @Option(help: "Whole-process start-ups to time (the real binary in a pseudo-terminal, via script(1)).")
        var launches = 10

        @Flag(help: "Empty the OS page cache before each launch (needs root): start-up as after a reboot.")
        var cold = false

        func run() throws {
            _ = try storeOptions.openExisting()
            let path = storeOptions.path
            let out = FileManager.default.temporaryDirectory.appendingPathComponent("furrow-bench-terminal.out").path
            let bench = WorkstationBenchmark(storePath: path, samples: samples)
            // A real ncurses terminal writing to a file: every timed frame is written through it,
            // and its growth per frame is what a terminal is sent.
            let terminal = try CursesTerminal.offscreen(width: bench.width, height: bench.height, outputPath: out)
            let (rm, rmCustomers) = try bench.prepare()
            let sink = WorkstationBenchmark.FrameSink(draw: { terminal.draw($0) }, invalidate: { terminal.invalidate() },
                                                      bytes: { terminal.bytesWritten })
            let r = try bench.run(rm: rm, rmCustomers: rmCustomers, sink: sink, processStartup: {
                try Self.processStartups(bench: bench, user: rm, count: launches, cold: cold)
            }) { printError($0) }
            terminal.stop()
            try? FileManager.default.removeItem(atPath: out)
            print(BenchReport.markdown(r))
        }

        /// Runs `furrow` in a pseudo-terminal until its first full Today frame is on screen —
        /// the reminder run included (FURROW_EXIT_AFTER_FIRST_FRAME makes it leave right then),
        /// timing the whole process: the day's first start, each on a fresh copy of the store,
        /// then later starts on the last copy.
        static func processStartups(bench: WorkstationBenchmark, user: String, count: Int, cold: Bool) throws -> [LatencySummary] {
            guard count > 0, FileManager.default.isExecutableFile(atPath: "/usr/bin/script") else { return [] }
            let binary = CommandLine.arguments[0]
            func containsMark(_ bytes: [UInt8], _ mark: [UInt8]) -> Bool {
                guard bytes.count >= mark.count else { return false }
                for i in 0...(bytes.count - mark.count) where bytes[i] == mark[0] && Array(bytes[i..<(i + mark.count)]) == mark { return true }
                return false
            }
            func launch(_ store: String) throws -> Double {
                let p = Process()
                p.executableURL = URL(fileURLWithPath: "/usr/bin/script")
                p.arguments = ["-qec", "stty cols \(bench.width) rows \(bench.height); exec \(binary) --store '\(store)'", "/dev/null"]
                var env = ProcessInfo.processInfo.environment
                env["FURROW_EXIT_AFTER_FIRST_FRAME"] = "1"
                env["FURROW_USER"] = user
                env["TERM"] = env["TERM"] ?? "xterm-256color"
                p.environment = env
                let output = Pipe()
                p.standardOutput = output
                p.standardInput = FileHandle.nullDevice
                if cold {
                    sync()
                    guard (try? "3".write(toFile: "/proc/sys/vm/drop_caches", atomically: false, encoding: .ascii)) != nil else {
                        throw CLIError("--cold needs to write /proc/sys/vm/drop_caches (root)")
                    }
                }
                let start = ContinuousClock.now
                try p.run()
                // The clock stops when the terminal has been sent the whole first Today frame
                // (furrow writes a mark right after it); what follows is reading to the end.
                let mark = Array(WorkstationRunner.firstFrameMark.utf8)
                var seen: [UInt8] = [], frameAt: ContinuousClock.Instant?
                while true {
                    let chunk = output.fileHandleForReading.availableData
                    if chunk.isEmpty { break }
                    if frameAt == nil {
                        seen += chunk
                        if containsMark(seen, mark) {
                            frameAt = ContinuousClock.now
                        }
                        if seen.count > 1 << 20 { seen.removeFirst(seen.count - mark.count) }
                    }
                }
                p.waitUntilExit()
                guard p.terminationStatus == 0 else { throw CLIError("furrow did not start in a pseudo-terminal (status \(p.terminationStatus))") }
                guard let frameAt else { throw CLIError("furrow exited without writing its first full frame") }
                return (frameAt - start).milliseconds
            }
            var first: [Double] = [], later: [Double] = []
            var copy = ""
            for _ in 0..<count {
                if !copy.isEmpty { bench.removeCopy(copy) }
                copy = try bench.freshCopy("furrow-bench-process.sqlite")
                first.append(try launch(copy))
            }
            for _ in 0..<count { later.append(try launch(copy)) }
            bench.removeCopy(copy)
            let cache = cold ? ", cold page cache" : ""
            return [LatencySummary(name: "the day's first start (the reminder run creates the day's reminders)\(cache)", samplesMs: first),
                    LatencySummary(name: "a later start the same day\(cache)", samplesMs: later)]
        }
    }

    struct RulesBench: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rules",
            abstract: "Time the reminder engine for the largest portfolio and (with --branch) the whole branch, on a copy of the store.")

        @OptionGroup var storeOptions: StoreOptions

        @Flag(help: "Also run it once for every customer of the branch.")
        var branch = false

        @Flag(help: "Checkpoint the WAL before each RM's run, to see the engine without SQLite's periodic checkpoint.")
        var checkpointFirst = false

        func run() throws {
            _ = try storeOptions.openExisting()
            var bench = RulesBenchmark(storePath: storeOptions.path, includeBranch: branch)
            bench.checkpointFirst = checkpointFirst
            let r = try bench.run { printError($0) }
            print(BenchReport.markdown(r))
        }
    }

    struct ReportsBench: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "reports", abstract: "Time every report, for the branch and the largest portfolio, on a copy of the store.")

        @OptionGroup var storeOptions: StoreOptions

        func run() throws {
            _ = try storeOptions.openExisting()
            let r = try ReportsBenchmark(storePath: storeOptions.path).run { printError($0) }
            print(BenchReport.markdown(r))
        }
    }

    struct WritesBench: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "writes", abstract: "Time durable local writes (row + audit + outbox op) on a copy of the store.")

        @OptionGroup var storeOptions: StoreOptions

        @Option(help: "How many of each write.")
        var count = 1000

        func run() throws {
            _ = try storeOptions.openExisting()
            let r = try WritesBenchmark(storePath: storeOptions.path, count: count).run { printError($0) }
            print(BenchReport.markdown(r))
        }
    }
}
