import FurrowCore
import FurrowStore
import Hummingbird
import Synchronization

/// Group commit of pushes. Every push is a write, and the branch's store has one writer: while
/// it writes one device's push, the pushes that arrive queue here and are then written
/// together — one transaction, one WAL write, one sync to disk — each in a savepoint of its
/// own (`AppDatabase.applyPushes`). Under a morning's load (200 devices at once) that is what
/// keeps the writer from spending its time committing; a lone push is written at once.
public final class PushCommitter: Sendable {
    private struct Waiting: Sendable {
        var ops: [SyncOp]
        var user: AppDatabase.UserRef
        var answer: CheckedContinuation<[OpResult], any Error>
    }

    private let store: any BranchOpLog
    private let executor: StoreExecutor
    /// Pushes waiting, and whether a writer is draining them.
    private let state = Mutex<(waiting: [Waiting], writing: Bool)>(([], false))
    /// A batch holds at most this many ops (a bounded transaction), and at least one push.
    private let maxOpsPerBatch: Int

    public init(store: any BranchOpLog, executor: StoreExecutor, maxOpsPerBatch: Int = 5_000) {
        self.store = store
        self.executor = executor
        self.maxOpsPerBatch = maxOpsPerBatch
    }

    public func push(_ ops: [SyncOp], user: AppDatabase.UserRef) async throws -> [OpResult] {
        try await withCheckedThrowingContinuation { answer in
            let startWriter = state.withLock { s in
                s.waiting.append(Waiting(ops: ops, user: user, answer: answer))
                if s.writing { return false }
                s.writing = true
                return true
            }
            if startWriter { executor.submit({ [self] in drain() }, cancelled: { [self] in failAll() }) }
        }
    }

    private func failAll() {
        let all = state.withLock { s in
            s.writing = false
            defer { s.waiting.removeAll() }
            return s.waiting
        }
        // 503: the workstation keeps the push and sends it again at its next sync.
        for w in all { w.answer.resume(throwing: HTTPError(.serviceUnavailable, message: "the branch server is shutting down; the push was not written")) }
    }

    /// Writes batches until nobody is waiting (on one of the executor's threads).
    private func drain() {
        while true {
            let batch: [Waiting] = state.withLock { s in
                var n = 0, ops = 0
                while n < s.waiting.count && (n == 0 || ops + s.waiting[n].ops.count <= maxOpsPerBatch) {
                    ops += s.waiting[n].ops.count
                    n += 1
                }
                if n == 0 { s.writing = false }
                let taken = Array(s.waiting.prefix(n))
                s.waiting.removeFirst(n)
                return taken
            }
            if batch.isEmpty { return }
            do {
                let results = try store.applyPushes(batch.map { ($0.ops, $0.user) })
                for (w, r) in zip(batch, results) {
                    switch r {
                    case .success(let answers): w.answer.resume(returning: answers)
                    case .failure(let e): w.answer.resume(throwing: e)
                    }
                }
            } catch {
                for w in batch { w.answer.resume(throwing: error) }
            }
        }
    }
}
