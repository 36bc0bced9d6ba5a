import Foundation
import FurrowCore
import FurrowStore
import FurrowSync
import Synchronization
import Testing

/// The branch in process, with faults on cue: the next `failures` calls of `call` fail, either
/// before reaching the branch (`.beforeBranch`) or after the branch did the work and its answer
/// was lost (`.answerLost`, the case that must not double anything).
final class FlakyTransport: SyncTransport {
    enum Fault: Sendable { case beforeBranch, answerLost }
    let inner: InProcessTransport
    let fault: Fault
    let call: String
    let error: SyncError
    private let left: Mutex<Int>
    let calls = Mutex<[String]>([])

    init(_ inner: InProcessTransport, failing call: String, times: Int, fault: Fault,
         error: SyncError = .unreachable("in-process", reason: "the connection was closed")) {
        self.inner = inner; self.call = call; self.fault = fault; self.error = error; left = Mutex(times)
    }

    var server: String { inner.server }

    private func maybeFail<T>(_ name: String, _ body: () async throws(SyncError) -> T) async throws(SyncError) -> T {
        calls.withLock { $0.append(name) }
        let failing = name == call && left.withLock { n in
            guard n > 0 else { return false }
            n -= 1
            return true
        }
        guard failing else { return try await body() }
        if fault == .answerLost { _ = try await body() }
        throw error
    }

    func hello() async throws(SyncError) -> HelloResponse { try await maybeFail("hello") { () throws(SyncError) in try await inner.hello() } }
    func push(_ ops: [SyncOp]) async throws(SyncError) -> PushResponse {
        try await maybeFail("push") { () throws(SyncError) in try await inner.push(ops) }
    }
    func pull(cursor: Int64, limit: Int) async throws(SyncError) -> PullResponse {
        try await maybeFail("pull") { () throws(SyncError) in try await inner.pull(cursor: cursor, limit: limit) }
    }
    func snapshot(phase: SnapshotPhase, after: String, limit: Int) async throws(SyncError) -> SnapshotPage {
        try await maybeFail("snapshot") { () throws(SyncError) in try await inner.snapshot(phase: phase, after: after, limit: limit) }
    }
}

@Suite("A sync tries again after a failure that may pass, and only then")
struct SyncRetryTests {
    let quick = SyncRetry(attempts: 4, first: .milliseconds(5), cap: .milliseconds(20))

    /// A branch, and an RM's workstation after its first sync with `notes` unsent notes.
    func rmWithNotes(_ notes: Int) async throws -> (branch: AppDatabase, rm: AppDatabase, user: AppDatabase.UserRef) {
        let branch = try SyncPropertyTests.templates.branch.inMemoryCopy()
        let user = AppDatabase.UserRef(staffID: "S1", role: .rm, team: "东", device: "d1")
        let rm = try SyncPropertyTests.templates.empty.inMemoryCopy()
        _ = try await SyncEngine(store: rm, client: InProcessTransport(branch: branch, user: user)).run()
        let customer = try #require(try rm.portfolio(scope: .branch, limit: 1).rows.first?.customerID)
        for i in 0..<notes { _ = try rm.addNote(customerID: customer, text: "重试 \(i)", by: "S1") }
        return (branch, rm, user)
    }

    @Test("pushes whose answers were lost are sent again and take effect once; the summary counts every attempt")
    func answersLost() async throws {
        let (branch, rm, user) = try await rmWithNotes(25)
        let notesBefore = try branch.rowCounts()["notes"] ?? 0
        let flaky = FlakyTransport(InProcessTransport(branch: branch, user: user), failing: "push", times: 2, fault: .answerLost)
        var engine = SyncEngine(store: rm, client: flaky)
        engine.pushBatch = 10
        let retries = Mutex(0)
        let summary = try await engine.run(retry: quick, onRetry: { _, _, _ in retries.withLock { $0 += 1 } })
        #expect(retries.withLock { $0 } == 2)
        #expect(try branch.rowCounts()["notes"] == notesBefore + 25, "each note once")
        #expect(try rm.pendingOpCount() == 0)
        // The first push (10 ops) was applied with its answer lost twice: the third sending
        // hears "duplicate" for them; the other 15 are applied.
        #expect(summary.applied == 15 && summary.duplicates == 10, "\(summary)")
        #expect(try rm.syncValue(.lastProblem) == nil)
    }

