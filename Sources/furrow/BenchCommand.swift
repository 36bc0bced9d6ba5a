import ArgumentParser
import Foundation
import FurrowBench
import FurrowStore

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure the figures of docs/benchmarks.md (build with -c release first).",
        subcommands: [ImportBench.self, QueryBench.self])

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
}
