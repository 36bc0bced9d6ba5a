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
        let started = Date()
        do {
            var committed = false
            try writer.writeWithoutTransaction { db in
                // A bigger page cache keeps the index B-trees of a large import in memory.
                try db.execute(sql: "PRAGMA cache_size = -262144")
                try db.inTransaction(.immediate) {
                    let session = ImportSession(db: db, asOf: asOf)
                    switch try body(session) {
                    case .rollback:
                        return .rollback
                    case .commit(let summary):
                        try session.refreshDerived(thresholds: tierThresholds)
                        let now = Timestamp.utcNow(started)
                        try db.execute(sql: """
                            INSERT INTO import_runs (started_at, finished_at, directory, actor, summary)
                            VALUES (?, ?, ?, ?, ?)
                            """, arguments: [now, Timestamp.utcNow(), directory, actor, summary])
                        try Audit.record(db, actor: actor, action: "import", customerID: nil,
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
