import Foundation
import FurrowCore
import GRDB

/// What the RM fills in after a visit or a call. Validated field by field so the form can put
/// each message beside its field.
public struct ContactLog: Sendable, Hashable {
    public var customerID: String
    public var channel: InteractionChannel
    /// Local time `YYYY-MM-DD HH:MM` or `YYYY-MM-DD HH:MM:SS`; nil means now.
    public var at: String?
    public var durationMinutes: Int?
    public var present: String?
    public var purpose: String?
    public var discussed: String?
    public var outcome: String?
    public var mood: CustomerMood?
    public var lifeEvents: String?
    /// The next step; with a date it becomes a task in the RM's queue.
    public var nextStep: String?
    public var nextStepDue: CalendarDate?
    /// The log this one corrects (logs are append-only).
    public var corrects: String?

    public init(customerID: String, channel: InteractionChannel, at: String? = nil, durationMinutes: Int? = nil,
                present: String? = nil, purpose: String? = nil, discussed: String? = nil, outcome: String? = nil,
                mood: CustomerMood? = nil, lifeEvents: String? = nil, nextStep: String? = nil,
                nextStepDue: CalendarDate? = nil, corrects: String? = nil) {
        self.customerID = customerID; self.channel = channel; self.at = at; self.durationMinutes = durationMinutes
        self.present = present; self.purpose = purpose; self.discussed = discussed; self.outcome = outcome
        self.mood = mood; self.lifeEvents = lifeEvents; self.nextStep = nextStep; self.nextStepDue = nextStepDue
        self.corrects = corrects
    }

    /// The problems with this log, field by field (form field name → reason). Empty when valid.
    public func problems(now: String) -> [String: String] {
        var out: [String: String] = [:]
        if let at {
            if Self.normalised(at) == nil {
                out["at"] = "expected YYYY-MM-DD HH:MM, got \"\(at)\""
            } else if Self.normalised(at)! > now {
                out["at"] = "is in the future"
            }
        }
        if let d = durationMinutes, !(1...600).contains(d) { out["duration"] = "must be 1 to 600 minutes" }
        let hasStep = !(nextStep ?? "").trimmingCharacters(in: .whitespaces).isEmpty
        if hasStep != (nextStepDue != nil) {
            out[hasStep ? "nextStepDue" : "nextStep"] = hasStep ? "a next step needs a date" : "a date needs a next step"
        }
        if let due = nextStepDue, let day = CalendarDate(iso: (Self.normalised(at ?? now) ?? now).prefix(10)), due < day {
            out["nextStepDue"] = "is before the contact"
        }
        if [purpose, discussed, outcome].allSatisfy({ ($0 ?? "").trimmingCharacters(in: .whitespaces).isEmpty }) {
            out["purpose"] = "say at least what it was for, what was discussed or the outcome"
        }
        return out
    }

    /// `YYYY-MM-DD HH:MM[:SS]` → `YYYY-MM-DD HH:MM:SS`, or nil when it is not a real time.
    public static func normalised(_ text: String) -> String? {
        let t = text.trimmingCharacters(in: .whitespaces)
        let full = t.count == 16 ? t + ":00" : t
        let u = Array(full.utf8)
        guard u.count == 19, CalendarDate(iso: full.prefix(10)) != nil, u[10] == 32, u[13] == 58, u[16] == 58 else { return nil }
        // ASCII digits at fixed places: Int() alone would take "+9".
        func two(_ i: Int) -> Int? {
            guard (48...57).contains(u[i]), (48...57).contains(u[i + 1]) else { return nil }
            return Int(u[i] - 48) * 10 + Int(u[i + 1] - 48)
        }
        guard let h = two(11), let m = two(14), let s = two(17), h < 24, m < 60, s < 60 else { return nil }
        return full
    }
}

