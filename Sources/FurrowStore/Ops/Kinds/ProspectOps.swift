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
    let editable: [EditableOpField] = []

    struct Payload: OpPayload {
        var name: String
        var mobile: String?
        var idNumber: String?
        var village: String?
        var employer: String?
        var source: Prospect.Source
        var referrerID: String?
        /// The outreach day they were met on.
        var outreachID: String?
        var interest: String?
        var owner: String
        var createdAt: String

        static let rules: [String: OpFieldRule] = [
            "name": .text(50), "mobile": .text(20), "id_number": .text(18), "village": .text(50), "employer": .text(100),
            "source": .all(Prospect.Source.self), "referrer_id": .ident, "outreach_id": .ident, "interest": .text(100),
            "owner": .ident, "created_at": .time,
        ]

        /// The person as first recorded.
        init(_ p: Prospect, outreachID: String?) {
            self.init(name: p.name, mobile: p.mobile, idNumber: p.idNumber, village: p.village, employer: p.employer, source: p.source,
                      referrerID: p.referrerID, outreachID: outreachID, interest: p.interest, owner: p.ownerID, createdAt: p.createdAt)
        }

        init(name: String, mobile: String?, idNumber: String?, village: String?, employer: String?, source: Prospect.Source,
             referrerID: String?, outreachID: String?, interest: String?, owner: String, createdAt: String) {
            self.name = name; self.mobile = mobile; self.idNumber = idNumber; self.village = village; self.employer = employer
            self.source = source; self.referrerID = referrerID; self.outreachID = outreachID; self.interest = interest
            self.owner = owner; self.createdAt = createdAt
        }
    }

    func apply(_ db: Database, _ op: TypedOp<Payload>, actor: String) throws -> OpEffects.Effect {
        let f = op.payload
        let (owner, at) = (f.owner, f.createdAt)
        guard let id = op.recordID else { throw OpEffects.Refusal(code: "bad_fields", reason: "\(op.kind) names no record") }
        guard f.mobile != nil || f.idNumber != nil else {
            throw OpEffects.Refusal(code: "bad_fields", reason: "a prospect needs a mobile or ID number")
        }
        if let other = try Row.fetchOne(db, sql: "SELECT owner_id, created_at FROM prospects WHERE prospect_id = ?", arguments: [id]),
           other["owner_id"] as String != owner || other["created_at"] as String != at {
            throw OpEffects.Refusal(code: "duplicate_id", reason: "another prospect already has the id \(id); add this one again")
        }
        try ProspectEffects.add(db, id: id, name: f.name, mobile: f.mobile, idNumber: f.idNumber, village: f.village,
                                employer: f.employer, source: f.source, referrerID: f.referrerID, outreachID: f.outreachID,
                                interest: f.interest, owner: owner, createdAt: at, actor: actor)
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
    let editable: [EditableOpField] = []

    struct Payload: OpPayload {
        /// Where the writer saw it.
        var from: Prospect.Stage?
        var to: Prospect.Stage
        var note: String?
        var at: String
        static let rules: [String: OpFieldRule] = [
            "from": .all(Prospect.Stage.self), "to": .all(Prospect.Stage.self), "note": .text(200), "at": .time,
        ]
    }

    func apply(_ db: Database, _ op: TypedOp<Payload>, actor: String) throws -> OpEffects.Effect {
        guard let id = op.recordID else { throw OpEffects.Refusal(code: "bad_fields", reason: "\(op.kind) names no record") }
        let (to, at) = (op.payload.to, op.payload.at)
        guard let current = try ProspectEffects.stage(db, id) else {
            throw OpEffects.Refusal(code: "unknown_prospect", reason: "no prospect \(id)")
        }
        if current == to { return .applied }   // the same move again (a replay): once only
        guard current.next.contains(to) else {
            throw OpEffects.Refusal(code: "stage_conflict",
                                    reason: "\(id) is \(current.rawValue) now (moved elsewhere); \(to.rawValue) does not follow from it")
        }
        try ProspectEffects.move(db, id, from: current, to: to, note: op.payload.note, actor: actor, at: at)
        return .applied
    }
}

/// A prospect's next step and its day: together one field that merges by clock.
struct ProspectNext: OpDefinition {
    let kind = OpKind.prospectNext
    let subject = OpSubject.prospect
    let senders = OpSenders.anyoneInScope
    let sealedAtRest = false
    let editable: [EditableOpField] = []

