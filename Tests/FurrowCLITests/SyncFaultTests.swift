import Foundation
import FurrowCore
import FurrowStore
import Testing

/// Faults with real processes: `furrow sync` SIGKILLed in the middle of a snapshot, the branch
/// server SIGKILLed in the middle of a push and of a pull. Small pages (`--page-size`) make
/// "the middle" wide enough to hit; each page is one transaction, so what a kill leaves is
/// always a whole number of pages, and the next sync fetches only the rest.
@Suite("Sync faults: processes killed mid-way", .serialized)
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
}
