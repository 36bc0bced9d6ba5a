import ArgumentParser
import FurrowCore
import FurrowStore

// Values the command line takes as typed options: ArgumentParser refuses a bad one with the
// option's name and the value ("The value '2026-13-01' is invalid for '--as-of <YYYY-MM-DD>'").
extension Tier: ExpressibleByArgument {}
extension CustomerKind: ExpressibleByArgument {}
extension PortfolioSort: ExpressibleByArgument {}
extension Campaign.Kind: ExpressibleByArgument {}

/// A day, YYYY-MM-DD, between 2000 and 2100 (a slip like 0026-11-20 is refused, not stored).
extension CalendarDate: ExpressibleByArgument {
    public init?(argument: String) {
        guard let day = CalendarDate(iso: argument), (2000...2100).contains(day.year) else { return nil }
        self = day
    }
}
