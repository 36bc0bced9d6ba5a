import Foundation
import Testing

/// Runs a suite's tests on threads of their own instead of Swift's cooperative pool.
///
/// These suites wait for real processes (`waitUntilExit`, a pipe read to its end, a tmux poll,
/// the pauses of a kill storm), which blocks the thread they run on. Swift's cooperative pool
/// has one thread per core, and the branch servers that other suites start in this same test
/// process answer from it: two blocking suites on a two-core machine left those servers
/// unanswered for a minute, and their clients timed out (CI, 2026-12-06). With this trait every
/// part of such a test, from the suite's `init` to its last `await`, runs on a thread made for
/// it, so no verdict depends on how busy the pool is.
public struct OwnThreads: SuiteTrait, TestTrait, TestScoping {
    public init() {}

    public var isRecursive: Bool { true }

    public func provideScope(for test: Test, testCase: Test.Case?,
                      performing function: @Sendable () async throws -> Void) async throws {
        try await withTaskExecutorPreference(ThreadPerJobExecutor.shared) { try await function() }
    }
}

extension Trait where Self == OwnThreads {
    /// The suite blocks threads while it waits: run it on threads of its own.
    public static var ownThreads: Self { OwnThreads() }
}

/// A task executor that runs each job on a new thread. A job may block for minutes; a fresh
/// thread per job means no job ever waits for another to give its thread back, so tasks that
/// wait for each other (a test and the proxy or server it drives) cannot deadlock.
public final class ThreadPerJobExecutor: TaskExecutor {
    public static let shared = ThreadPerJobExecutor()

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        let thread = Thread { job.runSynchronously(on: executor) }
        thread.stackSize = 8 << 20
        thread.start()
    }
}
