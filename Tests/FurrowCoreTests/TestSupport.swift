import FurrowCore

/// The error a throwing parse produced, or nil when it succeeded (typed throws make this exact).
func failure<T>(_ body: () throws(IDValidationError) -> T) -> IDValidationError? {
    do { _ = try body(); return nil } catch { return error }
}

func moneyFailure(_ body: () throws(MoneyParseError) -> Money) -> MoneyParseError? {
    do { _ = try body(); return nil } catch { return error }
}

/// A fixed "today" so tests do not depend on the clock.
let testToday = CalendarDate(year: 2026, month: 5, day: 1)!
