import Foundation
import FurrowCore
import GRDB

/// The branch server's users (staff members with a password) and their device tokens. The
/// store keeps only hashes: the password's (bcrypt, made by the server) and the token's (SHA-256).
extension AppDatabase {
    public struct BranchUser: Sendable, Hashable, Codable {
        public var staffID: String
        public var name: String
        public var role: StaffRole
        public var team: String?
        public var disabled: Bool
    }

    public func setBranchUser(staffID: String, passwordHash: String, by actor: String) throws(StoreError) {
        try write { db in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM staff WHERE staff_id = ?", arguments: [staffID]) == true else {
                throw StoreError.invalid(field: "user", reason: "no staff member \(staffID) in the branch's extract")
            }
            try db.execute(sql: """
                INSERT INTO branch_users (staff_id, password_hash, disabled, updated_at) VALUES (?, ?, 0, ?)
                ON CONFLICT(staff_id) DO UPDATE SET password_hash = excluded.password_hash, updated_at = excluded.updated_at
                """, arguments: [staffID, passwordHash, Timestamp.utcNow()])
            try Audit.record(db, actor: actor, action: "user.password", customerID: nil, detail: staffID)
        }
    }

    /// Disabling a user revokes every token they hold.
    public func setBranchUserDisabled(_ staffID: String, _ disabled: Bool, by actor: String) throws(StoreError) {
        try write { db in
            try db.execute(sql: "UPDATE branch_users SET disabled = ?, updated_at = ? WHERE staff_id = ?",
                           arguments: [disabled ? 1 : 0, Timestamp.utcNow(), staffID])
            guard db.changesCount == 1 else { throw StoreError.notFound(what: "user \(staffID)") }
            if disabled {
                try db.execute(sql: "UPDATE device_tokens SET revoked_at = ? WHERE staff_id = ? AND revoked_at IS NULL",
                               arguments: [Timestamp.utcNow(), staffID])
            }
            try Audit.record(db, actor: actor, action: disabled ? "user.disable" : "user.enable", customerID: nil, detail: staffID)
        }
    }

    public func branchUsers() throws(StoreError) -> [BranchUser] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT u.staff_id, s.name, s.role, s.team, u.disabled FROM branch_users u JOIN staff s ON s.staff_id = u.staff_id ORDER BY u.staff_id
                """).map { BranchUser(staffID: $0[0], name: $0[1], role: StaffRole(rawValue: $0[2]) ?? .rm, team: $0[3], disabled: ($0[4] as Int) == 1) }
        }
    }

    /// The stored password hash of an enabled user, with who they are.
    public func branchCredential(_ staffID: String) throws(StoreError) -> (hash: String, user: UserRef)? {
        try read { db in
            guard let r = try Row.fetchOne(db, sql: """
                SELECT u.password_hash, s.role, s.team FROM branch_users u JOIN staff s ON s.staff_id = u.staff_id
                WHERE u.staff_id = ? AND u.disabled = 0
                """, arguments: [staffID]) else { return nil }
            return (r[0], UserRef(staffID: staffID, role: StaffRole(rawValue: r[1]) ?? .rm, team: r[2]))
        }
    }

    public func storeToken(hash: String, staffID: String, device: String, expiresAt: String) throws(StoreError) {
        try write { db in
            try db.execute(sql: """
                INSERT INTO device_tokens (token_hash, staff_id, device, created_at, expires_at) VALUES (?, ?, ?, ?, ?)
                """, arguments: [hash, staffID, device, Timestamp.utcNow(), expiresAt])
            try Audit.record(db, actor: staffID, action: "login", customerID: nil, detail: device)
        }
    }

    /// The user a token belongs to, if it is current (not expired, not revoked, user enabled).
    public func tokenUser(hash: String, now: String = Timestamp.utcNow()) throws(StoreError) -> UserRef? {
        try read { db in
            guard let r = try Row.fetchOne(db, sql: """
                SELECT t.staff_id, s.role, s.team FROM device_tokens t JOIN branch_users u ON u.staff_id = t.staff_id
                JOIN staff s ON s.staff_id = t.staff_id
                WHERE t.token_hash = ? AND t.revoked_at IS NULL AND t.expires_at > ? AND u.disabled = 0
                """, arguments: [hash, now]) else { return nil }
            return UserRef(staffID: r[0], role: StaffRole(rawValue: r[1]) ?? .rm, team: r[2])
        }
    }

    /// The change feed after `cursor` that `user` may see (their customers, their team's, or all).
    public func changes(after cursor: Int64, for user: UserRef, limit: Int) throws(StoreError) -> [(seq: Int64, kind: String, customerID: String?, recordID: String?, payload: String)] {
        try read { db in
            let scope: String
            var args: [DatabaseValueConvertible] = [cursor]
            switch user.role {
            case .president, .admin: scope = "1"
            case .lead: scope = "c.rm_id IN (SELECT staff_id FROM staff WHERE team = ?)"; args.append(user.team ?? "")
            case .rm: scope = "c.rm_id = ?"; args.append(user.staffID)
            }
            args.append(limit)
            return try Row.fetchAll(db, sql: """
                SELECT f.seq, f.kind, f.customer_id, f.record_id, f.payload FROM change_feed f
                JOIN customers c ON c.customer_id = f.customer_id
                WHERE f.seq > ? AND \(scope) ORDER BY f.seq LIMIT ?
                """, arguments: StatementArguments(args)).map { ($0[0], $0[1], $0[2], $0[3], $0[4]) }
        }
    }
}
