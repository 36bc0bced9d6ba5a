import Foundation
import FurrowCore
import GRDB

/// How a customer wants to be contacted. Each preference merges by clock on its own.
struct PreferencesSet: OpDefinition {
    let kind = OpKind.preferencesSet
    let subject = OpSubject.customer(afterMove: false)
    let senders = OpSenders.anyoneInScope
    let sealedAtRest = false
    let fields: [String: OpFieldRule] = [
        "preferred_channel": .all(InteractionChannel.self), "quiet_hours": .quietHours, "no_home_visits": .flag, "monthly_cap": .int(1...31),
    ]
    let editable: [EditableOpField] = []

    static let columns = ["preferred_channel", "quiet_hours", "no_home_visits", "monthly_cap"]

    func clocked(_ op: SyncOp) -> [ClockedField] {
        guard let c = op.customerID else { return [] }
        return Self.columns.map { ClockedField(record: "prefs:\(c)", field: $0, value: op.fields[$0] ?? "") }
    }

    func apply(_ db: Database, _ op: SyncOp, actor: String) throws -> OpEffects.Effect {
        guard let customer = op.customerID else { throw OpEffects.Refusal(code: "bad_fields", reason: "preferences need the customer") }
        try db.cachedStatement(sql: """
            INSERT INTO customer_preferences (customer_id, no_home_visits, updated_by, updated_at) VALUES (?, 0, ?, ?)
            ON CONFLICT(customer_id) DO NOTHING
            """).execute(arguments: [customer, actor, Timestamp.utcNow(op.hlc.date)])
        var won = false
        for column in Self.columns {
            let value = op.fields[column]
            guard try OpEffects.lastWriterWins(db, record: "prefs:\(customer)", field: column, value: value ?? "", op: op) else { continue }
            won = true
            let stored: DatabaseValue = switch column {
            case "no_home_visits": (value == "1" ? 1 : 0).databaseValue
            case "monthly_cap": value.flatMap { Int($0) }.databaseValue
            default: value.databaseValue
            }
            try db.cachedStatement(sql: "UPDATE customer_preferences SET \(column) = ?, updated_by = ?, updated_at = ? WHERE customer_id = ?")
                .execute(arguments: [stored, actor, Timestamp.utcNow(op.hlc.date), customer])
        }
        return won ? .applied : .superseded
    }
}

/// A customer's product acceptance overridden by their RM (segments A–H). Merges by clock.
struct SegmentOverride: OpDefinition {
    let kind = OpKind.segmentOverride
    let subject = OpSubject.customer(afterMove: false)
    let senders = OpSenders.anyoneInScope
    let sealedAtRest = false
    let fields: [String: OpFieldRule] = ["high_acceptance": .flag]
    let editable: [EditableOpField] = []

    func clocked(_ op: SyncOp) -> [ClockedField] {
        guard let c = op.customerID else { return [] }
        return [ClockedField(record: "rules:\(c)", field: "acceptance_override", value: op.fields["high_acceptance"] ?? "")]
    }

    func apply(_ db: Database, _ op: SyncOp, actor: String) throws -> OpEffects.Effect {
        guard let customer = op.customerID else { throw OpEffects.Refusal(code: "bad_fields", reason: "an override needs the customer") }
        let value = op.fields["high_acceptance"]
        guard value == nil || value == "1" || value == "0" else {
            throw OpEffects.Refusal(code: "bad_fields", reason: "high_acceptance: 1, 0 or absent")
        }
        guard try Bool.fetchOne(db, sql: "SELECT 1 FROM customer_rules WHERE customer_id = ?", arguments: [customer]) == true else {
            throw OpEffects.Refusal(code: "not_classified", reason: "\(customer) has not been classified by a nightly run here yet")
        }
        guard try OpEffects.lastWriterWins(db, record: "rules:\(customer)", field: "acceptance_override", value: value ?? "", op: op) else {
            return .superseded
        }
        try db.execute(sql: "UPDATE customer_rules SET acceptance_override = ? WHERE customer_id = ?",
                       arguments: [value.flatMap { Int($0) }, customer])
        return .applied
    }
}
