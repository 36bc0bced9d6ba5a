import Foundation
import FurrowCore
import GRDB

/// The RM's own writes. Each is one transaction: the op built from what was typed, its effect
/// (the same code every other copy applies), its audit entry and its outbox entry (`Journal.write`).
extension AppDatabase {
    func requireCustomer(_ db: Database, _ customerID: String) throws {
        guard try Bool.fetchOne(db, sql: "SELECT 1 FROM customers WHERE customer_id = ?", arguments: [customerID]) == true else {
            throw StoreError.notFound(what: "customer \(customerID)")
        }
    }

    static func nonEmpty(_ text: String, field: String) throws -> String {
        let t = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !t.isEmpty else { throw StoreError.invalid(field: field, reason: "must not be empty") }
        return t
    }

    @discardableResult
    public func addNote(customerID: String, text: String, draftID: String? = nil, by actor: String) throws(StoreError) -> Note {
        try write { db in
            try requireCustomer(db, customerID)
            if let draftID { try db.execute(sql: "DELETE FROM drafts WHERE draft_id = ?", arguments: [draftID]) }
            let note = Note(noteID: UUID().uuidString.lowercased(), customerID: customerID, staffID: actor,
                            at: Timestamp.shanghaiNow(clock()), text: try Self.nonEmpty(text, field: "note"))
            try Journal.write(db, now: clock(), actor: actor, kind: .noteAdd, customerID: customerID, detail: note.noteID,
                                recordID: note.noteID, fields: ["at": note.at, "text": note.text])
            return note
        }
    }

    public func addTag(customerID: String, tag: String, by actor: String) throws(StoreError) {
        try write { db in
            try requireCustomer(db, customerID)
            let t = try Self.nonEmpty(tag, field: "tag")
            guard t.count <= 20 else { throw StoreError.invalid(field: "tag", reason: "at most 20 characters") }
            if try !Self.hasTag(db, customerID, t) {
                try Journal.write(db, now: clock(), actor: actor, kind: .tagAdd, customerID: customerID, detail: t, recordID: t, fields: ["tag": t])
            }
        }
    }

    public func removeTag(customerID: String, tag: String, by actor: String) throws(StoreError) {
        try write { db in
            if try Self.hasTag(db, customerID, tag) {
                try Journal.write(db, now: clock(), actor: actor, kind: .tagRemove, customerID: customerID, detail: tag, recordID: tag, fields: ["tag": tag])
            }
        }
    }

    static func hasTag(_ db: Database, _ customerID: String, _ tag: String) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT 1 FROM customer_tags WHERE customer_id = ? AND tag = ?", arguments: [customerID, tag]) == true
    }

    /// Records that `actor` saw the unmasked personal data of these customers, and why.
    /// `onBranch`: the branch's own store, whose audit trail is the record (a workstation's
    /// reveal also goes to the branch as an op; the branch has nowhere to send one).
    public func recordReveal(customerIDs: [String], by actor: String, context: String, onBranch: Bool = false) throws(StoreError) {
        guard !customerIDs.isEmpty else { return }
        try write { db in try recordReveal(db, customerIDs: customerIDs, by: actor, context: context, onBranch: onBranch) }
    }

    func recordReveal(_ db: Database, customerIDs: [String], by actor: String, context: String, onBranch: Bool) throws {
        for id in customerIDs {
            if onBranch {
                try Audit.record(db, at: clock(), actor: actor, action: "reveal", customerID: id, detail: context)
            } else {
                try Journal.write(db, now: clock(), actor: actor, kind: .reveal, customerID: id, detail: context, recordID: nil,
                                    fields: ["context": context])
            }
        }
    }

    public struct AuditEntry: Sendable, Codable, Hashable {
        public var at: String
        public var actor: String
        public var action: String
        public var customerID: String?
        public var detail: String?
    }

    public func auditTrail(customerID: String? = nil, actor: String? = nil, limit: Int = 100) throws(StoreError) -> [AuditEntry] {
        try read { db in
            var conditions: [String] = []
            var args: [DatabaseValueConvertible] = []
            if let customerID { conditions.append("customer_id = ?"); args.append(customerID) }
            if let actor { conditions.append("actor = ?"); args.append(actor) }
            let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
            return try Row.fetchAll(db, sql: "SELECT * FROM audit_log \(filter) ORDER BY id DESC LIMIT ?",
                                    arguments: StatementArguments(args + [limit])).map {
                AuditEntry(at: $0["at"], actor: $0["actor"], action: $0["action"], customerID: $0["customer_id"],
                           detail: $0["detail"])
            }
        }
    }
}
