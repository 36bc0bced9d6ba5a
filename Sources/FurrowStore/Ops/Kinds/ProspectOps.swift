import Foundation
import FurrowCore
import GRDB

// Prospects (people who are not customers yet) and outreach days. These ops name no customer:
// a prospect op is scoped by the prospect's owner, an outreach day by who logged it and who
// went. The rows are written by `ProspectEffects`.

/// Someone met who may become a customer. Their mobile and ID number are personal data: the
/// op's fields are sealed at rest.
struct ProspectAdd: OpDefinition {
    let kind = OpKind.prospectAdd
    let subject = OpSubject.prospect
    let senders = OpSenders.anyoneInScope
    let sealedAtRest = true
    let fields: [String: OpFieldRule] = [
        "name": .text(50), "mobile": .text(20), "id_number": .text(18), "village": .text(50), "employer": .text(100),
        "source": .all(Prospect.Source.self), "referrer_id": .ident, "outreach_id": .ident, "interest": .text(100),
        "owner": .ident, "created_at": .time,
    ]
    let editable: [EditableOpField] = []
    func clocked(_ op: SyncOp) -> [ClockedField] { [] }

    func apply(_ db: Database, _ op: SyncOp, actor: String) throws -> OpEffects.Effect {
        let f = op.fields
        guard let id = op.recordID else { throw OpEffects.Refusal(code: "bad_fields", reason: "\(op.kind) names no record") }
        guard let name = f["name"], let source = f["source"].flatMap(Prospect.Source.init(rawValue:)), let owner = f["owner"],
              let at = f["created_at"], f["mobile"] != nil || f["id_number"] != nil else {
            throw OpEffects.Refusal(code: "bad_fields", reason: "a prospect needs its name, source, owner, time and a mobile or ID number")
        }
        if let other = try Row.fetchOne(db, sql: "SELECT owner_id, created_at FROM prospects WHERE prospect_id = ?", arguments: [id]),
           other["owner_id"] as String != owner || other["created_at"] as String != at {
            throw OpEffects.Refusal(code: "duplicate_id", reason: "another prospect already has the id \(id); add this one again")
        }
        try ProspectEffects.add(db, id: id, name: name, mobile: f["mobile"], idNumber: f["id_number"], village: f["village"],
                                employer: f["employer"], source: source, referrerID: f["referrer_id"], outreachID: f["outreach_id"],
                                interest: f["interest"], owner: owner, createdAt: at, actor: actor)
        return .applied
    }
}

/// A prospect moved along the pipeline; a move that does not follow from where it is now
/// (moved elsewhere first) is refused.
struct ProspectStage: OpDefinition {
    let kind = OpKind.prospectStage
    let subject = OpSubject.prospect
    let senders = OpSenders.anyoneInScope
    let sealedAtRest = false
    let fields: [String: OpFieldRule] = [
        "from": .all(Prospect.Stage.self), "to": .all(Prospect.Stage.self), "note": .text(200), "at": .time,
    ]
    let editable: [EditableOpField] = []
    func clocked(_ op: SyncOp) -> [ClockedField] { [] }

    func apply(_ db: Database, _ op: SyncOp, actor: String) throws -> OpEffects.Effect {
        guard let id = op.recordID else { throw OpEffects.Refusal(code: "bad_fields", reason: "\(op.kind) names no record") }
        guard let to = op.fields["to"].flatMap(Prospect.Stage.init(rawValue:)), let at = op.fields["at"] else {
            throw OpEffects.Refusal(code: "bad_fields", reason: "a stage move needs the stage and its time")
        }
        guard let current = try ProspectEffects.stage(db, id) else {
            throw OpEffects.Refusal(code: "unknown_prospect", reason: "no prospect \(id)")
        }
        if current == to { return .applied }   // the same move again (a replay): once only
        guard current.next.contains(to) else {
            throw OpEffects.Refusal(code: "stage_conflict",
                                    reason: "\(id) is \(current.rawValue) now (moved elsewhere); \(to.rawValue) does not follow from it")
        }
        try ProspectEffects.move(db, id, from: current, to: to, note: op.fields["note"], actor: actor, at: at)
        return .applied
    }
}

/// A prospect's next step and its day: together one field that merges by clock.
struct ProspectNext: OpDefinition {
    let kind = OpKind.prospectNext
    let subject = OpSubject.prospect
    let senders = OpSenders.anyoneInScope
    let sealedAtRest = false
    let fields: [String: OpFieldRule] = ["step": .text(200), "due": .day]
    let editable: [EditableOpField] = []

    func clocked(_ op: SyncOp) -> [ClockedField] {
        guard let id = op.recordID else { return [] }
        return [ClockedField(record: "prospect:\(id)", field: "next_step", value: ProspectEffects.nextStepValue(op.fields))]
    }

