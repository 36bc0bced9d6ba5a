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

    // MARK: Profile corrections

    /// Records a proposal once (append-only: a retry or a second pull changes nothing).
    static func propose(_ db: Database, id: String, customerID: String, fields f: [String: String], actor: String, stamped: Date) throws {
        guard let field = f["field"].flatMap(ProfileProposal.Field.init(rawValue:)), let raw = f["value"],
              case .success(let value) = ProfileProposal.normalise(field, raw) else {
            throw Refusal(code: "bad_fields", reason: "a correction needs a field (mobile or address) and a valid value")
        }
        // The old and new values sealed at rest, their masked forms in clear (SealedFields).
        try db.execute(sql: """
            INSERT INTO profile_proposals (proposal_id, customer_id, field, old_value, old_sealed, new_value, new_sealed, reason,
                                           proposed_by, proposed_at)
            VALUES (?1, ?2, ?3, furrow_mask(?3, ?4, NULL), furrow_seal(?4, ?1, 'old_value'), furrow_mask(?3, ?5, NULL),
                    furrow_seal(?5, ?1, 'new_value'), ?6, ?7, ?8) ON CONFLICT DO NOTHING
            """, arguments: [id, customerID, field.rawValue, f["old"], value, f["reason"], actor, f["at"] ?? Timestamp.utcNow(stamped)])
    }

    /// Decides a pending proposal; an accepted one changes the customer's field. The first
    /// decision stands: a second is refused with who made the first. Returns the customer.
    static func decide(_ db: Database, id: String, fields f: [String: String], actor: String, stamped: Date) throws -> String {
        guard let decision = f["decision"].flatMap(ProfileProposal.Status.init(rawValue:)), decision != .pending else {
            throw Refusal(code: "bad_fields", reason: "decision: accepted or rejected")
        }
        guard let r = try Row.fetchOne(db, sql: """
            SELECT \(AppDatabase.columnsInClear(db, table: "profile_proposals", alias: "p")) FROM profile_proposals p WHERE proposal_id = ?
            """, arguments: [id]) else {
            throw Refusal(code: "unknown_proposal", reason: "no proposal \(id)")
        }
        let p = AppDatabase.proposal(r)
        if p.status != .pending {
            // The same decision arriving again (a pull of one's own decision) is no news.
            if p.status == decision && p.decidedBy == actor { return p.customerID }
            throw Refusal(code: "already_decided", reason: "\(id) was already \(p.status.rawValue) by \(p.decidedBy ?? "?")")
        }
        guard p.proposedBy != actor else {
            throw Refusal(code: "own_proposal", reason: "a correction is decided by someone other than who proposed it")
        }
        try db.execute(sql: """
            UPDATE profile_proposals SET status = ?, decided_by = ?, decided_at = ?, decision_note = ?, core = ? WHERE proposal_id = ?
            """, arguments: [decision.rawValue, actor, f["at"] ?? Timestamp.utcNow(stamped), f["note"], decision == .accepted ? "waiting" : nil, id])
        if decision == .accepted {
            try setProfileField(db, customerID: p.customerID, field: p.field, value: p.newValue)
        }
        return p.customerID
    }

    /// A core field changed by an accepted correction, with the search key that derives from it.
    static func setProfileField(_ db: Database, customerID: String, field: ProfileProposal.Field, value: String) throws {
        switch field {
        // Sealed at rest, the masked form in clear (AppDatabase+Sealing).
        case .mobile:
            try db.execute(sql: """
                UPDATE customers SET mobile = furrow_mask('mobile', ?1, NULL), mobile_sealed = furrow_seal(?1, customer_id, 'mobile'),
                  phone_last4 = ?2 WHERE customer_id = ?3
                """, arguments: [value, String(value.suffix(4)), customerID])
        case .address:
            try db.execute(sql: """
                UPDATE customers SET address = furrow_mask('address', ?1, NULL), address_sealed = furrow_seal(?1, customer_id, 'address')
                WHERE customer_id = ?2
                """, arguments: [value, customerID])
        }
    }

    static func requireRow(_ db: Database, _ sql: String, _ key: String, code: String, what: String) throws {
        guard try Bool.fetchOne(db, sql: sql, arguments: [key]) == true else { throw Refusal(code: code, reason: "no \(what)") }
    }
}
