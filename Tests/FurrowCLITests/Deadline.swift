import Foundation

/// A deadline on the monotonic clock. A fresh CI machine's wall clock can be stepped by NTP in
/// the middle of a run: a wait measured with `Date()` then ends at once (or lasts an hour).
struct Deadline {
    private let end: ContinuousClock.Instant

    init(seconds: Double) { end = .now + .milliseconds(Int(seconds * 1000)) }

    var hasPassed: Bool { ContinuousClock.now >= end }
}