    func apply(_ db: Database, _ op: SyncOp, actor: String) throws -> OpEffects.Effect {
        guard let id = op.recordID else { throw OpEffects.Refusal(code: "bad_fields", reason: "\(op.kind) names no record") }
        guard let current = try ProspectEffects.stage(db, id) else {
            throw OpEffects.Refusal(code: "unknown_prospect", reason: "no prospect \(id)")
        }
        // Closing a prospect clears its step; a step arriving after (in whatever order the
        // copies get them) is refused, so every copy ends without one.
        guard !current.isClosed else {
            throw OpEffects.Refusal(code: "prospect_closed", reason: "\(id) is \(current.rawValue): it has no next step")
        }
        guard op.fields["step"] == nil || op.fields["due"].flatMap(CalendarDate.init(iso:)) != nil else {
            throw OpEffects.Refusal(code: "bad_fields", reason: "a next step has a day (YYYY-MM-DD)")
        }
        guard try OpEffects.lastWriterWins(db, record: "prospect:\(id)", field: "next_step",
                                           value: ProspectEffects.nextStepValue(op.fields), op: op) else {
            return .superseded
        }
        try ProspectEffects.setNext(db, id, step: op.fields["step"], due: op.fields["due"])
        return .applied
    }
}

/// The RM's answer on a possible match the branch found: the same person converts the prospect.
struct ProspectConfirm: OpDefinition {
    let kind = OpKind.prospectConfirm
    let subject = OpSubject.prospect
    let senders = OpSenders.anyoneInScope
    let sealedAtRest = false
    let fields: [String: OpFieldRule] = ["customer": .ident, "same": .flag, "at": .time]
    let editable: [EditableOpField] = []
    func clocked(_ op: SyncOp) -> [ClockedField] { [] }

    func apply(_ db: Database, _ op: SyncOp, actor: String) throws -> OpEffects.Effect {
        guard let id = op.recordID else { throw OpEffects.Refusal(code: "bad_fields", reason: "\(op.kind) names no record") }
        guard let customer = op.fields["customer"], let same = op.fields["same"], let at = op.fields["at"] else {
            throw OpEffects.Refusal(code: "bad_fields", reason: "a confirmation names the customer and whether it is the same person")
        }
        guard let p = try ProspectEffects.prospect(db, id) else {
            throw OpEffects.Refusal(code: "unknown_prospect", reason: "no prospect \(id)")
        }
        try ProspectEffects.confirm(db, p, customerID: customer, same: same == "1", actor: actor, at: at)
        return .applied
    }
}

/// A prospect's mobile or ID number shown in clear: the audit entry is the record.
struct ProspectReveal: OpDefinition {
    let kind = OpKind.prospectReveal
    let subject = OpSubject.prospect
    let senders = OpSenders.anyoneInScope
    let sealedAtRest = false
    let fields: [String: OpFieldRule] = ["context": .text(200)]
    let editable: [EditableOpField] = []
    func clocked(_ op: SyncOp) -> [ClockedField] { [] }

    func apply(_ db: Database, _ op: SyncOp, actor: String) throws -> OpEffects.Effect {
        guard op.recordID != nil else { throw OpEffects.Refusal(code: "bad_fields", reason: "\(op.kind) names no record") }
        return .applied
    }
}

/// A day of outreach (a village, a market, a factory): where, when, who went, how many were met.
struct OutreachLog: OpDefinition {
    let kind = OpKind.outreachLog
    let subject = OpSubject.outreach
    let senders = OpSenders.anyoneInScope
    let sealedAtRest = false
    let fields: [String: OpFieldRule] = [
        "place": .text(100), "on_day": .day, "staff": .staffList, "people_met": .int(0...100_000), "note": .text(500, lines: true),
    ]
    let editable: [EditableOpField] = []
    func clocked(_ op: SyncOp) -> [ClockedField] { [] }

    func apply(_ db: Database, _ op: SyncOp, actor: String) throws -> OpEffects.Effect {
        let f = op.fields
        guard let id = op.recordID else { throw OpEffects.Refusal(code: "bad_fields", reason: "\(op.kind) names no record") }
        guard let place = f["place"], let day = f["on_day"], CalendarDate(iso: day) != nil, let staff = f["staff"],
              let met = f["people_met"].flatMap({ Int($0) }) else {
            throw OpEffects.Refusal(code: "bad_fields", reason: "an outreach day needs its place, day, staff and people met")
        }
        try ProspectEffects.logOutreach(db, id: id, place: place, day: day, staff: staff, met: met, note: f["note"], actor: actor)
        return .applied
    }
}
