import Foundation
import FurrowCore
import GRDB

/// Launching a campaign (a contact task in each RM's queue) and recording what each contact came to.
extension AppDatabase {
    public struct LaunchSummary: Sendable, Codable {
        /// New tasks, per RM.
        public var created: [String: Int]
        /// Customers who already had a routine contact (greeting, cadence) due in the campaign's period: that task is the campaign's.
        public var linked: Int
        public var total: Int { created.values.reduce(0, +) + linked }
    }

    /// Puts a contact task for every customer on the list in their RM's queue (once: a routine
    /// contact already due in the period is used instead), and marks the campaign launched.
    @discardableResult
    public func launchCampaign(_ campaignID: String, asOf asOfGiven: CalendarDate? = nil, by actor: String) throws(StoreError) -> LaunchSummary {
        let asOf = asOfGiven ?? CalendarDate.today(now: clock())
        let now = clock()
        return try write { db in
            try Self.requireCampaignRunner(db, actor)
            guard let c = try Row.fetchOne(db, sql: "SELECT * FROM campaigns WHERE campaign_id = ?", arguments: [campaignID]).map(Self.campaign) else {
                throw StoreError.notFound(what: "campaign \(campaignID)")
            }
            guard c.status == .draft else { throw StoreError.invalid(field: "campaign", reason: "\(campaignID) is already \(c.status.rawValue)") }
            guard asOf <= c.endsOn else { throw StoreError.invalid(field: "campaign", reason: "\(campaignID) ended on \(c.endsOn.iso)") }
            let members = try Row.fetchAll(db, sql: """
                SELECT m.customer_id, m.rm_id, p.preferred_channel, p.quiet_hours
                FROM campaign_members m LEFT JOIN customer_preferences p ON p.customer_id = m.customer_id
                WHERE m.campaign_id = ? AND m.excluded IS NULL ORDER BY m.customer_id
                """, arguments: [campaignID])
            guard !members.isEmpty else {
                throw StoreError.invalid(field: "campaign", reason: "\(campaignID) has nobody on its list: furrow campaign build \(campaignID) first")
            }
            let due = max(asOf, c.startsOn)
            let productNames = try c.products.isEmpty ? [] : String.fetchAll(db, sql: """
                SELECT name FROM products WHERE product_code IN (SELECT value FROM json_each(?)) ORDER BY product_code
                """, arguments: [String(decoding: try JSONEncoder().encode(c.products), as: UTF8.self)])
            let title = "\(Self.taskVerb(c.kind)) \(c.name)"
            let reason = "活动 campaign \(c.campaignID)" + (productNames.isEmpty ? "" : " · " + productNames.joined(separator: "、"))
                + " · 至 until \(c.endsOn.iso)"
            // A routine contact already in the queue for the period (a holiday greeting, the
            // service plan's cadence) is the same call: the campaign uses it rather than add one.
            let existing = try db.makeStatement(sql: """
                SELECT task_id FROM tasks WHERE customer_id = ? AND staff_id IS ? AND status = 'open' AND due_on >= ? AND due_on <= ?
                  AND rule IN ('greeting', 'cadence') ORDER BY due_on LIMIT 1
                """)
            var summary = LaunchSummary(created: [:], linked: 0)
            // What another store needs to know of the campaign to take its answers (the RMs' stores
            // and the branch learn it from the ops).
            var header = ["campaign": c.campaignID, "campaign_name": c.name, "campaign_kind": c.kind.rawValue,
                          "campaign_starts": c.startsOn.iso, "campaign_ends": c.endsOn.iso, "campaign_products": c.products.joined(separator: ",")]
            if let v = c.venue { header["campaign_venue"] = v }
            if let a = c.eventAt { header["campaign_at"] = a }
            if let n = c.capacity { header["campaign_capacity"] = String(n) }
            for m in members {
                let customer: String = m[0], rm: String? = m[1]
                if let taskID = try String.fetchOne(existing, arguments: [customer, rm, c.startsOn.iso, c.endsOn.iso]) {
                    // The member is linked to the task by the op's effect, here as everywhere.
                    try Journal.write(db, now: now, actor: actor, kind: .campaignJoin, customerID: customer, detail: "\(campaignID) \(taskID)",
                                      recordID: try Self.taskIdentity(db, taskID), fields: header.merging(["owner": rm ?? actor]) { a, _ in a })
                    summary.linked += 1
                    continue
                }
                let taskID = UUID().uuidString.lowercased()
                let key = "campaign:\(campaignID):\(customer)"
                // How the customer wants to be reached travels with the task to the RM's queue
                // (caps and no-home-visits already kept them off the list where they apply).
                let howToReach = [(m[2] as String?).flatMap(InteractionChannel.init(rawValue:)).map { "偏好\($0.label)" },
                                  (m[3] as String?).map { "勿扰 \($0)" }].compactMap { $0 }
                let fields: [String: String] = ["title": title, "reason": ([reason] + howToReach).joined(separator: " · "), "due_on": due.iso, "priority": String(TaskPriority.normal.rawValue),
                                                "owner": rm ?? actor, "rule": "campaign", "cause_key": key].merging(header) { a, _ in a }
                // The task, and the member linked to it, by the op's effect (TaskCreate joins the campaign).
                try Journal.write(db, now: now, actor: actor, kind: .taskCreate, customerID: customer, detail: "\(taskID) \(campaignID)",
                                  recordID: taskID, fields: fields)
                summary.created[rm ?? actor, default: 0] += 1
            }
            try db.execute(sql: "UPDATE campaigns SET status = 'launched', launched_at = ? WHERE campaign_id = ?",
                           arguments: [Timestamp.utcNow(now), campaignID])
            try Audit.record(db, at: clock(), actor: actor, action: "campaign.launch", customerID: nil,
                             detail: "\(campaignID): \(summary.total) tasks (\(summary.linked) already in the queue)")
            return summary
        }
    }

