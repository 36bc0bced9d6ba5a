import Foundation
import FurrowCore
import FurrowStore
import FurrowTestSupport
import Testing

/// Faults with real processes: `furrow sync` SIGKILLed in the middle of a snapshot, the branch
/// server SIGKILLed in the middle of a push and of a pull. Small pages (`--page-size`) make
/// "the middle" wide enough to hit; each page is one transaction, so what a kill leaves is
/// always a whole number of pages, and the next sync fetches only the rest.
@Suite("Sync faults: processes killed mid-way", .ownThreads, .serialized)
final class SyncFaultTests {
    let dir: URL
    let branchStore: String
    /// 0 until the first start; a restart asks for the same port (the logins hold its URL).
    var port = 0
    var server: BranchServerProcess?
    let password = "demo-pass-123"
    let cli = CLIRunner()

    init() throws {
        dir = try CLIRunner.tempDir()
        branchStore = dir.appendingPathComponent("branch.sqlite").path
        let r = try CLIRunner().runBinary(BranchSyncTests.branchBinary, ["demo", "--store", branchStore, "--customers", "3000",
                                                                         "--as-of", "2026-11-20"], input: password + "\n")
        #expect(r.status == 0, "\(r.stderr)")
    }

    func startServer() throws {
        let started = try BranchServerProcess.start(store: branchStore, port: port, logDirectory: dir)
        server = started
        port = started.port
    }

    func killServer() { server?.kill() }

    var url: String { "http://127.0.0.1:\(port)" }
    func store(_ user: String) -> String { dir.appendingPathComponent("\(user).sqlite").path }
    func syncLog(_ user: String) -> String { dir.appendingPathComponent("\(user)-sync.log").path }

    func login(_ user: String) throws {
        let r = try cli.run(["login", "--server", url, "--user", user, "--store", store(user)], input: password + "\n")
        #expect(r.status == 0, "\(r.stderr)")
    }

    /// `furrow sync` in the background.
    func startSync(_ user: String, pageSize: Int) throws -> Process {
        let p = Process()
        p.executableURL = CLIRunner.binary
        p.arguments = ["sync", "--store", store(user), "--page-size", String(pageSize)]
        p.standardOutput = FileHandle.nullDevice
        // Kept, so a sync that stopped on its own says why.
        _ = FileManager.default.createFile(atPath: syncLog(user), contents: nil)
        p.standardError = FileHandle(forWritingAtPath: syncLog(user))
        p.standardInput = FileHandle.nullDevice
        try p.run()
        return p
    }

    /// Polls `condition` every few milliseconds for up to 60 s.
    func waitUntil(_ what: String, _ condition: () throws -> Bool) throws {
        let deadline = Deadline(seconds: 60)
        while !deadline.hasPassed {
            if (try? condition()) == true { return }
            Thread.sleep(forTimeInterval: 0.003)
        }
        Issue.record("never happened: \(what)")
    }

