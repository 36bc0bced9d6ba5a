import Foundation
import FurrowCore
import GRDB

/// The branch's sign-in limits, kept in its store (a restart clears nothing). An attempt is
/// counted *before* the password is checked, in one write transaction with the check of the
/// limit, so that many attempts at once cannot all get through to bcrypt; a right password
/// clears the count afterwards.
extension AppDatabase {
    /// One limit: how many failures are free, and the longest wait after them.
    public struct SignInLimit: Sendable, Hashable {
        public var key: String
        public var freeFailures: Int
        public var maxWait: TimeInterval
        public init(key: String, freeFailures: Int, maxWait: TimeInterval) {
            self.key = key; self.freeFailures = freeFailures; self.maxWait = maxWait
        }

        /// The wait after the `n`-th failure past the free ones: 1 s, 2 s, 4 s … up to `maxWait`.
        func wait(afterExtraFailure n: Int) -> TimeInterval { min(maxWait, pow(2, Double(min(max(n - 1, 0), 30)))) }
    }

    public enum SignInAdmission: Sendable, Hashable {
        case proceed
        /// Not now: the seconds to wait.
        case wait(Int)
    }

    /// Counts an attempt against every limit, or says how long to wait if any is waiting.
    public func admitSignIn(_ limits: [SignInLimit]) throws(StoreError) -> SignInAdmission {
        let now = clock()
        return try write { db in
            for limit in limits {
                if let until = try String.fetchOne(db.cachedStatement(sql: "SELECT blocked_until FROM sign_in_limits WHERE key = ?"),
                                                   arguments: [limit.key]).flatMap(Timestamp.parseUTC), until > now {
                    return .wait(max(1, Int(until.timeIntervalSince(now).rounded(.up))))
                }
            }
            for limit in limits {
                let failures = (try Int.fetchOne(db.cachedStatement(sql: "SELECT failures FROM sign_in_limits WHERE key = ?"),
                                                 arguments: [limit.key]) ?? 0) + 1
                let extra = failures - limit.freeFailures
                let until = extra > 0 ? Timestamp.utcNow(now.addingTimeInterval(limit.wait(afterExtraFailure: extra))) : nil
                try db.cachedStatement(sql: """
                    INSERT INTO sign_in_limits (key, failures, blocked_until) VALUES (?, ?, ?)
                    ON CONFLICT (key) DO UPDATE SET failures = excluded.failures, blocked_until = excluded.blocked_until
                    """).execute(arguments: [limit.key, failures, until])
            }
            return .proceed
        }
    }

    /// The password was right: the attempt counted against these keys is forgiven, and so are
    /// the failures before it.
    public func signInSucceeded(keys: [String]) throws(StoreError) {
        try write { db in
            for key in keys { try db.cachedStatement(sql: "DELETE FROM sign_in_limits WHERE key = ?").execute(arguments: [key]) }
        }
    }

    /// How many keys the limits hold (their memory is the store's, and bounded by what reaches it).
    public func signInLimitKeys() throws(StoreError) -> Int {
        try read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM sign_in_limits") ?? 0 }
    }

    /// Whether `tokenHash` is a token this user's device holds (expired or not; not revoked):
    /// such a device signing in again is not held back by others' failures on the name.
    public func isKnownDevice(tokenHash: String, staffID: String) throws(StoreError) -> Bool {
        try read { db in
            try Bool.fetchOne(db, sql: "SELECT 1 FROM device_tokens WHERE token_hash = ? AND staff_id = ? AND revoked_at IS NULL",
                              arguments: [tokenHash, staffID]) == true
        }
    }
}
