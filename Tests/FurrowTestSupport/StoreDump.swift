#if DEBUG   // reads the store's internals: only where tests are built (debug)
import Foundation
@testable import FurrowStore
import GRDB

/// A store's rows as text, table by table, for "the same rows as a device never interrupted":
/// sealed values opened (each store seals under its own key), every row in a fixed order.
/// Left out: what is the device's own by nature — its sync bookkeeping, outbox, drafts, key,
/// audit of its own actions, the migrations table and full-text shadow tables.
public enum StoreDump {
    public static let deviceOwn: Set<String> = ["sync_state", "outbox", "drafts", "audit_log", "store_key", "grdb_migrations"]

    public static func rows(_ store: AppDatabase) throws -> [String: [String]] {
        try store.read { db in
            let tables = try String.fetchAll(db, sql: """
                SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
                AND name NOT LIKE '%_fts%' AND name NOT LIKE 'customer_name_chars%' ORDER BY name
                """).filter { !deviceOwn.contains($0) }
            var out: [String: [String]] = [:]
            for t in tables {
                let columns = try AppDatabase.columnsInClear(db, table: t, alias: "t")
                let n = try db.columns(in: t).count - AppDatabase.sealedFields(of: t).count
                let order = (1...max(n, 1)).map(String.init).joined(separator: ", ")
                out[t] = try Row.fetchAll(db, sql: "SELECT \(columns) FROM \(t) AS t ORDER BY \(order)").map { $0.description }
            }
            return out
        }
    }

    /// The tables whose rows differ (of `tables`, or all), with the first difference of each.
    public static func differences(_ a: AppDatabase, _ b: AppDatabase, tables: Set<String>? = nil) throws -> [String] {
        let (x, y) = (try rows(a), try rows(b))
        return Set(x.keys).union(y.keys).filter { tables?.contains($0) ?? true }.sorted().compactMap { t in
            let (l, r) = (x[t] ?? [], y[t] ?? [])
            guard l != r else { return nil }
            let first = zip(l, r).first { $0 != $1 }.map { "\($0.0) ≠ \($0.1)" } ?? "\(l.count) rows ≠ \(r.count) rows"
            return "\(t): \(first)"
        }
    }
}
#endif
