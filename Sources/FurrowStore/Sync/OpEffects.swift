import Foundation
import FurrowCore
import GRDB

/// What an op does to a store. The branch applies a pushed op through it, and a workstation
/// applies the change feed it pulls through the same code, so both sides merge alike:
/// append-only records are inserted once (by their id), mutable fields take the value with
/// the later hybrid-logical-clock stamp, and every overwritten concurrent value is kept in
/// `sync_conflicts`. Every effect can be applied again without changing anything.
enum OpEffects {
    struct Refusal: Error {
        var code: String
        var reason: String
    }

    /// What applying an op came to: it took effect, or a later write to the same field had
    /// already won (last writer wins) and this op changed nothing.
    enum Effect: Equatable { case applied, superseded }

    /// Applies `op` through its kind's definition (`OpKind.definition`); a kind this build does
    /// not know is refused as `not_supported` — visibly, never dropped.
    /// `actor`: who wrote the op (the interaction's or note's author, the task's owner).
    @discardableResult
    static func apply(_ db: Database, _ op: SyncOp, actor: String) throws -> Effect {
        guard let kind = op.opKind else {
            throw Refusal(code: "not_supported", reason: "the branch does not apply \(op.kind) ops yet; it is kept on the workstation")
        }
        return try kind.definition.apply(db, op, actor: actor)
    }

    /// The fields `op` writes that merge by clock (none for a kind this build does not know).
    static func clockedFields(_ op: SyncOp) -> [ClockedField] {
        op.opKind?.definition.clocked(op) ?? []
    }

    /// Per-field last writer wins by HLC. Returns whether this op's value wins. A value that
    /// loses to a write its author had not seen (a concurrent write) is kept in
    /// `sync_conflicts`; overwriting a value one had seen is just an edit. Applying the same
    /// op again neither wins again nor logs twice.
    static func lastWriterWins(_ db: Database, record: String, field: String, value: String, op: SyncOp) throws -> Bool {
        let current = try Row.fetchOne(db.cachedStatement(sql: "SELECT hlc, value FROM field_clocks WHERE record = ? AND field = ?"),
                                       arguments: [record, field])
        let currentHLC = (current?["hlc"] as String?).flatMap(HLC.init(encoded:))
        if currentHLC == op.hlc { return false }
        let wins = currentHLC.map { op.hlc > $0 } ?? true
        let seen = op.fields["_base.\(field)"].flatMap(HLC.init(encoded:))
        if let current, let c = currentHLC, current["value"] as String? != value, !wins || seen != c {
            let (kept, keptHLC, lost, lostHLC): (String?, HLC, String?, HLC) = wins
                ? (value, op.hlc, current["value"], c) : (current["value"], c, value, op.hlc)
            try db.cachedStatement(sql: """
                INSERT OR IGNORE INTO sync_conflicts (record, field, kept_value, kept_hlc, lost_value, lost_hlc, lost_op, at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """).execute(arguments: [record, field, kept, keptHLC.description, lost, lostHLC.description, op.opID, Timestamp.utcNow(op.hlc.date)])
        }
        if wins { try setClock(db, record: record, field: field, hlc: op.hlc, value: value) }
        return wins
    }

    static func setClock(_ db: Database, record: String, field: String, hlc: HLC, value: String) throws {
        try db.cachedStatement(sql: """
            INSERT INTO field_clocks (record, field, hlc, value) VALUES (?, ?, ?, ?)
            ON CONFLICT(record, field) DO UPDATE SET hlc = excluded.hlc, value = excluded.value
            """).execute(arguments: [record, field, hlc.description, value])
    }

    static func requireRow(_ db: Database, _ sql: String, _ key: String, code: String, what: String) throws {
        guard try Bool.fetchOne(db, sql: sql, arguments: [key]) == true else { throw Refusal(code: code, reason: "no \(what)") }
    }
}
