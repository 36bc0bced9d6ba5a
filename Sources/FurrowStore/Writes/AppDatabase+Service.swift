import Foundation
import FurrowCore
import GRDB

/// A request to serve a customer above their tier (一户一策), and its decision.
public struct ServiceUpgrade: Sendable, Hashable, Codable {
    public var upgradeID: String
    public var customerID: String
    public var servedAs: Tier
    public var reason: String
    public var requestedBy: String
    public var requestedAt: String
    public var status: String
    public var decidedBy: String?
    public var decisionNote: String?
}

/// How the customer wants to be contacted.
public struct ContactPreferences: Sendable, Hashable, Codable {
    public var preferredChannel: InteractionChannel?
    /// `HH:MM-HH:MM`, e.g. `21:00-08:00`.
    public var quietHours: String?
    public var noHomeVisits: Bool
    /// At most this many contacts a month.
    public var monthlyCap: Int?

    public init(preferredChannel: InteractionChannel? = nil, quietHours: String? = nil, noHomeVisits: Bool = false, monthlyCap: Int? = nil) {
        self.preferredChannel = preferredChannel; self.quietHours = quietHours; self.noHomeVisits = noHomeVisits; self.monthlyCap = monthlyCap
    }

    public var summary: String {
        var p: [String] = []
        if let c = preferredChannel { p.append("偏好\(c.label)") }
        if let q = quietHours { p.append("勿扰 \(q)") }
        if noHomeVisits { p.append("不上门") }
        if let m = monthlyCap { p.append("每月至多 \(m) 次") }
        return p.isEmpty ? "无特别偏好" : p.joined(separator: " · ")
    }

    /// Field → reason.
    public var problems: [String: String] {
        var out: [String: String] = [:]
        if let q = quietHours {
            let parts = q.split(separator: "-").map(String.init)
            let ok = parts.count == 2 && parts.allSatisfy { p in
                let hm = p.split(separator: ":")
                return hm.count == 2 && Int(hm[0]).map { (0..<24).contains($0) } == true && Int(hm[1]).map { (0..<60).contains($0) } == true
                    && hm[0].count == 2 && hm[1].count == 2
            }
            if !ok { out["quiet"] = "expected HH:MM-HH:MM, e.g. 21:00-08:00" }
        }
        if let m = monthlyCap, !(1...31).contains(m) { out["cap"] = "1 to 31 contacts a month" }
        return out
    }
}

