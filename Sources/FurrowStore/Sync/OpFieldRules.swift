import Foundation
import FurrowCore

/// What the branch accepts in each kind of op's fields, checked before any effect: only the
/// fields that kind carries, each bounded and typed as the workstation's form or write makes
/// it. A field outside these is refused by name (`bad_fields`), so a client cannot store what
/// no form would write. (The one-op-model redesign moves each kind's list next to its effect.)
enum OpFieldRules {
    enum Rule: Sendable {
        /// Text of at most `max` characters; `lines`: newlines and tabs allowed (no other control characters).
        case text(Int, lines: Bool = false)
        case oneOf([String])
        /// YYYY-MM-DD, a real day.
        case day
        case int(ClosedRange<Int>)
        /// "1" or "0".
        case flag
        /// An id or a staff ID: 1 to 128 printable characters without spaces.
        case ident
        /// A time as the forms write it (`at` is also checked against the branch's clock).
        case time
        /// Comma-separated staff IDs.
        case staffList
    }

    static func all<T: RawRepresentable & CaseIterable>(_: T.Type) -> Rule where T.RawValue == String { .oneOf(T.allCases.map(\.rawValue)) }

    static let campaignHeader: [String: Rule] = [
        "campaign": .ident, "campaign_name": .text(100), "campaign_kind": all(Campaign.Kind.self), "campaign_starts": .day,
        "campaign_ends": .day, "campaign_products": .text(1000), "campaign_venue": .text(100), "campaign_at": .text(20),
        "campaign_capacity": .int(1...100_000), "owner": .ident,
    ]

    static let interaction: [String: Rule] = [
        "at": .time, "channel": all(InteractionChannel.self), "purpose": .text(200), "notes": .text(2000, lines: true),
        "outcome": .text(500, lines: true), "corrects": .ident, "duration_min": .int(1...600), "present": .text(100),
        "mood": all(CustomerMood.self), "life_events": .text(200), "next_step": .text(200),
    ]

    static let complaintStep: [String: Rule] = [
        "from": .oneOf(ComplaintStatus.allCases.map(\.rawValue) + [""]), "to": all(ComplaintStatus.self), "owner": .ident,
        "note": .text(500, lines: true), "at": .time,
    ]

    static let kinds: [String: [String: Rule]] = {
        var k: [String: [String: Rule]] = [
            "interaction.log": interaction, "interaction.correct": interaction,
            "note.add": ["at": .time, "text": .text(4000, lines: true)],
            "tag.add": ["tag": .text(20)], "tag.remove": ["tag": .text(20)],
            "task.create": campaignHeader.merging([
                "title": .text(200), "reason": .text(1000), "due_on": .day, "priority": .int(1...3), "from_interaction": .ident,
                "rule": .ident, "cause_key": .ident,
            ]) { a, _ in a },
            "task.complete": ["outcome": .text(500, lines: true)],
            "task.reschedule": ["due_on": .day],
            "complaint.file": ["received_at": .time, "channel": all(ComplaintChannel.self), "category": .text(40),
                               "severity": all(Severity.self), "description": .text(2000, lines: true)],
            "preferences.set": ["preferred_channel": all(InteractionChannel.self), "quiet_hours": .text(11), "no_home_visits": .flag,
                                "monthly_cap": .int(1...31)],
            "retention.open": ["signal": .text(300), "owner": .ident, "at": .time],
            "retention.act": ["note": .text(500, lines: true), "at": .time],
            "retention.close": ["outcome": all(RetentionOutcome.self), "reason": all(RetentionReason.self), "money_went": .text(200),
                                "at": .time],
            "upgrade.request": ["served_as": all(Tier.self), "reason": .text(300), "at": .time],
            "upgrade.approve": ["note": .text(300), "at": .time], "upgrade.reject": ["note": .text(300), "at": .time],
            "segment.override": ["high_acceptance": .flag],
            "campaign.join": campaignHeader,
            "campaign.respond": ["campaign": .ident, "response": all(CampaignResponse.self), "at": .time],
            "campaign.satisfaction": ["campaign": .ident, "score": .int(1...5)],
            "profile.propose": ["field": all(ProfileProposal.Field.self), "value": .text(200), "old": .text(200), "reason": .text(200),
                                "at": .time],
            "profile.decide": ["decision": .oneOf(["accepted", "rejected"]), "note": .text(200), "at": .time],
            "reveal": ["context": .text(200)],
            "prospect.add": ["name": .text(50), "mobile": .text(20), "id_number": .text(18), "village": .text(50), "employer": .text(100),
                             "source": all(Prospect.Source.self), "referrer_id": .ident, "outreach_id": .ident, "interest": .text(100),
                             "owner": .ident, "created_at": .time],
            "prospect.stage": ["from": all(Prospect.Stage.self), "to": all(Prospect.Stage.self), "note": .text(200), "at": .time],
            "prospect.next": ["step": .text(200), "due": .day],
            "prospect.confirm": ["customer": .ident, "same": .flag, "at": .time],
            "prospect.reveal": ["context": .text(200)],
            "outreach.log": ["place": .text(100), "on_day": .day, "staff": .staffList, "people_met": .int(0...100_000),
                             "note": .text(500, lines: true)],
        ]
        for step in ComplaintStatus.allCases { k["complaint.\(step.rawValue)"] = complaintStep }
        return k
    }()

