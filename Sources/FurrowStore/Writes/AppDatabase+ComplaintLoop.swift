import Foundation
import FurrowCore
import GRDB

/// One recorded step of a complaint.
public struct ComplaintEvent: Sendable, Hashable, Codable {
    public var at: String
    public var actor: String
    public var from: ComplaintStatus
    public var to: ComplaintStatus
    public var ownerID: String?
    public var note: String?
}

extension AppDatabase {
    /// Moves a complaint one step along its loop, recording the step (and its audit entry) in
    /// the same transaction. Assigning names an owner; resolving and closing need a note.
    public func advanceComplaint(_ complaintID: String, to next: ComplaintStatus, owner: String? = nil, note: String?,
                                 by actor: String, now nowGiven: String? = nil) throws(StoreError) {
        let now = nowGiven ?? Timestamp.shanghaiNow(clock())
        try write { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT customer_id, status, owner_id FROM complaints WHERE complaint_id = ?",
                                             arguments: [complaintID]) else {
                throw StoreError.notFound(what: "complaint \(complaintID)")
            }
            let current = ComplaintStatus(stored: row["status"])
            guard current.next.contains(next) else {
                let allowed = current.next.map(\.rawValue).joined(separator: ", ")
                throw StoreError.invalid(field: "status", reason: "\(complaintID) is \(current.rawValue); next can be \(allowed.isEmpty ? "nothing (closed)" : allowed)")
            }
            let text = note?.trimmingCharacters(in: .whitespacesAndNewlines)
            if [.resolved, .closed].contains(next), (text ?? "").isEmpty {
                throw StoreError.invalid(field: "note", reason: "say how it was \(next == .resolved ? "resolved" : "closed")")
            }
            var newOwner: String? = row["owner_id"]
            if next == .assigned {
                guard let o = owner?.trimmingCharacters(in: .whitespaces), !o.isEmpty else {
                    throw StoreError.invalid(field: "owner", reason: "assigning needs an owner (a staff ID)")
                }
                guard try Bool.fetchOne(db, sql: "SELECT 1 FROM staff WHERE staff_id = ?", arguments: [o]) == true else {
                    throw StoreError.invalid(field: "owner", reason: "no staff member \(o)")
                }
                newOwner = o
            } else if newOwner == nil {
                newOwner = actor
            }
            try Journal.write(db, now: clock(), actor: actor, kind: .complaintStep(next), customerID: row["customer_id"],
                                detail: "\(complaintID) \(current.rawValue) → \(next.rawValue)", recordID: complaintID,
                                fields: ["from": current.rawValue, "to": next.rawValue, "owner": newOwner, "note": text, "at": now])
        }
    }

    /// The satisfaction callback after a resolution: satisfied confirms it, dissatisfied reopens it.
    public func recordComplaintCallback(_ complaintID: String, satisfied: Bool, note: String?, by actor: String,
                                        now nowGiven: String? = nil) throws(StoreError) {
        let now = nowGiven ?? Timestamp.shanghaiNow(clock())
        try advanceComplaint(complaintID, to: satisfied ? .confirmed : .inProgress,
                             note: (satisfied ? "回访满意 satisfied callback" : "回访不满意, 重新处理 dissatisfied callback, reopened")
                                + (note.map { ": \($0)" } ?? ""), by: actor, now: now)
    }

    public func complaintHistory(_ complaintID: String) throws(StoreError) -> [ComplaintEvent] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM complaint_events WHERE complaint_id = ? ORDER BY id", arguments: [complaintID]).map {
                ComplaintEvent(at: $0["at"], actor: $0["actor"], from: ComplaintStatus(stored: $0["from_status"]),
                               to: ComplaintStatus(stored: $0["to_status"]), ownerID: $0["owner_id"], note: $0["note"])
            }
        }
    }
}
