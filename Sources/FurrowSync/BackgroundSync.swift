import Foundation
import FurrowStore
import Synchronization

/// Sync in the background while the workstation is open: at start, every `interval`, and when
/// asked. The terminal never waits on it; the outcome lands in the store (`syncOverview`) for
/// the status line and the Sync screen. A sync that failed in a way that may pass (no network,
/// the server down or busy) tries again sooner at first and then less often — `retry`'s waits,
/// never longer than `interval` — so a moment's loss of signal costs seconds, and a day
/// without it does not keep the radio busy.
public final class BackgroundSync: Sendable {
    private struct State {
        var running = false
        var requested = true
        var nextDue = ContinuousClock.now
        /// Failures in a row that may pass; 0 after a sync that worked.
        var failures = 0
    }

    private let state = Mutex(State())
    private let task = Mutex<Task<Void, Never>?>(nil)
    private let engine: SyncEngine
    private let interval: Duration
    private let retry: SyncRetry
    private let onWipe: @Sendable () -> Void

    /// `onWipe`: the branch said this device was reported lost (the engine has erased the
    /// store's rows); remove the files and end the session.
    public init(engine: SyncEngine, interval: Duration, retry: SyncRetry = SyncRetry(attempts: .max, first: .seconds(2)),
                onWipe: @escaping @Sendable () -> Void = {}) {
        self.engine = engine
        self.interval = interval
        self.retry = retry
        self.onWipe = onWipe
    }

    public var isRunning: Bool { state.withLock { $0.running } }

    /// Failures in a row that may pass (0 after a sync that worked).
    public var failuresInARow: Int { state.withLock { $0.failures } }

    public func syncNow() { state.withLock { $0.requested = true } }

    public func start() {
        let work = Task.detached { [self] in await loop() }
        task.withLock { $0 = work }
    }

    public func stop() { task.withLock { $0?.cancel() } }

    private func loop() async {
        while !Task.isCancelled {
            let due = state.withLock { s -> Bool in
                guard s.requested || ContinuousClock.now >= s.nextDue else { return false }
                s.running = true
                s.requested = false
                return true
            }
            if due {
                var wait = interval
                do {
                    _ = try await engine.run()
                    state.withLock { $0.failures = 0 }
                } catch .wipe {
                    onWipe()
                    return
                } catch {
                    let failures = state.withLock { s in
                        s.failures = error.mayPass ? s.failures + 1 : 0
                        return s.failures
                    }
                    if failures > 0 { wait = min(interval, retry.delay(afterFailures: failures, jitter: Double.random(in: 0...1))) }
                }
                state.withLock {
                    $0.running = false
                    $0.nextDue = ContinuousClock.now + wait
                }
            }
            try? await Task.sleep(for: .milliseconds(250))
        }
    }
}
