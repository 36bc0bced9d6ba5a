import Foundation
import FurrowCore
import GRDB

/// A correction of a customer's mobile or address, proposed by an RM. The old and new values
/// are personal data: the op's fields are sealed at rest.
struct ProfilePropose: OpDefinition {
    struct Payload: OpPayload {
        var field: ProfileProposal.Field
        var value: String
        var old: String?
        var reason: String?
        var at: String?
        static let rules: [String: OpFieldRule] = [
            "field": .all(ProfileProposal.Field.self), "value": .text(200), "old": .text(200), "reason": .text(200), "at": .time,
        ]
    }

    let kind = OpKind.profilePropose
    let subject = OpSubject.customer(afterMove: false)
    let senders = OpSenders.anyoneInScope
    let sealedAtRest = true
    let editable: [EditableOpField] = []

    /// Records a proposal once (append-only: a retry or a second pull changes nothing).
    func apply(_ db: Database, _ op: TypedOp<Payload>, actor: String) throws -> OpEffects.Effect {
        guard let id = op.recordID, let customerID = op.customerID else { throw OpEffects.Refusal(code: "bad_fields", reason: "a proposal needs its id") }
        let f = op.payload
        guard case .success(let value) = ProfileProposal.normalise(f.field, f.value) else {
            throw OpEffects.Refusal(code: "bad_fields", reason: "value: not a valid \(f.field.rawValue)")
        }
        let field = f.field
        // The old and new values sealed at rest, their masked forms in clear (SealedFields).
        try db.execute(sql: """
            INSERT INTO profile_proposals (proposal_id, customer_id, field, old_value, old_sealed, new_value, new_sealed, reason,
                                           proposed_by, proposed_at)
            VALUES (?1, ?2, ?3, furrow_mask(?3, ?4, NULL), furrow_seal(?4, ?1, 'old_value'), furrow_mask(?3, ?5, NULL),
                    furrow_seal(?5, ?1, 'new_value'), ?6, ?7, ?8) ON CONFLICT DO NOTHING
            """, arguments: [id, customerID, field.rawValue, f.old, value, f.reason, actor, f.at ?? Timestamp.utcNow(op.stamped)])
        return .applied
    }

}

/// A team lead's decision on a correction; an accepted one changes the customer's field.
struct ProfileDecide: OpDefinition {
    struct Payload: OpPayload {
        var decision: ProfileProposal.Status
        var note: String?
        var at: String?
        static let rules: [String: OpFieldRule] = ["decision": .oneOf(["accepted", "rejected"]), "note": .text(200), "at": .time]
    }

    let kind = OpKind.profileDecide
    let subject = OpSubject.customerRecord(ownerQuery: "SELECT customer_id FROM profile_proposals WHERE proposal_id = ?")
    let senders = OpSenders.deciders("decides profile corrections")
    let sealedAtRest = false
    let editable: [EditableOpField] = []

    /// Decides a pending proposal; an accepted one changes the customer's field. The first
    /// decision stands: a second is refused with who made the first.
    func apply(_ db: Database, _ op: TypedOp<Payload>, actor: String) throws -> OpEffects.Effect {
        guard let id = op.recordID else { throw OpEffects.Refusal(code: "bad_fields", reason: "a decision needs the proposal's id") }
        let f = op.payload
        let decision = f.decision
        guard decision != .pending else { throw OpEffects.Refusal(code: "bad_fields", reason: "decision: accepted or rejected") }
        guard let r = try Row.fetchOne(db, sql: """
            SELECT \(AppDatabase.columnsInClear(db, table: "profile_proposals", alias: "p")) FROM profile_proposals p WHERE proposal_id = ?
            """, arguments: [id]) else {
            throw OpEffects.Refusal(code: "unknown_proposal", reason: "no proposal \(id)")
        }
        let p = AppDatabase.proposal(r)
        if p.status != .pending {
            // The same decision arriving again (a pull of one's own decision) is no news.
            if p.status == decision && p.decidedBy == actor { return .applied }
            throw OpEffects.Refusal(code: "already_decided", reason: "\(id) was already \(p.status.rawValue) by \(p.decidedBy ?? "?")")
        }
        guard p.proposedBy != actor else {
            throw OpEffects.Refusal(code: "own_proposal", reason: "a correction is decided by someone other than who proposed it")
        }
        try db.execute(sql: """
            UPDATE profile_proposals SET status = ?, decided_by = ?, decided_at = ?, decision_note = ?, core = ? WHERE proposal_id = ?
            """, arguments: [decision.rawValue, actor, f.at ?? Timestamp.utcNow(op.stamped), f.note, decision == .accepted ? "waiting" : nil, id])
        if decision == .accepted {
            try Self.setProfileField(db, customerID: p.customerID, field: p.field, value: p.newValue)
        }
        return .applied
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

}