    static func taskVerb(_ kind: Campaign.Kind) -> String {
        switch kind {
        case .productPush: "产品推荐"
        case .care: "关怀"
        case .event: "活动邀约"
        case .outreach: "外拓走访"
        }
    }

    /// What a contact for the campaign came to: kept on the list, logged on the customer's
    /// timeline, and (unless not reached) closing the campaign's task.
    /// `at`: when the contact was (`YYYY-MM-DD HH:MM`, Shanghai time), when it is logged later.
    public func recordCampaignResponse(_ campaignID: String, customerID: String, response: CampaignResponse,
                                       channel: InteractionChannel = .call, note: String? = nil, at: String? = nil,
                                       by actor: String) throws(StoreError) {
        let now = clock()
        let when: String
        if let at {
            guard let n = ContactLog.normalised(at), n <= Timestamp.shanghaiNow(now) else {
                throw StoreError.invalid(field: "at", reason: "a time YYYY-MM-DD HH:MM, not in the future")
            }
            when = n
        } else {
            when = Timestamp.shanghaiNow(now)
        }
        try write { db in
            guard let c = try Row.fetchOne(db, sql: "SELECT * FROM campaigns WHERE campaign_id = ?", arguments: [campaignID]).map(Self.campaign) else {
                throw StoreError.notFound(what: "campaign \(campaignID)")
            }
            guard c.status == .launched else { throw StoreError.invalid(field: "campaign", reason: "\(campaignID) is \(c.status.rawValue), not launched") }
            guard let m = try Row.fetchOne(db, sql: "SELECT excluded, task_id FROM campaign_members WHERE campaign_id = ? AND customer_id = ?",
                                           arguments: [campaignID, customerID]) else {
                throw StoreError.invalid(field: "customer", reason: "\(customerID) is not on \(campaignID)'s list")
            }
            if let why = m["excluded"] as String? {
                throw StoreError.invalid(field: "customer", reason: "\(customerID) was left off \(campaignID): \(CampaignExclusion(rawValue: why)?.label ?? why)")
            }
            // After its last day a campaign takes no answers (its figures are closed); a contact
            // then is an ordinary log. An answer typed late keeps the time it happened (`at`).
            if String(when.prefix(10)) > c.endsOn.iso {
                throw StoreError.invalid(field: "at", reason: "\(c.name) ended on \(c.endsOn.iso): give the time of a contact made before then, or log it as an ordinary contact")
            }
            if [.attended, .noShow].contains(response), c.kind != .event {
                throw StoreError.invalid(field: "response", reason: "attended and no-show are for events")
            }
            let at = when
            let fields: [String: String] = ["campaign": campaignID, "response": response.rawValue, "at": at]
            try Journal.write(db, now: now, actor: actor, kind: .campaignRespond, customerID: customerID,
                                detail: "\(campaignID) \(response.rawValue)", recordID: campaignID, fields: fields)
            // The contact itself, on the timeline.
            let trimmed = note?.trimmingCharacters(in: .whitespacesAndNewlines)
            let log = ContactLog(customerID: customerID, channel: channel, at: at, purpose: c.name,
                                 discussed: trimmed?.isEmpty == false ? trimmed : nil, outcome: response.label)
            _ = try Self.insertInteraction(db, log, at: at, by: actor, now: now)
            if response.closesTask, let taskID = m["task_id"] as String?,
               try String.fetchOne(db, sql: "SELECT status FROM tasks WHERE task_id = ?", arguments: [taskID]) == "open" {
                try Journal.write(db, now: now, actor: actor, kind: .taskComplete, customerID: customerID, detail: taskID,
                                    recordID: try Self.taskIdentity(db, taskID), fields: ["outcome": response.label])
            }
        }
    }

