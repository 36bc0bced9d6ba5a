import Foundation
import FurrowCore
import FurrowStore

/// Search, portfolio pages and the 360° aggregate on an existing store, each next to the same
/// SQL stepped raw where the issue asks for the ratio.
public struct QueryBenchmark {
    public struct SearchFigure: Sendable, Codable {
        public var queryClass: String
        public var example: String
        public var store: LatencySummary
        public var raw: LatencySummary
        public var averageHits: Double
        public var ratioP99: Double { raw.p99 > 0 ? store.p99 / raw.p99 : 0 }
        public var ratioP50: Double { raw.p50 > 0 ? store.p50 / raw.p50 : 0 }
    }

    public struct Result: Sendable, Codable {
        public var customers: Int
        public var search: [SearchFigure]
        public var portfolioRM: String
        public var portfolioCustomers: Int
        public var portfolio: [LatencySummary]
        public var profile: LatencySummary
        public var storeMiB: Double
        public var peakMemoryMiB: Double
    }

    public var store: AppDatabase
    public var storePath: String
    public var perClass: Int

    public init(store: AppDatabase, storePath: String, perClass: Int = 500) {
        self.store = store; self.storePath = storePath; self.perClass = perClass
    }

    public func run(log: (String) -> Void) throws -> Result {
        let customers = try store.customerCount()
        let samples = try store.benchmarkSamples(count: perClass)
        func chars(_ s: String) -> [Character] { Array(s) }
        let classes: [(String, [String])] = [
            ("1 Chinese character", samples.map { String(chars($0.name).first!) }),
            ("2 Chinese characters", samples.map { let c = chars($0.name); return String(c.count >= 3 ? c[1...2] : c[0...min(1, c.count - 1)]) }),
            ("3 Chinese characters", samples.compactMap { let c = chars($0.name); return c.count >= 3 ? String(c.prefix(3)) : nil }),
            ("full pinyin", samples.compactMap(\.pinyin).filter { !$0.isEmpty }),
            ("pinyin initials", samples.compactMap(\.initials).filter { !$0.isEmpty }),
            ("phone last 4", samples.compactMap { $0.mobile.map { String($0.suffix(4)) } }),
        ]
        var search: [SearchFigure] = []
        for (name, queries) in classes {
            log("search: \(name) (\(queries.count) queries) …")
            // Warm the page cache once, then measure store and raw interleaved.
            for q in queries.prefix(50) { _ = try store.search(q, limit: 50) }
            var a: [Double] = [], b: [Double] = []
            var hits = 0
            for q in queries {
                let (h, t1) = try Stopwatch.ms { try store.search(q, limit: 50) }
                let (_, t2) = try Stopwatch.ms { try store.rawSearchBaseline(q, limit: 50) }
                hits += h.count
                a.append(t1); b.append(t2)
            }
            search.append(SearchFigure(queryClass: name, example: queries.first ?? "",
                                       store: LatencySummary(name: name, samplesMs: a),
                                       raw: LatencySummary(name: name + " raw", samplesMs: b),
                                       averageHits: Double(hits) / Double(max(1, queries.count))))
        }

        guard let rm = try store.largestPortfolio() else { throw BenchError("the store has no assigned customers") }
        var portfolio: [LatencySummary] = []
        for sort in PortfolioSort.allCases {
            log("portfolio: \(rm.staffID), sorted by \(sort.rawValue) …")
            var times: [Double] = []
            for _ in 0..<3 {
                var cursor: PortfolioCursor?
                repeat {
                    let (page, t) = try Stopwatch.ms { try store.portfolio(scope: .rm(rm.staffID), sort: sort, after: cursor, limit: 50) }
                    times.append(t)
                    cursor = page.next
                } while cursor != nil
            }
            portfolio.append(LatencySummary(name: "page of 50 by \(sort.rawValue)", samplesMs: times))
        }
        do {
            log("portfolio: wealth tier filter …")
            var times: [Double] = []
            var cursor: PortfolioCursor?
            repeat {
                let (page, t) = try Stopwatch.ms {
                    try store.portfolio(scope: .rm(rm.staffID), filter: PortfolioFilter(tiers: [.wealth, .affluent]), after: cursor, limit: 50)
                }
                times.append(t)
                cursor = page.next
            } while cursor != nil
            portfolio.append(LatencySummary(name: "page of 50, tier filter", samplesMs: times))
        }

        log("360° profile: \(samples.count) customers …")
        var ptimes: [Double] = []
        for s in samples { ptimes.append(try Stopwatch.ms { try store.profile(customerID: s.customerID) }.1) }
        return Result(customers: customers, search: search, portfolioRM: rm.staffID, portfolioCustomers: rm.customers,
                      portfolio: portfolio, profile: LatencySummary(name: "360° aggregate", samplesMs: ptimes),
                      storeMiB: ProcessStats.fileSizeMiB(storePath), peakMemoryMiB: ProcessStats.peakMemoryMiB)
    }
}