extension AppDatabase {
    /// Saves a visit or call log, and its next step as a task, in one transaction with their
    /// audit entries; the draft it came from (if any) goes in the same transaction, so a crash
    /// leaves either the draft or the saved log, never both and never neither.
    @discardableResult
    public func logContact(_ log: ContactLog, draftID: String? = nil, completingTask taskID: String? = nil, by actor: String,
                           now nowGiven: String? = nil) throws(StoreError) -> (Interaction, FollowUpTask?) {
        let now = nowGiven ?? Timestamp.shanghaiNow(clock())
        if let (field, reason) = log.problems(now: now).min(by: { $0.key < $1.key }) {
            throw StoreError.invalid(field: field, reason: reason)
        }
        return try write { db in
            try requireCustomer(db, log.customerID)
            if let c = log.corrects {
                guard try String.fetchOne(db, sql: "SELECT customer_id FROM interactions WHERE interaction_id = ?",
                                          arguments: [c]) == log.customerID else {
                    throw StoreError.invalid(field: "corrects", reason: "\(c) is not a log of customer \(log.customerID)")
                }
            }
            let when = log.at.flatMap(ContactLog.normalised) ?? now
            let i = try Self.insertInteraction(db, log, at: when, by: actor, now: clock())
            var task: FollowUpTask?
            if let step = i.nextStep, let due = log.nextStepDue {
                task = try insertTask(db, customerID: log.customerID, title: step,
                                      reason: "\(log.channel.label)后续 next step of \(when.prefix(16))",
                                      dueOn: due, priority: .normal, fromInteraction: i.interactionID, by: actor)
            }
            if let taskID {
                // The contact answers a task in the queue: it is done, with this log's outcome.
                guard try String.fetchOne(db, sql: "SELECT status FROM tasks WHERE task_id = ?", arguments: [taskID]) == "open" else {
                    throw StoreError.invalid(field: "task", reason: "\(taskID) is not open")
                }
                try Journal.write(db, now: clock(), actor: actor, kind: .taskComplete, customerID: log.customerID, detail: taskID,
                                  recordID: try Self.taskIdentity(db, taskID),
                                  fields: ["outcome": i.outcome ?? "\(log.channel.label) \(when.prefix(16))"])
            }
            if let draftID { try db.execute(sql: "DELETE FROM drafts WHERE draft_id = ?", arguments: [draftID]) }
            return (i, task)
        }
    }

    /// The log as an RM write (`Journal.write`: the row and the customer's last contact by the
    /// op's effect, the audit entry, the outbox op), inside the caller's transaction.
    static func insertInteraction(_ db: Database, _ log: ContactLog, at when: String, by actor: String, now: Date) throws -> Interaction {
        func clean(_ s: String?) -> String? {
            let t = s?.trimmingCharacters(in: .whitespacesAndNewlines)
            return t?.isEmpty == false ? t : nil
        }
        let i = Interaction(interactionID: UUID().uuidString.lowercased(), customerID: log.customerID,
                            staffID: actor, at: when, channel: log.channel, purpose: clean(log.purpose),
                            notes: clean(log.discussed), outcome: clean(log.outcome), corrects: log.corrects,
                            durationMinutes: log.durationMinutes, present: clean(log.present), mood: log.mood,
                            lifeEvents: clean(log.lifeEvents), nextStep: clean(log.nextStep))
        try Journal.write(db, now: now, actor: actor, kind: log.corrects == nil ? .interactionLog : .interactionCorrect,
                            customerID: log.customerID, detail: "\(log.channel.rawValue) \(i.interactionID)", recordID: i.interactionID,
                            fields: ["at": when, "channel": i.channel.rawValue, "purpose": i.purpose, "notes": i.notes,
                                     "outcome": i.outcome, "corrects": i.corrects, "duration_min": i.durationMinutes.map(String.init),
                                     "present": i.present, "mood": i.mood?.rawValue, "life_events": i.lifeEvents,
                                     "next_step": i.nextStep])
        return i
    }

    /// Logs a contact in its simplest form (channel and a few words); see `logContact`.
    @discardableResult
    public func logInteraction(customerID: String, channel: InteractionChannel, at: String? = nil,
                               purpose: String?, notes: String?, outcome: String?, corrects: String? = nil,
                               by actor: String) throws(StoreError) -> Interaction {
        try logContact(ContactLog(customerID: customerID, channel: channel, at: at, purpose: purpose, discussed: notes,
                                  outcome: outcome, corrects: corrects), by: actor).0
    }
}
