import AsyncHTTPClient
import Foundation
import FurrowCore
import FurrowServer
import FurrowStore
import FurrowSync

/// `furrow-branch bench sync`: the sync issue's figures, measured against a real
/// `furrow-branch serve` process on loopback with real SQLite files on both sides.
/// 1. A first sync of the RM whose portfolio is nearest 5,000 customers (all their history),
///    end to end, and the rate at which the workstation writes the rows — next to the same
///    decoded pages written raw into the same schema (row counts checked equal), and to the
///    sqlite3 shell copying the rows from the branch file (ATTACH + INSERT … SELECT), the floor.
/// 2. A reconnect after a day offline: 1,000 ops each way; round trips and time.
/// 3. Many clients at once (200 by default), each pushing 50 ops and pulling: latency per
///    client (p50, p99), errors, and the server process's peak memory.
public struct SyncBench: Sendable {
    public var branchPath: String
    public var serverBinary: String
    public var clients = 200
    public var opsPerClient = 50
    public var port = Int.random(in: 20_000...40_000)

    public init(branchPath: String, serverBinary: String) { self.branchPath = branchPath; self.serverBinary = serverBinary }

    static let password = "bench-password-1"

    public func run(_ say: @Sendable (String) -> Void) async throws {
        let branch = try AppDatabase.open(path: branchPath)
        let sizes = try branch.portfolioSizes()
        guard let rm = sizes.min(by: { abs($0.customers - 5000) < abs($1.customers - 5000) }) else {
            throw BenchError("the branch store has no assigned customers; load extracts first")
        }
        say("measured \(BenchProvenance.line(sqlite: AppDatabase.sqliteVersion))")
        say("branch \(branchPath): \(sizes.count) RMs; first sync as \(rm.staffID) (\(rm.customers) customers)")
        let hash = BranchServer.hashPassword(Self.password)
        for s in sizes { try branch.setBranchUser(staffID: s.staffID, passwordHash: hash, by: "bench") }

        let work = FileManager.default.temporaryDirectory.appendingPathComponent("furrow-sync-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        let server = try startServer()
        defer { server.terminate(); server.waitUntilExit() }
        let url = "http://127.0.0.1:\(port)"
        let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(
            connectionPool: .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: clients + 8)))
        do {
            try await measure(rm: rm, sizes: sizes, branch: branch, work: work, url: url, server: server, http: http, say)
        } catch {
            try? await http.shutdown()
            throw error
        }
        try await http.shutdown()
    }

    private func measure(rm: (staffID: String, customers: Int), sizes: [(staffID: String, customers: Int)], branch: AppDatabase,
                         work: URL, url: String, server: Process, http: HTTPClient, _ say: @Sendable (String) -> Void) async throws {
        let token = try await signIn(url, rm.staffID, device: "laptop", http: http)

        // 1. First sync.
        let clientPath = work.appendingPathComponent("rm.sqlite").path
        let client = try AppDatabase.open(path: clientPath)
        let engine = SyncEngine(store: client, client: SyncClient(server: url, token: token, http: http))
        var clock = ContinuousClock.now
        let first = try await engine.run()
        let firstSeconds = seconds(since: clock)
        let rate = Double(first.snapshotRows) / max(first.snapshotApplySeconds, 1e-9)
        say(String(format: "first sync: %.2f s end to end for %d customers, %d rows in %d round trips (target ≤ 10 s)",
                   firstSeconds, first.snapshotCustomers, first.snapshotRows, first.roundTrips))
        // Like with like: the same pages, fetched and decoded again, written the plain fast
        // way into the same schema, one transaction a page; the row counts must match.
        let pages = try await snapshotPages(url: url, user: rm.staffID, pageSize: engine.snapshotPage, http: http)
        let baseline = try AppDatabase.open(path: work.appendingPathComponent("baseline.sqlite").path)
        let (rawSeconds, rawRows) = try baseline.rawSnapshotBaseline(pages)
        // Counted the same way on both files (the name index, an FTS5 table, included).
        let mine = try AppDatabase.tableRowCounts(path: clientPath, tables: Array(rawRows.keys))
        let mismatched = rawRows.filter { mine[$0.key] != $0.value }.map { "\($0.key): furrow \(mine[$0.key] ?? 0), baseline \($0.value)" }
        guard mismatched.isEmpty else { throw BenchError("the baseline wrote other rows than the sync: \(mismatched.sorted().joined(separator: "; "))") }
        let rawRowCount = pages.reduce(0) { $0 + $1.tables.reduce(0) { $0 + $1.rows.count } }
        let floor = try rawCopySeconds(rm: rm.staffID, work: work)
        say(String(format: "  local apply: %.0f rows/s (%.2f s; target ≥ 100,000 rows/s)", rate, first.snapshotApplySeconds))
        say(String(format: "  the same %d decoded rows, one prepared INSERT per table, one transaction a page, same schema (row counts checked equal in %d tables): %.0f rows/s (%.2f s) — ratio %.2f×",
                   rawRowCount, rawRows.count, Double(rawRowCount) / rawSeconds, rawSeconds, first.snapshotApplySeconds / rawSeconds))
        say(String(format: "  floor, no decoding: sqlite3 ATTACH + INSERT…SELECT of the same rows from the branch file: %.0f rows/s (%.2f s) — ratio %.2f×",
                   Double(first.snapshotRows) / floor, floor, first.snapshotApplySeconds / floor))

        // 2. Reconnect after a day offline: 1,000 ops each way.
        let customers = try client.portfolio(scope: .rm(rm.staffID), limit: 1000).rows.map(\.customerID)
        for i in 0..<1000 { _ = try client.addNote(customerID: customers[i % customers.count], text: "offline note \(i)", by: rm.staffID) }
        let tablet = SyncClient(server: url, token: try await signIn(url, rm.staffID, device: "tablet", http: http), http: http)
        _ = try await tablet.push(notes(customers, count: 1000, node: "tablet"))
        clock = ContinuousClock.now
        let back = try await engine.run()
        say(String(format: "reconnect: pushed %d, pulled %d in %d round trips, %.3f s (targets ≤ 3 round trips, ≤ 1 s)",
                   back.pushed, back.pulled, back.roundTrips, seconds(since: clock)))

        // 3. Many clients at once.
        var tokens: [(String, String)] = []
        let users = sizes.map(\.staffID)
        for i in 0..<clients {
            let user = users[i % users.count]
            tokens.append((user, try await signIn(url, user, device: "bench-\(i)", http: http)))
        }
        var idsByUser: [String: [String]] = [:]
        for u in Set(tokens.map(\.0)) { idsByUser[u] = try branch.portfolio(scope: .rm(u), limit: 200).rows.map(\.customerID) }
        let head = try branch.feedHead()
        let perClient = opsPerClient
        let wall = ContinuousClock.now
        // Each client reports its latency, or what went wrong.
        let outcomes = await withTaskGroup(of: Result<Double, BenchError>.self) { group in
            for (i, (user, token)) in tokens.enumerated() {
                let ops = notes(idsByUser[user] ?? [], count: perClient, node: "bench-\(i)")
                group.addTask {
                    let c = SyncClient(server: url, token: token, http: http)
                    let started = ContinuousClock.now
                    do {
                        let pushed = try await c.push(ops)
                        if pushed.results.contains(where: { $0.status != .applied }) { return .failure(BenchError("client \(i): not all applied")) }
                        _ = try await c.pull(cursor: head, limit: 1000)
                        return .success(seconds(since: started))
                    } catch {
                        return .failure(BenchError("client \(i): \(error)"))
                    }
                }
            }
            var out: [Result<Double, BenchError>] = []
            for await r in group { out.append(r) }
            return out
        }
        let all = outcomes.compactMap { try? $0.get() }.sorted()
        let failed = outcomes.compactMap { r -> String? in if case .failure(let e) = r { return e.description } else { return nil } }
        func pct(_ p: Double) -> Double { all.isEmpty ? .nan : all[min(all.count - 1, Int(Double(all.count) * p))] }
        say(String(format: "%d clients × %d ops + a pull: p50 %.3f s, p99 %.3f s, max %.3f s (target p99 ≤ 1 s); %d errors; all done in %.2f s",
                   clients, opsPerClient, pct(0.5), pct(0.99), all.last ?? .nan, failed.count, seconds(since: wall)))
        for e in failed.prefix(5) { say("  error: \(e)") }
        say("server peak memory (VmHWM of furrow-branch serve): \(peakMemory(pid: server.processIdentifier))")
    }

    /// Every page of `user`'s snapshot, as a new device of theirs would fetch it.
    func snapshotPages(url: String, user: String, pageSize: Int, http: HTTPClient) async throws -> [SnapshotPage] {
        let c = SyncClient(server: url, token: try await signIn(url, user, device: "baseline", http: http), http: http)
        var pages: [SnapshotPage] = []
        for phase in SnapshotPhase.allCases {
            var after = ""
            while true {
                let page = try await c.snapshot(phase: phase, after: after, limit: pageSize)
                pages.append(page)
                guard let next = page.next else { break }
                after = next
            }
        }
        return pages
    }

    func notes(_ customers: [String], count: Int, node: String) -> [SyncOp] {
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        return (0..<count).map { i in
            SyncOp(opID: UUID().uuidString.lowercased(), hlc: HLC(wallMs: now, counter: i, node: node), kind: .noteAdd,
                   customerID: customers.isEmpty ? nil : customers[i % customers.count], recordID: "N-\(node)-\(i)-\(now)",
                   fields: ["text": "bench \(node) \(i)", "at": Timestamp.shanghaiNow(Date())])
        }
    }

    func signIn(_ url: String, _ user: String, device: String, http: HTTPClient) async throws -> String {
        var lastError: (any Error)?
        for _ in 0..<100 {
            do { return try await SyncClient(server: url, http: http).login(user: user, password: Self.password, device: device).token } catch {
                lastError = error
                try await Task.sleep(for: .milliseconds(100))
            }
        }
        throw BenchError("cannot sign in to the bench server: \(String(describing: lastError))")
    }

    func startServer() throws -> Process {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: serverBinary)
        p.arguments = ["serve", "--store", branchPath, "--port", String(port)]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        p.standardInput = FileHandle.nullDevice
        try p.run()
        return p
    }

    /// The same rows written by the sqlite3 shell into an empty store: the floor for the local apply.
    func rawCopySeconds(rm: String, work: URL) throws -> Double {
        let target = work.appendingPathComponent("raw.sqlite").path
        _ = try AppDatabase.open(path: target)   // the schema, empty
        let page = "(SELECT customer_id FROM b.customers WHERE rm_id = '\(rm.replacingOccurrences(of: "'", with: "''"))')"
        let accounts = "(SELECT account_id FROM b.accounts WHERE customer_id IN \(page))"
        var sql = "PRAGMA foreign_keys = OFF; ATTACH '\(branchPath)' AS b; BEGIN;\n"
        for t in ["staff", "products", "payroll_units"] { sql += "INSERT INTO main.\(t) SELECT * FROM b.\(t);\n" }
        sql += "INSERT INTO main.customers SELECT * FROM b.customers WHERE customer_id IN \(page);\n"
        sql += "INSERT INTO main.customer_name_chars (rowid, chars) SELECT rowid, chars FROM b.customer_name_chars WHERE rowid IN (SELECT id FROM b.customers WHERE customer_id IN \(page));\n"
        for t in ["accounts", "monthly_balances", "assignments", "surveys", "complaints", "interactions", "tasks", "notes", "customer_tags",
                  "customer_rules", "service_upgrades", "customer_preferences", "retention_cases", "relations"] {
            sql += "INSERT INTO main.\(t) SELECT * FROM b.\(t) WHERE customer_id IN \(page);\n"
        }
        sql += "INSERT INTO main.loan_schedule SELECT * FROM b.loan_schedule WHERE account_id IN \(accounts);\n"
        sql += "INSERT INTO main.transactions SELECT * FROM b.transactions WHERE account_id IN \(accounts);\n"
        sql += "COMMIT;\n"
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["sqlite3", target]
        let input = Pipe()
        p.standardInput = input
        p.standardOutput = FileHandle.nullDevice
        let clock = ContinuousClock.now
        try p.run()
        input.fileHandleForWriting.write(Data(sql.utf8))
        try input.fileHandleForWriting.close()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { throw BenchError("sqlite3 failed on the raw copy") }
        return seconds(since: clock)
    }

    func peakMemory(pid: Int32) -> String {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }) else { return "unknown" }
        return line.dropFirst("VmHWM:".count).trimmingCharacters(in: .whitespaces)
    }

    func seconds(since start: ContinuousClock.Instant) -> Double {
        let d = ContinuousClock.now - start
        return d.seconds
    }
}

public struct BenchError: Error, CustomStringConvertible {
    public var description: String
    public init(_ d: String) { description = d }
}
