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
    /// The kinds and their effects are in `Ops/` (`OpKind.definition`); other kinds are rejected
    /// as `not_supported` — visibly, never dropped.
    ///
    /// A push is one transaction: under load the branch commits once per push, not per op, and
    /// a push that fails midway leaves nothing behind (the workstation sends it again).
    public func applyOps(_ ops: [SyncOp], user: UserRef) throws(StoreError) -> [OpResult] {
        try applyPushes([(ops, user)])[0].get()
    }

    /// Several devices' pushes in one transaction (a group commit: one WAL write and one sync
    /// to disk for all of them), each push in a savepoint of its own, so a push that fails
    /// leaves nothing behind and the others whole. Answers in the order given; the
    /// transaction's own failure (a full disk, say) is every push's.
    public func applyPushes(_ pushes: [(ops: [SyncOp], user: UserRef)]) throws(StoreError) -> [Result<[OpResult], StoreError>] {
        // The JSON and the time are made before the write lock: every device's push queues
        // for that one writer.
        let texts = pushes.map { $0.ops.map { OpFieldsJSON.encode($0.fields) } }
        let now = Timestamp.utcNow(clock())
        let path = self.path
        return try write { db in
            try zip(pushes, texts).map { push, texts in
                var answers: [OpResult] = []
                do {
                    try db.inSavepoint {
                        answers = try zip(push.ops, texts).map { try Self.apply(db, $0, fields: $1, at: now, user: push.user) }
                        return .commit
                    }
                } catch let e as DatabaseError where [.SQLITE_FULL, .SQLITE_IOERR, .SQLITE_CORRUPT].contains(e.resultCode) {
                    throw e   // the store itself is in trouble: the whole transaction fails
                } catch {
                    return .failure(StoreError.from(error, path: path))
                }
                return .success(answers)
            }
        }
    }

    /// Who pushed: the branch's staff record, and the device (its token's id) it pushed from.
    public struct UserRef: Sendable, Hashable {
        public var staffID: String
        public var role: StaffRole
        public var team: String?
        /// A device does not pull back what it pushed itself.
        public var device: String?
        public init(staffID: String, role: StaffRole, team: String?, device: String? = nil) {
            self.staffID = staffID; self.role = role; self.team = team; self.device = device
        }
    }

    private static func apply(_ db: Database, _ op: SyncOp, fields: String, at now: String, user: UserRef) throws -> OpResult {
        if let r = try Row.fetchOne(db.cachedStatement(sql: "SELECT result, code, reason FROM op_log WHERE user_id = ? AND op_id = ?"), arguments: [user.staffID, op.opID]) {
            // A retry: one effect only; the answer says what happened the first time.
            let first = SyncOp.Status(rawValue: r["result"]) ?? .applied
            return OpResult(opID: op.opID, status: first == .applied ? .duplicate : first, code: r["code"], reason: r["reason"])
        }
        var result: OpResult
        do {
            try checkStamp(op.hlc, branchNow: now)
            try checkAt(op.fields, branchNow: now)
            guard let definition = op.opKind?.definition else {
                throw OpEffects.Refusal(code: "not_supported", reason: "the branch does not apply \(op.kind) ops yet; it is kept on the workstation")
            }
            try OpFieldRule.check(op, against: definition)
            try authorise(db, op, definition, user: user)
            switch try definition.apply(db, op, actor: user.staffID) {
            case .applied: result = OpResult(opID: op.opID, status: .applied)
            case .superseded:
                result = OpResult(opID: op.opID, status: .superseded, code: "superseded",
                                  reason: "a later change to the same field, made elsewhere, was kept; yours is in the conflict log")
            }
        } catch let refusal as OpEffects.Refusal {
            result = OpResult(opID: op.opID, status: refusal.code == "superseded" ? .superseded : .rejected,
                              code: refusal.code, reason: refusal.reason)
        }
        try db.cachedStatement(sql: """
            INSERT INTO op_log (op_id, user_id, hlc, kind, customer_id, record_id, fields, result, code, reason, applied_at)
            VALUES (?, ?, ?, ?, ?, ?, \(SealedOps.fieldsAtRestSQL), ?, ?, ?, ?)
            """).execute(arguments: StatementArguments([op.opID, user.staffID, op.hlc.description, op.kind, op.customerID, op.recordID]
                             + SealedOps.arguments(kind: op.kind, fields: fields, opID: op.opID)
                             + [result.status.rawValue, result.code, result.reason, now]))
        try Audit.record(db, at: now, actor: user.staffID, action: result.status == .applied ? "sync.\(op.kind)" : "sync.\(result.status.rawValue)",
                         customerID: op.customerID,
                         detail: "\(op.opID)" + (op.customerID == nil ? op.recordID.map { " \($0)" } ?? "" : "") + (result.code.map { " \($0)" } ?? ""))
        // A superseded op may still have moved a clock-merged field (a done task's date): every
        // copy applies it too, through the same clocks, so all agree.
        if result.status == .applied || result.status == .superseded {
            // Whose part of the feed: the customer's RM, or — an op without a customer — the
            // prospect's owner (`*` for an outreach day: seen by `ProspectEffects.outreachScope`).
            let owner = op.customerID == nil ? try ProspectEffects.owner(db, op) : nil
            try db.cachedStatement(sql: """
                INSERT INTO change_feed (kind, customer_id, record_id, payload, at, op_id, actor, hlc, device, rm_id)
                VALUES (?, ?, ?, \(SealedOps.fieldsAtRestSQL), ?, ?, ?, ?, ?, ifnull((SELECT rm_id FROM customers WHERE customer_id = ?), ?))
                """).execute(arguments: StatementArguments([op.kind, op.customerID, op.recordID]
                                 + SealedOps.arguments(kind: op.kind, fields: fields, opID: op.opID)
                                 + [now, op.opID, user.staffID, op.hlc.description, user.device, op.customerID, owner]))
        }
        return result
    }

    /// A stamp is the client's input: within the bounds the encoding keeps in order, and not
    /// ahead of the branch's own clock by more than `HLC.acceptedLeadMs` (a stamp in 2099
    /// would otherwise win every later edit of the field it touched).
    static func checkStamp(_ stamp: HLC, branchNow now: String) throws {
        guard stamp.isWithinBounds else {
            throw OpEffects.Refusal(code: "bad_stamp", reason: "the op's clock stamp is out of bounds")
        }
        guard let branch = Timestamp.parseUTC(now) else { return }
        let branchMs = Int64((branch.timeIntervalSince1970 * 1000).rounded())
        if stamp.wallMs > branchMs + HLC.acceptedLeadMs {
            throw OpEffects.Refusal(code: "clock_ahead", reason: """
                stamped \(Timestamp.utcNow(stamp.date).prefix(16)), more than \(HLC.acceptedLeadMs / 3_600_000) hours ahead of the \
                branch's clock (\(now.prefix(16))): set this computer's date and time, then resubmit
                """)
        }
    }

    /// A client's `at` (when a contact happened, a step was taken): a time the branch can read
    /// (`YYYY-MM-DD HH:MM[:SS]` in Shanghai, or UTC ISO 8601), from 1900 and not ahead of the
    /// branch's clock by more than `HLC.acceptedLeadMs`.
    static func checkAt(_ fields: [String: String], branchNow now: String) throws {
        guard let at = fields["at"] else { return }
        let instant: Date?
        if at.hasSuffix("Z") {
            instant = Timestamp.parseUTC(at)
        } else if let local = ContactLog.normalised(at), local.hasPrefix(at), let day = CalendarDate(iso: local.prefix(10)),
                  case let seconds = local.dropFirst(11).split(separator: ":").compactMap({ Int($0) }), seconds.count == 3 {
            // The form's own reader; Shanghai is UTC+8 all year.
            instant = Date(timeIntervalSince1970: Double(day.dayNumber) * 86400 + Double(seconds[0] * 3600 + seconds[1] * 60 + seconds[2]) - 8 * 3600)
        } else {
            instant = nil
        }
        guard let instant, instant.timeIntervalSince1970 >= -2_208_988_800 else {
            throw OpEffects.Refusal(code: "bad_fields", reason: "at: a time such as 2026-11-20 10:00")
        }
        if let branch = Timestamp.parseUTC(now), instant.timeIntervalSince(branch) * 1000 > Double(HLC.acceptedLeadMs) {
            throw OpEffects.Refusal(code: "bad_fields", reason: "at: \(at.prefix(40)) is ahead of the branch's clock")
        }
    }

    /// The op's sender may send it (its definition's `senders`) and its subject is in their
    /// scope: the customer must be the user's (RM), their team's (lead) or the branch's
    /// (president, admin); a prospect by its owner; an outreach day by its staff. A log
    /// authored before the customer moved to another RM is still the author's.
    private static func authorise(_ db: Database, _ op: SyncOp, _ definition: any OpDefinition, user: UserRef) throws {
        switch definition.senders {
        case .anyoneInScope: break
        case .deciders(let what):
            guard mayDecide(user.role.rawValue) else {
                throw OpEffects.Refusal(code: "not_allowed", reason: "only a team lead, the president or an administrator \(what)")
            }
        case .checked(let check): try check(db, op, user)
        }
        let afterMove: Bool
        switch definition.subject {
        case .prospect, .outreach: return try ProspectEffects.authorise(db, op, user: user)
        case .customer(let accepted): afterMove = accepted
        case .customerRecord: afterMove = false
        }
        guard let customer = op.customerID else { throw OpEffects.Refusal(code: "no_customer", reason: "the op names no customer") }
        // An op on an existing record (a task, a complaint, a case, a request, a correction) is
        // authorised by the customer that record belongs to, not the one the op names.
        if case .customerRecord(let sql) = definition.subject, let record = op.recordID,
           let owner = try String.fetchOne(db.cachedStatement(sql: sql), arguments: [record]), owner != customer {
            throw OpEffects.Refusal(code: "out_of_scope", reason: "\(record) does not belong to \(customer); the change was not applied")
        }
        guard let rm = try String?.fetchOne(db.cachedStatement(sql: "SELECT rm_id FROM customers WHERE customer_id = ?"), arguments: [customer]) else {
            throw OpEffects.Refusal(code: "unknown_customer", reason: "the branch has no customer \(customer)")
        }
        switch user.role {
        case .president, .admin: return
        case .lead:
            let team = try String.fetchOne(db.cachedStatement(sql: "SELECT team FROM staff WHERE staff_id = ?"), arguments: [rm ?? ""])
            if team != nil, team == user.team { return }
        case .rm:
            if rm == user.staffID { return }
        }
        if afterMove {
            // Written on a device that had not yet heard of the move: the customer was the
            // user's when this device last caught up with the feed (the first move since then
            // took it from them). Accepted, and it reaches the new RM with the next pull. What
            // the device stamped plays no part: a stamp is the client's to choose.
            if let seen = try Int64.fetchOne(db.cachedStatement(sql: """
                SELECT moves_seen FROM device_sync WHERE staff_id = ? AND device = ?
                """), arguments: [user.staffID, user.device ?? ""]),
               try String.fetchOne(db.cachedStatement(sql: """
                SELECT from_rm FROM customer_moves WHERE customer_id = ? AND seq > ? ORDER BY seq LIMIT 1
                """), arguments: [customer, seen]) == user.staffID {
                return
            }
        }
        // Whose the customer is now is not said: a refusal must not map the branch's customers.
        throw OpEffects.Refusal(code: "out_of_scope", reason: "\(customer) is outside your scope; the change was not applied")
    }
}
