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
                """, arguments: [staffID, passwordHash, Timestamp.utcNow(clock())])
            // A new password ends every session signed in with the old one (`users add` on an
            // existing user as much as `reset-password`).
            try db.execute(sql: "UPDATE device_tokens SET revoked_at = ? WHERE staff_id = ? AND revoked_at IS NULL",
                           arguments: [Timestamp.utcNow(clock()), staffID])
            try Audit.record(db, at: clock(), actor: actor, action: "user.password", customerID: nil, detail: staffID)
        }
    }

    /// Signing out: the token stops working at once (its device's row stays, for the audit).
    public func revokeToken(hash: String, by actor: String) throws(StoreError) {
        try write { db in
            try db.execute(sql: "UPDATE device_tokens SET revoked_at = coalesce(revoked_at, ?) WHERE token_hash = ?",
                           arguments: [Timestamp.utcNow(clock()), hash])
            guard db.changesCount == 1 else { throw StoreError.notFound(what: "token") }
            let device = try String.fetchOne(db, sql: "SELECT device FROM device_tokens WHERE token_hash = ?", arguments: [hash]) ?? ""
            try Audit.record(db, at: clock(), actor: actor, action: "logout", customerID: nil, detail: device)
        }
    }

    /// Disabling a user revokes every token they hold.
    public func setBranchUserDisabled(_ staffID: String, _ disabled: Bool, by actor: String) throws(StoreError) {
        try write { db in
            try db.execute(sql: "UPDATE branch_users SET disabled = ?, updated_at = ? WHERE staff_id = ?",
                           arguments: [disabled ? 1 : 0, Timestamp.utcNow(clock()), staffID])
            guard db.changesCount == 1 else { throw StoreError.notFound(what: "user \(staffID)") }
            if disabled {
                try db.execute(sql: "UPDATE device_tokens SET revoked_at = ? WHERE staff_id = ? AND revoked_at IS NULL",
                               arguments: [Timestamp.utcNow(clock()), staffID])
            }
            try Audit.record(db, at: clock(), actor: actor, action: disabled ? "user.disable" : "user.enable", customerID: nil, detail: staffID)
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
                """, arguments: [hash, staffID, device, Timestamp.utcNow(clock()), expiresAt])
            try Audit.record(db, at: clock(), actor: staffID, action: "login", customerID: nil, detail: device)
        }
    }

    /// The device has pulled up to the head of the feed: the branch remembers how many
    /// customer moves it had then (`customer_moves`). Scope for a former RM's offline logs is
    /// judged from this (`authorise`). Writes only when that changed.
    public func recordCaughtUp(_ user: UserRef) throws(StoreError) {
        try write { db in
            try db.cachedStatement(sql: """
                INSERT INTO device_sync (staff_id, device, moves_seen, caught_up_at)
                SELECT ?, ?, ifnull(max(seq), 0), ? FROM customer_moves WHERE true
                ON CONFLICT (staff_id, device) DO UPDATE SET moves_seen = excluded.moves_seen, caught_up_at = excluded.caught_up_at
                WHERE moves_seen IS NOT excluded.moves_seen
                """).execute(arguments: [user.staffID, user.device ?? "", Timestamp.utcNow(clock())])
        }
    }

    /// The user a token belongs to, if it is current (not expired, not revoked, user enabled).
    public func tokenUser(hash: String, now nowGiven: String? = nil) throws(StoreError) -> UserRef? {
        let now = nowGiven ?? Timestamp.utcNow(clock())
        return try read { db in
            guard let r = try Row.fetchOne(db, sql: """
                SELECT t.staff_id, s.role, s.team FROM device_tokens t JOIN branch_users u ON u.staff_id = t.staff_id
                JOIN staff s ON s.staff_id = t.staff_id
                WHERE t.token_hash = ? AND t.revoked_at IS NULL AND t.expires_at > ? AND u.disabled = 0
                """, arguments: [hash, now]) else { return nil }
            return UserRef(staffID: r[0], role: StaffRole(rawValue: r[1]) ?? .rm, team: r[2], device: String(hash.prefix(12)))
        }
    }

    public struct FeedEntry: Sendable, Hashable {
        public var seq: Int64
        public var kind: String
        public var customerID: String?
        public var recordID: String?
        public var payload: String
        public var opID: String?
        public var actor: String?
        public var hlc: String?
    }

    /// The change feed after `cursor` that `user` may see (their customers, their team's, or
    /// all), at most `limit` entries, and where the next pull starts: after the last entry when
    /// there are more, else the feed's head (read in the same transaction, so nothing is skipped).
    public func changes(after cursor: Int64, for user: UserRef, limit: Int) throws(StoreError) -> (entries: [FeedEntry], next: Int64, more: Bool) {
        try read { db in
            let (scope, scopeArgs) = Self.scope(user)
            // The feed remembers whose customer each change was when it was written; reading
            // only those RMs' part keeps a pull short however long the feed. The join checks
            // the customer is still in scope now (a reassigned one re-snapshots anyway).
            // An outreach day's change is filed under `*` and goes to whoever may see the day
            // (who logged it and who went, their leads, the president).
            let (days, dayArgs) = ProspectEffects.outreachScope(user)
            let outreach = "(f.rm_id = '*' AND EXISTS (SELECT 1 FROM outreach_logs o WHERE o.outreach_id = f.record_id AND \(days)))"
            let (feedScope, feedArgs): (String, [DatabaseValueConvertible]) = switch user.role {
            case .president, .admin: ("1", [])
            case .lead: ("(f.rm_id IN (SELECT staff_id FROM staff WHERE team = ?) OR \(outreach))", [user.team ?? ""] + dayArgs)
            case .rm: ("(f.rm_id = ? OR \(outreach))", [user.staffID] + dayArgs)
            }
            // A change without a customer (a prospect's, an outreach day) is scoped by its
            // feed owner alone.
            let rows = try Row.fetchAll(db, sql: """
                SELECT f.seq, f.kind, f.customer_id, f.record_id, \(SealedOps.inClearSQL("f.payload", opID: "f.op_id")), f.op_id, f.actor, f.hlc FROM change_feed f
                LEFT JOIN customers c ON c.customer_id = f.customer_id
                WHERE \(feedScope) AND f.seq > ? AND (f.customer_id IS NULL OR (c.customer_id IS NOT NULL AND \(scope)))
                  AND f.device IS NOT ? ORDER BY f.seq LIMIT ?
                """, arguments: StatementArguments(feedArgs + [cursor] + scopeArgs + [user.device, limit + 1])).map {
                FeedEntry(seq: $0[0], kind: $0[1], customerID: $0[2], recordID: $0[3], payload: $0[4], opID: $0[5], actor: $0[6], hlc: $0[7])
            }
            let page = Array(rows.prefix(limit))
            if rows.count > limit { return (page, page.last?.seq ?? cursor, true) }
            let head = try Int64.fetchOne(db, sql: "SELECT ifnull(max(seq), 0) FROM change_feed") ?? 0
            return (page, max(head, cursor), false)
        }
    }
}

