import Foundation
import FurrowCore
import GRDB

/// How a customer wants to be contacted. Each preference merges by clock on its own; one left
/// out is cleared.
struct PreferencesSet: OpDefinition {
    struct Payload: OpPayload {
        var preferredChannel: InteractionChannel?
        /// HH:MM-HH:MM.
        var quietHours: String?
        var noHomeVisits: Bool?
        var monthlyCap: Int?

        static let rules: [String: OpFieldRule] = [
            "preferred_channel": .all(InteractionChannel.self), "quiet_hours": .quietHours, "no_home_visits": .flag, "monthly_cap": .int(1...31),
        ]

        /// Each preference: its column, its value as its clock keeps it ("" for none), and as stored.
        var columns: [(name: String, clockValue: String, stored: DatabaseValue)] {
            [("preferred_channel", preferredChannel?.rawValue ?? "", preferredChannel?.rawValue.databaseValue ?? .null),
             ("quiet_hours", quietHours ?? "", quietHours.databaseValue),
             ("no_home_visits", noHomeVisits.map { $0 ? "1" : "0" } ?? "", (noHomeVisits == true ? 1 : 0).databaseValue),
             ("monthly_cap", monthlyCap.map(String.init) ?? "", monthlyCap.databaseValue)]
        }
    }

    let kind = OpKind.preferencesSet
    let subject = OpSubject.customer(afterMove: false)
    let senders = OpSenders.anyoneInScope
    let sealedAtRest = false
    let editable: [EditableOpField] = []

    func clocked(_ op: TypedOp<Payload>) -> [ClockedField] {
        guard let c = op.customerID else { return [] }
        return op.payload.columns.map { ClockedField(record: "prefs:\(c)", field: $0.name, value: $0.clockValue) }
    }

    func apply(_ db: Database, _ op: TypedOp<Payload>, actor: String) throws -> OpEffects.Effect {
        guard let customer = op.customerID else { throw OpEffects.Refusal(code: "bad_fields", reason: "preferences need the customer") }
        try db.cachedStatement(sql: """
            INSERT INTO customer_preferences (customer_id, no_home_visits, updated_by, updated_at) VALUES (?, 0, ?, ?)
            ON CONFLICT(customer_id) DO NOTHING
            """).execute(arguments: [customer, actor, Timestamp.utcNow(op.stamped)])
        var won = false
        for column in op.payload.columns {
            guard try OpEffects.lastWriterWins(db, record: "prefs:\(customer)", field: column.name, value: column.clockValue, op: op.sync) else {
                continue
            }
            won = true
            try db.cachedStatement(sql: "UPDATE customer_preferences SET \(column.name) = ?, updated_by = ?, updated_at = ? WHERE customer_id = ?")
                .execute(arguments: [column.stored, actor, Timestamp.utcNow(op.stamped), customer])
        }
        return won ? .applied : .superseded
    }
}

/// A customer's product acceptance overridden by their RM (segments A–H). Merges by clock.
struct SegmentOverride: OpDefinition {
    struct Payload: OpPayload {
        /// High (true) or low (false) acceptance; absent: the override is lifted.
        var highAcceptance: Bool?
        static let rules: [String: OpFieldRule] = ["high_acceptance": .flag]
        var clockValue: String { highAcceptance.map { $0 ? "1" : "0" } ?? "" }
    }

    let kind = OpKind.segmentOverride
    let subject = OpSubject.customer(afterMove: false)
    let senders = OpSenders.anyoneInScope
    let sealedAtRest = false
    let editable: [EditableOpField] = []

    func clocked(_ op: TypedOp<Payload>) -> [ClockedField] {
        guard let c = op.customerID else { return [] }
        return [ClockedField(record: "rules:\(c)", field: "acceptance_override", value: op.payload.clockValue)]
    }

    func apply(_ db: Database, _ op: TypedOp<Payload>, actor: String) throws -> OpEffects.Effect {
        guard let customer = op.customerID else { throw OpEffects.Refusal(code: "bad_fields", reason: "an override needs the customer") }
        guard try Bool.fetchOne(db, sql: "SELECT 1 FROM customer_rules WHERE customer_id = ?", arguments: [customer]) == true else {
            throw OpEffects.Refusal(code: "not_classified", reason: "\(customer) has not been classified by a nightly run here yet")
        }
        guard try OpEffects.lastWriterWins(db, record: "rules:\(customer)", field: "acceptance_override", value: op.payload.clockValue, op: op.sync) else {
            return .superseded
        }
        try db.execute(sql: "UPDATE customer_rules SET acceptance_override = ? WHERE customer_id = ?",
                       arguments: [op.payload.highAcceptance.map { $0 ? 1 : 0 }, customer])
        return .applied
    }
}