    @Test("a branch that stays away: the tries stop at the policy's count, the work stays in the outbox, the problem is recorded")
    func givesUp() async throws {
        let (branch, rm, user) = try await rmWithNotes(3)
        let flaky = FlakyTransport(InProcessTransport(branch: branch, user: user), failing: "hello", times: 100, fault: .beforeBranch)
        await #expect(throws: SyncError.self) {
            _ = try await SyncEngine(store: rm, client: flaky).run(retry: quick)
        }
        #expect(flaky.calls.withLock { $0 } == ["hello", "hello", "hello", "hello"])
        #expect(try rm.pendingOpCount() == 3)
        #expect(try rm.syncValue(.lastProblem)?.contains("cannot reach") == true)
    }

    @Test("refusals and sign-ins are not tried again: a person must act")
    func notRetried() async throws {
        let (branch, rm, user) = try await rmWithNotes(1)
        for error in [SyncError.signInAgain("the token was revoked"), .refused(status: 403, reason: "not yours")] {
            let flaky = FlakyTransport(InProcessTransport(branch: branch, user: user), failing: "push", times: 100,
                                       fault: .beforeBranch, error: error)
            await #expect(throws: error) { _ = try await SyncEngine(store: rm, client: flaky).run(retry: quick) }
            #expect(flaky.calls.withLock { $0 } == ["hello", "push"], "\(error)")
        }
        #expect(try rm.pendingOpCount() == 1)
    }

    @Test("a pull cut off is resumed from the kept cursor: nothing applied twice")
    func pullCutOff() async throws {
        let (branch, rm, user) = try await rmWithNotes(30)
        _ = try await SyncEngine(store: rm, client: InProcessTransport(branch: branch, user: user)).run()
        let lead = AppDatabase.UserRef(staffID: "L1", role: .lead, team: "东", device: "d2")
        let leadStore = try SyncPropertyTests.templates.empty.inMemoryCopy()
        let plain = try SyncPropertyTests.templates.empty.inMemoryCopy()
        // The lead's first sync, with every other pull page lost after the branch served it.
        let flaky = FlakyTransport(InProcessTransport(branch: branch, user: lead), failing: "pull", times: 3, fault: .answerLost)
        var engine = SyncEngine(store: leadStore, client: flaky)
        engine.pullPage = 7
        _ = try await engine.run(retry: quick)
        _ = try await SyncEngine(store: plain, client: InProcessTransport(branch: branch, user: lead)).run()
        let customers = try plain.portfolio(scope: .branch, limit: 100).rows.map(\.customerID)
        #expect(try SyncPropertyTests.view(leadStore, customers: customers) == SyncPropertyTests.view(plain, customers: customers))
        #expect(try leadStore.rowCounts()["notes"] == plain.rowCounts()["notes"])
    }

    @Test("the waits grow from the first, double each time, stop at the cap, and the jitter only shortens them by up to half")
    func waits() {
        let p = SyncRetry(attempts: 10, first: .seconds(1), cap: .seconds(30))
        #expect((1...7).map { p.delay(afterFailures: $0, jitter: 0) } == [1, 2, 4, 8, 16, 30, 30].map { Duration.seconds($0) })
        #expect(p.delay(afterFailures: 3, jitter: 1) == .seconds(2))
        #expect(p.delay(afterFailures: 3, jitter: 0.5) == .seconds(3))
        #expect(p.delay(afterFailures: 1000, jitter: 0) == .seconds(30), "no overflow after many failures")
        #expect(SyncRetry(attempts: 0).attempts == 1)
    }
}
