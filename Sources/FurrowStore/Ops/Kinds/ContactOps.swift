import Foundation
import FurrowCore
import GRDB

/// A contact logged (`interaction.log`) or a log corrected by a new one (`interaction.correct`):
/// append-only, inserted once by its id; the customer's last contact moves forward.
struct InteractionLog: OpDefinition {
    struct Payload: OpPayload {
        var at: String
        var channel: InteractionChannel
        var purpose: String?
        var notes: String?
        var outcome: String?
        /// The log this one corrects (`interaction.correct`).
        var corrects: String?
        var durationMin: Int?
        var present: String?
        var mood: CustomerMood?
        var lifeEvents: String?
        var nextStep: String?

        static let rules: [String: OpFieldRule] = [
            "at": .time, "channel": .all(InteractionChannel.self), "purpose": .text(200), "notes": .text(2000, lines: true),
            "outcome": .text(500, lines: true), "corrects": .ident, "duration_min": .int(1...600), "present": .text(100),
            "mood": .all(CustomerMood.self), "life_events": .text(200), "next_step": .text(200),
        ]
    }

    let kind: OpKind
    let subject = OpSubject.customer(afterMove: true)
    let senders = OpSenders.anyoneInScope
    let sealedAtRest = false
    var editable: [EditableOpField] {
        [("purpose", "目的 Purpose", 200), ("notes", "记录 Notes", 2000), ("outcome", "结果 Outcome", 500),
         ("next_step", "下一步 Next step", 200)].map { f, label, max in
            EditableOpField(field: f, label: label, maxLength: max, check: .text, column: EditableOpField.LocalColumn("interactions", f, "interaction_id"))
        }
    }

    func apply(_ db: Database, _ op: TypedOp<Payload>, actor: String) throws -> OpEffects.Effect {
        let f = op.payload
        guard let id = op.recordID else { throw OpEffects.Refusal(code: "bad_fields", reason: "an interaction needs its id") }
        try db.cachedStatement(sql: """
            INSERT INTO interactions (interaction_id, customer_id, staff_id, at, channel, purpose, notes, outcome, corrects, source,
                duration_min, present, mood, life_events, next_step)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'rm', ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING
            """).execute(arguments: [id, op.customerID, actor, f.at, f.channel.rawValue, f.purpose, f.notes, f.outcome, f.corrects,
                             f.durationMin, f.present, f.mood?.rawValue, f.lifeEvents, f.nextStep])
        try db.execute(sql: "UPDATE customers SET last_contact_at = ? WHERE customer_id = ? AND ifnull(last_contact_at, '') < ?",
                       arguments: [f.at, op.customerID, f.at])
        return .applied
    }
}

/// A note on a customer: append-only, inserted once by its id.
struct NoteAdd: OpDefinition {
    struct Payload: OpPayload {
        var at: String
        var text: String
        static let rules: [String: OpFieldRule] = ["at": .time, "text": .text(4000, lines: true)]
    }

    let kind = OpKind.noteAdd
    let subject = OpSubject.customer(afterMove: true)
    let senders = OpSenders.anyoneInScope
    let sealedAtRest = false
    var editable: [EditableOpField] {
        [EditableOpField(field: "text", label: "备注 Note", maxLength: 2000, check: .requiredText, column: EditableOpField.LocalColumn("notes", "text", "note_id"))]
    }

    func apply(_ db: Database, _ op: TypedOp<Payload>, actor: String) throws -> OpEffects.Effect {
        guard let id = op.recordID else { throw OpEffects.Refusal(code: "bad_fields", reason: "a note needs its id") }
        try db.execute(sql: "INSERT INTO notes (note_id, customer_id, staff_id, at, text) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                       arguments: [id, op.customerID, actor, op.payload.at, op.payload.text])
        return .applied
    }
}

/// A customer's personal data shown in clear: the audit entry is the record; the op carries it
/// to the branch's audit.
struct Reveal: OpDefinition {
    struct Payload: OpPayload {
        /// Where it was shown (the screen, the command).
        var context: String?
        static let rules: [String: OpFieldRule] = ["context": .text(200)]
    }

    let kind = OpKind.reveal
    let subject = OpSubject.customer(afterMove: false)
    let senders = OpSenders.anyoneInScope
    let sealedAtRest = false
    let editable: [EditableOpField] = []
    func apply(_ db: Database, _ op: TypedOp<Payload>, actor: String) throws -> OpEffects.Effect { .applied }
}
