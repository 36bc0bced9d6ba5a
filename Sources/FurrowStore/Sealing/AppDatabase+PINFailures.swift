import Foundation
import FurrowCore
import GRDB

/// Wrong PINs in a row on this device, kept in the store so a restart does not start the count
/// again: the store's unlock and the workstation's lock screen both count here and both wait
/// as `PINBackoff` says. (Against a copied file the PIN's key derivation is the defence: see
/// docs/security.md.)
extension AppDatabase {
    public func pinFailures() -> (count: Int, last: Date?) {
        let row = try? readOnWriter { db in
            try Row.fetchOne(db, sql: """
                SELECT (SELECT value FROM sync_state WHERE key = 'pin_failures'), (SELECT value FROM sync_state WHERE key = 'pin_last_failure')
                """)
        }
        let count = (row?[0] as String?).flatMap { Int($0) } ?? 0
        return (max(0, count), (row?[1] as String?).flatMap(Timestamp.parseUTC))
    }

    public func setPINFailures(_ count: Int, last: Date?) {
        try? write { db in
            if count == 0 {
                try db.execute(sql: "DELETE FROM sync_state WHERE key IN ('pin_failures', 'pin_last_failure')")
                return
            }
            try db.execute(sql: """
                INSERT INTO sync_state (key, value) VALUES ('pin_failures', ?1), ('pin_last_failure', ?2)
                ON CONFLICT(key) DO UPDATE SET value = excluded.value
                """, arguments: [String(count), Timestamp.utcNow(last ?? clock())])
        }
    }

    /// Seconds before a PIN may be tried, if it must wait.
    public func pinWait() -> Int? {
        let f = pinFailures()
        return PINBackoff.secondsToWait(failures: f.count, last: f.last, now: clock())
    }

    /// Refuses a PIN tried too soon after wrong ones (without checking it).
    func checkPINWait() throws(StoreError) {
        var f = pinFailures()
        // A clock set back does not stretch the wait: it counts from now again.
        if let last = f.last, last > clock() {
            f.last = clock()
            setPINFailures(f.count, last: f.last)
        }
        if let s = PINBackoff.secondsToWait(failures: f.count, last: f.last, now: clock()) {
            throw StoreError.invalid(field: "PIN", reason: "\(f.count) wrong PINs in a row: try again in \(s) s")
        }
    }
}
