import Foundation
import FurrowCore
import GRDB

/// The rows a prospect or outreach op writes (its definitions are in `Ops/Kinds/ProspectOps.swift`):
/// the one place these rows are written, by the RM's own write, by the branch applying a push,
/// and by a workstation applying a pull — so every copy ends alike. Each effect can be applied
/// again without changing anything. A prospect is not a customer: these ops carry no customer,
/// and are scoped by the prospect's owner (an outreach day, by whoever went, is the branch's).
enum ProspectEffects {
    /// What a `prospect.add` op carries: the person as first recorded.
    static func addFields(_ p: Prospect, outreachID: String?) -> [String: String?] {
        ["name": p.name, "mobile": p.mobile, "id_number": p.idNumber, "village": p.village, "employer": p.employer,
         "source": p.source.rawValue, "referrer_id": p.referrerID, "outreach_id": outreachID, "interest": p.interest,
         "owner": p.ownerID, "created_at": p.createdAt]
    }

    // MARK: - The effects

    static func logOutreach(_ db: Database, id: String, place: String, day: String, staff: String, met: Int, note: String?, actor: String) throws {
        try db.execute(sql: """
            INSERT INTO outreach_logs (outreach_id, place, on_day, staff, people_met, note, created_by) VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT DO NOTHING
            """, arguments: [id, place, day, staff, met, note, actor])
    }

    static func add(_ db: Database, id: String, name: String, mobile: String?, idNumber: String?, village: String?, employer: String?,
                    source: Prospect.Source, referrerID: String?, outreachID: String?, interest: String?, owner: String,
                    createdAt: String, actor: String) throws {
        // An outreach day this copy does not hold is no reason to lose the person met there.
        let outreach = try outreachID.flatMap { o in
            try Bool.fetchOne(db, sql: "SELECT 1 FROM outreach_logs WHERE outreach_id = ?", arguments: [o]) == true ? o : nil
        }
        // The mobile and ID number sealed at rest, their masked forms in clear (SealedFields).
        try db.execute(sql: """
            INSERT INTO prospects (prospect_id, name, mobile, mobile_sealed, id_number, id_sealed, village, employer, source, referrer_id,
                                   outreach_id, interest, owner_id, stage, created_at)
            VALUES (?1, ?2, furrow_mask('mobile', ?3, NULL), furrow_seal(?3, ?1, 'mobile'),
                    furrow_mask('id_number', ?4, 'resident_id'), furrow_seal(?4, ?1, 'id_number'),
                    ?5, ?6, ?7, ?8, ?9, ?10, ?11, 'new', ?12) ON CONFLICT DO NOTHING
            """, arguments: [id, name, mobile, idNumber, village, employer, source.rawValue, referrerID, outreach, interest, owner, createdAt])
        if db.changesCount == 1 { try history(db, id, from: nil, to: .new, note: source.label, actor: actor, at: createdAt) }
    }

    static func move(_ db: Database, _ id: String, from current: Prospect.Stage, to stage: Prospect.Stage, note: String?,
                     actor: String, at: String) throws {
        let ends = stage.isClosed
        try db.execute(sql: """
            UPDATE prospects SET stage = ?, lost_reason = ?,
                next_step = CASE WHEN ? THEN NULL ELSE next_step END, next_step_due = CASE WHEN ? THEN NULL ELSE next_step_due END
            WHERE prospect_id = ?
            """, arguments: [stage.rawValue, stage == .lost ? note : nil, ends, ends, id])
        try history(db, id, from: current, to: stage, note: note, actor: actor, at: at)
    }

    static func setNext(_ db: Database, _ id: String, step: String?, due: String?) throws {
        try db.execute(sql: "UPDATE prospects SET next_step = ?, next_step_due = ? WHERE prospect_id = ?",
                       arguments: [step, step == nil ? nil : due, id])
    }

    /// The RM's answer on a possible match; the same person converts the prospect.
    static func confirm(_ db: Database, _ p: Prospect, customerID: String, same: Bool, actor: String, at: String) throws {
        // "Same" stands once said (the prospect is converted), whatever order the answers arrive in.
        try db.execute(sql: """
            INSERT INTO prospect_matches (prospect_id, customer_id, why, found_at, decided) VALUES (?, ?, 'confirmed by the RM', ?, ?)
            ON CONFLICT DO UPDATE SET decided = CASE WHEN decided = 'same' THEN 'same' ELSE excluded.decided END
            """, arguments: [p.prospectID, customerID, at, same ? "same" : "different"])
        // The copy converts even without the customer's row (another RM's customer): the link is an id.
        if same, p.customerID == nil {
            try convert(db, p, to: customerID, note: "开户: 客户经理确认 confirmed by the RM", actor: actor, at: at)
        }
    }

    static func convert(_ db: Database, _ p: Prospect, to customer: String, note: String, actor: String, at: String) throws {
        try db.execute(sql: """
            UPDATE prospects SET stage = 'opened', customer_id = ?, converted_at = ?, next_step = NULL, next_step_due = NULL
            WHERE prospect_id = ?
            """, arguments: [customer, at, p.prospectID])
        try history(db, p.prospectID, from: p.stage, to: .opened, note: "\(note) → \(customer)", actor: actor, at: at)
        try db.execute(sql: "UPDATE prospect_matches SET decided = 'different' WHERE prospect_id = ? AND decided IS NULL AND customer_id != ?",
                       arguments: [p.prospectID, customer])
    }

