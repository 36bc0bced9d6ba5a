import Foundation

/// A wall clock that starts at a chosen instant and then moves forward as time really passes
/// (measured on the monotonic clock, so a stepped system clock does not move it). Tests, the
/// demo and the benchmarks give it to a store (`AppDatabase.clock`) so that what they do never
/// depends on today's date, while stamps taken one after another still advance.
public enum SteadyClock {
    public static func starting(at start: Date) -> @Sendable () -> Date {
        let origin = ContinuousClock.now
        return {
            let elapsed = origin.duration(to: .now).components
            return start.addingTimeInterval(Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18)
        }
    }
}
