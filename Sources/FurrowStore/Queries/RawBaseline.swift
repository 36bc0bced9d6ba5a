import GRDB
import GRDBSQLite

/// The benchmark's baseline: the same SQL the search runs, stepped through SQLite's C API with
/// no row decoding, so `furrow bench` can print the store's time next to the raw time.
/// Not used by the product.
extension AppDatabase {
    /// Runs the statements of `search(query, limit:)` raw; returns the number of rows stepped.
    public func rawSearchBaseline(_ query: String, limit: Int) throws(StoreError) -> Int {
        let steps = CustomerSearch.plan(query)
        return try read { db in
            var n = 0
            for step in steps {
                if n >= limit { break }
                let s = try RawStatement(db, step.sql + " LIMIT ?")
                var i: Int32 = 1
                for a in step.arguments { s.bind(i, a); i += 1 }
                s.bind(i, Int64(limit))
                try s.forEachRow { stmt in
                    // Touch every column as the decoded path does.
                    for c in 0..<sqlite3_column_count(stmt) { _ = sqlite3_column_text(stmt, c) }
                    n += 1
                }
            }
            return n
        }
    }

    /// The SQL the search runs for `query`, for the benchmark report.
    public static func searchSQL(_ query: String) -> [String] {
        CustomerSearch.plan(query).map(\.sql)
    }

    /// Runs arbitrary read-only SQL raw and returns the rows stepped (benchmark baseline).
    public func rawQueryBaseline(_ sql: String, arguments: [String]) throws(StoreError) -> Int {
        try read { db in
            let s = try RawStatement(db, sql)
            for (i, a) in arguments.enumerated() { s.bind(Int32(i + 1), a) }
            var n = 0
            try s.forEachRow { stmt in
                for c in 0..<sqlite3_column_count(stmt) { _ = sqlite3_column_text(stmt, c) }
                n += 1
            }
            return n
        }
    }

    /// Samples for the benchmark: `count` customers spread over the store, with their
    /// name, mobile, pinyin and initials.
    public func benchmarkSamples(count: Int) throws(StoreError) -> [(customerID: String, name: String, mobile: String?, pinyin: String?, initials: String?)] {
        try read { db in
            let total = try Int.fetchOne(db, sql: "SELECT max(id) FROM customers") ?? 0
            guard total > 0 else { return [] }
            let stride = max(1, total / max(1, count))
            return try Row.fetchAll(db, sql: """
                SELECT customer_id, name, mobile, pinyin, initials FROM customers WHERE id % ? = 0 LIMIT ?
                """, arguments: [stride, count]).map {
                (customerID: $0["customer_id"], name: $0["name"], mobile: $0["mobile"], pinyin: $0["pinyin"], initials: $0["initials"])
            }
        }
    }

    /// The RM with the most customers, and how many.
    public func largestPortfolio() throws(StoreError) -> (staffID: String, customers: Int)? {
        try read { db in
            try Row.fetchOne(db, sql: """
                SELECT rm_id, count(*) AS n FROM customers WHERE rm_id IS NOT NULL GROUP BY rm_id ORDER BY n DESC LIMIT 1
                """).map { (staffID: $0["rm_id"], customers: $0["n"]) }
        }
    }

    /// Flushes the WAL into the main file so its size is the store's size.
    public func checkpoint() throws(StoreError) {
        do { try writer.writeWithoutTransaction { try $0.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") } }
        catch { throw StoreError.from(error, path: path) }
    }

    /// The schema as SQL, for loading the same CSVs with `sqlite3 .import` into the same tables.
    public func schemaSQL() throws(StoreError) -> String {
        try read { db in
            try String.fetchAll(db, sql: """
                SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%'
                AND name NOT LIKE 'customer_name_chars_%' ORDER BY rowid
                """).map { $0 + ";" }.joined(separator: "\n")
        }
    }
}

extension AppDatabase {
    /// Rows per table of a database file another program made (the benchmark's sqlite3
    /// baselines), opened read-only: no migrations, nothing written.
    public static func tableRowCounts(path: String, tables: [String]) throws(StoreError) -> [String: Int] {
        do {
            var config = Configuration()
            config.readonly = true
            let queue = try DatabaseQueue(path: path, configuration: config)
            return try queue.read { db in
                var counts: [String: Int] = [:]
                for t in tables where try db.tableExists(t) { counts[t] = try Int.fetchOne(db, sql: "SELECT count(*) FROM \"\(t)\"") ?? 0 }
                return counts
            }
        } catch { throw StoreError.from(error, path: path) }
    }

    /// The version of the SQLite library linked in (for the figures' provenance).
    public static var sqliteVersion: String { String(cString: sqlite3_libversion()) }

    /// SQLite's `synchronous` setting on the writer (FULL: each commit is on disk before it
    /// returns). Read on the writer itself: a pool's readers report SQLite's default, FULL,
    /// whatever the writer does.
    public func synchronousMode() throws(StoreError) -> String {
        let mode: Int
        do { mode = try writer.writeWithoutTransaction { try Int.fetchOne($0, sql: "PRAGMA synchronous") } ?? -1 } catch {
            throw StoreError.from(error, path: path)
        }
        return switch mode {
        case 0: "OFF"
        case 1: "NORMAL"
        case 2: "FULL"
        case 3: "EXTRA"
        case let n: String(n)
        }
    }
}

extension AppDatabase {
    /// Copies the write-ahead log into the store without waiting for readers or blocking
    /// writers; the workstation calls it when the user is idle.
    public func checkpointPassive() {
        try? writer.writeWithoutTransaction { try $0.execute(sql: "PRAGMA wal_checkpoint(PASSIVE)") }
    }
}
