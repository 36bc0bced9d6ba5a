import Foundation
import FurrowCore
import GRDB
import GRDBSQLite

/// The benchmark's baseline for a first sync's local apply: the same decoded snapshot pages
/// written the plainest fast way into the same schema — for each page one transaction (as the
/// workstation commits each page, at the same `synchronous`), each table's rows through one
/// prepared INSERT stepped with SQLite's C API; no deletes of old rows, no sealing, no replay,
/// no cursor. Not used by the product.
extension AppDatabase {
    /// Writes `pages` into this (empty) store; returns the seconds it took, and the rows per table.
    public func rawSnapshotBaseline(_ pages: [SnapshotPage]) throws(StoreError) -> (seconds: Double, rows: [String: Int]) {
        do {
            return try writer.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA foreign_keys = OFF")
                var statements: [String: RawStatement] = [:]
                let started = ContinuousClock.now
                for page in pages {
                    try db.execute(sql: "BEGIN IMMEDIATE")
                    for t in page.tables where !t.rows.isEmpty {
                        let table = Self.withoutSealedColumns(t)
                        let key = table.table + "(" + table.columns.joined(separator: ",") + ")"
                        let insert: RawStatement
                        if let s = statements[key] { insert = s } else {
                            let columns = table.columns.map { "\"\($0)\"" }.joined(separator: ", ")
                            let marks = Array(repeating: "?", count: table.columns.count).joined(separator: ", ")
                            insert = try RawStatement(db, "INSERT OR REPLACE INTO \(table.table) (\(columns)) VALUES (\(marks))")
                            statements[key] = insert
                        }
                        for row in table.rows {
                            for (i, v) in row.enumerated() {
                                switch v {
                                case .null: insert.bind(Int32(i + 1), nil as Int64?)
                                case .integer(let n): insert.bind(Int32(i + 1), n)
                                case .real(let d): insert.bind(Int32(i + 1), d)
                                case .text(let s): insert.bind(Int32(i + 1), s)
                                }
                            }
                            try insert.run()
                        }
                    }
                    try db.execute(sql: "COMMIT")
                }
                let seconds = (ContinuousClock.now - started).seconds
                var rows: [String: Int] = [:]
                for t in Set(pages.flatMap { $0.tables.map(\.table) }) {
                    rows[t] = try Int.fetchOne(db, sql: "SELECT count(*) FROM \(t)") ?? 0
                }
                try db.execute(sql: "PRAGMA foreign_keys = ON")
                return (seconds, rows)
            }
        } catch { throw StoreError.from(error, path: path) }
    }

}
