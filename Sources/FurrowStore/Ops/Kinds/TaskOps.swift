import Foundation
import FurrowCore
import GRDB

/// A follow-up task: made by an RM for themselves, by a lead for their team, or by a campaign's
/// launch (then it carries the campaign's header and a cause key, so a second launch anywhere
/// adds nothing).
struct TaskCreate: OpDefinition {
    struct Payload: OpPayload {
        var title: String
        var reason: String?
        var dueOn: String
        var priority: Int?
        /// The contact whose next step it is.
        var fromInteraction: String?
        /// The reminder rule that raised it, and the cause key every device derives alike.
        var rule: String?
        var causeKey: String?
        /// Whose task it is (the writer's when absent).
        var owner: String?
        /// The campaign that launched it, when one did.
        var campaign: CampaignHeader?

        static let rules: [String: OpFieldRule] = CampaignHeader.rules.merging([
            "title": .text(200), "reason": .text(1000), "due_on": .day, "priority": .int(1...3), "from_interaction": .ident,
            "rule": .ident, "cause_key": .ident, "owner": .ident,
        ]) { a, _ in a }

        init(title: String, reason: String?, dueOn: String, priority: Int?, fromInteraction: String? = nil, rule: String? = nil,
             causeKey: String? = nil, owner: String? = nil, campaign: CampaignHeader? = nil) {
            self.title = title; self.reason = reason; self.dueOn = dueOn; self.priority = priority
            self.fromInteraction = fromInteraction; self.rule = rule; self.causeKey = causeKey; self.owner = owner; self.campaign = campaign
        }

        // The campaign's header travels flat, beside the task's own fields.
        private enum CodingKeys: String, CodingKey { case title, reason, dueOn, priority, fromInteraction, rule, causeKey, owner }

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            self.init(title: try c.decode(String.self, forKey: .title), reason: try c.decodeIfPresent(String.self, forKey: .reason),
                      dueOn: try c.decode(String.self, forKey: .dueOn), priority: try c.decodeIfPresent(Int.self, forKey: .priority),
                      fromInteraction: try c.decodeIfPresent(String.self, forKey: .fromInteraction),
                      rule: try c.decodeIfPresent(String.self, forKey: .rule), causeKey: try c.decodeIfPresent(String.self, forKey: .causeKey),
                      owner: try c.decodeIfPresent(String.self, forKey: .owner), campaign: try CampaignHeader.ifPresent(in: decoder))
        }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(title, forKey: .title)
            try c.encodeIfPresent(reason, forKey: .reason)
            try c.encode(dueOn, forKey: .dueOn)
            try c.encodeIfPresent(priority, forKey: .priority)
            try c.encodeIfPresent(fromInteraction, forKey: .fromInteraction)
            try c.encodeIfPresent(rule, forKey: .rule)
            try c.encodeIfPresent(causeKey, forKey: .causeKey)
            try c.encodeIfPresent(owner, forKey: .owner)
            try campaign?.encode(to: encoder)
        }
    }

    let kind = OpKind.taskCreate
    let subject = OpSubject.customer(afterMove: false)
    let sealedAtRest = false
    var editable: [EditableOpField] {
        [EditableOpField(field: "title", label: "任务 Task", maxLength: 200, check: .requiredText, column: EditableOpField.LocalColumn("tasks", "title", "task_id")),
         EditableOpField(field: "due_on", label: "到期 Due", maxLength: 10, check: .day, column: EditableOpField.LocalColumn("tasks", "due_on", "task_id")),
         EditableOpField(field: "reason", label: "原因 Reason", maxLength: 200, check: .text, column: EditableOpField.LocalColumn("tasks", "reason", "task_id"))]
    }

    /// A campaign's header travels with its launch: only those who run campaigns create one. A
    /// task for someone else: a lead gives one to their team, the president and admins to
    /// anyone on the staff; an RM only to themselves.
    var senders: OpSenders {
        .checked { db, op, user in
            if op.fields["campaign"] != nil, !AppDatabase.mayDecide(user.role.rawValue) {
                throw OpEffects.Refusal(code: "not_allowed", reason: "only a team lead, the president or an administrator launches campaigns")
            }
            guard let owner = op.fields["owner"], owner != user.staffID else { return }
            guard let team = try String?.fetchOne(db.cachedStatement(sql: "SELECT team FROM staff WHERE staff_id = ?"), arguments: [owner]) else {
                throw OpEffects.Refusal(code: "bad_fields", reason: "owner: no staff member \(owner.prefix(64))")
            }
            switch user.role {
            case .president, .admin: return
            case .lead where team != nil && team == user.team: return
            default: throw OpEffects.Refusal(code: "not_allowed", reason: "owner: a task for \(owner.prefix(64)) is not yours to give")
            }
        }
    }

    func apply(_ db: Database, _ op: TypedOp<Payload>, actor: String) throws -> OpEffects.Effect {
        let f = op.payload
        guard let id = op.recordID, let customer = op.customerID, CalendarDate(iso: f.dueOn) != nil else {
            throw OpEffects.Refusal(code: "bad_fields", reason: "a task needs its id, title and due date (YYYY-MM-DD)")
        }
        // A campaign's task is for the customer's RM (`owner`) and has a cause key, so a second
        // launch anywhere adds nothing.
        try db.cachedStatement(sql: """
            INSERT INTO tasks (task_id, customer_id, staff_id, title, reason, due_on, status, created_at, priority, from_interaction,
                               rule, cause_key)
            VALUES (?, ?, ?, ?, ?, ?, 'open', ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING
            """).execute(arguments: [id, customer, f.owner ?? actor, f.title, f.reason, f.dueOn, Timestamp.utcNow(op.stamped),
                             f.priority ?? TaskPriority.normal.rawValue, f.fromInteraction, f.rule, f.causeKey])
        if let campaign = f.campaign {
            try CampaignJoin.join(db, campaign, customerID: customer, rm: f.owner, taskRef: id, actor: actor, stamped: op.stamped)
        }
        return .applied
    }
}

