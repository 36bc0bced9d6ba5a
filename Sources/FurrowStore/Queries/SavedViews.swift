import Foundation
import FurrowCore
import GRDB

/// A named portfolio view (filters and sort), saved per user.
public struct SavedView: Sendable, Hashable, Codable {
    public var name: String
    /// The view as the workstation writes it (a small `key=value;…` text it parses back).
    public var spec: String

    public init(name: String, spec: String) { self.name = name; self.spec = spec }
}

extension AppDatabase {
    public func saveView(_ v: SavedView, staffID: String) throws(StoreError) {
        let name = v.name.trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty, name.count <= 30 else {
            throw StoreError.invalid(field: "view name", reason: "1 to 30 characters")
        }
        try write { db in
            try db.execute(sql: """
                INSERT INTO saved_views (staff_id, name, spec, saved_at) VALUES (?, ?, ?, ?)
                ON CONFLICT(staff_id, name) DO UPDATE SET spec = excluded.spec, saved_at = excluded.saved_at
                """, arguments: [staffID, name, v.spec, Timestamp.utcNow(clock())])
        }
    }

    public func savedViews(staffID: String) throws(StoreError) -> [SavedView] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT name, spec FROM saved_views WHERE staff_id = ? ORDER BY name",
                             arguments: [staffID]).map { SavedView(name: $0["name"], spec: $0["spec"]) }
        }
    }

    public func deleteView(named name: String, staffID: String) throws(StoreError) {
        try write { db in
            try db.execute(sql: "DELETE FROM saved_views WHERE staff_id = ? AND name = ?", arguments: [staffID, name])
        }
    }
}