    func syncJSON(_ user: String, pageSize: Int) throws -> [String: Any] {
        let r = try cli.run(["sync", "--json", "--store", store(user), "--page-size", String(pageSize)])
        #expect(r.status == 0, "\(r.stderr)")
        return (try? JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]) ?? [:]
    }

    @Test("the workstation killed mid-snapshot: the store is whole, holds whole pages, and the next sync fetches only the rest")
    func clientKilledMidSnapshot() throws {
        try startServer()
        defer { killServer() }
        try login("S001")   // the president: all 3,000 customers
        let sync = try startSync("S001", pageSize: 50)
        var partial: AppDatabase?
        try waitUntil("a first snapshot page is in") {
            guard sync.isRunning else {
                Issue.record("furrow sync ended before the kill (status \(sync.terminationStatus)): \((try? String(contentsOfFile: syncLog("S001"), encoding: .utf8)) ?? "")")
                return true
            }
            guard FileManager.default.fileExists(atPath: store("S001")) else { return false }
            let db = try partial ?? AppDatabase.open(path: store("S001"))
            partial = db
            return try !(db.syncValue(.snapshotAfter) ?? "").isEmpty
        }
        kill(sync.processIdentifier, SIGKILL)
        sync.waitUntilExit()
        let db = try AppDatabase.open(path: store("S001"))
        #expect(try db.integrityCheck())
        let held = try db.customerCount()
        let after = try db.syncValue(.snapshotAfter) ?? ""
        #expect(held > 0 && held < 3000, "killed mid-way: \(held) customers")
        #expect(held % 50 == 0, "whole pages only: \(held)")
        let ids = try db.portfolio(scope: .branch, sort: .name, limit: 3000).rows.map(\.customerID).sorted()
        #expect(ids.last == after, "the snapshot cursor is the last customer kept")

        let rest = try syncJSON("S001", pageSize: 50)
        #expect(rest["snapshotCustomers"] as? Int == 3000 - held, "only the rest is fetched: \(rest)")
        #expect(try db.customerCount() == 3000)
        #expect(try db.integrityCheck())
    }

    @Test("the server killed mid-push and mid-pull: each op takes effect once, the puller keeps whole pages, and nothing is fetched twice")
    func serverKilledMidPushAndPull() throws {
        try startServer()
        try login("S005")
        try login("S002")   // S005's lead
        for u in ["S005", "S002"] { #expect(try cli.run(["sync", "--store", store(u)]).status == 0) }
        let rm = try AppDatabase.open(path: store("S005"))
        let customer = try #require(try rm.portfolio(scope: .branch, limit: 1).rows.first?.customerID)
        for i in 0..<1500 { _ = try rm.addNote(customerID: customer, text: "fault \(i)", by: "S005") }
        let branch = try AppDatabase.open(path: branchStore)
        let notesBefore = try branch.rowCounts()["notes"] ?? 0

        // Mid-push: a push of ten is one transaction on the branch.
        let push = try startSync("S005", pageSize: 10)
        try waitUntil("the branch has applied some of the pushes") { (try branch.rowCounts()["op_log"] ?? 0) > 0 }
        killServer()
        push.waitUntilExit()
        #expect(push.terminationStatus != 0)
        let applied = try branch.rowCounts()["op_log"] ?? 0
        #expect(applied > 0 && applied < 1500 && applied % 10 == 0, "killed mid-push after \(applied) ops")
        #expect(try branch.integrityCheck())
        try startServer()
        let pushed = try syncJSON("S005", pageSize: 100)
        // A push committed just before the kill, its answer lost, comes back as duplicates.
        #expect(pushed["applied"] as? Int == 1500 - applied, "exactly the rest takes effect: \(pushed)")
        #expect(try branch.rowCounts()["notes"] == notesBefore + 1500, "each note once")
        #expect(try rm.pendingOpCount() == 0)

        // Mid-pull: the lead fetches the 1,500 notes ten at a time.
        let lead = try AppDatabase.open(path: store("S002"))
        let leadBefore = try lead.rowCounts()["notes"] ?? 0
        let cursorBefore = try lead.syncValue(.cursor)
        let pull = try startSync("S002", pageSize: 10)
        try waitUntil("the lead has applied some pages") { try lead.syncValue(.cursor) != cursorBefore }
        killServer()
        pull.waitUntilExit()
        #expect(pull.terminationStatus != 0)
        #expect(try lead.integrityCheck())
        let got = (try lead.rowCounts()["notes"] ?? 0) - leadBefore
        #expect(got > 0 && got < 1500, "killed mid-pull after \(got) notes")
        try startServer()
        defer { killServer() }
        let rest = try syncJSON("S002", pageSize: 100)
        #expect(rest["pulled"] as? Int == 1500 - got, "nothing fetched twice: \(rest)")
        #expect(try lead.rowCounts()["notes"] == leadBefore + 1500)
    }

    /// Starts `furrow sync` for `name` and SIGKILLs it at seeded moments (after it has made
    /// some progress, then 0–300 ms more), up to `kills` times or until a sync ends by itself.
    func killRepeatedly(_ name: String, pageSize: Int, kills: Int, run: inout FaultRun,
                        progress: (AppDatabase) throws -> String?) throws -> Int {
        var done = 0
        for _ in 0..<kills {
            // Opened only once the sync has made the file (a first sync makes it).
            func now() throws -> String? {
                FileManager.default.fileExists(atPath: store(name)) ? try progress(AppDatabase.open(path: store(name))) : nil
            }
            let before = try now()
            let sync = try startSync(name, pageSize: pageSize)
            try waitUntil("\(name)'s sync makes progress or ends") {
                guard sync.isRunning else { return true }
                return try now() != before
            }
            Thread.sleep(forTimeInterval: Double(Int.random(in: 0...300, using: &run.rng)) / 1000)
            guard sync.isRunning else {
                sync.waitUntilExit()
                #expect(sync.terminationStatus == 0, "\((try? String(contentsOfFile: syncLog(name), encoding: .utf8)) ?? "")")
                break
            }
            kill(sync.processIdentifier, SIGKILL)
            sync.waitUntilExit()
            #expect(try AppDatabase.open(path: store(name)).integrityCheck(), "\(run.replay)")
            done += 1
        }
        return done
    }

    @Test("the workstation killed again and again during its first snapshot and during a pull's apply: each time it resumes, and it ends with the same rows as a device never interrupted",
          .timeLimit(.minutes(10)))
    func clientKilledRepeatedly() throws {
        var run = FaultRun("workstation kills")
        try startServer()
        defer { killServer() }
        try login("S005")
        for name in ["S002", "S002-clean"] {
            let r = try cli.run(["login", "--server", url, "--user", "S002", "--store", store(name)], input: password + "\n")
            #expect(r.status == 0, "\(r.stderr)")
        }
        // The first snapshot (the lead's team), 50 customers a page, killed up to 10 times.
        let snapshotKills = try killRepeatedly("S002", pageSize: 50, kills: 10 * run.scale, run: &run) { db in
            try db.syncValue(.snapshotAfter)
        }
        #expect(try syncJSON("S002", pageSize: 50)["pulled"] != nil)
        _ = try syncJSON("S002-clean", pageSize: 500)
        let (killed, clean) = (try AppDatabase.open(path: store("S002")), try AppDatabase.open(path: store("S002-clean")))
        let afterSnapshot = try StoreDump.differences(killed, clean)
        #expect(afterSnapshot == [], "after the snapshot: \(afterSnapshot) — \(run.replay)")

        // 1,500 notes from the lead's RM, fetched ten at a time, the fetch killed up to 20 times.
        #expect(try cli.run(["sync", "--store", store("S005")]).status == 0)
        let rm = try AppDatabase.open(path: store("S005"))
        let customers = try rm.portfolio(scope: .branch, limit: 30).rows.map(\.customerID)
        for i in 0..<(1500 * run.scale) { _ = try rm.addNote(customerID: customers[i % customers.count], text: "重启 \(i)", by: "S005") }
        #expect(try syncJSON("S005", pageSize: 1000)["applied"] as? Int == 1500 * run.scale)
        let pullKills = try killRepeatedly("S002", pageSize: 10, kills: 20 * run.scale, run: &run) { db in
            try db.syncValue(.cursor)
        }
        _ = try syncJSON("S002", pageSize: 10)
        _ = try syncJSON("S002-clean", pageSize: 1000)
        let afterPull = try StoreDump.differences(killed, clean)
        #expect(afterPull == [], "after the pull: \(afterPull) — \(run.replay)")
        #expect(try killed.rowCounts()["notes"] == clean.rowCounts()["notes"])
        run.report(["kills during the snapshot": snapshotKills, "kills during the pull": pullKills,
                    "rows compared": try StoreDump.rows(clean).values.reduce(0) { $0 + $1.count },
                    "differences": afterSnapshot.count + afterPull.count])
    }
}
