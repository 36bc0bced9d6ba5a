import Foundation
import FurrowCore
import GRDB

/// A contact logged (`interaction.log`) or a log corrected by a new one (`interaction.correct`):
/// append-only, inserted once by its id; the customer's last contact moves forward.
struct InteractionLog: OpDefinition {
    let kind: OpKind
    let subject = OpSubject.customer(afterMove: true)
    let senders = OpSenders.anyoneInScope
    let sealedAtRest = false
    let fields: [String: OpFieldRule] = [
        "at": .time, "channel": .all(InteractionChannel.self), "purpose": .text(200), "notes": .text(2000, lines: true),
        "outcome": .text(500, lines: true), "corrects": .ident, "duration_min": .int(1...600), "present": .text(100),
        "mood": .all(CustomerMood.self), "life_events": .text(200), "next_step": .text(200),
    ]
    var editable: [EditableOpField] {
        [("purpose", "目的 Purpose", 200), ("notes", "记录 Notes", 2000), ("outcome", "结果 Outcome", 500),
         ("next_step", "下一步 Next step", 200)].map { f, label, max in
            EditableOpField(field: f, label: label, maxLength: max, check: .text, column: EditableOpField.LocalColumn("interactions", f, "interaction_id"))
        }
    }

    func clocked(_ op: SyncOp) -> [ClockedField] { [] }

    func apply(_ db: Database, _ op: SyncOp, actor: String) throws -> OpEffects.Effect {
        let f = op.fields
        guard let id = op.recordID, let at = f["at"], let channel = f["channel"], InteractionChannel(rawValue: channel) != nil else {
            throw OpEffects.Refusal(code: "bad_fields", reason: "an interaction needs its id, time and channel")
        }
        try db.cachedStatement(sql: """
            INSERT INTO interactions (interaction_id, customer_id, staff_id, at, channel, purpose, notes, outcome, corrects, source,
                duration_min, present, mood, life_events, next_step)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'rm', ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING
            """).execute(arguments: [id, op.customerID, actor, at, channel, f["purpose"], f["notes"], f["outcome"], f["corrects"],
                             f["duration_min"].flatMap { Int($0) }, f["present"], f["mood"], f["life_events"], f["next_step"]])
        try db.execute(sql: "UPDATE customers SET last_contact_at = ? WHERE customer_id = ? AND ifnull(last_contact_at, '') < ?",
                       arguments: [at, op.customerID, at])
        return .applied
    }
}

/// A note on a customer: append-only, inserted once by its id.
struct NoteAdd: OpDefinition {
    let kind = OpKind.noteAdd
    let subject = OpSubject.customer(afterMove: true)
    let senders = OpSenders.anyoneInScope
    let sealedAtRest = false
    let fields: [String: OpFieldRule] = ["at": .time, "text": .text(4000, lines: true)]
    var editable: [EditableOpField] {
        [EditableOpField(field: "text", label: "备注 Note", maxLength: 2000, check: .requiredText, column: EditableOpField.LocalColumn("notes", "text", "note_id"))]
    }

    func clocked(_ op: SyncOp) -> [ClockedField] { [] }

    func apply(_ db: Database, _ op: SyncOp, actor: String) throws -> OpEffects.Effect {
        guard let id = op.recordID, let text = op.fields["text"], let at = op.fields["at"] else {
            throw OpEffects.Refusal(code: "bad_fields", reason: "a note needs its id, time and text")
        }
        try db.execute(sql: "INSERT INTO notes (note_id, customer_id, staff_id, at, text) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                       arguments: [id, op.customerID, actor, at, text])
        return .applied
    }
}

/// A customer's personal data shown in clear: the audit entry is the record; the op carries it
/// to the branch's audit.
struct Reveal: OpDefinition {
    let kind = OpKind.reveal
    let subject = OpSubject.customer(afterMove: false)
    let senders = OpSenders.anyoneInScope
    let sealedAtRest = false
    let fields: [String: OpFieldRule] = ["context": .text(200)]
    let editable: [EditableOpField] = []
    func clocked(_ op: SyncOp) -> [ClockedField] { [] }
    func apply(_ db: Database, _ op: SyncOp, actor: String) throws -> OpEffects.Effect { .applied }
}
