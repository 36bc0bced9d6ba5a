import Foundation
import FurrowCore
import FurrowImport
import FurrowStore

/// Import of a generated branch through `ExtractImporter`, next to loading the same CSV files
/// into the same schema with `sqlite3 .import` (the raw baseline).
public struct ImportBenchmark {
    public struct Result: Sendable, Codable {
        public var customers: Int
        public var rowsPerFile: [String: Int]
        public var totalRows: Int
        public var generateSeconds: Double
        public var importSeconds: Double
        public var sqliteImportSeconds: Double?
        /// sqlite3 .import of the same CSVs into bare tables: no secondary index, no journal, no
        /// sync to disk — the most SQLite itself loads on this machine, whatever the importer does.
        public var sqliteFloorSeconds: Double?
        public var storeMiB: Double
        public var peakMemoryMiB: Double

        public var customersPerSecond: Double { Double(customers) / importSeconds }
        public var rowsPerSecond: Double { Double(totalRows) / importSeconds }
        public var ratio: Double? { sqliteImportSeconds.map { importSeconds / $0 } }
        public var floorCustomersPerSecond: Double? { sqliteFloorSeconds.map { Double(customers) / $0 } }
    }

    public var customers: Int
    public var seed: UInt64
    public var workDirectory: URL
    public var asOf = CalendarDate(year: 2026, month: 11, day: 20)!

    public init(customers: Int, seed: UInt64 = 1, workDirectory: URL) {
        self.customers = customers; self.seed = seed; self.workDirectory = workDirectory
    }

    public func run(log: (String) -> Void) throws -> Result {
        let fm = FileManager.default
        let extract = workDirectory.appendingPathComponent("extract-\(customers)-\(seed)")
        let storePath = workDirectory.appendingPathComponent("store-\(customers).sqlite").path
        let rawPath = workDirectory.appendingPathComponent("sqlite3-import-\(customers).sqlite").path
        try fm.createDirectory(at: workDirectory, withIntermediateDirectories: true)

        var generate = 0.0
        if !fm.fileExists(atPath: extract.appendingPathComponent("interactions.csv").path) {
            try? fm.removeItem(at: extract)
            try fm.createDirectory(at: extract, withIntermediateDirectories: true)
            log("generating \(customers) customers into \(extract.path) …")
            (_, generate) = try Stopwatch.ms { try DemoBranchGenerator(customers: customers, seed: seed, asOf: asOf).write(to: extract) }
            generate /= 1000
        }
        for p in [storePath, rawPath] { for s in ["", "-wal", "-shm"] { try? fm.removeItem(atPath: p + s) } }

        log("importing with furrow …")
        let store = try AppDatabase.open(path: storePath)
        let (report, ms) = try Stopwatch.ms {
            try ExtractImporter(store: store).run(ImportOptions(directory: extract, asOf: asOf, actor: "bench"))
        }
        guard report.isComplete else {
            throw BenchError("the generated branch did not import: \(report.issues.prefix(5).map(\.description))")
        }
        try store.checkpoint()
        let rows = Dictionary(uniqueKeysWithValues: report.files.map { ($0.file, $0.imported) })

        log("loading the same CSVs with sqlite3 .import …")
        let schema = try store.schemaSQL()
        let raw = try sqliteImport(extract: extract, schema: schema, into: rawPath)
        log("… and into bare tables (no secondary index, no journal, no sync): SQLite's own floor …")
        let floorPath = rawPath.replacingOccurrences(of: "sqlite3-import", with: "sqlite3-floor")
        for s in ["", "-wal", "-shm"] { try? fm.removeItem(atPath: floorPath + s) }
        let bare = schema.components(separatedBy: "\n").filter { !$0.hasPrefix("CREATE INDEX") && !$0.hasPrefix("CREATE UNIQUE INDEX") }
        let floor = try sqliteImport(extract: extract, schema: bare.joined(separator: "\n"), into: floorPath, bare: true)
        for s in ["", "-wal", "-shm"] { try? fm.removeItem(atPath: floorPath + s) }   // its script stays, to rerun by hand
        return Result(customers: report.customersImported, rowsPerFile: rows, totalRows: report.rowsImported,
                      generateSeconds: generate, importSeconds: ms / 1000, sqliteImportSeconds: raw, sqliteFloorSeconds: floor,
                      storeMiB: ProcessStats.fileSizeMiB(storePath), peakMemoryMiB: ProcessStats.peakMemoryMiB)
    }

    /// `sqlite3` with the same schema, WAL and cache size, one `.import` per file in one transaction.
    /// `bare`: no journal and no sync to disk (the floor).
    func sqliteImport(extract: URL, schema: String, into path: String, bare: Bool = false) throws -> Double? {
        guard let sqlite3 = ["/usr/bin/sqlite3", "/usr/local/bin/sqlite3"].first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            return nil
        }
        var script = bare ? "PRAGMA journal_mode=OFF;\nPRAGMA synchronous=OFF;\n" : "PRAGMA journal_mode=WAL;\nPRAGMA synchronous=NORMAL;\n"
        script += "PRAGMA cache_size=-2097152;\nPRAGMA temp_store=MEMORY;\n"
        script += schema + "\nBEGIN;\n"
        for file in ExtractFile.allCases {
            let url = extract.appendingPathComponent(file.rawValue)
            guard FileManager.default.fileExists(atPath: url.path) else { continue }
            script += ".import --csv --skip 1 \(url.path) \(file.rawValue.replacingOccurrences(of: ".csv", with: ""))\n"
        }
        script += bare ? "COMMIT;\n" : "COMMIT;\nPRAGMA wal_checkpoint(TRUNCATE);\n"
        let scriptURL = URL(fileURLWithPath: path + ".sql")
        try script.write(to: scriptURL, atomically: true, encoding: .utf8)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: sqlite3)
        p.arguments = [path, ".read \(scriptURL.path)"]
        // .import warns on every customers row (the table has Furrow's derived columns too).
        p.standardError = FileHandle.nullDevice
        p.standardOutput = FileHandle.nullDevice
        let (_, ms) = try Stopwatch.ms {
            try p.run()
            p.waitUntilExit()
        }
        guard p.terminationStatus == 0 else { throw BenchError("sqlite3 .import failed with status \(p.terminationStatus)") }
        return ms / 1000
    }
}

public struct BenchError: Error, CustomStringConvertible {
    public var description: String
    init(_ d: String) { description = d }
}
