import Foundation
import FurrowCore
import GRDB

/// An RM write: its op's effect on this store, its audit entry (who did what, for the
/// branch's review) and its outbox entry (what to send the branch server, stamped with this
/// device's hybrid logical clock), in the write's own transaction.
enum Journal {
    /// An RM write, the one way: the op is built from what was typed, its effect applied here by
    /// its kind's definition — the same code that applies it on the branch and on every other
    /// device, so every copy ends with the same rows — and it is audited and queued for the
    /// branch, all in the caller's transaction. A refusal by the effect (the record is gone,
    /// a decision was made already) is the user's error, named by `field` (the refusal's code
    /// when not given).
    @discardableResult
    static func write(_ db: Database, now: Date, actor: String, kind: OpKind, customerID: String?, detail: String?,
                      recordID: String?, fields: [String: String?] = [:],
                      field: (OpEffects.Refusal) -> String = { $0.code }) throws -> SyncOp {
        let stamp = try nextStamp(db, now: now)
        let values = try withBaseClocks(db, kind: kind.rawValue, customerID: customerID, recordID: recordID, fields: fields.compactMapValues { $0 })
        let op = SyncOp(opID: UUID().uuidString.lowercased(), hlc: stamp, kind: kind, customerID: customerID, recordID: recordID, fields: values)
        // The effect keeps the clock of every field it writes (so a pulled older change does not
        // undo it). A write that loses to a later one this device has seen can only come from a
        // clock set days behind (the device's stamps follow every clock it pulls): refused, as
        // the branch would answer it, and nothing is written.
        let effect: OpEffects.Effect
        do {
            effect = try kind.definition.apply(db, op, actor: actor)
        } catch let refusal as OpEffects.Refusal {
            throw StoreError.invalid(field: field(refusal), reason: refusal.reason)
        }
        guard effect == .applied else {
            throw StoreError.invalid(field: "clock", reason: """
                a later change to this, made on another device, is kept: this computer's date and time are behind; \
                set them, then try again
                """)
        }
        try Audit.record(db, at: now, actor: actor, action: kind.rawValue, customerID: customerID, detail: detail)
        try enqueue(db, op, actor: actor, now: now)
        return op
    }

    /// A field that merges by clock carries the clock this device had seen for it (`_base.<field>`).
    static func withBaseClocks(_ db: Database, kind: String, customerID: String?, recordID: String?,
                               fields: [String: String]) throws -> [String: String] {
        var values = fields
        let op = SyncOp(opID: "", hlc: HLC(wallMs: 0, node: ""), kind: kind, customerID: customerID, recordID: recordID, fields: fields)
        for c in OpEffects.clockedFields(op) {
            if let seen = try String.fetchOne(db.cachedStatement(sql: "SELECT hlc FROM field_clocks WHERE record = ? AND field = ?"),
                                              arguments: [c.record, c.field]) {
                values["_base.\(c.field)"] = seen
            }
        }
        return values
    }

    /// The op in the outbox, to be sent at the next sync.
    static func enqueue(_ db: Database, _ op: SyncOp, actor: String, now: Date) throws {
        try db.cachedStatement(sql: """
            INSERT INTO outbox (op_id, hlc, kind, actor, customer_id, record_id, fields, created_at)
            VALUES (?, ?, ?, ?, ?, ?, \(SealedOps.fieldsAtRestSQL), ?)
            """).execute(arguments: StatementArguments([op.opID, op.hlc.description, op.kind, actor, op.customerID, op.recordID]
                + SealedOps.arguments(kind: op.kind, fields: OpFieldsJSON.encode(op.fields), opID: op.opID) + [Timestamp.utcNow(now)]))
    }

    /// This device's node id (made once) and the next clock stamp, kept in `sync_state`.
    static func nextStamp(_ db: Database, now: Date) throws -> HLC {
        let last = try currentStamp(db)
        let stamp = last.tick(now: Int64((now.timeIntervalSince1970 * 1000).rounded(.down)))
        try saveStamp(db, stamp)
        return stamp
    }

    /// The device's clock as last stamped or learned (zero before anything), with its node id.
    static func currentStamp(_ db: Database) throws -> HLC {
        let node: String
        if let n = try String.fetchOne(db, sql: "SELECT value FROM sync_state WHERE key = 'node'") {
            node = n
        } else {
            node = String(UUID().uuidString.lowercased().prefix(8))
            try db.execute(sql: "INSERT INTO sync_state (key, value) VALUES ('node', ?)", arguments: [node])
        }
        return try String.fetchOne(db, sql: "SELECT value FROM sync_state WHERE key = 'hlc'").flatMap(HLC.init(encoded:))
            ?? HLC(wallMs: 0, node: node)
    }

    static func saveStamp(_ db: Database, _ stamp: HLC) throws {
        try db.execute(sql: "INSERT INTO sync_state (key, value) VALUES ('hlc', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                       arguments: [stamp.description])
    }
}
