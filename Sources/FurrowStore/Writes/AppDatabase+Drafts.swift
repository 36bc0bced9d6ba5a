import Foundation
import FurrowCore
import GRDB

/// A form the RM has started and not saved: its fields as typed, kept on every change.
public struct Draft: Sendable, Hashable, Codable {
    public var draftID: String
    public var staffID: String
    /// The form: `contact.visit`, `contact.call`, `complaint`, `task`…
    public var kind: String
    public var customerID: String?
    public var fields: [String: String]
    public var createdAt: String
    public var updatedAt: String

    public init(draftID: String = UUID().uuidString.lowercased(), staffID: String, kind: String, customerID: String?,
                fields: [String: String], createdAt: String, updatedAt: String? = nil) {
        self.draftID = draftID; self.staffID = staffID; self.kind = kind; self.customerID = customerID
        self.fields = fields; self.createdAt = createdAt; self.updatedAt = updatedAt ?? createdAt
    }
}

extension AppDatabase {
    /// Keeps the draft as it is now (insert or replace). Cheap enough to call on every keystroke.
    public func saveDraft(_ d: Draft, now nowGiven: String? = nil) throws(StoreError) {
        let now = nowGiven ?? Timestamp.shanghaiNow(clock())
        let json: String
        do {
            let enc = JSONEncoder()
            enc.outputFormatting = .sortedKeys
            json = String(decoding: try enc.encode(d.fields), as: UTF8.self)
        } catch {
            throw StoreError.invalid(field: "draft", reason: "cannot be encoded: \(error)")
        }
        try write { db in
            try db.execute(sql: """
                INSERT INTO drafts (draft_id, staff_id, kind, customer_id, fields, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(draft_id) DO UPDATE SET fields = excluded.fields, updated_at = excluded.updated_at
                """, arguments: [d.draftID, d.staffID, d.kind, d.customerID, json, d.createdAt, now])
        }
    }

    /// The user's unsaved drafts, newest first.
    public func drafts(staffID: String) throws(StoreError) -> [Draft] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM drafts WHERE staff_id = ? ORDER BY updated_at DESC",
                             arguments: [staffID]).map { r in
                let fields = (try? JSONDecoder().decode([String: String].self, from: Data((r["fields"] as String).utf8))) ?? [:]
                return Draft(draftID: r["draft_id"], staffID: r["staff_id"], kind: r["kind"], customerID: r["customer_id"],
                             fields: fields, createdAt: r["created_at"], updatedAt: r["updated_at"])
            }
        }
    }

    public func deleteDraft(_ draftID: String) throws(StoreError) {
        try write { db in try db.execute(sql: "DELETE FROM drafts WHERE draft_id = ?", arguments: [draftID]) }
    }
}