extension AppDatabase {
    @discardableResult
    public func requestUpgrade(customerID: String, to servedAs: Tier, reason: String, by actor: String) throws(StoreError) -> ServiceUpgrade {
        try write { db in
            try requireCustomer(db, customerID)
            let why = try Self.nonEmpty(reason, field: "reason")
            let tier = try String.fetchOne(db, sql: "SELECT ifnull((SELECT tier FROM customer_rules WHERE customer_id = ?), tier) FROM customers WHERE customer_id = ?",
                                           arguments: [customerID, customerID]).flatMap(Tier.init(rawValue:)) ?? .mass
            guard servedAs > tier else {
                throw StoreError.invalid(field: "to", reason: "\(customerID) is already \(tier.rawValue); an upgrade goes above it")
            }
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM service_upgrades WHERE customer_id = ? AND status = 'pending'",
                                    arguments: [customerID]) != true else {
                throw StoreError.invalid(field: "customer", reason: "\(customerID) already has a request waiting for a decision")
            }
            let u = ServiceUpgrade(upgradeID: "UP-" + UUID().uuidString.lowercased().prefix(8), customerID: customerID, servedAs: servedAs,
                                   reason: why, requestedBy: actor, requestedAt: Timestamp.utcNow(clock()), status: "pending")
            try Journal.write(db, now: clock(), actor: actor, kind: .upgradeRequest, customerID: customerID, detail: "\(u.upgradeID) → \(servedAs.rawValue)",
                                recordID: u.upgradeID, fields: ["served_as": servedAs.rawValue, "reason": why, "at": u.requestedAt])
            return u
        }
    }

    /// A team lead (or the president or an administrator) approves or rejects; nobody decides
    /// their own request.
    public func decideUpgrade(_ upgradeID: String, approve: Bool, note: String?, by actor: String) throws(StoreError) {
        try write { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM service_upgrades WHERE upgrade_id = ?", arguments: [upgradeID]) else {
                throw StoreError.notFound(what: "upgrade request \(upgradeID)")
            }
            let role = try String.fetchOne(db, sql: "SELECT role FROM staff WHERE staff_id = ?", arguments: [actor])
            guard Self.mayDecide(role) else {
                throw StoreError.invalid(field: "actor", reason: "\(actor) is not a team lead, president or administrator")
            }
            let at = Timestamp.utcNow(clock())
            try Journal.write(db, now: clock(), actor: actor, kind: approve ? .upgradeApprove : .upgradeReject, customerID: row["customer_id"],
                              detail: upgradeID, recordID: upgradeID, fields: ["note": note, "at": at]) { $0.code == "own_request" ? "actor" : "upgrade" }
        }
    }

    public func upgrades(status: String? = nil) throws(StoreError) -> [ServiceUpgrade] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM service_upgrades" + (status == nil ? "" : " WHERE status = ?") + " ORDER BY requested_at",
                             arguments: StatementArguments(status.map { [$0] } ?? [])).map {
                ServiceUpgrade(upgradeID: $0["upgrade_id"], customerID: $0["customer_id"], servedAs: Tier(rawValue: $0["served_as"]) ?? .mass,
                               reason: $0["reason"], requestedBy: $0["requested_by"], requestedAt: $0["requested_at"], status: $0["status"],
                               decidedBy: $0["decided_by"], decisionNote: $0["decision_note"])
            }
        }
    }

    public func setPreferences(customerID: String, _ p: ContactPreferences, by actor: String) throws(StoreError) {
        if let (field, reason) = p.problems.first { throw StoreError.invalid(field: field, reason: reason) }
        try write { db in
            try requireCustomer(db, customerID)
            try Journal.write(db, now: clock(), actor: actor, kind: .preferencesSet, customerID: customerID, detail: p.summary, recordID: customerID,
                                fields: ["preferred_channel": p.preferredChannel?.rawValue, "quiet_hours": p.quietHours,
                                         "no_home_visits": p.noHomeVisits ? "1" : "0", "monthly_cap": p.monthlyCap.map(String.init)])
        }
    }

    public func preferences(customerID: String) throws(StoreError) -> ContactPreferences? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM customer_preferences WHERE customer_id = ?", arguments: [customerID]).map {
                ContactPreferences(preferredChannel: ($0["preferred_channel"] as String?).flatMap(InteractionChannel.init(rawValue:)),
                                   quietHours: $0["quiet_hours"], noHomeVisits: ($0["no_home_visits"] as Int) == 1, monthlyCap: $0["monthly_cap"])
            }
        }
    }

    /// The customer's service plan: from the nightly tier and segment, any approved upgrade.
    public func servicePlan(customerID: String, rules: RulesConfig = .standard) throws(StoreError) -> ServicePlans.Plan? {
        try read { db in
            guard let r = try Row.fetchOne(db, sql: """
                SELECT c.tier, cr.tier, cr.segment,
                       (SELECT served_as FROM service_upgrades u WHERE u.customer_id = c.customer_id AND u.status = 'approved')
                FROM customers c LEFT JOIN customer_rules cr ON cr.customer_id = c.customer_id WHERE c.customer_id = ?
                """, arguments: [customerID]) else { return nil }
            let tier = Tier(rawValue: r[1] ?? r[0] ?? "") ?? .mass
            return rules.servicePlans.plan(tier: tier, segment: (r[2] as String?).flatMap(Segment.init(rawValue:)),
                                           upgradedTo: (r[3] as String?).flatMap(Tier.init(rawValue:)), cadence: rules.cadenceDays)
        }
    }
}
