import Foundation
import FurrowStore
import Synchronization

/// Sync in the background while the workstation is open: at start, every `interval`, and when
/// asked. The terminal never waits on it; the outcome lands in the store (`syncOverview`) for
/// the status line and the Sync screen. A failed sync (no network) simply tries again later.
public final class BackgroundSync: Sendable {
    private struct State {
        var running = false
        var requested = true
        var nextDue = ContinuousClock.now
    }

    private let state = Mutex(State())
    private let task = Mutex<Task<Void, Never>?>(nil)
    private let engine: SyncEngine
    private let interval: Duration
    private let onWipe: @Sendable () -> Void

    /// `onWipe`: the branch said this device was reported lost (the engine has erased the
    /// store's rows); remove the files and end the session.
    public init(engine: SyncEngine, interval: Duration, onWipe: @escaping @Sendable () -> Void = {}) {
        self.engine = engine
        self.interval = interval
        self.onWipe = onWipe
    }

    public var isRunning: Bool { state.withLock { $0.running } }

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
                do { _ = try await engine.run() } catch .wipe {
                    onWipe()
                    return
                } catch {}
                state.withLock {
                    $0.running = false
                    $0.nextDue = ContinuousClock.now + interval
                }
            }
            try? await Task.sleep(for: .milliseconds(250))
        }
    }
}
