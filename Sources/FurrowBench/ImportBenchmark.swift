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
        // Timed to the end of the final checkpoint: until then the rows are not all in the store file.
        let (report, ms) = try Stopwatch.ms { () throws -> ImportReport in
            let report = try ExtractImporter(store: store).run(ImportOptions(directory: extract, asOf: asOf, actor: "bench"))
            try store.checkpoint()
            return report
        }
        guard report.isComplete else {
            throw BenchError("the generated branch did not import: \(report.issues.prefix(5).map(\.description))")
        }
        let rows = Dictionary(uniqueKeysWithValues: report.files.map { ($0.file, $0.imported) })

        // The baseline, as a good bulk load does it: the same schema's tables, every file
        // loaded in one transaction, the indexes built after, the final checkpoint timed too.
        log("loading the same CSVs with sqlite3 .import, indexes built after …")
        let schema = try store.schemaSQL().components(separatedBy: "\n")
        let isIndex = { (line: String) in line.hasPrefix("CREATE INDEX") || line.hasPrefix("CREATE UNIQUE INDEX") }
        let tables = schema.filter { !isIndex($0) }.joined(separator: "\n")
        let indexes = schema.filter(isIndex).joined(separator: "\n")
        let raw = try sqliteImport(extract: extract, schema: tables, indexesAfter: indexes, into: rawPath)
        if raw != nil { try checkSameRows(rawPath, as: rows, what: "the sqlite3 baseline") }
        log("… and into bare tables (no secondary index, no journal, no sync): SQLite's own floor …")
        let floorPath = rawPath.replacingOccurrences(of: "sqlite3-import", with: "sqlite3-floor")
        for s in ["", "-wal", "-shm"] { try? fm.removeItem(atPath: floorPath + s) }
        let floor = try sqliteImport(extract: extract, schema: tables, indexesAfter: "", into: floorPath, bare: true)
        if floor != nil { try checkSameRows(floorPath, as: rows, what: "the sqlite3 floor") }
        for s in ["", "-wal", "-shm"] { try? fm.removeItem(atPath: floorPath + s) }   // its script stays, to rerun by hand
        return Result(customers: report.customersImported, rowsPerFile: rows, totalRows: report.rowsImported,
                      generateSeconds: generate, importSeconds: ms / 1000, sqliteImportSeconds: raw, sqliteFloorSeconds: floor,
                      storeMiB: ProcessStats.fileSizeMiB(storePath), peakMemoryMiB: ProcessStats.peakMemoryMiB)
    }

    /// `sqlite3` with the same tables, WAL, the store writer's `synchronous` (FULL) and cache
    /// size, one `.import` per file in one transaction, then `indexesAfter` and the checkpoint.
    /// `bare`: no journal and no sync to disk (the floor).
    func sqliteImport(extract: URL, schema: String, indexesAfter: String, into path: String, bare: Bool = false) throws -> Double? {
        guard let sqlite3 = ["/usr/bin/sqlite3", "/usr/local/bin/sqlite3"].first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            return nil
        }
        var script = bare ? "PRAGMA journal_mode=OFF;\nPRAGMA synchronous=OFF;\n" : "PRAGMA journal_mode=WAL;\nPRAGMA synchronous=FULL;\n"
        script += "PRAGMA cache_size=-2097152;\nPRAGMA temp_store=MEMORY;\n"
        script += schema + "\nBEGIN;\n"
        for file in ExtractFile.allCases {
            let url = extract.appendingPathComponent(file.rawValue)
            guard FileManager.default.fileExists(atPath: url.path) else { continue }
            script += ".import --csv --skip 1 \(url.path) \(file.rawValue.replacingOccurrences(of: ".csv", with: ""))\n"
        }
        script += "COMMIT;\n"
        if !indexesAfter.isEmpty { script += "BEGIN;\n" + indexesAfter + "\nCOMMIT;\n" }
        if !bare { script += "PRAGMA wal_checkpoint(TRUNCATE);\n" }
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

extension ImportBenchmark {
    /// A baseline is only a baseline if it loaded the same rows: each file's table must hold
    /// as many rows as furrow imported from the file.
    func checkSameRows(_ path: String, as imported: [String: Int], what: String) throws {
        let loaded = try AppDatabase.tableRowCounts(path: path, tables: imported.keys.map { $0.replacingOccurrences(of: ".csv", with: "") })
        let differ = imported.compactMap { file, n -> String? in
            let table = file.replacingOccurrences(of: ".csv", with: "")
            return loaded[table] == n ? nil : "\(table): furrow \(n), \(what) \(loaded[table] ?? 0)"
        }
        guard differ.isEmpty else { throw BenchError("\(what) loaded other rows than furrow imported: \(differ.sorted().joined(separator: "; "))") }
    }
}

public struct BenchError: Error, CustomStringConvertible {
    public var description: String
    init(_ d: String) { description = d }
}
