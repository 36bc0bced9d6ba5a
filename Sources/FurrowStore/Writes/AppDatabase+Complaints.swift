import Foundation
import FurrowCore
import GRDB

/// A complaint as the RM takes it down (the intake form).
public struct ComplaintIntake: Sendable, Hashable {
    public var customerID: String
    public var channel: ComplaintChannel
    public var category: String
    public var severity: Severity
    public var description: String

    public init(customerID: String, channel: ComplaintChannel, category: String, severity: Severity, description: String) {
        self.customerID = customerID; self.channel = channel; self.category = category; self.severity = severity
        self.description = description
    }

    /// Field name → reason; empty when the intake can be saved.
    public var problems: [String: String] {
        var out: [String: String] = [:]
        if category.trimmingCharacters(in: .whitespaces).isEmpty { out["category"] = "must not be empty" }
        if category.count > 40 { out["category"] = "at most 40 characters" }
        if description.trimmingCharacters(in: .whitespacesAndNewlines).count < 4 {
            out["description"] = "say what happened (at least 4 characters)"
        }
        if description.count > 2000 { out["description"] = "at most 2,000 characters" }
        return out
    }
}

extension AppDatabase {
    /// Records a complaint received now, with its deadline from the severity.
    @discardableResult
    public func fileComplaint(_ c: ComplaintIntake, sla: ComplaintSLA = .standard, draftID: String? = nil,
                              by actor: String, now nowGiven: String? = nil) throws(StoreError) -> Complaint {
        let now = nowGiven ?? Timestamp.shanghaiNow(clock())
        if let (field, reason) = c.problems.min(by: { $0.key < $1.key }) {
            throw StoreError.invalid(field: field, reason: reason)
        }
        return try write { db in
            try requireCustomer(db, c.customerID)
            let complaint = Complaint(
                complaintID: "RM-" + UUID().uuidString.lowercased().prefix(13), customerID: c.customerID,
                receivedAt: now, channel: c.channel, category: c.category.trimmingCharacters(in: .whitespaces),
                severity: c.severity, description: c.description.trimmingCharacters(in: .whitespacesAndNewlines),
                status: "received", deadlineAt: sla.deadline(receivedAt: now, severity: c.severity))
            try Journal.write(db, now: clock(), actor: actor, kind: .complaintFile, customerID: c.customerID, detail: complaint.complaintID,
                                recordID: complaint.complaintID,
                                fields: ["received_at": now, "channel": c.channel.rawValue, "category": complaint.category,
                                         "severity": c.severity.rawValue, "description": complaint.description,
                                         "deadline_at": complaint.deadlineAt])
            if let draftID { try db.execute(sql: "DELETE FROM drafts WHERE draft_id = ?", arguments: [draftID]) }
            return complaint
        }
    }
}
