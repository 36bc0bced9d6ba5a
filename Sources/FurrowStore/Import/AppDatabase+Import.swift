import Foundation
import FurrowCore
import GRDB

/// What an import run decided: keep what it wrote, or leave the store as it was.
public enum ImportDecision: Sendable {
    case commit(summary: String)
    case rollback
}

extension AppDatabase {
    /// Runs one extract import in a single transaction. `body` writes through the session and
    /// decides; on `.rollback` (or a thrown error) nothing of it remains in the store. On commit
    /// the derived columns are refreshed and the run is recorded in `import_runs` and the audit
    /// trail, all in the same transaction.
    public func importExtract(directory: String, actor: String, asOf: CalendarDate,
                              _ body: (ImportSession) throws -> ImportDecision) throws -> Bool {
        let started = clock()
        do {
            var committed = false
            try writer.writeWithoutTransaction { db in
                // A bigger page cache keeps the index B-trees of a large import in memory; both
                // settings are put back afterwards, the connection outlives the import.
                let cacheSize = try Int.fetchOne(db, sql: "PRAGMA cache_size") ?? -2000
                let tempStore = try Int.fetchOne(db, sql: "PRAGMA temp_store") ?? 0
                defer {
                    try? db.execute(sql: "PRAGMA cache_size = \(cacheSize)")
                    try? db.execute(sql: "PRAGMA temp_store = \(tempStore)")
                }
                try db.execute(sql: "PRAGMA cache_size = -2097152")
                // Upserts keep a statement journal; on disk it costs a write per page per row.
                try db.execute(sql: "PRAGMA temp_store = MEMORY")
                try db.inTransaction(.immediate) {
                    // The importer checks every reference itself; deferring SQLite's own check
                    // to the commit spares each row a statement journal. A violation still
                    // fails the commit, so nothing inconsistent can land. Parents are written
                    // before children (see ExtractFile), so SQLite never has to look for
                    // orphans when a parent arrives.
                    try db.execute(sql: "PRAGMA defer_foreign_keys = ON")
                    let session = ImportSession(db: db, asOf: asOf, thresholds: tierThresholds, sealer: try keyring.required())
                    try session.beginBulkLoad()
                    switch try body(session) {
                    case .rollback:
                        return .rollback
                    case .commit(let summary):
                        let t0 = ContinuousClock.now
                        try session.finishBulkLoad(customers: false)
                        try session.refreshDerived()
                        try session.finishBulkLoad(customers: true)
                        if ProcessInfo.processInfo.environment["FURROW_TRACE"] != nil {
                            FileHandle.standardError.write(Data("trace: derived columns \(ContinuousClock.now - t0)\n".utf8))
                        }
                        let now = Timestamp.utcNow(started)
                        try db.execute(sql: """
                            INSERT INTO import_runs (started_at, finished_at, directory, actor, summary, as_of)
                            VALUES (?, ?, ?, ?, ?, ?)
                            """, arguments: [now, Timestamp.utcNow(clock()), directory, actor, summary, asOf.iso])
                        try Audit.record(db, at: clock(), actor: actor, action: "import", customerID: nil,
                                         detail: "\(directory): \(summary)")
                        committed = true
                        return .commit
                    }
                }
            }
            return committed
        } catch let error as StoreError {
            throw error
        } catch let error as DatabaseError {
            throw StoreError.from(error, path: path)
        }
    }
}
