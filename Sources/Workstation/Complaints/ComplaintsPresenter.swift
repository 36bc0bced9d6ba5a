import FurrowCore
import FurrowStore

/// Complaint rows as text (pure: `now` comes in).
enum ComplaintsPresenter {
    /// Time left to the deadline, or how long it is overdue; "已结" when closed.
    static func timeLeft(_ c: Complaint, now: String) -> String {
        if c.status == ComplaintStatus.resolved.rawValue { return "待回访 callback" }
        guard c.isOpen else { return "已结 closed" }
        guard let left = minutes(from: now, to: c.deadlineAt) else { return c.deadlineAt }
        let a = abs(left)
        let text = a >= 1440 ? "\(a / 1440)天\(a % 1440 / 60)时" : "\(a / 60)时\(a % 60)分"
        return left < 0 ? "逾期 \(text)" : "剩 \(text)"
    }

    /// Minutes between two local times `YYYY-MM-DD HH:MM:SS`.
    static func minutes(from a: String, to b: String) -> Int? {
        func m(_ s: String) -> Int? {
            guard let d = CalendarDate(iso: s.prefix(10)), s.count >= 16, let h = Int(s.dropFirst(11).prefix(2)),
                  let mi = Int(s.dropFirst(14).prefix(2)) else { return nil }
            return d.dayNumber * 1440 + h * 60 + mi
        }
        guard let x = m(a), let y = m(b) else { return nil }
        return y - x
    }
}
