import Foundation
import FurrowCore
@testable import FurrowStore
import FurrowSync
import GRDB
import Synchronization
import FurrowTestSupport
import Testing

/// The network between a workstation and a real branch server cut, slowed, cut short and
/// stalled mid-request by a loopback proxy the test controls (`FaultProxy`). The workstation
/// tries again with growing waits; nothing takes effect twice and nothing is lost.
@Suite("Faults: the network dropped, delayed and cut short mid-request", .ownThreads, .serialized)
final class NetworkFaultTests {
    let dir: URL
    let branchStore: String
    let password = "demo-pass-123"
    let cli = CLIRunner()

    init() throws {
        dir = try CLIRunner.tempDir()
        branchStore = dir.appendingPathComponent("branch.sqlite").path
        let r = try cli.runBinary(BranchSyncTests.branchBinary, ["demo", "--store", branchStore, "--customers", "1000",
                                                                  "--as-of", "2026-11-20"], input: password + "\n")
        #expect(r.status == 0, "\(r.stderr)")
    }

    deinit { try? FileManager.default.removeItem(at: dir) }

    func store(_ name: String) -> String { dir.appendingPathComponent("\(name).sqlite").path }

    /// Signs `user` in through `url` into the store `name` and runs its first sync.
    func signIn(_ user: String, as name: String, url: String) throws -> AppDatabase {
        let login = try cli.run(["login", "--server", url, "--user", user, "--store", store(name)], input: password + "\n")
        #expect(login.status == 0, "\(login.stderr)")
        let sync = try cli.run(["sync", "--store", store(name)])
        #expect(sync.status == 0, "\(sync.stderr)")
        return try AppDatabase.open(path: store(name))
    }

    /// An engine over the proxy, with a short timeout (a stalled answer gives up in 2 s).
    func engine(_ name: String, page: Int) throws -> SyncEngine {
        var client = try #require(try Credentials.load(forStore: store(name))).client()
        client.timeout = .seconds(2)
        client.helloTimeout = .seconds(2)
        var e = SyncEngine(store: try AppDatabase.open(path: store(name)), client: client)
        (e.pushBatch, e.pullPage, e.snapshotPage) = (page, page, page)
        return e
    }

    func notes(_ db: AppDatabase) throws -> [String] {
        try db.read { db in try String.fetchAll(db, sql: "SELECT note_id || ' ' || customer_id || ' ' || text FROM notes ORDER BY note_id") }
    }

    @Test("pushes and pulls through a network that drops, delays, cuts and stalls: retried with back-off, each op once, the lead's copy equals one fetched cleanly",
          .timeLimit(.minutes(10)))
    func flakyNetwork() async throws {
        var run = FaultRun("network faults")
        let server = try BranchServerProcess.start(store: branchStore, logDirectory: dir)
        defer { server.kill() }
        let proxy = try FaultProxy(upstreamPort: server.port, seed: run.rng.next(), stall: 3)
        defer { proxy.stop() }

        let rm = try signIn("S005", as: "rm", url: proxy.url)
        let lead = try signIn("S002", as: "lead", url: proxy.url)
        let clean = try signIn("S002", as: "lead-clean", url: server.url)
        let branch = try AppDatabase.open(path: branchStore)
        let notesBefore = try branch.rowCounts()["notes"] ?? 0

        let count = 300 * run.scale
        let customers = try rm.portfolio(scope: .branch, limit: 100).rows.map(\.customerID)
        for i in 0..<count {
            _ = try rm.addNote(customerID: customers[Int.random(in: 0..<customers.count, using: &run.rng)], text: "断网 \(i)", by: "S005")
        }
        let opIDs = try Set(rm.pendingOps(limit: count).map(\.opID))

        proxy.faulty = true
        let retries = Mutex(0)
        let patient = SyncRetry(attempts: 10_000, first: .milliseconds(10), cap: .milliseconds(200))
        let pushed = try await engine("rm", page: 5).run(retry: patient, onRetry: { _, _, _ in retries.withLock { $0 += 1 } })
        let pulled = try await engine("lead", page: 7).run(retry: patient, onRetry: { _, _, _ in retries.withLock { $0 += 1 } })
        proxy.faulty = false
        _ = try await engine("lead-clean", page: 1000).run()

        let faults = proxy.counts
        #expect(faults.values.reduce(0, +) > 20, "the network was faulty: \(faults) — \(run.replay)")
        #expect(retries.withLock { $0 } > 0)
        #expect(try rm.pendingOpCount() == 0)
        let logged = try branch.read { db in try String.fetchAll(db, sql: "SELECT op_id FROM op_log WHERE user_id = 'S005'") }
        #expect(Set(logged) == opIDs && logged.count == count, "every op once in the branch's log — \(run.replay)")
        #expect(try branch.rowCounts()["notes"] == notesBefore + count, "each note once — \(run.replay)")
        #expect(pushed.applied + pushed.duplicates == count, "\(pushed)")
        #expect(try notes(lead) == notes(clean), "the lead's copy equals one fetched without faults — \(run.replay)")
        #expect(try lead.integrityCheck() && rm.integrityCheck())
        run.report(["ops": count, "push answers lost and answered duplicate": pushed.duplicates,
                    "notes pulled": pulled.pulled, "retries": retries.withLock { $0 }, "connections": proxy.connections,
                    "faults": faults.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\($0.key.rawValue) \($0.value)" }.joined(separator: "; ")])
    }

    @Test("`furrow sync` whose first requests are cut off says it tries again, waits, and finishes")
    func cliRetries() throws {
        let server = try BranchServerProcess.start(store: branchStore, logDirectory: dir)
        defer { server.kill() }
        let proxy = try FaultProxy(upstreamPort: server.port, seed: 1)
        defer { proxy.stop() }
        let rm = try signIn("S005", as: "rm-cli", url: proxy.url)
        let customer = try #require(try rm.portfolio(scope: .branch, limit: 1).rows.first?.customerID)
        _ = try rm.addNote(customerID: customer, text: "重试一次", by: "S005")

        proxy.dropNextRequests(2)
        let r = try cli.run(["sync", "--json", "--store", store("rm-cli")])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.components(separatedBy: "trying again in").count == 3, "two retries said: \(r.stderr)")
        #expect(r.stderr.contains("(1 of 3)") && r.stderr.contains("(2 of 3)"))
        #expect(r.stdout.contains("\"applied\":1"), "\(r.stdout)")
        #expect(try rm.pendingOpCount() == 0)

        // No retries asked for: the first failure is the answer, and the work waits.
        _ = try rm.addNote(customerID: customer, text: "不重试", by: "S005")
        proxy.dropNextRequests(1)
        let once = try cli.run(["sync", "--retries", "0", "--store", store("rm-cli")])
        #expect(once.status != 0 && once.stderr.contains("cannot reach") && !once.stderr.contains("trying again"), "\(once.stderr)")
        #expect(once.stderr.contains("1 changes wait to be sent"), "\(once.stderr)")
        #expect(try rm.pendingOpCount() == 1)
        let bad = try cli.run(["sync", "--retries", "99", "--store", store("rm-cli")])
        #expect(bad.status != 0 && bad.stderr.contains("--retries: 0 to 20"), "\(bad.stderr)")
    }
}