    /// The funnel of a campaign, overall and per RM.
    public struct CampaignFunnel: Sendable, Codable {
        public struct Row: Sendable, Codable {
            public var rm: String
            public var targeted = 0, contacted = 0, reached = 0, accepted = 0, attended = 0, converted = 0
            public var amountFen: Int64 = 0
        }
        public var campaignID: String
        public var excluded: [String: Int]
        public var total: Row
        public var byRM: [Row]
    }

    public func campaignFunnel(_ campaignID: String) throws(StoreError) -> CampaignFunnel {
        try read { db in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM campaigns WHERE campaign_id = ?", arguments: [campaignID]) == true else {
                throw StoreError.notFound(what: "campaign \(campaignID)")
            }
            var excluded: [String: Int] = [:]
            var rows: [String: CampaignFunnel.Row] = [:]
            var total = CampaignFunnel.Row(rm: "全部 all")
            for r in try Row.fetchAll(db, sql: "SELECT rm_id, excluded, response FROM campaign_members WHERE campaign_id = ?", arguments: [campaignID]) {
                if let why = r["excluded"] as String? { excluded[why, default: 0] += 1; continue }
                let rm = (r["rm_id"] as String?) ?? "—"
                var row = rows[rm] ?? CampaignFunnel.Row(rm: rm)
                let response = (r["response"] as String?).flatMap(CampaignResponse.init(rawValue:))
                row.targeted += 1; total.targeted += 1
                if let response {
                    row.contacted += 1; total.contacted += 1
                    if response.reached { row.reached += 1; total.reached += 1 }
                    if response.accepted { row.accepted += 1; total.accepted += 1 }
                    if response == .attended { row.attended += 1; total.attended += 1 }
                }
                rows[rm] = row
            }
            for r in try Row.fetchAll(db, sql: """
                SELECT ifnull(m.rm_id, '—'), count(DISTINCT v.customer_id), sum(v.amount_fen) FROM campaign_conversions v
                LEFT JOIN campaign_members m ON m.campaign_id = v.campaign_id AND m.customer_id = v.customer_id
                WHERE v.campaign_id = ? GROUP BY 1
                """, arguments: [campaignID]) {
                let rm: String = r[0], n: Int = r[1], amount: Int64 = r[2] ?? 0
                var row = rows[rm] ?? CampaignFunnel.Row(rm: rm)
                row.converted += n; row.amountFen += amount
                total.converted += n; total.amountFen += amount
                rows[rm] = row
            }
            return CampaignFunnel(campaignID: campaignID, excluded: excluded, total: total, byRM: rows.values.sorted { $0.rm < $1.rm })
        }
    }
}

