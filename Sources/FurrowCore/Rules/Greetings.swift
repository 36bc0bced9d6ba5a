/// The days an RM greets customers: Gregorian holidays and the lunar festivals.
public struct GreetingDay: Sendable, Hashable {
    public enum Rule: Sendable, Hashable {
        case gregorian(month: Int, day: Int)
        case lunar(month: Int, day: Int)
    }

    public var id: String
    public var name: String
    public var rule: Rule
    /// Only customers at least this old (重阳节 is for the elderly); nil for everyone.
    public var minimumAge: Int?

    public init(id: String, name: String, rule: Rule, minimumAge: Int? = nil) {
        self.id = id; self.name = name; self.rule = rule; self.minimumAge = minimumAge
    }

    /// The next occurrence on or after `start`.
    public func next(onOrAfter start: CalendarDate) -> CalendarDate {
        switch rule {
        case .gregorian(let m, let d):
            let thisYear = CalendarDate(year: start.year, month: m, day: d)!
            return thisYear >= start ? thisYear : CalendarDate(year: start.year + 1, month: m, day: d)!
        case .lunar(let m, let d):
            return LunarCalendar.next(month: m, day: d, onOrAfter: start)
        }
    }

    public static let standard: [GreetingDay] = [
        GreetingDay(id: "new-year", name: "元旦 New Year", rule: .gregorian(month: 1, day: 1)),
        GreetingDay(id: "spring-festival", name: "春节 Spring Festival", rule: .lunar(month: 1, day: 1)),
        GreetingDay(id: "lantern", name: "元宵节 Lantern Festival", rule: .lunar(month: 1, day: 15)),
        GreetingDay(id: "dragon-boat", name: "端午节 Dragon Boat", rule: .lunar(month: 5, day: 5)),
        GreetingDay(id: "mid-autumn", name: "中秋节 Mid-Autumn", rule: .lunar(month: 8, day: 15)),
        GreetingDay(id: "national-day", name: "国庆节 National Day", rule: .gregorian(month: 10, day: 1)),
        GreetingDay(id: "double-ninth", name: "重阳节 Double Ninth", rule: .lunar(month: 9, day: 9), minimumAge: 60),
    ]
}
