import Foundation
import Synchronization

/// Failed sign-ins per user name: after `maxFailures` within `window`, the name is refused until
/// the window has passed since the last failure (guessing a password takes forever).
public final class LoginLimiter: Sendable {
    public let maxFailures: Int
    public let window: TimeInterval
    private let now: @Sendable () -> Date
    private let failures = Mutex<[String: [Date]]>([:])

    public init(maxFailures: Int = 5, window: TimeInterval = 15 * 60, now: @escaping @Sendable () -> Date = { Date() }) {
        self.maxFailures = maxFailures
        self.window = window
        self.now = now
    }

    func allows(_ user: String) -> Bool {
        let t = now()
        return failures.withLock { all in
            let recent = (all[user] ?? []).filter { t.timeIntervalSince($0) < window }
            all[user] = recent
            return recent.count < maxFailures
        }
    }

    func failed(_ user: String) {
        let t = now()
        failures.withLock { $0[user, default: []].append(t) }
    }

    /// How many names the limiter holds (a bound on its memory).
    public var trackedNames: Int { failures.withLock { $0.count } }

    func succeeded(_ user: String) {
        failures.withLock { $0[user] = nil }
    }
}