extension AppDatabase {
    /// The funnel as a report (table, CSV, JSON and the Reports screen's layout): a row per RM
    /// and the totals, the exclusions and the funnel's steps in the notes, a bar chart of
    /// acceptances per RM.
    /// `funnel`: one already read (the Campaigns screen draws it too).
    public func campaignReport(_ campaignID: String, funnel: CampaignFunnel? = nil) throws(StoreError) -> Report {
        guard let c = try campaign(campaignID) else { throw StoreError.notFound(what: "campaign \(campaignID)") }
        let f: CampaignFunnel
        if let funnel { f = funnel } else { f = try campaignFunnel(campaignID) }
        func row(_ r: CampaignFunnel.Row) -> [Report.Value] {
            [.text(r.rm), .int(Int64(r.targeted)), .int(Int64(r.contacted)), .int(Int64(r.reached)), .int(Int64(r.accepted)),
             .int(Int64(r.attended)), .int(Int64(r.converted)), .int(r.amountFen)]
        }
        var notes: [String] = []
        let t = f.total
        func share(_ n: Int) -> String { t.targeted == 0 ? "—" : String(format: "%.0f%%", Double(n) * 100 / Double(t.targeted)) }
        notes.append("漏斗 funnel: 目标 targeted \(t.targeted) → 联系 contacted \(t.contacted) (\(share(t.contacted))) → 联系上 reached \(t.reached) "
                     + "(\(share(t.reached))) → 接受 accepted \(t.accepted) (\(share(t.accepted)))"
                     + (c.kind == .event ? " → 到场 attended \(t.attended) (\(share(t.attended)))" : "")
                     + " → 成交 converted \(t.converted) (\(share(t.converted)))")
        let excluded = f.excluded.values.reduce(0, +)
        notes.append("排除 excluded \(excluded)" + (excluded == 0 ? "" : ": " + f.excluded.sorted { $0.key < $1.key }.map {
            "\(CampaignExclusion(rawValue: $0.key)?.label ?? $0.key) \($0.value)"
        }.joined(separator: ", ")))
        if c.kind == .event {
            let seats = try eventSeats(campaignID)
            notes.append("活动 event: \(c.venue ?? "—") \(c.eventAt ?? "")" + (seats.capacity.map { " · 座位 seats \(seats.seated.count)/\($0)" } ?? "")
                         + " · 候补 waiting \(seats.waitlisted.count) · 到场 attended \(seats.attended)"
                         + (seats.averageSatisfaction.map { String(format: " · 满意度 satisfaction %.1f/5", $0) } ?? ""))
        }
        notes.append("成交 conversions: products bought within the window after a contact, from later extracts, last touch wins"
                     + " (furrow nightly; 金额 ¥\(Money(fen: t.amountFen).formatted()))")
        return Report(name: "campaign", title: "活动 \(c.name) (\(c.kind.label), \(c.startsOn.iso)…\(c.endsOn.iso), \(c.status.rawValue))",
                      parameters: ["campaign": campaignID, "kind": c.kind.rawValue, "status": c.status.rawValue, "target": c.target.text],
                      columns: [Report.Column("rm", "客户经理 RM", .text), Report.Column("targeted", "目标 targeted", .count),
                                Report.Column("contacted", "联系 contacted", .count), Report.Column("reached", "联系上 reached", .count),
                                Report.Column("accepted", "接受 accepted", .count), Report.Column("attended", "到场 attended", .count),
                                Report.Column("converted", "成交 converted", .count), Report.Column("amount_fen", "金额 amount", .money)],
                      rows: f.byRM.map(row), totals: row(t), notes: notes, chart: (label: "rm", value: "accepted"))
    }
}

