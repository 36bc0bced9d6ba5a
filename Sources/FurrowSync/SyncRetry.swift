import Foundation

/// How a sync tries again after a failure that may pass by itself: no network, the server
/// down, restarting or busy, an answer cut short. Every sync step can be repeated safely (a
/// push is deduplicated by op id on the branch, a pull resumes from the kept cursor, a
/// snapshot from the last page kept), so trying again is always a whole `SyncEngine.run`.
///
/// The waits grow: `first`, twice that, four times… up to `cap`, each shortened by a random
/// part of up to half (so two hundred workstations cut off together do not come back in step).
public struct SyncRetry: Sendable, Hashable {
    /// Tries in all (1: no retry).
    public var attempts: Int
    public var first: Duration
    public var cap: Duration

    public init(attempts: Int, first: Duration = .seconds(1), cap: Duration = .seconds(60)) {
        self.attempts = max(1, attempts)
        self.first = first
        self.cap = cap
    }

    public static let none = SyncRetry(attempts: 1)

    /// The wait after the `failures`-th failure in a row (1, 2, …); `jitter` in 0...1.
    public func delay(afterFailures failures: Int, jitter: Double) -> Duration {
        let doubled = min(max(failures - 1, 0), 30)
        let full = min(first * (1 << doubled), cap)
        let kept = 1 - 0.5 * min(max(jitter, 0), 1)
        return full * kept
    }
}

extension SyncError {
    /// A failure that may pass without anyone doing anything: worth another try later.
    /// (A refusal, a sign-in, a wipe, a store problem are not: they need a person.)
    public var mayPass: Bool {
        switch self {
        case .unreachable: true
        case .server(let status, _): status >= 500
        case .refused(let status, _): status == 408 || status == 429
        // An answer cut off in the middle does not decode.
        case .badAnswer: true
        case .signInAgain, .wipe, .notSignedIn, .storeMismatch, .upgradeRequired, .store: false
        }
    }
}

extension SyncEngine {
    /// `run`, tried again after a failure that may pass, waiting longer each time
    /// (`retry`); `onRetry(error, failures, wait)` is told before each wait. The summary
    /// counts the work of every attempt.
    public func run(retry: SyncRetry,
                    onRetry: @Sendable (SyncError, Int, Duration) -> Void = { _, _, _ in },
                    progress: @Sendable (String, Int, Int) -> Void = { _, _, _ in }) async throws(SyncError) -> SyncSummary {
        var summary = SyncSummary()
        var failures = 0
        while true {
            do {
                try await run(into: &summary, progress: progress)
                return summary
            } catch {
                failures += 1
                guard error.mayPass, failures < retry.attempts else { throw error }
                let wait = retry.delay(afterFailures: failures, jitter: Double.random(in: 0...1))
                onRetry(error, failures, wait)
                do { try await Task.sleep(for: wait) } catch { throw .unreachable(client.server, reason: "cancelled") }
            }
        }
    }
}
