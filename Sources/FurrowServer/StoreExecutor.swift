import NIOPosix

/// The branch store's calls are synchronous (GRDB) and may wait for the single writer; run on
/// the few threads of Swift's concurrency pool they would stall every other request. They run
/// here instead, on threads of their own: reads (pulls, snapshots) in parallel, writes in turn.
public final class StoreExecutor: Sendable {
    private let pool: NIOThreadPool

    /// One for the process (routers made in tests share it).
    public static let shared = StoreExecutor()
    /// Password checks (bcrypt, deliberately slow) run on threads of their own, so that a
    /// morning's wave of sign-ins does not queue in front of the syncs.
    public static let passwords = StoreExecutor(threads: 2)

    public init(threads: Int = 8) {
        pool = NIOThreadPool(numberOfThreads: threads)
        pool.start()
    }

    public func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await pool.runIfActive(body)
    }

    /// Runs `body` on one of the threads, without waiting for it; `cancelled` instead when
    /// the pool is shutting down.
    public func submit(_ body: @escaping @Sendable () -> Void, cancelled: @escaping @Sendable () -> Void) {
        pool.submit { state in state == .active ? body() : cancelled() }
    }

    public func shutdown() async throws { try await pool.shutdownGracefully() }
}
