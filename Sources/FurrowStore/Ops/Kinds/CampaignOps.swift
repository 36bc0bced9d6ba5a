import Foundation
import FurrowCore
import GRDB

/// A launched campaign's header and one member (`campaign.join`, for a routine task the
/// campaign used; a new task carries the same header in its `task.create`).
/// A launched campaign's header, as every op of its launch carries it (flat, beside the op's
/// own fields): the store that receives one can then take the member's answers.
struct CampaignHeader: Codable, Sendable, Equatable {
    var campaign: String
    var campaignName: String
    var campaignKind: Campaign.Kind
    var campaignStarts: String
    var campaignEnds: String
    var campaignProducts: String?
    var campaignVenue: String?
    var campaignAt: String?
    var campaignCapacity: Int?

    static let rules: [String: OpFieldRule] = [
        "campaign": .ident, "campaign_name": .text(100), "campaign_kind": .all(Campaign.Kind.self), "campaign_starts": .day,
        "campaign_ends": .day, "campaign_products": .text(1000), "campaign_venue": .text(100), "campaign_at": .text(20),
        "campaign_capacity": .int(1...100_000),
    ]

    /// The header an op's fields carry, or nil when they name no campaign.
    static func ifPresent(in decoder: any Decoder) throws -> CampaignHeader? {
        guard try decoder.container(keyedBy: CodingKeys.self).contains(.campaign) else { return nil }
        return try CampaignHeader(from: decoder)
    }
}

/// A launched campaign's header and one member (`campaign.join`, for a routine task the
/// campaign used; a new task carries the same header in its `task.create`).
struct CampaignJoin: OpDefinition {
    struct Payload: OpPayload {
        var campaign: CampaignHeader
        /// The member's RM.
        var owner: String?

        static let rules: [String: OpFieldRule] = CampaignHeader.rules.merging(["owner": .ident]) { a, _ in a }

        init(campaign: CampaignHeader, owner: String?) { self.campaign = campaign; self.owner = owner }

        private enum CodingKeys: String, CodingKey { case owner }

        init(from decoder: any Decoder) throws {
            self.init(campaign: try CampaignHeader(from: decoder),
                      owner: try decoder.container(keyedBy: CodingKeys.self).decodeIfPresent(String.self, forKey: .owner))
        }

        func encode(to encoder: any Encoder) throws {
            try campaign.encode(to: encoder)
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encodeIfPresent(owner, forKey: .owner)
        }
    }

    let kind = OpKind.campaignJoin
    let subject = OpSubject.customer(afterMove: false)
    let senders = OpSenders.deciders("launches campaigns")
    let sealedAtRest = false
    let editable: [EditableOpField] = []

    func apply(_ db: Database, _ op: TypedOp<Payload>, actor: String) throws -> OpEffects.Effect {
        guard let customer = op.customerID else { throw OpEffects.Refusal(code: "bad_fields", reason: "a campaign's member needs the customer") }
        try Self.join(db, op.payload.campaign, customerID: customer, rm: op.payload.owner, taskRef: op.recordID, actor: actor,
                      stamped: op.stamped)
        return .applied
    }

    /// A launched campaign's header and one member, from a launch's op (`task.create` with a
    /// `campaign` field, or `campaign.join` for a routine task the campaign used): the store
    /// that receives it can then take the member's answers. Nothing is overwritten.
    static func join(_ db: Database, _ header: CampaignHeader, customerID: String, rm: String?, taskRef: String?, actor: String,
                     stamped: Date) throws {
        let at = Timestamp.utcNow(stamped)
        let h = header
        try db.execute(sql: """
            INSERT OR IGNORE INTO campaigns (campaign_id, name, kind, starts_on, ends_on, owner_id, products, target, status, created_at, created_by,
                                             launched_at, venue, event_at, capacity)
            VALUES (?, ?, ?, ?, ?, ?, ?, '', 'launched', ?, ?, ?, ?, ?, ?)
            """, arguments: [h.campaign, h.campaignName, h.campaignKind.rawValue, h.campaignStarts, h.campaignEnds, actor,
                             h.campaignProducts ?? "", at, actor, at, h.campaignVenue, h.campaignAt, h.campaignCapacity])
        let taskID = try taskRef.flatMap { ref in
            try String.fetchOne(db, sql: "SELECT task_id FROM tasks WHERE task_id = ? OR cause_key = ?", arguments: [ref, ref])
        }
        try db.execute(sql: """
            INSERT INTO campaign_members (campaign_id, customer_id, rm_id, task_id) VALUES (?, ?, ?, ?)
            ON CONFLICT(campaign_id, customer_id) DO UPDATE SET task_id = ifnull(campaign_members.task_id, excluded.task_id)
            """, arguments: [h.campaign, customerID, rm, taskID])
    }
}

/// A member's answer to a campaign.
struct CampaignRespond: OpDefinition {
    struct Payload: OpPayload {
        var campaign: String
        var response: CampaignResponse
        var at: String?
        static let rules: [String: OpFieldRule] = ["campaign": .ident, "response": .all(CampaignResponse.self), "at": .time]
    }

    let kind = OpKind.campaignRespond
    let subject = OpSubject.customer(afterMove: false)
    let senders = OpSenders.anyoneInScope
    let sealedAtRest = false
    let editable: [EditableOpField] = []

    func apply(_ db: Database, _ op: TypedOp<Payload>, actor: String) throws -> OpEffects.Effect {
        guard let customer = op.customerID else { throw OpEffects.Refusal(code: "bad_fields", reason: "a response needs the customer") }
        try Self.respond(db, customerID: customer, op.payload)
        return .applied
    }

    /// A campaign response: the member's latest answer (where the store holds the member). At
    /// an event with seats, an acceptance takes a seat while there are any, else a place on the
    /// waiting list; a seat given back (declined after accepting) goes to the first waiting.
    static func respond(_ db: Database, customerID: String, _ f: Payload) throws {
        let (campaign, response) = (f.campaign, f.response)
        let at = f.at ?? ""
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
            """, arguments: [response.rawValue, f.at, campaign, customerID, at])
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
    struct Payload: OpPayload {
        var campaign: String
        var score: Int
        static let rules: [String: OpFieldRule] = ["campaign": .ident, "score": .int(1...5)]
    }

    let kind = OpKind.campaignSatisfaction
    let subject = OpSubject.customer(afterMove: false)
    let senders = OpSenders.anyoneInScope
    let sealedAtRest = false
    let editable: [EditableOpField] = []

    func apply(_ db: Database, _ op: TypedOp<Payload>, actor: String) throws -> OpEffects.Effect {
        guard let customer = op.customerID else { throw OpEffects.Refusal(code: "bad_fields", reason: "satisfaction needs the customer") }
        guard (1...5).contains(op.payload.score) else { throw OpEffects.Refusal(code: "bad_fields", reason: "score: 1 to 5") }
        try db.execute(sql: "UPDATE campaign_members SET satisfaction = ? WHERE campaign_id = ? AND customer_id = ?",
                       arguments: [op.payload.score, op.payload.campaign, customer])
        return .applied
    }
}
