import Foundation
import FurrowCore
import GRDB

public struct RetentionCase: Sendable, Hashable, Codable {
    public var caseID: String
    public var customerID: String
    public var openedAt: String
    public var openedBy: String
    public var ownerID: String?
    public var signal: String
    public var status: String
    public var reason: RetentionReason?
    public var outcome: RetentionOutcome?
    public var moneyWent: String?
    public var actions: [String]
}

extension AppDatabase {
    /// Opens a case for a churn warning (the nightly run's, or a staff member's own). A
    /// customer has at most one open case.
    @discardableResult
    public func openRetentionCase(customerID: String, signal: String, by actor: String) throws(StoreError) -> RetentionCase {
        try write { db in
            try requireCustomer(db, customerID)
            return try Self.openCase(db, customerID: customerID, signal: try Self.nonEmpty(signal, field: "signal"), by: actor, now: clock())
        }
    }

    /// `byStaff`: a person's warning travels to the branch as an op; the nightly run's own
    /// (which the branch runs too) is only audited.
    static func openCase(_ db: Database, customerID: String, signal: String, by actor: String, byStaff: Bool = true,
                         now: Date) throws -> RetentionCase {
        if let open = try String.fetchOne(db, sql: "SELECT case_id FROM retention_cases WHERE customer_id = ? AND status = 'open'",
                                          arguments: [customerID]) {
            throw StoreError.invalid(field: "customer", reason: "\(customerID) already has an open case \(open)")
        }
        let owner = try String.fetchOne(db, sql: "SELECT rm_id FROM customers WHERE customer_id = ?", arguments: [customerID])
        let c = RetentionCase(caseID: "RC-" + UUID().uuidString.lowercased().prefix(8), customerID: customerID,
                              openedAt: Timestamp.utcNow(now), openedBy: actor, ownerID: owner, signal: signal, status: "open",
                              reason: nil, outcome: nil, moneyWent: nil, actions: [])
        if byStaff {
            try Journal.write(db, now: now, actor: actor, kind: .retentionOpen, customerID: customerID, detail: "\(c.caseID): \(signal)",
                              recordID: c.caseID, fields: ["signal": signal, "owner": owner, "at": c.openedAt])
        } else {
            try db.execute(sql: """
                INSERT INTO retention_cases (case_id, customer_id, opened_at, opened_by, owner_id, signal, status) VALUES (?, ?, ?, ?, ?, ?, 'open')
                """, arguments: [c.caseID, customerID, c.openedAt, actor, owner, signal])
            try Audit.record(db, at: now, actor: actor, action: "retention.open", customerID: customerID, detail: "\(c.caseID): \(signal)")
        }
        return c
    }

    public func recordRetentionAction(_ caseID: String, note: String, by actor: String) throws(StoreError) {
        try write { db in
            let customer = try Self.openCaseCustomer(db, caseID)
            try Journal.write(db, now: clock(), actor: actor, kind: .retentionAct, customerID: customer, detail: caseID, recordID: caseID,
                              fields: ["note": try Self.nonEmpty(note, field: "note"), "at": Timestamp.utcNow(clock())])
        }
    }

    public func closeRetentionCase(_ caseID: String, outcome: RetentionOutcome, reason: RetentionReason, moneyWent: String?,
                                   by actor: String) throws(StoreError) {
        try write { db in
            let customer = try Self.openCaseCustomer(db, caseID)
            let went = moneyWent?.trimmingCharacters(in: .whitespaces)
            if outcome != .retained, (went ?? "").isEmpty {
                throw StoreError.invalid(field: "went", reason: "say where the money went (e.g. 邮储银行三年定期)")
            }
            let at = Timestamp.utcNow(clock())
            try Journal.write(db, now: clock(), actor: actor, kind: .retentionClose, customerID: customer, detail: "\(caseID) \(outcome.rawValue)",
                                recordID: caseID, fields: ["outcome": outcome.rawValue, "reason": reason.rawValue, "money_went": went, "at": at])
        }
    }

    private static func openCaseCustomer(_ db: Database, _ caseID: String) throws -> String {
        guard let r = try Row.fetchOne(db, sql: "SELECT customer_id, status FROM retention_cases WHERE case_id = ?", arguments: [caseID]) else {
            throw StoreError.notFound(what: "retention case \(caseID)")
        }
        guard r["status"] as String == "open" else { throw StoreError.invalid(field: "case", reason: "\(caseID) is closed") }
        return r["customer_id"]
    }

    public func retentionCases(customerID: String? = nil, openOnly: Bool = false) throws(StoreError) -> [RetentionCase] {
        try read { db in
            var sql = "SELECT * FROM retention_cases WHERE 1"
            var args: [DatabaseValueConvertible] = []
            if let customerID { sql += " AND customer_id = ?"; args.append(customerID) }
            if openOnly { sql += " AND status = 'open'" }
            return try Row.fetchAll(db, sql: sql + " ORDER BY opened_at DESC", arguments: StatementArguments(args)).map { r in
                RetentionCase(caseID: r["case_id"], customerID: r["customer_id"], openedAt: r["opened_at"], openedBy: r["opened_by"],
                              ownerID: r["owner_id"], signal: r["signal"], status: r["status"],
                              reason: (r["reason_category"] as String?).flatMap(RetentionReason.init(rawValue:)),
                              outcome: (r["outcome"] as String?).flatMap(RetentionOutcome.init(rawValue:)), moneyWent: r["money_went"],
                              actions: try String.fetchAll(db, sql: "SELECT at || ' ' || actor || ': ' || note FROM retention_actions WHERE case_id = ? ORDER BY id",
                                                           arguments: [r["case_id"] as String]))
            }
        }
    }
}