    /// Refuses the first field that is not part of this kind or does not hold what its form
    /// would write. (Kinds the branch does not apply are refused later, by the effects.)
    static func check(_ op: SyncOp) throws {
        guard let rules = kinds[op.kind] else { return }
        for (name, value) in op.fields.sorted(by: { $0.key < $1.key }) {
            if name.hasPrefix("_base.") {
                // The clock this device had seen for a merged field (a tag's, a preference's …).
                guard name.count <= 70, HLC(encoded: value) != nil else { throw refusal(name, "not a clock stamp") }
                continue
            }
            guard let rule = rules[name] else { throw refusal(name, "not a field of a \(op.kind) change") }
            if let problem = problem(value, rule) { throw refusal(name, problem) }
        }
        if op.kind == "preferences.set", let q = op.fields["quiet_hours"], !q.isEmpty,
           let problem = ContactPreferences(quietHours: q).problems["quiet"] {
            throw refusal("quiet_hours", problem)
        }
    }

    private static func refusal(_ field: String, _ reason: String) -> OpEffects.Refusal {
        OpEffects.Refusal(code: "bad_fields", reason: "\(String(field.prefix(40))): \(reason)")
    }

    static func problem(_ value: String, _ rule: Rule) -> String? {
        func controls(allowingLines: Bool) -> Bool {
            value.unicodeScalars.contains { s in
                (s.value < 0x20 || (0x7F...0x9F).contains(s.value)) && !(allowingLines && (s == "\n" || s == "\t" || s == "\r"))
            }
        }
        switch rule {
        case .text(let max, let lines):
            if value.count > max { return "at most \(max) characters" }
            if controls(allowingLines: lines) { return "control characters are not allowed" }
        case .oneOf(let allowed):
            if !allowed.contains(value) { return "one of \(allowed.filter { !$0.isEmpty }.joined(separator: ", "))" }
        case .day:
            if value.count != 10 || CalendarDate(iso: value) == nil { return "a day, YYYY-MM-DD" }
        case .int(let range):
            guard value.count <= 10, let n = Int(value), range.contains(n) else { return "a whole number from \(range.lowerBound) to \(range.upperBound)" }
        case .flag:
            if value != "1" && value != "0" { return "1 or 0" }
        case .ident:
            if value.isEmpty || value.count > 128 || value.unicodeScalars.contains(where: { $0.value <= 0x20 || (0x7F...0x9F).contains($0.value) }) {
                return "an id: 1 to 128 characters, no spaces"
            }
        case .time:
            if value.isEmpty || value.count > 40 || controls(allowingLines: false) { return "a time such as 2026-11-20 10:00" }
        case .staffList:
            let ids = value.split(separator: ",", omittingEmptySubsequences: false)
            if value.count > 1000 || ids.isEmpty || ids.contains(where: { problem(String($0), .ident) != nil }) {
                return "staff IDs separated by commas"
            }
        }
        return nil
    }
}
