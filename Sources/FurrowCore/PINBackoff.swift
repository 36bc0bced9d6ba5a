import Foundation

/// How long a device makes a wrong PIN wait, wherever a PIN is asked (the lock screen, the
/// store's unlock at start): the first three are free, then 5 s, 10 s, 20 s … up to 15 min.
/// The count is kept in the store, so quitting and starting again does not reset it.
public enum PINBackoff {
    public static let freeFailures = 3

    /// The wait after the `n`-th wrong PIN in a row.
    public static func wait(afterFailure n: Int) -> TimeInterval? {
        guard n > freeFailures else { return nil }
        return min(900, 5 * pow(2, Double(min(n - freeFailures - 1, 20))))
    }

    /// Seconds still to wait at `now` after `failures` wrong PINs, the last at `last`; a clock
    /// set back does not shorten the wait (it counts from now again, at most the full wait).
    public static func secondsToWait(failures: Int, last: Date?, now: Date) -> Int? {
        guard let last, let wait = wait(afterFailure: failures) else { return nil }
        let remaining = min(wait, last.addingTimeInterval(wait).timeIntervalSince(now))
        return remaining > 0 ? Int(remaining.rounded(.up)) : nil
    }
}
