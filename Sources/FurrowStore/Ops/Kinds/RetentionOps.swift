import Foundation
import FurrowCore
import GRDB

private let caseOwner = OpSubject.customerRecord(ownerQuery: "SELECT customer_id FROM retention_cases WHERE case_id = ?")

/// A retention case opened on a churn warning. Another open case for the customer (the
/// branch's nightly run may have opened one) does not stop it: two warnings are two records,
/// and the RM's later steps name this one.
struct RetentionOpen: OpDefinition {
    let kind = OpKind.retentionOpen
    let subject = OpSubject.customer(afterMove: false)
    let senders = OpSenders.anyoneInScope
    let sealedAtRest = false
    let editable: [EditableOpField] = []

    struct Payload: OpPayload {
        /// The churn warning it answers.
        var signal: String
        var owner: String?
        var at: String?
        static let rules: [String: OpFieldRule] = ["signal": .text(300), "owner": .ident, "at": .time]
    }

    func apply(_ db: Database, _ op: TypedOp<Payload>, actor: String) throws -> OpEffects.Effect {
        let signal = op.payload.signal
        guard let id = op.recordID, let customer = op.customerID, !signal.isEmpty else {
            throw OpEffects.Refusal(code: "bad_fields", reason: "a retention case needs its id and the signal")
        }
        try db.execute(sql: """
            INSERT INTO retention_cases (case_id, customer_id, opened_at, opened_by, owner_id, signal, status)
            VALUES (?, ?, ?, ?, ?, ?, 'open') ON CONFLICT DO NOTHING
            """, arguments: [id, customer, op.payload.at ?? Timestamp.utcNow(op.stamped), actor, op.payload.owner, signal])
        return .applied
    }
}

/// What was done on a case: history, recorded once whatever the number of times it arrives.
struct RetentionAct: OpDefinition {
    let kind = OpKind.retentionAct
    let subject = caseOwner
    let senders = OpSenders.anyoneInScope
    let sealedAtRest = false
    let editable: [EditableOpField] = []

    struct Payload: OpPayload {
        var note: String
        var at: String?
        static let rules: [String: OpFieldRule] = ["note": .text(500, lines: true), "at": .time]
    }

    func apply(_ db: Database, _ op: TypedOp<Payload>, actor: String) throws -> OpEffects.Effect {
        let note = op.payload.note
        guard let id = op.recordID, !note.isEmpty else {
            throw OpEffects.Refusal(code: "bad_fields", reason: "an action needs its case and a note")
        }
        try OpEffects.requireRow(db, "SELECT 1 FROM retention_cases WHERE case_id = ?", id, code: "unknown_case", what: "retention case \(id)")
        let at = op.payload.at ?? Timestamp.utcNow(op.stamped)
        try db.execute(sql: """
            INSERT INTO retention_actions (case_id, at, actor, note)
            SELECT ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM retention_actions WHERE case_id = ? AND at = ? AND actor = ? AND note = ?)
            """, arguments: [id, at, actor, note, id, at, actor, note])
        return .applied
    }
}

/// A case closed with its outcome. The first close stands (closing is final, like completing a task).
struct RetentionClose: OpDefinition {
    let kind = OpKind.retentionClose
    let subject = caseOwner
    let senders = OpSenders.anyoneInScope
    let sealedAtRest = false
    let editable: [EditableOpField] = []

    struct Payload: OpPayload {
        var outcome: RetentionOutcome
        var reason: RetentionReason
        /// Where the money went (a competitor, a product elsewhere).
        var moneyWent: String?
        var at: String?
        static let rules: [String: OpFieldRule] = [
            "outcome": .all(RetentionOutcome.self), "reason": .all(RetentionReason.self), "money_went": .text(200), "at": .time,
        ]
    }

    func apply(_ db: Database, _ op: TypedOp<Payload>, actor: String) throws -> OpEffects.Effect {
        let f = op.payload
        guard let id = op.recordID else { throw OpEffects.Refusal(code: "bad_fields", reason: "closing a case needs its id") }
        try OpEffects.requireRow(db, "SELECT 1 FROM retention_cases WHERE case_id = ?", id, code: "unknown_case", what: "retention case \(id)")
        try db.execute(sql: """
            UPDATE retention_cases SET status = 'closed', outcome = ?, reason_category = ?, money_went = ?, closed_at = ?, closed_by = ?
            WHERE case_id = ? AND status = 'open'
            """, arguments: [f.outcome.rawValue, f.reason.rawValue, f.moneyWent, f.at ?? Timestamp.utcNow(op.stamped), actor, id])
        if db.changesCount == 0 {
            let by = try String.fetchOne(db, sql: "SELECT closed_by FROM retention_cases WHERE case_id = ?", arguments: [id]) ?? "?"
            throw OpEffects.Refusal(code: "superseded", reason: "\(id) was closed already by \(by); that close stands")
        }
        return .applied
    }
}
