import Foundation
import FurrowCore
import GRDB

/// A tag put on (`tag.add`) or taken off (`tag.remove`) a customer. Whether the customer has
/// the tag merges by clock: the later change wins on every copy.
struct TagChange: OpDefinition {
    struct Payload: OpPayload {
        var tag: String
        static let rules: [String: OpFieldRule] = ["tag": .text(20)]
    }

    let kind: OpKind
    let subject = OpSubject.customer(afterMove: false)
    let senders = OpSenders.anyoneInScope
    let sealedAtRest = false
    let editable: [EditableOpField] = []

    private var present: Bool { kind == .tagAdd }

    func clocked(_ op: TypedOp<Payload>) -> [ClockedField] {
        guard let c = op.customerID else { return [] }
        return [ClockedField(record: "tag:\(c)", field: op.payload.tag, value: present ? "1" : "0")]
    }

    func apply(_ db: Database, _ op: TypedOp<Payload>, actor: String) throws -> OpEffects.Effect {
        let tag = op.payload.tag
        guard let customer = op.customerID else { throw OpEffects.Refusal(code: "bad_fields", reason: "a tag op needs the customer") }
        guard try OpEffects.lastWriterWins(db, record: "tag:\(customer)", field: tag, value: present ? "1" : "0", op: op.sync) else {
            return .superseded
        }
        if present {
            try db.execute(sql: "INSERT INTO customer_tags (customer_id, tag, added_by, added_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                           arguments: [customer, tag, actor, Timestamp.utcNow(op.stamped)])
        } else {
            try db.cachedStatement(sql: "DELETE FROM customer_tags WHERE customer_id = ? AND tag = ?").execute(arguments: [customer, tag])
        }
        return .applied
    }
}
