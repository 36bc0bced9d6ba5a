import Foundation
import FurrowCore
import GRDB

/// What an op does to a store. The branch applies a pushed op through it, and a workstation
/// applies the change feed it pulls through the same code, so both sides merge alike:
/// append-only records are inserted once (by their id), mutable fields take the value with
/// the later hybrid-logical-clock stamp, and every overwritten concurrent value is kept in
/// `sync_conflicts`. Every effect can be applied again without changing anything.
enum OpEffects {
    struct Refusal: Error {
        var code: String
        var reason: String
    }

    /// What applying an op came to: it took effect, or a later write to the same field had
    /// already won (last writer wins) and this op changed nothing.
    enum Effect: Equatable { case applied, superseded }

    /// The mutable fields an op writes, as (record, field, value): the fields that merge by
    /// clock. The workstation stamps each with the clock it had seen (`_base.<field>`), so the
    /// branch can tell a concurrent overwrite (a conflict) from a later one.
    static func clockedFields(kind: String, customerID: String?, recordID: String?, fields f: [String: String])
        -> [(record: String, field: String, value: String)] {
        switch kind {
        case "tag.add", "tag.remove":
            guard let c = customerID, let tag = f["tag"] else { return [] }
            return [("tag:\(c)", tag, kind == "tag.add" ? "1" : "0")]
        case "task.reschedule":
            guard let ref = recordID, let due = f["due_on"] else { return [] }
            return [("task:\(ref)", "due_on", due)]
        case "preferences.set":
            guard let c = customerID else { return [] }
            return preferenceColumns.map { ("prefs:\(c)", $0, f[$0] ?? "") }
        case "segment.override":
            guard let c = customerID else { return [] }
            return [("rules:\(c)", "acceptance_override", f["high_acceptance"] ?? "")]
        case let k where k.hasPrefix("complaint.") && k != "complaint.file":
            guard let id = recordID else { return [] }
            return [("complaint:\(id)", "status", String(k.dropFirst("complaint.".count)))]
        case "prospect.next":
            guard let id = recordID else { return [] }
            return [("prospect:\(id)", "next_step", ProspectEffects.nextStepValue(f))]
        default:
            return []
        }
    }

    static let preferenceColumns = ["preferred_channel", "quiet_hours", "no_home_visits", "monthly_cap"]

