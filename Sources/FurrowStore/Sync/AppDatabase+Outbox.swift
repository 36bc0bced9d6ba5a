import Foundation
import FurrowCore
import GRDB

// The workstation's outbox: the ops `Journal.write` queued, read for a push, and the branch's
// answers recorded against them.

extension AppDatabase {
    /// The ops not yet acknowledged by the branch, oldest first.
    public func pendingOps(limit: Int = 10_000) throws(StoreError) -> [SyncOp] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT \(Self.outboxColumns) FROM outbox o WHERE status = 'pending' ORDER BY hlc LIMIT ?",
                             arguments: [limit]).map { r in
                SyncOp(opID: r["op_id"], hlc: HLC(encoded: r["hlc"]) ?? HLC(wallMs: 0, node: "?"), kind: r["kind"],
                       customerID: r["customer_id"], recordID: r["record_id"],
                       fields: OpFieldsJSON.decode(r["clear_fields"]) ?? [:])
            }
        }
    }

    /// An outbox row's columns, its fields in clear as `clear_fields` (SealedOps).
    static let outboxColumns = "o.*, \(SealedOps.inClearSQL("o.fields", opID: "o.op_id")) AS clear_fields"

    public func pendingOpCount() throws(StoreError) -> Int {
        try read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM outbox WHERE status = 'pending'") ?? 0 }
    }
}

extension AppDatabase {
    /// Records the branch server's answer for these ops (applied, duplicate, rejected with a
    /// code and reason, superseded); a rejected op stays visible until the user resolves it.
    public func markOps(_ opIDs: [String], status: SyncOp.Status, code: String? = nil, reason: String? = nil) throws(StoreError) {
        guard !opIDs.isEmpty else { return }
        try write { db in
            let stmt = try db.makeStatement(sql: "UPDATE outbox SET status = ?, result_code = ?, result_reason = ? WHERE op_id = ?")
            for id in opIDs { try stmt.execute(arguments: [status.rawValue, code, reason, id]) }
        }
    }
}
