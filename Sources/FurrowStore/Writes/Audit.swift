import Foundation
import FurrowCore
import GRDB

/// The audit trail: every reveal of personal data and every change, with who and when.
/// Written inside the same transaction as the change it records.
enum Audit {
    /// `now` is the store's clock (`AppDatabase.clock`), never the wall clock read here.
    static func record(_ db: Database, at now: Date, actor: String, action: String, customerID: String?, detail: String?) throws {
        try record(db, at: Timestamp.utcNow(now), actor: actor, action: action, customerID: customerID, detail: detail)
    }

    static func record(_ db: Database, at now: String, actor: String, action: String, customerID: String?, detail: String?) throws {
        try db.cachedStatement(sql: """
            INSERT INTO audit_log (at, actor, action, customer_id, detail) VALUES (?, ?, ?, ?, ?)
            """).execute(arguments: [now, actor, action, customerID, detail])
    }
}

/// Instants are stored as UTC ISO 8601 text with milliseconds, which sorts as time does.
public enum Timestamp {
    public static func utcNow(_ date: Date) -> String {
        let ms = Int64((date.timeIntervalSince1970 * 1000).rounded())
        let secs = ms / 1000
        let day = Int(floorDiv(secs, 86400))
        let rem = Int(secs - Int64(day) * 86400)
        let d = CalendarDate(dayNumber: day).iso
        func p(_ v: Int, _ w: Int = 2) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, w - s.count)) + s
        }
        return "\(d)T\(p(rem / 3600)):\(p(rem / 60 % 60)):\(p(rem % 60)).\(p(Int(ms % 1000), 3))Z"
    }

    /// Reads `utcNow`'s form back (`YYYY-MM-DDTHH:MM:SS.mmmZ`, the fraction optional).
    public static func parseUTC(_ text: String) -> Date? {
        let t = Array(text.utf8)
        guard t.count >= 20, let day = CalendarDate(iso: String(text.prefix(10))), t[10] == UInt8(ascii: "T"), t.last == UInt8(ascii: "Z"),
              let h = Int(text.dropFirst(11).prefix(2)), let m = Int(text.dropFirst(14).prefix(2)), let s = Int(text.dropFirst(17).prefix(2))
        else { return nil }
        let fraction = t.count > 21 && t[19] == UInt8(ascii: ".") ? (Double("0" + String(text.dropFirst(19).dropLast())) ?? 0) : 0
        return Date(timeIntervalSince1970: Double(day.dayNumber) * 86400 + Double(h * 3600 + m * 60 + s) + fraction)
    }

    private static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        a >= 0 ? a / b : -((-a + b - 1) / b)
    }

    /// Local Asia/Shanghai wall time `YYYY-MM-DD HH:MM:SS`, the form the extracts and the RM use.
    public static func shanghaiNow(_ date: Date) -> String {
        let secs = Int64(date.timeIntervalSince1970.rounded(.down)) + 8 * 3600
        let day = Int(floorDiv(secs, 86400))
        let rem = Int(secs - Int64(day) * 86400)
        func p(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(CalendarDate(dayNumber: day).iso) \(p(rem / 3600)):\(p(rem / 60 % 60)):\(p(rem % 60))"
    }
}

