import Foundation
import FurrowCore
import GRDB

/// A launched campaign's header and one member (`campaign.join`, for a routine task the
/// campaign used; a new task carries the same header in its `task.create`).
struct CampaignJoin: OpDefinition {
    let kind = OpKind.campaignJoin
    let subject = OpSubject.customer(afterMove: false)
    let senders = OpSenders.deciders("launches campaigns")
    let sealedAtRest = false
    var fields: [String: OpFieldRule] { Self.header }
    let editable: [EditableOpField] = []

    /// The campaign's header, as a launch's ops carry it.
    static let header: [String: OpFieldRule] = [
        "campaign": .ident, "campaign_name": .text(100), "campaign_kind": .all(Campaign.Kind.self), "campaign_starts": .day,
        "campaign_ends": .day, "campaign_products": .text(1000), "campaign_venue": .text(100), "campaign_at": .text(20),
        "campaign_capacity": .int(1...100_000), "owner": .ident,
    ]

    func clocked(_ op: SyncOp) -> [ClockedField] { [] }

    func apply(_ db: Database, _ op: SyncOp, actor: String) throws -> OpEffects.Effect {
        guard let customer = op.customerID else { throw OpEffects.Refusal(code: "bad_fields", reason: "a campaign's member needs the customer") }
        try Self.join(db, customerID: customer, taskRef: op.recordID, fields: op.fields, actor: actor, stamped: op.hlc.date)
        return .applied
    }

    /// A launched campaign's header and one member, from a launch's op (`task.create` with a
    /// `campaign` field, or `campaign.join` for a routine task the campaign used): the store
    /// that receives it can then take the member's answers. Nothing is overwritten.
    static func join(_ db: Database, customerID: String, taskRef: String?, fields f: [String: String], actor: String,
                             stamped: Date) throws {
        guard let id = f["campaign"] else { return }
        let at = Timestamp.utcNow(stamped)
        guard let name = f["campaign_name"], let kind = f["campaign_kind"].flatMap(Campaign.Kind.init(rawValue:)),
              let starts = f["campaign_starts"], let ends = f["campaign_ends"] else {
            throw OpEffects.Refusal(code: "bad_fields", reason: "a campaign's op needs its name, kind and period")
        }
        try db.execute(sql: """
            INSERT OR IGNORE INTO campaigns (campaign_id, name, kind, starts_on, ends_on, owner_id, products, target, status, created_at, created_by,
                                             launched_at, venue, event_at, capacity)
            VALUES (?, ?, ?, ?, ?, ?, ?, '', 'launched', ?, ?, ?, ?, ?, ?)
            """, arguments: [id, name, kind.rawValue, starts, ends, actor, f["campaign_products"] ?? "", at, actor,
                             at, f["campaign_venue"], f["campaign_at"], f["campaign_capacity"].flatMap { Int($0) }])
        let taskID = try taskRef.flatMap { ref in
            try String.fetchOne(db, sql: "SELECT task_id FROM tasks WHERE task_id = ? OR cause_key = ?", arguments: [ref, ref])
        }
        try db.execute(sql: """
            INSERT INTO campaign_members (campaign_id, customer_id, rm_id, task_id) VALUES (?, ?, ?, ?)
            ON CONFLICT(campaign_id, customer_id) DO UPDATE SET task_id = ifnull(campaign_members.task_id, excluded.task_id)
            """, arguments: [id, customerID, f["owner"], taskID])
    }
}

/// A member's answer to a campaign.
struct CampaignRespond: OpDefinition {
    let kind = OpKind.campaignRespond
    let subject = OpSubject.customer(afterMove: false)
    let senders = OpSenders.anyoneInScope
    let sealedAtRest = false
    let fields: [String: OpFieldRule] = ["campaign": .ident, "response": .all(CampaignResponse.self), "at": .time]
    let editable: [EditableOpField] = []
    func clocked(_ op: SyncOp) -> [ClockedField] { [] }

    func apply(_ db: Database, _ op: SyncOp, actor: String) throws -> OpEffects.Effect {
        guard let customer = op.customerID else { throw OpEffects.Refusal(code: "bad_fields", reason: "a response needs the customer") }
        try Self.respond(db, customerID: customer, fields: op.fields)
        return .applied
    }

