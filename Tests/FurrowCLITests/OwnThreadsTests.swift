import Foundation
import Synchronization
import FurrowTestSupport
import FurrowTestSupport
import Testing

@Suite("Suites that block run on threads of their own", .ownThreads)
struct OwnThreadsTests {
    /// More tasks than the machine has cores all block at once, each until every one has
    /// arrived. On Swift's cooperative pool (one thread per core) the last could never start and
    /// the barrier would time out; on threads of their own they all meet.
    @Test("more blocked tasks than cores all make progress together")
    func blockedTasksMeet() async {
        let parties = ProcessInfo.processInfo.activeProcessorCount + 2
        let barrier = Barrier(parties: parties)
        let met = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<parties { group.addTask { barrier.arriveAndWait(seconds: 30) } }
            var all = true
            for await ok in group { all = all && ok }
            return all
        }
        #expect(met, "\(parties) tasks blocked at once did not all run: some waited for a thread")
    }
}

/// A one-shot barrier for threads: each party blocks until all have arrived, or the time is up.
private final class Barrier: Sendable {
    private let parties: Int
    private let arrived = Atomic<Int>(0)
    private let released = DispatchSemaphore(value: 0)

    init(parties: Int) { self.parties = parties }

    func arriveAndWait(seconds: Double) -> Bool {
        if arrived.add(1, ordering: .acquiringAndReleasing).newValue == parties {
            for _ in 1..<parties { released.signal() }
            return true
        }
        return released.wait(timeout: .now() + seconds) == .success
    }
}
