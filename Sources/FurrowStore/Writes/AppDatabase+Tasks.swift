import Foundation
import FurrowCore
import GRDB

/// Follow-up tasks: created by the RM (or from a contact log's next step), done with an
/// outcome, or moved to another day. Each change carries its audit entry.
extension AppDatabase {
    @discardableResult
    public func createTask(customerID: String, title: String, reason: String?, dueOn: CalendarDate,
                           priority: TaskPriority = .normal, draftID: String? = nil,
                           by actor: String) throws(StoreError) -> FollowUpTask {
        try write { db in
            try requireCustomer(db, customerID)
            if let draftID { try db.execute(sql: "DELETE FROM drafts WHERE draft_id = ?", arguments: [draftID]) }
            return try insertTask(db, customerID: customerID, title: try Self.nonEmpty(title, field: "title"),
                                  reason: reason, dueOn: dueOn, priority: priority, fromInteraction: nil, by: actor)
        }
    }

    func insertTask(_ db: Database, customerID: String, title: String, reason: String?, dueOn: CalendarDate,
                    priority: TaskPriority, fromInteraction: String?, by actor: String) throws -> FollowUpTask {
        let task = FollowUpTask(taskID: UUID().uuidString.lowercased(), customerID: customerID, staffID: actor,
                                title: title, reason: reason, dueOn: dueOn, priority: priority)
        try Journal.write(db, now: clock(), actor: actor, kind: .taskCreate, customerID: customerID, detail: task.taskID, recordID: task.taskID,
                            fields: ["title": title, "reason": reason, "due_on": dueOn.iso, "priority": String(priority.rawValue),
                                     "from_interaction": fromInteraction])
        return task
    }

    public func completeTask(taskID: String, outcome: String, by actor: String) throws(StoreError) {
        try write { db in
            let customerID = try openTaskCustomer(db, taskID)
            try Journal.write(db, now: clock(), actor: actor, kind: .taskComplete, customerID: customerID, detail: taskID,
                              recordID: try Self.taskIdentity(db, taskID), fields: ["outcome": try Self.nonEmpty(outcome, field: "outcome")])
        }
    }

    /// Moves an open task to another day (snooze or reschedule), keeping why in the audit trail.
    public func rescheduleTask(taskID: String, to day: CalendarDate, by actor: String) throws(StoreError) {
        try write { db in
            let customerID = try openTaskCustomer(db, taskID)
            let old = try String.fetchOne(db, sql: "SELECT due_on FROM tasks WHERE task_id = ?", arguments: [taskID]) ?? ""
            try Journal.write(db, now: clock(), actor: actor, kind: .taskReschedule, customerID: customerID,
                                detail: "\(taskID) \(old) → \(day.iso)", recordID: try Self.taskIdentity(db, taskID),
                                fields: ["due_on": day.iso])
        }
    }

    private func openTaskCustomer(_ db: Database, _ taskID: String) throws -> String {
        guard let row = try Row.fetchOne(db, sql: "SELECT customer_id, status FROM tasks WHERE task_id = ?",
                                         arguments: [taskID]) else {
            throw StoreError.notFound(what: "task \(taskID)")
        }
        guard row["status"] as String? == TaskStatus.open.rawValue else {
            throw StoreError.invalid(field: "task", reason: "\(taskID) is not open")
        }
        return row["customer_id"]
    }
}

extension AppDatabase {
    /// How other devices and the branch know a task: a reminder by its cause (every device
    /// derives the same), a task the RM set by its id.
    static func taskIdentity(_ db: Database, _ taskID: String) throws -> String {
        try String.fetchOne(db, sql: "SELECT ifnull(cause_key, task_id) FROM tasks WHERE task_id = ?", arguments: [taskID]) ?? taskID
    }
}