extension AppDatabase {
    /// The launched campaign a customer is on with a contact still to record (the newest), or
    /// the one whose task this is.
    public func openCampaign(customerID: String, taskID: String? = nil) throws(StoreError) -> Campaign? {
        try read { db in
            try Row.fetchOne(db, sql: """
                SELECT c.* FROM campaign_members m JOIN campaigns c ON c.campaign_id = m.campaign_id
                WHERE m.customer_id = ? AND m.excluded IS NULL AND c.status = 'launched'
                  AND (m.task_id = ? OR (? IS NULL AND ifnull(m.response, 'not_reached') = 'not_reached'))
                ORDER BY c.launched_at DESC LIMIT 1
                """, arguments: [customerID, taskID, taskID]).map(Self.campaign)
        }
    }
}

extension AppDatabase {
    /// An event's seats: who has one and who waits, in order.
    public struct EventSeats: Sendable {
        public var capacity: Int?
        public var seated: [String]
        public var waitlisted: [String]
        public var attended: Int
        public var averageSatisfaction: Double?
    }

    public func eventSeats(_ campaignID: String) throws(StoreError) -> EventSeats {
        try read { db in
            let capacity = try Int.fetchOne(db, sql: "SELECT capacity FROM campaigns WHERE campaign_id = ?", arguments: [campaignID])
            func ids(_ seat: String) throws -> [String] {
                try String.fetchAll(db, sql: "SELECT customer_id FROM campaign_members WHERE campaign_id = ? AND seat = ? ORDER BY seat_since, customer_id",
                                    arguments: [campaignID, seat])
            }
            let attended = try Int.fetchOne(db, sql: "SELECT count(*) FROM campaign_members WHERE campaign_id = ? AND response = 'attended'",
                                            arguments: [campaignID]) ?? 0
            let satisfaction = try Double.fetchOne(db, sql: "SELECT avg(satisfaction) FROM campaign_members WHERE campaign_id = ?", arguments: [campaignID])
            return EventSeats(capacity: capacity, seated: try ids("seated"), waitlisted: try ids("waitlisted"), attended: attended,
                              averageSatisfaction: satisfaction)
        }
    }

    /// How satisfied an attendee was (1–5), asked after the event.
    public func recordEventSatisfaction(_ campaignID: String, customerID: String, score: Int, by actor: String) throws(StoreError) {
        guard (1...5).contains(score) else { throw StoreError.invalid(field: "score", reason: "1 (very unhappy) to 5 (very happy)") }
        let now = clock()
        try write { db in
            guard try String.fetchOne(db, sql: "SELECT response FROM campaign_members WHERE campaign_id = ? AND customer_id = ?",
                                      arguments: [campaignID, customerID]) == CampaignResponse.attended.rawValue else {
                throw StoreError.invalid(field: "customer", reason: "\(customerID) did not attend \(campaignID)")
            }
            let fields = ["campaign": campaignID, "score": String(score)]
            try Journal.write(db, now: now, actor: actor, kind: .campaignSatisfaction, customerID: customerID,
                                detail: "\(campaignID) \(score)", recordID: campaignID, fields: fields)
        }
    }
}

extension AppDatabase {
    /// The day's checklist for an event: who has a seat, then who waits, with what is recorded.
    public struct ChecklistEntry: Sendable, Hashable {
        public var customerID: String
        public var name: String
        public var rmID: String?
        public var seat: String?
        public var response: CampaignResponse?
        public var satisfaction: Int?
    }

    public func eventChecklist(_ campaignID: String) throws(StoreError) -> [ChecklistEntry] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT m.customer_id, c.name, m.rm_id, m.seat, m.response, m.satisfaction FROM campaign_members m
                JOIN customers c ON c.customer_id = m.customer_id
                WHERE m.campaign_id = ? AND m.seat IS NOT NULL
                ORDER BY m.seat = 'waitlisted', m.seat_since, m.customer_id
                """, arguments: [campaignID]).map {
                ChecklistEntry(customerID: $0[0], name: $0[1], rmID: $0[2], seat: $0[3],
                               response: ($0[4] as String?).flatMap(CampaignResponse.init(rawValue:)), satisfaction: $0[5])
            }
        }
    }
}
