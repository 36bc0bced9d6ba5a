import Foundation
import FurrowCore
@testable import FurrowStore
import FurrowSync
import GRDB
import Synchronization
import FurrowTestSupport
import Testing

/// The branch server SIGKILLed again and again while several workstations push, one op per
/// request: after each kill it is restarted on the same port, and the workstations simply try
/// again. At the end every op has taken effect exactly once, the branch store is whole, and
/// every op a workstation was told `applied` (or `duplicate`) is in the branch's op log.
@Suite("Faults: the branch server killed hundreds of times during a thousand pushes", .ownThreads, .serialized)
final class BranchKillStormTests {
    let dir: URL
    let branchStore: String
    let password = "demo-pass-123"
    let cli = CLIRunner()

    init() throws {
        dir = try CLIRunner.tempDir()
        branchStore = dir.appendingPathComponent("branch.sqlite").path
        let r = try cli.runBinary(BranchSyncTests.branchBinary, ["demo", "--store", branchStore, "--customers", "2000",
                                                                  "--as-of", "2026-11-20"], input: password + "\n")
        #expect(r.status == 0, "\(r.stderr)")
    }

    deinit { try? FileManager.default.removeItem(at: dir) }

    /// Told to the test by the workstations' transports: what the branch answered.
    final class Answers: Sendable {
        let told = Mutex<[String: SyncOp.Status]>([:])
        let requests = Mutex(0)
        func record(_ results: [OpResult]) {
            told.withLock { t in for r in results where r.status != .pending { t[r.opID] = r.status } }
        }
    }

    /// SyncClient, with every push answer recorded.
    struct Recording: SyncTransport {
        let inner: SyncClient
        let answers: Answers
        var server: String { inner.server }
        func hello() async throws(SyncError) -> HelloResponse { try await inner.hello() }
        func push(_ ops: [SyncOp]) async throws(SyncError) -> PushResponse {
            answers.requests.withLock { $0 += 1 }
            let answer = try await inner.push(ops)
            answers.record(answer.results)
            return answer
        }
        func pull(cursor: Int64, limit: Int) async throws(SyncError) -> PullResponse { try await inner.pull(cursor: cursor, limit: limit) }
        func snapshot(phase: SnapshotPhase, after: String, limit: Int) async throws(SyncError) -> SnapshotPage {
            try await inner.snapshot(phase: phase, after: after, limit: limit)
        }
    }

    /// The killer's side: the server restarted and killed at seeded moments until told to stop.
    final class Killer: Sendable {
        private let state = Mutex((stop: false, kills: 0, stopped: false, released: false, failure: String?.none))
        var kills: Int { state.withLock { $0.kills } }
        var failure: String? { state.withLock { $0.failure } }

        /// Runs on a thread of its own; `uptimes` are the moments (ms after listening) of the kills.
        func run(store: String, port: Int, logs: URL, uptimes: [Int]) {
            var next = 0
            var server: BranchServerProcess?
            while true {
                do {
                    server = try BranchServerProcess.start(store: store, port: port, logDirectory: logs)
                } catch {
                    state.withLock { $0.failure = "restart \(next): \(error)"; $0.stopped = true }
                    return
                }
                if state.withLock({ $0.stop }) { break }
                Thread.sleep(forTimeInterval: Double(uptimes[next % uptimes.count]) / 1000)
                next += 1
                if state.withLock({ $0.stop }) { break }
                server?.kill()
                server = nil
                state.withLock { $0.kills += 1 }
            }
            // Left running for the final syncs; killed (as ever, SIGKILL) when the test ends.
            state.withLock { $0.stopped = true }
            while !state.withLock({ $0.released }) { Thread.sleep(forTimeInterval: 0.05) }
            server?.kill()
        }

        func stop() { state.withLock { $0.stop = true } }
        var stopped: Bool { state.withLock { $0.stopped } }
        /// The server kept for the final syncs is killed.
        func finish() { state.withLock { $0.released = true } }
    }

