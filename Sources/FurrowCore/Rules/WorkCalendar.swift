/// Public holidays and the make-up workdays (调休) of the State Council's yearly schedule:
/// visits are never scheduled on a holiday, and a make-up Saturday or Sunday is a workday.
/// Configuration: the rules file replaces or extends these each December when the new
/// schedule is published.
public struct WorkCalendar: Sendable, Hashable {
    /// Day → the holiday's name.
    public var holidays: [CalendarDate: String]
    public var makeUpWorkdays: Set<CalendarDate>

    public init(holidays: [CalendarDate: String] = [:], makeUpWorkdays: Set<CalendarDate> = []) {
        self.holidays = holidays
        self.makeUpWorkdays = makeUpWorkdays
    }

    public func isWorkday(_ d: CalendarDate) -> Bool {
        if holidays[d] != nil { return false }
        if makeUpWorkdays.contains(d) { return true }
        let weekday = (d.dayNumber % 7 + 7 + 3) % 7   // 0 = Monday (1970-01-01 was a Thursday)
        return weekday < 5
    }

    /// The first workday on or after `d`.
    public func workday(onOrAfter d: CalendarDate) -> CalendarDate {
        var x = d
        for _ in 0..<60 where !isWorkday(x) { x = x.adding(days: 1) }
        return x
    }

    /// The last workday before `d` (for a greeting that must come before the holiday).
    public func workday(before d: CalendarDate) -> CalendarDate {
        var x = d.adding(days: -1)
        for _ in 0..<60 where !isWorkday(x) { x = x.adding(days: -1) }
        return x
    }

    static func range(_ from: String, _ to: String, _ name: String) -> [(CalendarDate, String)] {
        let a = CalendarDate(iso: from)!, b = CalendarDate(iso: to)!
        return (0...a.days(until: b)).map { (a.adding(days: $0), name) }
    }

    /// The schedules published for 2025 and 2026.
    public static let china: WorkCalendar = {
        let days = [
            range("2025-01-01", "2025-01-01", "元旦"), range("2025-01-28", "2025-02-04", "春节"),
            range("2025-04-04", "2025-04-06", "清明节"), range("2025-05-01", "2025-05-05", "劳动节"),
            range("2025-05-31", "2025-06-02", "端午节"), range("2025-10-01", "2025-10-08", "国庆节、中秋节"),
            range("2026-01-01", "2026-01-03", "元旦"), range("2026-02-15", "2026-02-23", "春节"),
            range("2026-04-04", "2026-04-06", "清明节"), range("2026-05-01", "2026-05-05", "劳动节"),
            range("2026-06-19", "2026-06-21", "端午节"), range("2026-09-25", "2026-09-27", "中秋节"),
            range("2026-10-01", "2026-10-07", "国庆节"),
        ].flatMap { $0 }
        let makeUp = ["2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11",
                      "2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"]
        return WorkCalendar(holidays: Dictionary(days, uniquingKeysWith: { a, _ in a }),
                            makeUpWorkdays: Set(makeUp.map { CalendarDate(iso: $0)! }))
    }()
}