    struct Payload: OpPayload {
        /// The step (none: cleared) and its day.
        var step: String?
        var due: String?
        static let rules: [String: OpFieldRule] = ["step": .text(200), "due": .day]
        /// The value the step merges by (last writer wins): the step and its day together.
        var clockValue: String { (step ?? "") + "\u{1F}" + (due ?? "") }
    }

    func clocked(_ op: TypedOp<Payload>) -> [ClockedField] {
        guard let id = op.recordID else { return [] }
        return [ClockedField(record: "prospect:\(id)", field: "next_step", value: op.payload.clockValue)]
    }

    func apply(_ db: Database, _ op: TypedOp<Payload>, actor: String) throws -> OpEffects.Effect {
        guard let id = op.recordID else { throw OpEffects.Refusal(code: "bad_fields", reason: "\(op.kind) names no record") }
        guard let current = try ProspectEffects.stage(db, id) else {
            throw OpEffects.Refusal(code: "unknown_prospect", reason: "no prospect \(id)")
        }
        // Closing a prospect clears its step; a step arriving after (in whatever order the
        // copies get them) is refused, so every copy ends without one.
        guard !current.isClosed else {
            throw OpEffects.Refusal(code: "prospect_closed", reason: "\(id) is \(current.rawValue): it has no next step")
        }
        guard op.payload.step == nil || op.payload.due.flatMap(CalendarDate.init(iso:)) != nil else {
            throw OpEffects.Refusal(code: "bad_fields", reason: "a next step has a day (YYYY-MM-DD)")
        }
        guard try OpEffects.lastWriterWins(db, record: "prospect:\(id)", field: "next_step",
                                           value: op.payload.clockValue, op: op.sync) else {
            return .superseded
        }
        try ProspectEffects.setNext(db, id, step: op.payload.step, due: op.payload.due)
        return .applied
    }
}

/// The RM's answer on a possible match the branch found: the same person converts the prospect.
struct ProspectConfirm: OpDefinition {
    let kind = OpKind.prospectConfirm
    let subject = OpSubject.prospect
    let senders = OpSenders.anyoneInScope
    let sealedAtRest = false
    let editable: [EditableOpField] = []

    struct Payload: OpPayload {
        /// The customer the branch matched.
        var customer: String
        /// Whether it is the same person.
        var same: Bool
        var at: String
        static let rules: [String: OpFieldRule] = ["customer": .ident, "same": .flag, "at": .time]
    }

    func apply(_ db: Database, _ op: TypedOp<Payload>, actor: String) throws -> OpEffects.Effect {
        guard let id = op.recordID else { throw OpEffects.Refusal(code: "bad_fields", reason: "\(op.kind) names no record") }
        let (customer, same, at) = (op.payload.customer, op.payload.same, op.payload.at)
        guard let p = try ProspectEffects.prospect(db, id) else {
            throw OpEffects.Refusal(code: "unknown_prospect", reason: "no prospect \(id)")
        }
        try ProspectEffects.confirm(db, p, customerID: customer, same: same, actor: actor, at: at)
        return .applied
    }
}

/// A prospect's mobile or ID number shown in clear: the audit entry is the record.
struct ProspectReveal: OpDefinition {
    let kind = OpKind.prospectReveal
    let subject = OpSubject.prospect
    let senders = OpSenders.anyoneInScope
    let sealedAtRest = false
    let editable: [EditableOpField] = []

    struct Payload: OpPayload {
        /// Where it was shown.
        var context: String?
        static let rules: [String: OpFieldRule] = ["context": .text(200)]
    }

    func apply(_ db: Database, _ op: TypedOp<Payload>, actor: String) throws -> OpEffects.Effect {
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
    let editable: [EditableOpField] = []

    struct Payload: OpPayload {
        var place: String
        var onDay: String
        /// Who went: staff IDs separated by commas.
        var staff: String
        var peopleMet: Int
        var note: String?
        static let rules: [String: OpFieldRule] = [
            "place": .text(100), "on_day": .day, "staff": .staffList, "people_met": .int(0...100_000), "note": .text(500, lines: true),
        ]
    }

    func apply(_ db: Database, _ op: TypedOp<Payload>, actor: String) throws -> OpEffects.Effect {
        let f = op.payload
        guard let id = op.recordID else { throw OpEffects.Refusal(code: "bad_fields", reason: "\(op.kind) names no record") }
        guard CalendarDate(iso: f.onDay) != nil else { throw OpEffects.Refusal(code: "bad_fields", reason: "on_day: a day, YYYY-MM-DD") }
        try ProspectEffects.logOutreach(db, id: id, place: f.place, day: f.onDay, staff: f.staff, met: f.peopleMet, note: f.note, actor: actor)
        return .applied
    }
}
