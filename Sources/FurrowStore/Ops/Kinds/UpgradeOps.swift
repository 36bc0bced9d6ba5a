import Foundation
import FurrowCore
import GRDB

/// An RM asks to serve a customer above their tier.
struct UpgradeRequest: OpDefinition {
    let kind = OpKind.upgradeRequest
    let subject = OpSubject.customer(afterMove: false)
    let senders = OpSenders.anyoneInScope
    let sealedAtRest = false
    let editable: [EditableOpField] = []

    struct Payload: OpPayload {
        /// The tier asked for.
        var servedAs: Tier
        var reason: String
        var at: String?
        static let rules: [String: OpFieldRule] = ["served_as": .all(Tier.self), "reason": .text(300), "at": .time]
    }

    func apply(_ db: Database, _ op: TypedOp<Payload>, actor: String) throws -> OpEffects.Effect {
        let (servedAs, reason) = (op.payload.servedAs, op.payload.reason)
        guard let id = op.recordID, let customer = op.customerID, !reason.isEmpty else {
            throw OpEffects.Refusal(code: "bad_fields", reason: "an upgrade request needs its id, the tier and the reason")
        }
        try db.execute(sql: """
            INSERT INTO service_upgrades (upgrade_id, customer_id, served_as, reason, requested_by, requested_at, status)
            VALUES (?, ?, ?, ?, ?, ?, 'pending') ON CONFLICT DO NOTHING
            """, arguments: [id, customer, servedAs.rawValue, reason, actor, op.payload.at ?? Timestamp.utcNow(op.stamped)])
        return .applied
    }
}

/// A team lead's decision on a request (`upgrade.approve`, `upgrade.reject`).
struct UpgradeDecision: OpDefinition {
    let kind: OpKind
    let subject = OpSubject.customerRecord(ownerQuery: "SELECT customer_id FROM service_upgrades WHERE upgrade_id = ?")
    let senders = OpSenders.deciders("decides service upgrades")
    let sealedAtRest = false
    let editable: [EditableOpField] = []

    struct Payload: OpPayload {
        var note: String?
        var at: String?
        static let rules: [String: OpFieldRule] = ["note": .text(300), "at": .time]
    }

    func apply(_ db: Database, _ op: TypedOp<Payload>, actor: String) throws -> OpEffects.Effect {
        guard let id = op.recordID else { throw OpEffects.Refusal(code: "bad_fields", reason: "a decision needs the request's id") }
        try Self.decide(db, id: id, approve: kind == .upgradeApprove, note: op.payload.note,
                        at: op.payload.at ?? Timestamp.utcNow(op.stamped), actor: actor)
        return .applied
    }

    /// A pending request approved or rejected, by someone other than who asked; an approval
    /// replaces an older approved one for the customer. The first decision stands.
    static func decide(_ db: Database, id: String, approve: Bool, note: String?, at: String, actor: String) throws {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM service_upgrades WHERE upgrade_id = ?", arguments: [id]) else {
            throw OpEffects.Refusal(code: "unknown_upgrade", reason: "no upgrade request \(id)")
        }
        let status: String = row["status"]
        guard status == "pending" else {
            let decided = approve ? "approved" : "rejected"
            if status == decided && row["decided_by"] as String? == actor { return }
            throw OpEffects.Refusal(code: "already_decided", reason: "\(id) was already \(status) by \(row["decided_by"] as String? ?? "?")")
        }
        guard row["requested_by"] as String != actor else {
            throw OpEffects.Refusal(code: "own_request", reason: "a request is decided by someone other than who made it")
        }
        try db.execute(sql: "UPDATE service_upgrades SET status = ?, decided_by = ?, decided_at = ?, decision_note = ? WHERE upgrade_id = ?",
                       arguments: [approve ? "approved" : "rejected", actor, at, note, id])
        if approve {
            try db.execute(sql: "UPDATE service_upgrades SET status = 'replaced' WHERE customer_id = ? AND status = 'approved' AND upgrade_id != ?",
                           arguments: [row["customer_id"] as String, id])
        }
    }
}
