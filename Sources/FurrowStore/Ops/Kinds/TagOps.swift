import Foundation
import FurrowCore
import GRDB

/// A tag put on (`tag.add`) or taken off (`tag.remove`) a customer. Whether the customer has
/// the tag merges by clock: the later change wins on every copy.
struct TagChange: OpDefinition {
    let kind: OpKind
    let subject = OpSubject.customer(afterMove: false)
    let senders = OpSenders.anyoneInScope
    let sealedAtRest = false
    let fields: [String: OpFieldRule] = ["tag": .text(20)]
    let editable: [EditableOpField] = []

    private var present: Bool { kind == .tagAdd }

    func clocked(_ op: SyncOp) -> [ClockedField] {
        guard let c = op.customerID, let tag = op.fields["tag"] else { return [] }
        return [ClockedField(record: "tag:\(c)", field: tag, value: present ? "1" : "0")]
    }

    func apply(_ db: Database, _ op: SyncOp, actor: String) throws -> OpEffects.Effect {
        guard let tag = op.fields["tag"], let customer = op.customerID else {
            throw OpEffects.Refusal(code: "bad_fields", reason: "a tag op needs the tag")
        }
        guard try OpEffects.lastWriterWins(db, record: "tag:\(customer)", field: tag, value: present ? "1" : "0", op: op) else {
            return .superseded
        }
        if present {
            try db.execute(sql: "INSERT INTO customer_tags (customer_id, tag, added_by, added_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                           arguments: [customer, tag, actor, Timestamp.utcNow(op.hlc.date)])
        } else {
            try db.cachedStatement(sql: "DELETE FROM customer_tags WHERE customer_id = ? AND tag = ?").execute(arguments: [customer, tag])
        }
        return .applied
    }
}
