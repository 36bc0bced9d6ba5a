import Foundation
import FurrowCore
import GRDB

/// The branch's answer to one pushed op.
public struct OpResult: Sendable, Hashable, Codable {
    public var opID: String
    public var status: SyncOp.Status
    /// For a rejection: a code a program can act on, and a reason a person can read.
    public var code: String?
    public var reason: String?
}

extension AppDatabase {
    /// Applies ops pushed by `user` on the branch's store, each exactly once (a retried op gets
    /// the stored answer as `duplicate`) and in its own transaction with its op-log row, its
    /// audit entry and its change-feed row. Every op is authorised against the branch's own
    /// assignments; logs written before a reassignment are still accepted.
    ///
    /// Kinds applied so far: `interaction.log` / `interaction.correct` and `note.add`
    /// (append-only: never in conflict), `tag.add` / `tag.remove` (last writer wins by HLC, the
    /// overwritten value kept in `sync_conflicts`), `task.complete` and `task.reschedule` (by task
    /// id or a reminder's cause key; completion wins over a reschedule), `reveal` (audit only).
    /// Other kinds are rejected as `not_supported` — visibly, never dropped.
    public func applyOps(_ ops: [SyncOp], user: UserRef) throws(StoreError) -> [OpResult] {
        var results: [OpResult] = []
        for op in ops {
            results.append(try write { db in try Self.apply(db, op, user: user) })
        }
        return results
    }

    /// Who pushed: the branch's staff record.
    public struct UserRef: Sendable, Hashable {
        public var staffID: String
        public var role: StaffRole
        public var team: String?
        public init(staffID: String, role: StaffRole, team: String?) { self.staffID = staffID; self.role = role; self.team = team }
    }