    /// `actor`: who wrote the op (the interaction's or note's author, the task's owner).
    @discardableResult
    static func apply(_ db: Database, _ op: SyncOp, actor: String) throws -> Effect {
        let f = op.fields
        switch op.kind {
        case "interaction.log", "interaction.correct":
            guard let id = op.recordID, let at = f["at"], let channel = f["channel"], InteractionChannel(rawValue: channel) != nil else {
                throw Refusal(code: "bad_fields", reason: "an interaction needs its id, time and channel")
            }
            try db.cachedStatement(sql: """
                INSERT INTO interactions (interaction_id, customer_id, staff_id, at, channel, purpose, notes, outcome, corrects, source,
                    duration_min, present, mood, life_events, next_step)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'rm', ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING
                """).execute(arguments: [id, op.customerID, actor, at, channel, f["purpose"], f["notes"], f["outcome"], f["corrects"],
                                 f["duration_min"].flatMap { Int($0) }, f["present"], f["mood"], f["life_events"], f["next_step"]])
            try db.execute(sql: "UPDATE customers SET last_contact_at = ? WHERE customer_id = ? AND ifnull(last_contact_at, '') < ?",
                           arguments: [at, op.customerID, at])
        case "note.add":
            guard let id = op.recordID, let text = f["text"], let at = f["at"] else {
                throw Refusal(code: "bad_fields", reason: "a note needs its id, time and text")
            }
            try db.execute(sql: "INSERT INTO notes (note_id, customer_id, staff_id, at, text) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                           arguments: [id, op.customerID, actor, at, text])
        case "tag.add", "tag.remove":
            guard let tag = f["tag"], let customer = op.customerID else { throw Refusal(code: "bad_fields", reason: "a tag op needs the tag") }
            let present = op.kind == "tag.add"
            guard try lastWriterWins(db, record: "tag:\(customer)", field: tag, value: present ? "1" : "0", op: op) else { return .superseded }
            if present {
                try db.execute(sql: "INSERT INTO customer_tags (customer_id, tag, added_by, added_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                               arguments: [customer, tag, actor, Timestamp.utcNow(op.hlc.date)])
            } else {
                try db.cachedStatement(sql: "DELETE FROM customer_tags WHERE customer_id = ? AND tag = ?").execute(arguments: [customer, tag])
            }
        case "task.create":
            guard let id = op.recordID, let customer = op.customerID, let title = f["title"], let due = f["due_on"],
                  CalendarDate(iso: due) != nil else {
                throw Refusal(code: "bad_fields", reason: "a task needs its id, title and due date (YYYY-MM-DD)")
            }
            // A campaign's task is for the customer's RM (`owner`) and has a cause key, so a second
            // launch anywhere adds nothing.
            try db.cachedStatement(sql: """
                INSERT INTO tasks (task_id, customer_id, staff_id, title, reason, due_on, status, created_at, priority, from_interaction,
                                   rule, cause_key)
                VALUES (?, ?, ?, ?, ?, ?, 'open', ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING
                """).execute(arguments: [id, customer, f["owner"] ?? actor, title, f["reason"], due, Timestamp.utcNow(op.hlc.date),
                                 f["priority"].flatMap { Int($0) } ?? TaskPriority.normal.rawValue, f["from_interaction"],
                                 f["rule"], f["cause_key"]])
            if f["campaign"] != nil { try joinCampaign(db, customerID: customer, taskRef: id, fields: f, actor: actor, stamped: op.hlc.date) }
        case "task.complete", "task.reschedule":
            guard let ref = op.recordID,
                  let task = try Row.fetchOne(db, sql: "SELECT task_id, status FROM tasks WHERE task_id = ? OR cause_key = ?",
                                              arguments: [ref, ref]) else {
                throw Refusal(code: "unknown_task", reason: "no task \(op.recordID ?? "")")
            }
            let id: String = task["task_id"]
            if op.kind == "task.complete" {
                // Completion wins: whatever else happened to the task, done is done.
                try db.execute(sql: "UPDATE tasks SET status = 'done', outcome = ?, closed_at = ? WHERE task_id = ? AND status = 'open'",
                               arguments: [f["outcome"] ?? "done", Timestamp.utcNow(op.hlc.date), id])
            } else {
                guard let due = f["due_on"], CalendarDate(iso: due) != nil else { throw Refusal(code: "bad_fields", reason: "due_on") }
                // The date merges by clock whatever the order the ops arrive in (so every copy
                // agrees); on a task already done it changes nothing that matters: superseded.
                let wins = try lastWriterWins(db, record: "task:\(ref)", field: "due_on", value: due, op: op)
                if wins { try db.cachedStatement(sql: "UPDATE tasks SET due_on = ? WHERE task_id = ?").execute(arguments: [due, id]) }
                return wins && task["status"] as String == "open" ? .applied : .superseded
            }
        case "complaint.file":
            guard let id = op.recordID, let customer = op.customerID, let received = f["received_at"],
                  let channel = f["channel"], ComplaintChannel(rawValue: channel) != nil,
                  let severity = f["severity"].flatMap(Severity.init(rawValue:)), let description = f["description"] else {
                throw Refusal(code: "bad_fields", reason: "a complaint needs its id, time, channel, severity and description")
            }
            try db.cachedStatement(sql: """
                INSERT INTO complaints (complaint_id, customer_id, received_at, channel, category, severity, description,
                                        status, deadline_at, recorded_by)
                VALUES (?, ?, ?, ?, ?, ?, ?, 'received', ?, ?) ON CONFLICT DO NOTHING
                """).execute(arguments: [id, customer, received, channel, f["category"] ?? "", severity.rawValue, description,
                                 ComplaintSLA.standard.deadline(receivedAt: received, severity: severity), actor])
        case let kind where kind.hasPrefix("complaint."):
            guard let id = op.recordID, let to = ComplaintStatus(rawValue: String(kind.dropFirst("complaint.".count))) else {
                throw Refusal(code: "bad_fields", reason: "\(kind): not a step of the complaint loop")
            }
            guard try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM complaints WHERE complaint_id = ?"), arguments: [id]) == true else {
                throw Refusal(code: "unknown_complaint", reason: "no complaint \(id)")
            }
            // The step is history (recorded once, by its op); the status is a field (last writer wins).
            let at = f["at"] ?? Timestamp.shanghaiNow(op.hlc.date)
            let recorded = try Bool.fetchOne(db.cachedStatement(sql: """
                SELECT 1 FROM complaint_events WHERE complaint_id = ? AND at = ? AND to_status = ? AND actor = ?
                """), arguments: [id, at, to.rawValue, actor]) == true
            if !recorded {
                try db.cachedStatement(sql: """
                    INSERT INTO complaint_events (complaint_id, at, actor, from_status, to_status, owner_id, note) VALUES (?, ?, ?, ?, ?, ?, ?)
                    """).execute(arguments: [id, at, actor, f["from"] ?? "", to.rawValue, f["owner"], f["note"]])
            }
            // The step itself is history and is kept even when a later status won.
            guard try lastWriterWins(db, record: "complaint:\(id)", field: "status", value: to.rawValue, op: op) else { return .applied }
            try db.cachedStatement(sql: """
                UPDATE complaints SET status = ?, owner_id = coalesce(?, owner_id),
                    resolved_at = CASE WHEN ? = 'resolved' THEN ? WHEN ? = 'in_progress' THEN NULL ELSE resolved_at END,
                    closed_at = CASE WHEN ? = 'closed' THEN ? ELSE closed_at END
                WHERE complaint_id = ?
                """).execute(arguments: [to.rawValue, f["owner"], to.rawValue, at, to.rawValue, to.rawValue, at, id])
        case "preferences.set":
            guard let customer = op.customerID else { throw Refusal(code: "bad_fields", reason: "preferences need the customer") }
            try db.cachedStatement(sql: """
                INSERT INTO customer_preferences (customer_id, no_home_visits, updated_by, updated_at) VALUES (?, 0, ?, ?)
                ON CONFLICT(customer_id) DO NOTHING
                """).execute(arguments: [customer, actor, Timestamp.utcNow(op.hlc.date)])
            var won = false
            for column in preferenceColumns {
                let value = f[column]
                guard try lastWriterWins(db, record: "prefs:\(customer)", field: column, value: value ?? "", op: op) else { continue }
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
        case "retention.open":
            guard let id = op.recordID, let customer = op.customerID, let signal = f["signal"], !signal.isEmpty else {
                throw Refusal(code: "bad_fields", reason: "a retention case needs its id and the signal")
            }
            // Another open case for the customer (the branch's nightly run may have opened one)
            // does not stop it: two warnings are two records, and the RM's later steps name this one.
            try db.execute(sql: """
                INSERT INTO retention_cases (case_id, customer_id, opened_at, opened_by, owner_id, signal, status)
                VALUES (?, ?, ?, ?, ?, ?, 'open') ON CONFLICT DO NOTHING
                """, arguments: [id, customer, f["at"] ?? Timestamp.utcNow(op.hlc.date), actor, f["owner"], signal])
        case "retention.act":
            guard let id = op.recordID, let note = f["note"], !note.isEmpty else { throw Refusal(code: "bad_fields", reason: "an action needs its case and a note") }
            try requireRow(db, "SELECT 1 FROM retention_cases WHERE case_id = ?", id, code: "unknown_case", what: "retention case \(id)")
            let at = f["at"] ?? Timestamp.utcNow(op.hlc.date)
            // History, recorded once whatever the number of times it arrives.
            try db.execute(sql: """
                INSERT INTO retention_actions (case_id, at, actor, note)
                SELECT ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM retention_actions WHERE case_id = ? AND at = ? AND actor = ? AND note = ?)
                """, arguments: [id, at, actor, note, id, at, actor, note])
        case "retention.close":
            guard let id = op.recordID, let outcome = f["outcome"].flatMap(RetentionOutcome.init(rawValue:)),
                  let reason = f["reason"].flatMap(RetentionReason.init(rawValue:)) else {
                throw Refusal(code: "bad_fields", reason: "closing a case needs its outcome and reason")
            }
            try requireRow(db, "SELECT 1 FROM retention_cases WHERE case_id = ?", id, code: "unknown_case", what: "retention case \(id)")
            // The first close stands (closing is final, like completing a task).
            try db.execute(sql: """
                UPDATE retention_cases SET status = 'closed', outcome = ?, reason_category = ?, money_went = ?, closed_at = ?, closed_by = ?
                WHERE case_id = ? AND status = 'open'
                """, arguments: [outcome.rawValue, reason.rawValue, f["money_went"], f["at"] ?? Timestamp.utcNow(op.hlc.date), actor, id])
            if db.changesCount == 0 {
                let by = try String.fetchOne(db, sql: "SELECT closed_by FROM retention_cases WHERE case_id = ?", arguments: [id]) ?? "?"
                throw Refusal(code: "superseded", reason: "\(id) was closed already by \(by); that close stands")
            }
        case "upgrade.request":
            guard let id = op.recordID, let customer = op.customerID, let servedAs = f["served_as"].flatMap(Tier.init(rawValue:)),
                  let reason = f["reason"], !reason.isEmpty else {
                throw Refusal(code: "bad_fields", reason: "an upgrade request needs its id, the tier and the reason")
            }
            try db.execute(sql: """
                INSERT INTO service_upgrades (upgrade_id, customer_id, served_as, reason, requested_by, requested_at, status)
                VALUES (?, ?, ?, ?, ?, ?, 'pending') ON CONFLICT DO NOTHING
                """, arguments: [id, customer, servedAs.rawValue, reason, actor, f["at"] ?? Timestamp.utcNow(op.hlc.date)])
        case "upgrade.approve", "upgrade.reject":
            guard let id = op.recordID else { throw Refusal(code: "bad_fields", reason: "a decision needs the request's id") }
            try decideUpgrade(db, id: id, approve: op.kind == "upgrade.approve", note: f["note"], at: f["at"] ?? Timestamp.utcNow(op.hlc.date),
                              actor: actor)
        case "segment.override":
            guard let customer = op.customerID else { throw Refusal(code: "bad_fields", reason: "an override needs the customer") }
            let value = f["high_acceptance"]
            guard value == nil || value == "1" || value == "0" else { throw Refusal(code: "bad_fields", reason: "high_acceptance: 1, 0 or absent") }
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM customer_rules WHERE customer_id = ?", arguments: [customer]) == true else {
                throw Refusal(code: "not_classified", reason: "\(customer) has not been classified by a nightly run here yet")
            }
            guard try lastWriterWins(db, record: "rules:\(customer)", field: "acceptance_override", value: value ?? "", op: op) else {
                return .superseded
            }
            try db.execute(sql: "UPDATE customer_rules SET acceptance_override = ? WHERE customer_id = ?",
                           arguments: [value.flatMap { Int($0) }, customer])
        case "campaign.join":
            guard let customer = op.customerID else { throw Refusal(code: "bad_fields", reason: "a campaign's member needs the customer") }
            try joinCampaign(db, customerID: customer, taskRef: op.recordID, fields: f, actor: actor, stamped: op.hlc.date)
        case "campaign.respond":
            guard let customer = op.customerID else { throw Refusal(code: "bad_fields", reason: "a response needs the customer") }
            try respond(db, customerID: customer, fields: f)
        case "campaign.satisfaction":
            guard let customer = op.customerID else { throw Refusal(code: "bad_fields", reason: "satisfaction needs the customer") }
            try satisfaction(db, customerID: customer, fields: f)
        case "profile.propose":
            guard let id = op.recordID, let customer = op.customerID else { throw Refusal(code: "bad_fields", reason: "a proposal needs its id") }
            try propose(db, id: id, customerID: customer, fields: f, actor: actor, stamped: op.hlc.date)
        case "profile.decide":
            guard let id = op.recordID else { throw Refusal(code: "bad_fields", reason: "a decision needs the proposal's id") }
            _ = try decide(db, id: id, fields: f, actor: actor, stamped: op.hlc.date)
        case "reveal":
            break   // the audit entry is the record
        case let kind where ProspectEffects.kinds.contains(kind):
            return try ProspectEffects.apply(db, op, actor: actor)
        default:
            throw Refusal(code: "not_supported", reason: "the branch does not apply \(op.kind) ops yet; it is kept on the workstation")
        }
        return .applied
    }

    /// Per-field last writer wins by HLC. Returns whether this op's value wins. A value that
    /// loses to a write its author had not seen (a concurrent write) is kept in
    /// `sync_conflicts`; overwriting a value one had seen is just an edit. Applying the same
    /// op again neither wins again nor logs twice.
    static func lastWriterWins(_ db: Database, record: String, field: String, value: String, op: SyncOp) throws -> Bool {
        let current = try Row.fetchOne(db.cachedStatement(sql: "SELECT hlc, value FROM field_clocks WHERE record = ? AND field = ?"),
                                       arguments: [record, field])
        let currentHLC = (current?["hlc"] as String?).flatMap(HLC.init(encoded:))
        if currentHLC == op.hlc { return false }
        let wins = currentHLC.map { op.hlc > $0 } ?? true
        let seen = op.fields["_base.\(field)"].flatMap(HLC.init(encoded:))
        if let current, let c = currentHLC, current["value"] as String? != value, !wins || seen != c {
            let (kept, keptHLC, lost, lostHLC): (String?, HLC, String?, HLC) = wins
                ? (value, op.hlc, current["value"], c) : (current["value"], c, value, op.hlc)
            try db.cachedStatement(sql: """
                INSERT OR IGNORE INTO sync_conflicts (record, field, kept_value, kept_hlc, lost_value, lost_hlc, lost_op, at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """).execute(arguments: [record, field, kept, keptHLC.description, lost, lostHLC.description, op.opID, Timestamp.utcNow(op.hlc.date)])
        }
        if wins { try setClock(db, record: record, field: field, hlc: op.hlc, value: value) }
        return wins
    }

    static func setClock(_ db: Database, record: String, field: String, hlc: HLC, value: String) throws {
        try db.cachedStatement(sql: """
            INSERT INTO field_clocks (record, field, hlc, value) VALUES (?, ?, ?, ?)
            ON CONFLICT(record, field) DO UPDATE SET hlc = excluded.hlc, value = excluded.value
            """).execute(arguments: [record, field, hlc.description, value])
    }

    // MARK: Profile corrections

    /// Records a proposal once (append-only: a retry or a second pull changes nothing).
    static func propose(_ db: Database, id: String, customerID: String, fields f: [String: String], actor: String, stamped: Date) throws {
        guard let field = f["field"].flatMap(ProfileProposal.Field.init(rawValue:)), let raw = f["value"],
              case .success(let value) = ProfileProposal.normalise(field, raw) else {
            throw Refusal(code: "bad_fields", reason: "a correction needs a field (mobile or address) and a valid value")
        }
        // The old and new values sealed at rest, their masked forms in clear (SealedFields).
        try db.execute(sql: """
            INSERT INTO profile_proposals (proposal_id, customer_id, field, old_value, old_sealed, new_value, new_sealed, reason,
                                           proposed_by, proposed_at)
            VALUES (?1, ?2, ?3, furrow_mask(?3, ?4, NULL), furrow_seal(?4, ?1, 'old_value'), furrow_mask(?3, ?5, NULL),
                    furrow_seal(?5, ?1, 'new_value'), ?6, ?7, ?8) ON CONFLICT DO NOTHING
            """, arguments: [id, customerID, field.rawValue, f["old"], value, f["reason"], actor, f["at"] ?? Timestamp.utcNow(stamped)])
    }

    /// Decides a pending proposal; an accepted one changes the customer's field. The first
    /// decision stands: a second is refused with who made the first. Returns the customer.
    static func decide(_ db: Database, id: String, fields f: [String: String], actor: String, stamped: Date) throws -> String {
        guard let decision = f["decision"].flatMap(ProfileProposal.Status.init(rawValue:)), decision != .pending else {
            throw Refusal(code: "bad_fields", reason: "decision: accepted or rejected")
        }
        guard let r = try Row.fetchOne(db, sql: """
            SELECT \(AppDatabase.columnsInClear(db, table: "profile_proposals", alias: "p")) FROM profile_proposals p WHERE proposal_id = ?
            """, arguments: [id]) else {
            throw Refusal(code: "unknown_proposal", reason: "no proposal \(id)")
        }
        let p = AppDatabase.proposal(r)
        if p.status != .pending {
            // The same decision arriving again (a pull of one's own decision) is no news.
            if p.status == decision && p.decidedBy == actor { return p.customerID }
            throw Refusal(code: "already_decided", reason: "\(id) was already \(p.status.rawValue) by \(p.decidedBy ?? "?")")
        }
        guard p.proposedBy != actor else {
            throw Refusal(code: "own_proposal", reason: "a correction is decided by someone other than who proposed it")
        }
        try db.execute(sql: """
            UPDATE profile_proposals SET status = ?, decided_by = ?, decided_at = ?, decision_note = ?, core = ? WHERE proposal_id = ?
            """, arguments: [decision.rawValue, actor, f["at"] ?? Timestamp.utcNow(stamped), f["note"], decision == .accepted ? "waiting" : nil, id])
        if decision == .accepted {
            try setProfileField(db, customerID: p.customerID, field: p.field, value: p.newValue)
        }
        return p.customerID
    }

    /// A core field changed by an accepted correction, with the search key that derives from it.
    static func setProfileField(_ db: Database, customerID: String, field: ProfileProposal.Field, value: String) throws {
        switch field {
        // Sealed at rest, the masked form in clear (AppDatabase+Sealing).
        case .mobile:
            try db.execute(sql: """
                UPDATE customers SET mobile = furrow_mask('mobile', ?1, NULL), mobile_sealed = furrow_seal(?1, customer_id, 'mobile'),
                  phone_last4 = ?2 WHERE customer_id = ?3
                """, arguments: [value, String(value.suffix(4)), customerID])
        case .address:
            try db.execute(sql: """
                UPDATE customers SET address = furrow_mask('address', ?1, NULL), address_sealed = furrow_seal(?1, customer_id, 'address')
                WHERE customer_id = ?2
                """, arguments: [value, customerID])
        }
    }

    // MARK: Service upgrades

    /// A pending request approved or rejected, by someone other than who asked; an approval
    /// replaces an older approved one for the customer. The first decision stands.
    static func decideUpgrade(_ db: Database, id: String, approve: Bool, note: String?, at: String, actor: String) throws {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM service_upgrades WHERE upgrade_id = ?", arguments: [id]) else {
            throw Refusal(code: "unknown_upgrade", reason: "no upgrade request \(id)")
        }
        let status: String = row["status"]
        guard status == "pending" else {
            let decided = approve ? "approved" : "rejected"
            if status == decided && row["decided_by"] as String? == actor { return }
            throw Refusal(code: "already_decided", reason: "\(id) was already \(status) by \(row["decided_by"] as String? ?? "?")")
        }
        guard row["requested_by"] as String != actor else {
            throw Refusal(code: "own_request", reason: "a request is decided by someone other than who made it")
        }
        try db.execute(sql: "UPDATE service_upgrades SET status = ?, decided_by = ?, decided_at = ?, decision_note = ? WHERE upgrade_id = ?",
                       arguments: [approve ? "approved" : "rejected", actor, at, note, id])
        if approve {
            try db.execute(sql: "UPDATE service_upgrades SET status = 'replaced' WHERE customer_id = ? AND status = 'approved' AND upgrade_id != ?",
                           arguments: [row["customer_id"] as String, id])
        }
    }

    static func requireRow(_ db: Database, _ sql: String, _ key: String, code: String, what: String) throws {
        guard try Bool.fetchOne(db, sql: sql, arguments: [key]) == true else { throw Refusal(code: code, reason: "no \(what)") }
    }
}
