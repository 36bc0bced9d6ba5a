import Foundation
import FurrowCore
import GRDB

/// Profile corrections: an RM proposes a new mobile or address, a team lead or an admin (never
/// the proposer) accepts or rejects it. Both are RM writes (row + audit + outbox op) and both
/// travel through sync; the effects are `ProfilePropose` / `ProfileDecide` (Ops/Kinds/ProfileOps.swift) everywhere.
extension AppDatabase {
    @discardableResult
    public func proposeCorrection(customerID: String, field: ProfileProposal.Field, value: String, reason: String?,
                                  by actor: String) throws(StoreError) -> ProfileProposal {
        let normalised: String
        switch ProfileProposal.normalise(field, value) {
        case .success(let v): normalised = v
        case .failure(let e): throw StoreError.invalid(field: field.rawValue, reason: e.message)
        }
        let now = clock()
        return try write { db in
            guard let current = try Row.fetchOne(db, sql: """
                SELECT \(Self.clearSQL("mobile", alias: "c")) AS mobile, \(Self.clearSQL("address", alias: "c")) AS address
                FROM customers c WHERE customer_id = ?
                """, arguments: [customerID]) else {
                throw StoreError.notFound(what: "customer \(customerID)")
            }
            let old: String? = current[field.rawValue]
            guard old != normalised else {
                throw StoreError.invalid(field: field.rawValue, reason: "that is already the customer's \(field.rawValue)")
            }
            if let open = try String.fetchOne(db, sql: """
                SELECT proposal_id FROM profile_proposals WHERE customer_id = ? AND field = ? AND status = 'pending'
                """, arguments: [customerID, field.rawValue]) {
                throw StoreError.invalid(field: field.rawValue, reason: "a correction of it (\(open)) is already waiting for a decision")
            }
            let reason = reason?.trimmingCharacters(in: .whitespacesAndNewlines)
            let p = ProfileProposal(proposalID: "PP-" + UUID().uuidString.lowercased().prefix(12), customerID: customerID, field: field,
                                    oldValue: old, newValue: normalised, reason: reason?.isEmpty == false ? reason : nil,
                                    proposedBy: actor, proposedAt: Timestamp.utcNow(now))
            let fields: [String: String?] = ["field": field.rawValue, "value": normalised, "old": old, "reason": p.reason, "at": p.proposedAt]
            try Journal.write(db, now: now, actor: actor, kind: .profilePropose, customerID: customerID,
                                detail: "\(p.proposalID) \(field.rawValue)", recordID: p.proposalID, fields: fields)
            return p
        }
    }

    /// A lead's, president's or admin's decision on this store (their workstation); it reaches
    /// the branch with the next sync, which checks the same rules again.
    public func decideProposal(_ proposalID: String, accept: Bool, note: String?, by actor: String) throws(StoreError) {
        let now = clock()
        try write { db in
            let role = try String.fetchOne(db, sql: "SELECT role FROM staff WHERE staff_id = ?", arguments: [actor])
            guard Self.mayDecide(role) else {
                throw StoreError.invalid(field: "actor", reason: "\(actor) is not a team lead, president or administrator")
            }
            let note = note?.trimmingCharacters(in: .whitespacesAndNewlines)
            guard accept || note?.isEmpty == false else { throw StoreError.invalid(field: "note", reason: "say why it is rejected") }
            let fields: [String: String?] = ["decision": accept ? "accepted" : "rejected", "note": note, "at": Timestamp.utcNow(now)]
            guard let customer = try String.fetchOne(db, sql: "SELECT customer_id FROM profile_proposals WHERE proposal_id = ?",
                                                     arguments: [proposalID]) else {
                throw StoreError.invalid(field: "proposal", reason: "no proposal \(proposalID)")
            }
            try Journal.write(db, now: now, actor: actor, kind: .profileDecide, customerID: customer,
                              detail: "\(proposalID) \(accept ? "accepted" : "rejected")", recordID: proposalID, fields: fields) { _ in "proposal" }
        }
    }

    static func mayDecide(_ role: String?) -> Bool { [StaffRole.lead, .president, .admin].map(\.rawValue).contains(role ?? "") }

    /// Proposals, newest first; their values masked, or opened when `inClear` (for a reveal
    /// the caller records; it needs the store unlocked).
    public func proposals(status: ProfileProposal.Status? = nil, customerID: String? = nil,
                          limit: Int = 500, inClear: Bool = false) throws(StoreError) -> [ProfileProposal] {
        try read { db in
            var conditions: [String] = []
            var args: [DatabaseValueConvertible] = []
            if let status { conditions.append("status = ?"); args.append(status.rawValue) }
            if let customerID { conditions.append("customer_id = ?"); args.append(customerID) }
            let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
            let columns = inClear ? try Self.columnsInClear(db, table: "profile_proposals", alias: "p") : "p.*"
            return try Row.fetchAll(db, sql: "SELECT \(columns) FROM profile_proposals p \(filter) ORDER BY proposed_at DESC LIMIT ?",
                                    arguments: StatementArguments(args + [limit])).map(Self.proposal)
        }
    }