    private static func apply(_ db: Database, _ op: SyncOp, user: UserRef) throws -> OpResult {
        if let r = try Row.fetchOne(db, sql: "SELECT result, code, reason FROM op_log WHERE op_id = ?", arguments: [op.opID]) {
            // A retry: one effect only; the answer says what happened the first time.
            let first = SyncOp.Status(rawValue: r["result"]) ?? .applied
            return OpResult(opID: op.opID, status: first == .applied ? .duplicate : first, code: r["code"], reason: r["reason"])
        }
        var result: OpResult
        do {
            try authorise(db, op, user: user)
            try effect(db, op, user: user)
            result = OpResult(opID: op.opID, status: .applied)
        } catch let refusal as Refusal {
            result = OpResult(opID: op.opID, status: .rejected, code: refusal.code, reason: refusal.reason)
        }
        let fields = String(decoding: (try? JSONEncoder().encode(op.fields)) ?? Data("{}".utf8), as: UTF8.self)
        try db.execute(sql: """
            INSERT INTO op_log (op_id, user_id, hlc, kind, customer_id, record_id, fields, result, code, reason, applied_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [op.opID, user.staffID, op.hlc.description, op.kind, op.customerID, op.recordID, fields,
                             result.status.rawValue, result.code, result.reason, Timestamp.utcNow()])
        try Audit.record(db, actor: user.staffID, action: result.status == .applied ? "sync.\(op.kind)" : "sync.rejected",
                         customerID: op.customerID, detail: "\(op.opID)" + (result.code.map { " \($0)" } ?? ""))
        if result.status == .applied {
            try db.execute(sql: "INSERT INTO change_feed (kind, customer_id, record_id, payload, at) VALUES (?, ?, ?, ?, ?)",
                           arguments: [op.kind, op.customerID, op.recordID, fields, Timestamp.utcNow()])
        }
        return result
    }

    struct Refusal: Error {
        var code: String
        var reason: String
    }

    /// The customer must be the user's (RM), their team's (lead) or the branch's (president,
    /// admin). A log authored before the customer moved to another RM is still the author's.
    private static func authorise(_ db: Database, _ op: SyncOp, user: UserRef) throws {
        guard let customer = op.customerID else { throw Refusal(code: "no_customer", reason: "the op names no customer") }
        guard let rm = try String?.fetchOne(db, sql: "SELECT rm_id FROM customers WHERE customer_id = ?", arguments: [customer]) else {
            throw Refusal(code: "unknown_customer", reason: "the branch has no customer \(customer)")
        }
        switch user.role {
        case .president, .admin: return
        case .lead:
            let team = try String.fetchOne(db, sql: "SELECT team FROM staff WHERE staff_id = ?", arguments: [rm ?? ""])
            if team != nil, team == user.team { return }
        case .rm:
            if rm == user.staffID { return }
        }
        if op.kind.hasPrefix("interaction.") || op.kind == "note.add" {
            // Written while the customer was still theirs (by the op's clock): accepted, and it
            // reaches the new RM with the next pull.
            let authored = CalendarDate.today(now: Date(timeIntervalSince1970: Double(op.hlc.wallMs) / 1000))
            let ownerThen = try String.fetchOne(db, sql: """
                SELECT staff_id FROM assignments WHERE customer_id = ? AND since <= ? ORDER BY since DESC LIMIT 1
                """, arguments: [customer, authored.iso])
            if ownerThen == user.staffID { return }
        }
        let owner = rm.map { "assigned to \($0)" } ?? "not assigned"
        throw Refusal(code: "out_of_scope", reason: "\(customer) is not yours (\(owner)); the change was not applied")
    }

    private static func effect(_ db: Database, _ op: SyncOp, user: UserRef) throws {
        let f = op.fields
        switch op.kind {
        case "interaction.log", "interaction.correct":
            guard let id = op.recordID, let at = f["at"], let channel = f["channel"], InteractionChannel(rawValue: channel) != nil else {
                throw Refusal(code: "bad_fields", reason: "an interaction needs its id, time and channel")
            }
            try db.execute(sql: """
                INSERT INTO interactions (interaction_id, customer_id, staff_id, at, channel, purpose, notes, outcome, corrects, source,
                    duration_min, present, mood, life_events, next_step)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'rm', ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING
                """, arguments: [id, op.customerID, user.staffID, at, channel, f["purpose"], f["notes"], f["outcome"], f["corrects"],
                                 f["duration_min"].flatMap { Int($0) }, f["present"], f["mood"], f["life_events"], f["next_step"]])
            try db.execute(sql: "UPDATE customers SET last_contact_at = ? WHERE customer_id = ? AND ifnull(last_contact_at, '') < ?",
                           arguments: [at, op.customerID, at])
        case "note.add":
            guard let id = op.recordID, let text = f["text"], let at = f["at"] else {
                throw Refusal(code: "bad_fields", reason: "a note needs its id, time and text")
            }
            try db.execute(sql: "INSERT INTO notes (note_id, customer_id, staff_id, at, text) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                           arguments: [id, op.customerID, user.staffID, at, text])
        case "tag.add", "tag.remove":
            guard let tag = f["tag"], let customer = op.customerID else { throw Refusal(code: "bad_fields", reason: "a tag op needs the tag") }
            let present = op.kind == "tag.add"
            guard try lastWriterWins(db, record: "tag:\(customer)", field: tag, value: present ? "1" : "0", op: op) else { return }
            if present {
                try db.execute(sql: "INSERT INTO customer_tags (customer_id, tag, added_by, added_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                               arguments: [customer, tag, user.staffID, Timestamp.utcNow()])
            } else {
                try db.execute(sql: "DELETE FROM customer_tags WHERE customer_id = ? AND tag = ?", arguments: [customer, tag])
            }
        case "task.complete", "task.reschedule":
            guard let ref = op.recordID,
                  let task = try Row.fetchOne(db, sql: "SELECT task_id, status FROM tasks WHERE task_id = ? OR cause_key = ?",
                                              arguments: [ref, ref]) else {
                throw Refusal(code: "unknown_task", reason: "the branch has no task \(op.recordID ?? "")")
            }
            let id: String = task["task_id"]
            if op.kind == "task.complete" {
                // Completion wins: whatever else happened to the task, done is done.
                try db.execute(sql: """
                    UPDATE tasks SET status = 'done', outcome = ?, closed_at = ? WHERE task_id = ? AND status = 'open'
                    """, arguments: [f["outcome"] ?? "done", Timestamp.utcNow(), id])
            } else {
                guard task["status"] as String == "open" else {
                    throw Refusal(code: "superseded", reason: "the task was already closed; the new date was not applied")
                }
                guard let due = f["due_on"], CalendarDate(iso: due) != nil else { throw Refusal(code: "bad_fields", reason: "due_on") }
                guard try lastWriterWins(db, record: "task:\(id)", field: "due_on", value: due, op: op) else { return }
                try db.execute(sql: "UPDATE tasks SET due_on = ? WHERE task_id = ?", arguments: [due, id])
            }
        case "reveal":
            break   // the audit entry the op log writes is the record
        default:
            throw Refusal(code: "not_supported", reason: "the branch does not apply \(op.kind) ops yet; it is kept on the workstation")
        }
    }

    /// Per-field last writer wins by HLC. Returns whether this op's value wins; the value that
    /// loses (either way) is kept in `sync_conflicts` for the Sync screen.
    private static func lastWriterWins(_ db: Database, record: String, field: String, value: String, op: SyncOp) throws -> Bool {
        let current = try Row.fetchOne(db, sql: "SELECT hlc, value FROM field_clocks WHERE record = ? AND field = ?", arguments: [record, field])
        let currentHLC = (current?["hlc"] as String?).flatMap(HLC.init(encoded:))
        let wins = currentHLC.map { op.hlc > $0 } ?? true
        if let current, let c = currentHLC, current["value"] as String? != value {
            let (kept, keptHLC, lost, lostHLC): (String?, HLC, String?, HLC) = wins
                ? (value, op.hlc, current["value"], c) : (current["value"], c, value, op.hlc)
            try db.execute(sql: """
                INSERT INTO sync_conflicts (record, field, kept_value, kept_hlc, lost_value, lost_hlc, lost_op, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [record, field, kept, keptHLC.description, lost, lostHLC.description, op.opID, Timestamp.utcNow()])
        }
        if wins {
            try db.execute(sql: """
                INSERT INTO field_clocks (record, field, hlc, value) VALUES (?, ?, ?, ?)
                ON CONFLICT(record, field) DO UPDATE SET hlc = excluded.hlc, value = excluded.value
                """, arguments: [record, field, op.hlc.description, value])
        }
        return wins
    }
}