    /// One step of a prospect's history; the same step again (a replayed op, a snapshot) is kept once.
    static func history(_ db: Database, _ id: String, from: Prospect.Stage?, to: Prospect.Stage, note: String?, actor: String, at: String) throws {
        try db.execute(sql: """
            INSERT OR IGNORE INTO prospect_history (prospect_id, at, actor, from_stage, to_stage, note) VALUES (?, ?, ?, ?, ?, ?)
            """, arguments: [id, at, actor, from?.rawValue, to.rawValue, note])
    }

    static func stage(_ db: Database, _ id: String) throws -> Prospect.Stage? {
        try String.fetchOne(db, sql: "SELECT stage FROM prospects WHERE prospect_id = ?", arguments: [id]).flatMap(Prospect.Stage.init(rawValue:))
    }

    static func prospect(_ db: Database, _ id: String) throws -> Prospect? {
        try Row.fetchOne(db, sql: "SELECT * FROM prospects WHERE prospect_id = ?", arguments: [id]).map(AppDatabase.prospect)
    }

    // MARK: - Scope on the branch

    /// Whose the op's prospect is (the owner named by an add, or the stored prospect's), for
    /// the branch's authorisation and its change feed; `*` for an outreach day (its readers: `outreachScope`).
    static func owner(_ db: Database, _ op: SyncOp) throws -> String? {
        switch op.opKind {
        case .outreachLog?: "*"
        case .prospectAdd?: op.fields["owner"]
        default: try String.fetchOne(db, sql: "SELECT owner_id FROM prospects WHERE prospect_id = ?", arguments: [op.recordID ?? ""])
        }
    }

    /// The branch authorises a prospect op by the prospect's owner: an RM their own, a lead
    /// their team's, the president and administrators all. Anyone records an outreach day, of
    /// the branch's staff; it reaches those who may see it (`outreachScope`).
    static func authorise(_ db: Database, _ op: SyncOp, user: AppDatabase.UserRef) throws {
        if op.opKind == .outreachLog {
            let staff = (op.fields["staff"] ?? "").split(separator: ",").map(String.init)
            for s in staff where try Bool.fetchOne(db, sql: "SELECT 1 FROM staff WHERE staff_id = ?", arguments: [s]) != true {
                throw OpEffects.Refusal(code: "unknown_staff", reason: "\(s) is not on the branch's staff")
            }
            return
        }
        guard let owner = try owner(db, op) else {
            throw OpEffects.Refusal(code: "unknown_prospect", reason: "the branch has no prospect \(op.recordID ?? "")")
        }
        guard try Bool.fetchOne(db, sql: "SELECT 1 FROM staff WHERE staff_id = ?", arguments: [owner]) == true else {
            throw OpEffects.Refusal(code: "unknown_staff", reason: "\(owner) is not on the branch's staff")
        }
        // A prospect is no customer's: an op naming one would reach that customer's RM.
        guard op.customerID == nil else { throw OpEffects.Refusal(code: "bad_fields", reason: "a prospect op names no customer") }
        // A confirmation answers a possible match the branch found, nothing else.
        if op.opKind == .prospectConfirm, try Bool.fetchOne(db, sql: "SELECT 1 FROM prospect_matches WHERE prospect_id = ? AND customer_id = ?",
                                                            arguments: [op.recordID ?? "", op.fields["customer"] ?? ""]) != true {
            throw OpEffects.Refusal(code: "no_such_match", reason: "the branch offered no match of \(op.recordID ?? "") with \(op.fields["customer"] ?? "")")
        }
        switch user.role {
        case .president, .admin: return
        case .lead:
            if try String.fetchOne(db, sql: "SELECT team FROM staff WHERE staff_id = ?", arguments: [owner]) == user.team, user.team != nil { return }
        case .rm:
            if owner == user.staffID { return }
        }
        throw OpEffects.Refusal(code: "out_of_scope", reason: "prospect \(op.recordID ?? "") is outside your scope; the change was not applied")
    }

    /// Which outreach days `user` may see, as a condition on `outreach_logs` aliased `o`: an
    /// RM the days they logged or went on, a lead those of anyone in the team, the president
    /// and administrators all. (`staff` is the comma-joined list of who went.)
    static func outreachScope(_ user: AppDatabase.UserRef) -> (sql: String, arguments: [DatabaseValueConvertible]) {
        /// True when `who` (SQL) is among those who went.
        func went(_ who: String) -> String { "instr(',' || o.staff || ',', ',' || \(who) || ',') > 0" }
        switch user.role {
        case .president, .admin:
            return ("1", [])
        case .lead:
            return ("EXISTS (SELECT 1 FROM staff s WHERE s.team = ? AND (s.staff_id = o.created_by OR \(went("s.staff_id"))))", [user.team ?? ""])
        case .rm:
            return ("(o.created_by = ? OR \(went("?")))", [user.staffID, user.staffID])
        }
    }

    /// Which prospects `user` is sent, as a condition on `prospects` aliased `p`.
    static func scope(_ user: AppDatabase.UserRef) -> (sql: String, arguments: [DatabaseValueConvertible]) {
        switch user.role {
        case .president, .admin: ("1", [])
        case .lead: ("p.owner_id IN (SELECT staff_id FROM staff WHERE team = ?)", [user.team ?? ""])
        case .rm: ("p.owner_id = ?", [user.staffID])
        }
    }
}