    @Test("every op applied exactly once, the store whole, nothing a workstation was told applied missing", .timeLimit(.minutes(15)))
    func killStorm() async throws {
        var run = FaultRun("branch kill storm")
        let pushes = 1000 * run.scale
        let wantKills = 200 * run.scale

        // The server once, to learn its port and sign the workstations in.
        let first = try BranchServerProcess.start(store: branchStore, logDirectory: dir)
        let port = first.port
        let url = first.url
        let branch = try AppDatabase.open(path: branchStore)
        let sizes = try Dictionary(grouping: branch.portfolio(scope: .branch, limit: 5000).rows, by: { $0.rmID ?? "" }).mapValues(\.count)
        // Four signed-in users with customers of their own to write on: RMs, then a lead or the president.
        let rms = try branch.branchUsers().filter { $0.role != .admin && ($0.role != .rm || (sizes[$0.staffID] ?? 0) > 0) }
            .sorted { ($0.role == .rm ? 0 : 1, $0.staffID) < ($1.role == .rm ? 0 : 1, $1.staffID) }.prefix(4).map(\.staffID)
        #expect(rms.count == 4, "four users with customers: \(rms)")
        var stores: [AppDatabase] = []
        var engines: [SyncEngine] = []
        let answers = Answers()
        for rm in rms {
            let path = dir.appendingPathComponent("\(rm).sqlite").path
            let login = try cli.run(["login", "--server", url, "--user", rm, "--store", path], input: password + "\n")
            #expect(login.status == 0, "\(login.stderr)")
            let sync = try cli.run(["sync", "--store", path])
            #expect(sync.status == 0, "\(sync.stderr)")
            let store = try AppDatabase.open(path: path)
            var client = try #require(try Credentials.load(forStore: path)).client()
            client.timeout = .seconds(20)
            var engine = SyncEngine(store: store, client: Recording(inner: client, answers: answers))
            engine.pushBatch = 1   // one op, one push: a thousand pushes
            stores.append(store)
            engines.append(engine)
        }
        first.kill()

        let notesBefore = try branch.rowCounts()["notes"] ?? 0

        // The storm: up 20–250 ms after each restart (a restart itself takes ~70 ms), then SIGKILL.
        let uptimes = (0..<wantKills).map { _ in Int.random(in: 20...250, using: &run.rng) }
        let killer = Killer()
        let logs = dir
        let store = branchStore
        let thread = Thread { killer.run(store: store, port: port, logs: logs, uptimes: uptimes) }
        thread.start()
        defer { killer.stop(); killer.finish() }

        // The work is written as the storm goes (a note on one of the RM's customers, then a
        // sync), paced so the thousand pushes spread over all the kills: by the k-th kill,
        // about k/wantKills of the notes are written.
        let written = SharedCount()
        let failedSyncs = SharedCount()
        let share = pushes / engines.count
        let seeds = engines.map { _ in run.rng.next() }
        await withTaskGroup(of: Void.self) { group in
            for (i, engine) in engines.enumerated() {
                let rm = rms[i]
                let seed = seeds[i]
                group.addTask {
                    var rng = SplitMix64(state: seed)
                    let customers = (try? engine.store.portfolio(scope: .branch, limit: 50).rows.map(\.customerID)) ?? []
                    var mine = 0
                    while true {
                        if killer.failure != nil { return }
                        let budget = min(pushes, pushes * (killer.kills + 1) / wantKills)
                        let writeOne = mine < share && written.takeOne(below: budget)
                        if writeOne, let c = customers.randomElement(using: &rng) {
                            _ = try? engine.store.addNote(customerID: c, text: "风暴 \(rm)-\(mine)", by: rm)
                            mine += 1
                        }
                        let pending = (try? engine.store.pendingOpCount()) ?? 1
                        if pending == 0 {
                            if mine == share && killer.kills >= wantKills { return }
                            try? await Task.sleep(for: .milliseconds(3))
                            continue
                        }
                        do { _ = try await engine.run() } catch {
                            failedSyncs.add()
                            try? await Task.sleep(for: .milliseconds(Int.random(in: 2...15, using: &rng)))
                        }
                    }
                }
            }
        }
        let pushedDuringStorm = answers.told.withLock { $0.count }
        killer.stop()
        #expect(killer.failure == nil, "\(killer.failure ?? "") — \(run.replay)")
        while !killer.stopped { try await Task.sleep(for: .milliseconds(20)) }

        // The last server up: every workstation syncs once more; all is quiet.
        for engine in engines { _ = try await engine.run(retry: SyncRetry(attempts: 20, first: .milliseconds(50))) }
        let kills = killer.kills
        killer.finish()
        var opIDs: Set<String> = []
        for s in stores { opIDs.formUnion(try s.read { db in try String.fetchAll(db, sql: "SELECT op_id FROM outbox") }) }
        #expect(opIDs.count == pushes, "\(opIDs.count) ops written")

        #expect(kills >= wantKills, "\(kills) kills — \(run.replay)")
        #expect(try branch.integrityCheck(), "\(run.replay)")
        let logged = try branch.read { db in
            try Row.fetchAll(db, sql: "SELECT op_id, result FROM op_log WHERE user_id IN (\(rms.map { "'\($0)'" }.joined(separator: ",")))")
                .map { (id: $0["op_id"] as String, result: $0["result"] as String) }
        }
        #expect(Set(logged.map(\.id)) == opIDs, "every op in the branch's log — \(run.replay)")
        #expect(logged.count == pushes && logged.allSatisfy { $0.result == "applied" }, "once each, applied — \(run.replay)")
        #expect(try branch.rowCounts()["notes"] == notesBefore + pushes, "each note once — \(run.replay)")
        let told = answers.told.withLock { $0 }
        let loggedIDs = Set(logged.map(\.id))
        let missing = told.filter { [.applied, .duplicate].contains($0.value) }.keys.filter { !loggedIDs.contains($0) }
        #expect(missing.isEmpty, "told applied but not in the branch: \(missing.prefix(5)) — \(run.replay)")
        for s in stores {
            #expect(try s.pendingOpCount() == 0)
            #expect(try s.integrityCheck())
        }
        let duplicates = told.values.filter { $0 == .duplicate }.count
        run.report(["kills": kills, "pushes": pushes, "push requests": answers.requests.withLock { $0 },
                    "answered during the storm": pushedDuringStorm, "answered duplicate (answer lost to a kill)": duplicates,
                    "syncs cut off": failedSyncs.count, "ops lost": opIDs.count - loggedIDs.intersection(opIDs).count,
                    "applied twice": logged.count - Set(logged.map(\.id)).count])
    }
}