    /// A campaign response: the member's latest answer (where the store holds the member). At
    /// an event with seats, an acceptance takes a seat while there are any, else a place on the
    /// waiting list; a seat given back (declined after accepting) goes to the first waiting.
    static func respond(_ db: Database, customerID: String, fields f: [String: String]) throws {
        guard let campaign = f["campaign"], let response = f["response"].flatMap(CampaignResponse.init(rawValue:)) else {
            throw OpEffects.Refusal(code: "bad_fields", reason: "a response needs the campaign and one of \(CampaignResponse.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let at = f["at"] ?? ""
        // The first time they were reached: the earliest such answer, whatever order answers
        // arrive in (a pull may bring an older one after a newer).
        if response != .notReached {
            try db.execute(sql: """
                UPDATE campaign_members SET first_reached_at = ?1 WHERE campaign_id = ?2 AND customer_id = ?3
                  AND ifnull(first_reached_at, '9999') > ?1
                """, arguments: [at, campaign, customerID])
        }
        try db.execute(sql: """
            UPDATE campaign_members SET response = ?, responded_at = ? WHERE campaign_id = ? AND customer_id = ?
              AND ifnull(responded_at, '') <= ?
            """, arguments: [response.rawValue, f["at"], campaign, customerID, at])
        // Only events seat people; an event without a seat limit seats everyone who accepts.
        guard db.changesCount == 1,
              let event = try Row.fetchOne(db, sql: "SELECT capacity FROM campaigns WHERE campaign_id = ? AND kind = 'event'", arguments: [campaign]) else {
            return
        }
        let capacity = (event[0] as Int?) ?? .max
        let seat = try String.fetchOne(db, sql: "SELECT seat FROM campaign_members WHERE campaign_id = ? AND customer_id = ?",
                                       arguments: [campaign, customerID])
        switch response {
        case .accepted where seat == nil:
            let taken = try Int.fetchOne(db, sql: "SELECT count(*) FROM campaign_members WHERE campaign_id = ? AND seat = 'seated'",
                                         arguments: [campaign]) ?? 0
            try db.execute(sql: "UPDATE campaign_members SET seat = ?, seat_since = ? WHERE campaign_id = ? AND customer_id = ?",
                           arguments: [taken < capacity ? "seated" : "waitlisted", at, campaign, customerID])
        case .attended:
            // Whoever comes has a seat (a walk-in from the waiting list included).
            try db.execute(sql: "UPDATE campaign_members SET seat = 'seated', seat_since = ifnull(seat_since, ?) WHERE campaign_id = ? AND customer_id = ?",
                           arguments: [at, campaign, customerID])
        case .declined, .notReached where seat != nil:
            try db.execute(sql: "UPDATE campaign_members SET seat = NULL, seat_since = NULL WHERE campaign_id = ? AND customer_id = ?",
                           arguments: [campaign, customerID])
            if seat == "seated" {
                try db.execute(sql: """
                    UPDATE campaign_members SET seat = 'seated', seat_since = ? WHERE campaign_id = ? AND customer_id =
                      (SELECT customer_id FROM campaign_members WHERE campaign_id = ? AND seat = 'waitlisted' ORDER BY seat_since, customer_id LIMIT 1)
                    """, arguments: [at, campaign, campaign])
            }
        default:
            break
        }
    }
}

/// How satisfied a member was with an event (1–5).
struct CampaignSatisfaction: OpDefinition {
    let kind = OpKind.campaignSatisfaction
    let subject = OpSubject.customer(afterMove: false)
    let senders = OpSenders.anyoneInScope
    let sealedAtRest = false
    let fields: [String: OpFieldRule] = ["campaign": .ident, "score": .int(1...5)]
    let editable: [EditableOpField] = []
    func clocked(_ op: SyncOp) -> [ClockedField] { [] }

    func apply(_ db: Database, _ op: SyncOp, actor: String) throws -> OpEffects.Effect {
        guard let customer = op.customerID else { throw OpEffects.Refusal(code: "bad_fields", reason: "satisfaction needs the customer") }
        try Self.record(db, customerID: customer, fields: op.fields)
        return .applied
    }

    static func record(_ db: Database, customerID: String, fields f: [String: String]) throws {
        guard let campaign = f["campaign"], let score = f["score"].flatMap({ Int($0) }), (1...5).contains(score) else {
            throw OpEffects.Refusal(code: "bad_fields", reason: "satisfaction needs the campaign and a score 1–5")
        }
        try db.execute(sql: "UPDATE campaign_members SET satisfaction = ? WHERE campaign_id = ? AND customer_id = ?",
                       arguments: [score, campaign, customerID])
    }
}