/// A signed-in device, as `furrow-branch devices list` shows it (never the token itself).
public struct DeviceToken: Sendable, Hashable, Codable {
    /// The first 12 hex digits of the token's hash: enough to name it for a revoke.
    public var id: String
    public var staffID: String
    public var device: String
    public var createdAt: String
    public var expiresAt: String
    public var revokedAt: String?
}

extension AppDatabase {
    public func deviceTokens(staffID: String? = nil) throws(StoreError) -> [DeviceToken] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT * FROM device_tokens \(staffID == nil ? "" : "WHERE staff_id = ?") ORDER BY created_at
                """, arguments: StatementArguments(staffID.map { [$0] } ?? [])).map {
                DeviceToken(id: String(($0["token_hash"] as String).prefix(12)), staffID: $0["staff_id"], device: $0["device"],
                            createdAt: $0["created_at"], expiresAt: $0["expires_at"], revokedAt: $0["revoked_at"])
            }
        }
    }

    /// Revokes the device token whose hash starts with `id` (from `deviceTokens`); its next
    /// request gets 401. Audited.
    /// `lost`: the device is also told, at its next contact, to erase its store and token.
    public func revokeDevice(id: String, lost: Bool = false, by actor: String) throws(StoreError) -> DeviceToken {
        try write { db in
            guard id.count >= 6, id.allSatisfy(\.isHexDigit) else {
                throw StoreError.invalid(field: "device", reason: "give the device's id from `devices list` (at least 6 hex digits)")
            }
            let rows = try Row.fetchAll(db, sql: "SELECT * FROM device_tokens WHERE token_hash LIKE ? || '%'", arguments: [id.lowercased()])
            guard rows.count == 1, let r = rows.first else {
                throw rows.isEmpty ? StoreError.notFound(what: "device \(id)") : StoreError.invalid(field: "device", reason: "\(id) names \(rows.count) devices; give more digits")
            }
            let now = Timestamp.utcNow(clock())
            try db.execute(sql: "UPDATE device_tokens SET revoked_at = coalesce(revoked_at, ?), lost = max(lost, ?) WHERE token_hash = ?",
                           arguments: [now, lost ? 1 : 0, r["token_hash"]])
            try Audit.record(db, at: clock(), actor: actor, action: lost ? "device.revoke_lost" : "device.revoke", customerID: nil,
                             detail: "\(r["staff_id"] as String) \(r["device"] as String)")
            return DeviceToken(id: String((r["token_hash"] as String).prefix(12)), staffID: r["staff_id"], device: r["device"],
                               createdAt: r["created_at"], expiresAt: r["expires_at"], revokedAt: (r["revoked_at"] as String?) ?? now)
        }
    }
}

extension AppDatabase {
    /// Whether `hash` is the token of a device revoked as lost; the first time it is asked (the
    /// device's next contact), when is recorded and audited: the device is being told to erase.
    public func lostDeviceContact(hash: String) throws(StoreError) -> Bool {
        try write { db in
            guard let r = try Row.fetchOne(db, sql: "SELECT staff_id, device, wipe_sent_at FROM device_tokens WHERE token_hash = ? AND lost = 1",
                                           arguments: [hash]) else { return false }
            if (r["wipe_sent_at"] as String?) == nil {
                try db.execute(sql: "UPDATE device_tokens SET wipe_sent_at = ? WHERE token_hash = ?", arguments: [Timestamp.utcNow(clock()), hash])
                try Audit.record(db, at: clock(), actor: r["staff_id"], action: "device.wipe", customerID: nil,
                                 detail: "\(r["device"] as String): told to erase its store and token")
            }
            return true
        }
    }

    /// Erases what this store holds, in place: every row of every table, deleted with
    /// `secure_delete` (the freed pages are overwritten with zeros), the log checkpointed and the
    /// file vacuumed. For a device the branch says is lost; the caller then removes the files.
    public func eraseEverything() throws(StoreError) {
        do {
            try writer.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA secure_delete = ON")
                try db.execute(sql: "PRAGMA foreign_keys = OFF")
                let tables = try String.fetchAll(db, sql: """
                    SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND sql NOT LIKE 'CREATE VIRTUAL TABLE%'
                    """)
                try db.inTransaction {
                    for t in tables { try db.execute(sql: "DELETE FROM \"\(t.replacingOccurrences(of: "\"", with: "\"\""))\"") }
                    return .commit
                }
                try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)")
                try db.execute(sql: "VACUUM")
                try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)")
            }
        } catch {
            throw StoreError.from(error, path: path)
        }
    }
}

extension AppDatabase {
    /// How many customers each RM holds, largest first (the benchmark picks its RMs with it).
    public func portfolioSizes() throws(StoreError) -> [(staffID: String, customers: Int)] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT rm_id, count(*) FROM customers WHERE rm_id IS NOT NULL GROUP BY rm_id ORDER BY 2 DESC
                """).map { ($0[0], $0[1]) }
        }
    }
}