    /// How many corrections wait for a decision that `staffID` did not propose (the status line's count).
    public func pendingProposalCount(notProposedBy staffID: String) throws(StoreError) -> Int {
        try read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM profile_proposals WHERE status = 'pending' AND proposed_by != ?", arguments: [staffID]) ?? 0
        }
    }

    static func proposal(_ r: Row) -> ProfileProposal {
        ProfileProposal(proposalID: r["proposal_id"], customerID: r["customer_id"], field: ProfileProposal.Field(rawValue: r["field"]) ?? .address,
                        oldValue: r["old_value"], newValue: r["new_value"], reason: r["reason"], proposedBy: r["proposed_by"],
                        proposedAt: r["proposed_at"], status: ProfileProposal.Status(rawValue: r["status"]) ?? .pending,
                        decidedBy: r["decided_by"], decidedAt: r["decided_at"], decisionNote: r["decision_note"],
                        core: (r["core"] as String?).flatMap(ProfileProposal.CoreState.init(rawValue:)))
    }
}

extension AppDatabase {
    /// The branch decides (`furrow-branch proposals accept|reject`): the decision is an op by
    /// `staffID`, applied and authorised exactly like one pushed from a lead's workstation, so
    /// every workstation that holds the customer pulls it.
    public func decideProposalAtBranch(_ proposalID: String, accept: Bool, note: String?, by staffID: String) throws(StoreError) -> OpResult {
        let now = clock()
        let (user, op) = try write { db -> (UserRef, SyncOp) in
            guard let s = try Row.fetchOne(db, sql: "SELECT role, team FROM staff WHERE staff_id = ?", arguments: [staffID]) else {
                throw StoreError.invalid(field: "by", reason: "no staff member \(staffID)")
            }
            guard let customer = try String.fetchOne(db, sql: "SELECT customer_id FROM profile_proposals WHERE proposal_id = ?",
                                                     arguments: [proposalID]) else {
                throw StoreError.notFound(what: "proposal \(proposalID)")
            }
            let note = note?.trimmingCharacters(in: .whitespacesAndNewlines)
            guard accept || note?.isEmpty == false else { throw StoreError.invalid(field: "reason", reason: "say why it is rejected") }
            var fields = ["decision": accept ? "accepted" : "rejected", "at": Timestamp.utcNow(now)]
            if let note, !note.isEmpty { fields["note"] = note }
            let op = SyncOp(opID: UUID().uuidString.lowercased(), hlc: try Journal.nextStamp(db, now: now), kind: .profileDecide,
                            customerID: customer, recordID: proposalID, fields: fields)
            return (UserRef(staffID: staffID, role: StaffRole(rawValue: s["role"]) ?? .rm, team: s["team"]), op)
        }
        guard let result = try applyOps([op], user: user).first else { throw StoreError.invalid(field: "proposal", reason: "not applied") }
        return result
    }

    /// After an import: an accepted correction the core does not carry yet is applied again
    /// (the extract brought the old value back); one the extract shows is done; one the core
    /// has changed to a third value since yields to the core. Returns how many were re-applied.
    @discardableResult
    public func carryAcceptedCorrections() throws(StoreError) -> Int {
        try write { db in
            var carried = 0
            let open = try Row.fetchAll(db, sql: """
                SELECT \(Self.columnsInClear(db, table: "profile_proposals", alias: "p")), CASE p.field WHEN 'mobile' THEN \(Self.clearSQL("mobile", alias: "c")) ELSE \(Self.clearSQL("address", alias: "c")) END AS current
                FROM profile_proposals p JOIN customers c ON c.customer_id = p.customer_id
                WHERE p.status = 'accepted' AND ifnull(p.core, 'waiting') = 'waiting'
                """)
            for r in open {
                let p = Self.proposal(r)
                let current: String? = r["current"]
                if current == p.newValue {
                    try db.execute(sql: "UPDATE profile_proposals SET core = 'in_core' WHERE proposal_id = ?", arguments: [p.proposalID])
                } else if current == p.oldValue {
                    try ProfileDecide.setProfileField(db, customerID: p.customerID, field: p.field, value: p.newValue)
                    carried += 1
                } else {
                    try db.execute(sql: "UPDATE profile_proposals SET core = 'overridden' WHERE proposal_id = ?", arguments: [p.proposalID])
                    try Audit.record(db, at: clock(), actor: "branch", action: "profile.core_overrides", customerID: p.customerID,
                                     detail: "\(p.proposalID): the core changed \(p.field.rawValue) since")
                }
            }
            return carried
        }
    }
}