/// The task a task op names: by its id, or by its cause key (an engine reminder's, which every
/// device derives alike).
private func task(_ db: Database, _ op: TypedOp<some OpPayload>) throws -> (id: String, open: Bool) {
    guard let ref = op.recordID,
          let task = try Row.fetchOne(db, sql: "SELECT task_id, status FROM tasks WHERE task_id = ? OR cause_key = ?", arguments: [ref, ref]) else {
        throw OpEffects.Refusal(code: "unknown_task", reason: "no task \(op.recordID ?? "")")
    }
    return (task["task_id"], task["status"] as String == "open")
}

private let taskOwner = OpSubject.customerRecord(ownerQuery: "SELECT customer_id FROM tasks WHERE task_id = ?1 OR cause_key = ?1")

/// A task done. Completion wins: whatever else happened to the task, done is done.
struct TaskComplete: OpDefinition {
    struct Payload: OpPayload {
        var outcome: String?
        static let rules: [String: OpFieldRule] = ["outcome": .text(500, lines: true)]
    }

    let kind = OpKind.taskComplete
    let subject = taskOwner
    let senders = OpSenders.anyoneInScope
    let sealedAtRest = false
    let editable: [EditableOpField] = []

    func apply(_ db: Database, _ op: TypedOp<Payload>, actor: String) throws -> OpEffects.Effect {
        let t = try task(db, op)
        try db.execute(sql: "UPDATE tasks SET status = 'done', outcome = ?, closed_at = ? WHERE task_id = ? AND status = 'open'",
                       arguments: [op.payload.outcome ?? "done", Timestamp.utcNow(op.stamped), t.id])
        return .applied
    }
}

/// A task moved to another day. The day merges by clock whatever order the ops arrive in (so
/// every copy agrees); on a task already done it changes nothing that matters: superseded.
struct TaskReschedule: OpDefinition {
    struct Payload: OpPayload {
        var dueOn: String
        static let rules: [String: OpFieldRule] = ["due_on": .day]
    }

    let kind = OpKind.taskReschedule
    let subject = taskOwner
    let senders = OpSenders.anyoneInScope
    let sealedAtRest = false
    var editable: [EditableOpField] { [EditableOpField(field: "due_on", label: "到期 Due", maxLength: 10, check: .day, column: nil)] }

    func clocked(_ op: TypedOp<Payload>) -> [ClockedField] {
        guard let ref = op.recordID else { return [] }
        return [ClockedField(record: "task:\(ref)", field: "due_on", value: op.payload.dueOn)]
    }

    func apply(_ db: Database, _ op: TypedOp<Payload>, actor: String) throws -> OpEffects.Effect {
        let t = try task(db, op)
        let due = op.payload.dueOn
        guard let ref = op.recordID, CalendarDate(iso: due) != nil else {
            throw OpEffects.Refusal(code: "bad_fields", reason: "due_on: a day, YYYY-MM-DD")
        }
        let wins = try OpEffects.lastWriterWins(db, record: "task:\(ref)", field: "due_on", value: due, op: op.sync)
        if wins { try db.cachedStatement(sql: "UPDATE tasks SET due_on = ? WHERE task_id = ?").execute(arguments: [due, t.id]) }
        return wins && t.open ? .applied : .superseded
    }
}
