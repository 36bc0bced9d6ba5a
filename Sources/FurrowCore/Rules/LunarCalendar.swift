import Foundation

/// A day in the Chinese lunisolar calendar (农历): month 1…12, day 1…30, and whether the month
/// is a leap (闰) month. Conversions go through ICU's Chinese calendar in Asia/Shanghai, which is
/// right for the years banks care about (see platform-notes.md).
public struct LunarDate: Hashable, Sendable, CustomStringConvertible {
    /// Years counted continuously across the 60-year cycles, so consecutive years differ by one.
    public var cycleYear: Int
    public var month: Int
    public var day: Int
    public var isLeapMonth: Bool

    public var description: String { "\(isLeapMonth ? "闰" : "")\(month)月\(day)日" }
}

public enum LunarCalendar {
    private static let chinese: Calendar = {
        var c = Calendar(identifier: .chinese)
        c.timeZone = TimeZone(identifier: "Asia/Shanghai")!
        return c
    }()

    /// Noon in Shanghai on the day, so no time-zone edge moves it to a neighbour.
    private static func instant(_ d: CalendarDate) -> Date {
        Date(timeIntervalSince1970: Double(d.dayNumber) * 86400 + 4 * 3600)
    }

    public static func lunar(_ d: CalendarDate) -> LunarDate {
        let c = chinese.dateComponents([.era, .year, .month, .day, .isLeapMonth], from: instant(d))
        return LunarDate(cycleYear: (c.era ?? 0) * 60 + (c.year ?? 0), month: c.month ?? 1, day: c.day ?? 1,
                         isLeapMonth: c.isLeapMonth ?? false)
    }

    /// The first day on or after `start` that is lunar `month`/`day` in a regular (not leap)
    /// month. A day 30 that the month does not have falls on its last day, 29, as families
    /// keep such birthdays.
    public static func next(month: Int, day: Int, onOrAfter start: CalendarDate) -> CalendarDate {
        var d = start
        // A lunar year has at most 385 days: the day is found within that.
        for _ in 0..<400 {
            let l = lunar(d)
            if !l.isLeapMonth, l.month == month {
                if l.day == day { return d }
                if day == 30, l.day == 29 {
                    // Only when this month ends at 29: tomorrow is already another month.
                    let tomorrow = lunar(d.adding(days: 1))
                    if tomorrow.month != month || tomorrow.isLeapMonth { return d }
                }
            }
            d = d.adding(days: 1)
        }
        return start
    }

    /// The Gregorian date of lunar `month`/`day` in the lunar year that begins in Gregorian
    /// `year` (Spring Festival of 2026 is lunar 1/1 of the year starting 2026-02-17).
    public static func date(month: Int, day: Int, lunarYearStartingIn year: Int) -> CalendarDate {
        let newYear = next(month: 1, day: 1, onOrAfter: CalendarDate(year: year, month: 1, day: 1)!)
        return month == 1 && day == 1 ? newYear : next(month: month, day: day, onOrAfter: newYear)
    }
}
