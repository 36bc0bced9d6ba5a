import Foundation
import FurrowCore
import GRDB

/// A complaint received (`complaint.file`): append-only, with the deadline the branch's rules
/// gave it where it was filed (the standard one by its severity when the op has none).
struct ComplaintFile: OpDefinition {
    struct Payload: OpPayload {
        var receivedAt: String
        var channel: ComplaintChannel
        var category: String?
        var severity: Severity
        var description: String
        /// The deadline the filing branch's rules gave it.
        var deadlineAt: String?

        static let rules: [String: OpFieldRule] = [
            "received_at": .time, "channel": .all(ComplaintChannel.self), "category": .text(40), "severity": .all(Severity.self),
            "description": .text(2000, lines: true), "deadline_at": .time,
        ]
    }

    let kind = OpKind.complaintFile
    let subject = OpSubject.customer(afterMove: false)
    let senders = OpSenders.anyoneInScope
    let sealedAtRest = false
    var editable: [EditableOpField] {
        [EditableOpField(field: "description", label: "投诉内容 Description", maxLength: 2000, check: .requiredText,
                         column: EditableOpField.LocalColumn("complaints", "description", "complaint_id"))]
    }

    func apply(_ db: Database, _ op: TypedOp<Payload>, actor: String) throws -> OpEffects.Effect {
        let f = op.payload
        guard let id = op.recordID, let customer = op.customerID else {
            throw OpEffects.Refusal(code: "bad_fields", reason: "a complaint needs its id and customer")
        }
        let deadline = try Self.deadline(f.deadlineAt, received: f.receivedAt, severity: f.severity)
        try db.cachedStatement(sql: """
            INSERT INTO complaints (complaint_id, customer_id, received_at, channel, category, severity, description,
                                    status, deadline_at, recorded_by)
            VALUES (?, ?, ?, ?, ?, ?, ?, 'received', ?, ?) ON CONFLICT DO NOTHING
            """).execute(arguments: [id, customer, f.receivedAt, f.channel.rawValue, f.category ?? "", f.severity.rawValue, f.description,
                             deadline, actor])
        return .applied
    }

    /// The deadline the op carries — a time (`YYYY-MM-DD HH:MM:SS`) from when the complaint was
    /// received to the regulator's outer limit after it, whatever the filing branch's rules said
    /// within that — or, without one, the standard deadline for its severity.
    static func deadline(_ given: String?, received: String, severity: Severity) throws -> String {
        guard let given else { return ComplaintSLA.standard.deadline(receivedAt: received, severity: severity) }
        let latest = ComplaintSLA.outerLimit.deadline(receivedAt: received, severity: severity)
        guard given.count == 19, CalendarDate(iso: given.prefix(10)) != nil, given >= String(received.prefix(16)), given <= latest else {
            throw OpEffects.Refusal(code: "bad_fields", reason: """
                deadline_at: a time from received_at to \(ComplaintSLA.outerLimitDays) days after it (the regulator's limit)
                """)
        }
        return given
    }
}

/// A step of the complaint loop (`complaint.assigned`, `complaint.resolved`, …). The step is
/// history, recorded once by its op; the complaint's status is a field that merges by clock.
struct ComplaintStep: OpDefinition {
    struct Payload: OpPayload {
        /// The status it left ("" for a new complaint's first step).
        var from: String?
        /// The status it reached: the kind says it (`complaint.resolved`); kept for readers of the op.
        var to: ComplaintStatus?
        /// Who the complaint is assigned to.
        var owner: String?
        var note: String?
        var at: String?

        static let rules: [String: OpFieldRule] = [
            "from": .oneOf(ComplaintStatus.allCases.map(\.rawValue) + [""]), "to": .all(ComplaintStatus.self), "owner": .ident,
            "note": .text(500, lines: true), "at": .time,
        ]
    }

    let to: ComplaintStatus
    var kind: OpKind { .complaintStep(to) }
    let subject = OpSubject.customerRecord(ownerQuery: "SELECT customer_id FROM complaints WHERE complaint_id = ?")
    let senders = OpSenders.anyoneInScope
    let sealedAtRest = false
    let editable: [EditableOpField] = []

    func clocked(_ op: TypedOp<Payload>) -> [ClockedField] {
        guard let id = op.recordID else { return [] }
        return [ClockedField(record: "complaint:\(id)", field: "status", value: to.rawValue)]
    }

    func apply(_ db: Database, _ op: TypedOp<Payload>, actor: String) throws -> OpEffects.Effect {
        let f = op.payload
        guard let id = op.recordID else {
            throw OpEffects.Refusal(code: "bad_fields", reason: "\(op.kind): names no complaint")
        }
        guard try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM complaints WHERE complaint_id = ?"), arguments: [id]) == true else {
            throw OpEffects.Refusal(code: "unknown_complaint", reason: "no complaint \(id)")
        }
        let at = f.at ?? Timestamp.shanghaiNow(op.stamped)
        // Two steps in one second are two steps when they differ in where they came from or
        // what was said (a reopen after a callback), and one step when a replay brings it again.
        let recorded = try Bool.fetchOne(db.cachedStatement(sql: """
            SELECT 1 FROM complaint_events WHERE complaint_id = ? AND at = ? AND to_status = ? AND actor = ?
              AND from_status IS ? AND note IS ?
            """), arguments: [id, at, to.rawValue, actor, f.from ?? "", f.note]) == true
        if !recorded {
            try db.cachedStatement(sql: """
                INSERT INTO complaint_events (complaint_id, at, actor, from_status, to_status, owner_id, note) VALUES (?, ?, ?, ?, ?, ?, ?)
                """).execute(arguments: [id, at, actor, f.from ?? "", to.rawValue, f.owner, f.note])
        }
        // The step itself is history and is kept even when a later status won.
        guard try OpEffects.lastWriterWins(db, record: "complaint:\(id)", field: "status", value: to.rawValue, op: op.sync) else { return .applied }
        try db.cachedStatement(sql: """
            UPDATE complaints SET status = ?, owner_id = coalesce(?, owner_id),
                resolved_at = CASE WHEN ? = 'resolved' THEN ? WHEN ? = 'in_progress' THEN NULL ELSE resolved_at END,
                closed_at = CASE WHEN ? = 'closed' THEN ? ELSE closed_at END
            WHERE complaint_id = ?
            """).execute(arguments: [to.rawValue, f.owner, to.rawValue, at, to.rawValue, to.rawValue, at, id])
        return .applied
    }
}
