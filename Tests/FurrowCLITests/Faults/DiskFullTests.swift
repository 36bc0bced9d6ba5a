import Foundation
import FurrowCore
@testable import FurrowStore
import FurrowSync
import GRDB
import FurrowTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// A small tmpfs mounted for the test (root only), filled to the last byte by a filler file.
struct SmallDisk {
    let mountPoint: URL
    var filler: URL { mountPoint.appendingPathComponent("filler") }

    /// Whether this machine lets the test mount a tmpfs (root, or a capable container).
    static let canMount: Bool = {
        guard getuid() == 0 else { return false }
        let probe = FileManager.default.temporaryDirectory.appendingPathComponent("furrow-mount-probe-\(getpid())")
        try? FileManager.default.createDirectory(at: probe, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: probe) }
        guard system("mount -t tmpfs -o size=1m tmpfs '\(probe.path)' 2>/dev/null") == 0 else { return false }
        _ = system("umount '\(probe.path)'")
        return true
    }()

    init(at mountPoint: URL, megabytes: Int) throws {
        self.mountPoint = mountPoint
        try FileManager.default.createDirectory(at: mountPoint, withIntermediateDirectories: true)
        guard system("mount -t tmpfs -o size=\(megabytes)m,mode=0700 tmpfs '\(mountPoint.path)'") == 0 else {
            throw CLIRunner.Failure(description: "cannot mount a tmpfs at \(mountPoint.path)")
        }
    }

    /// Writes the filler until the disk refuses another byte; returns the bytes written.
    @discardableResult
    func fill() -> Int {
        let fd = open(filler.path, O_WRONLY | O_CREAT | O_APPEND, 0o600)
        guard fd >= 0 else { return 0 }
        defer { close(fd) }
        var total = 0
        for size in [1 << 20, 4096, 1] {
            let chunk = [UInt8](repeating: 0x5A, count: size)
            while true {
                let w = chunk.withUnsafeBytes { write(fd, $0.baseAddress!, size) }
                if w <= 0 { break }
                total += w
            }
        }
        return total
    }

    func free() { try? FileManager.default.removeItem(at: filler) }

    func unmount() { _ = system("umount -l '\(mountPoint.path)' 2>/dev/null") }
}

extension CLIRunner {
    struct Failure: Error, CustomStringConvertible { var description: String }
}

/// A full disk on either side: the write is refused with a clear message and undone, the store
/// stays whole, the work waits (the workstation's outbox, the branch's op log unchanged), and it
/// goes on by itself once there is room again.
@Suite("Faults: the disk full on the workstation and on the branch", .ownThreads, .serialized, .enabled(if: SmallDisk.canMount))
final class DiskFullTests {
    let dir: URL
    let branchDisk: SmallDisk
    let deviceDisk: SmallDisk
    let branchStore: String
    let password = "demo-pass-123"
    let cli = CLIRunner()

    init() throws {
        dir = try CLIRunner.tempDir()
        branchDisk = try SmallDisk(at: dir.appendingPathComponent("branch-disk"), megabytes: 64)
        deviceDisk = try SmallDisk(at: dir.appendingPathComponent("device-disk"), megabytes: 48)
        branchStore = branchDisk.mountPoint.appendingPathComponent("branch.sqlite").path
        let r = try cli.runBinary(BranchSyncTests.branchBinary, ["demo", "--store", branchStore, "--customers", "300",
                                                                  "--as-of", "2026-11-20"], input: password + "\n")
        #expect(r.status == 0, "\(r.stderr)")
    }

    deinit {
        branchDisk.unmount()
        deviceDisk.unmount()
        try? FileManager.default.removeItem(at: dir)
    }

    func signIn(_ user: String, store: String, url: String) throws -> AppDatabase {
        let login = try cli.run(["login", "--server", url, "--user", user, "--store", store], input: password + "\n")
        #expect(login.status == 0, "\(login.stderr)")
        let sync = try cli.run(["sync", "--store", store])
        #expect(sync.status == 0, "\(sync.stderr)")
        return try AppDatabase.open(path: store)
    }

    /// Runs `body`; a failure names the step it failed in.
    func step<T>(_ name: String, _ body: () throws -> T) throws -> T {
        do { return try body() } catch {
            Issue.record("\(name): \(error)")
            throw error
        }
    }

    func count(_ db: AppDatabase, _ sql: String) throws -> Int { try db.read { try Int.fetchOne($0, sql: sql) ?? -1 } }

    /// Long enough that a few hundred of them cannot fit in what the write-ahead log already holds.
    func longText(_ i: Int) -> String { "存款到期提醒第\(i)条。" + String(repeating: "客户说下月再来网点办理。", count: 40) }

    @Test("the workstation's disk full: a note and a draft are refused with a clear error, nothing is half-written; with room again the same write works")
    func workstationWrites() throws {
        let server = try BranchServerProcess.start(store: branchStore, logDirectory: dir)
        defer { server.kill() }
        let path = deviceDisk.mountPoint.appendingPathComponent("lead.sqlite").path
        let lead = try signIn("S002", store: path, url: server.url)
        let customer = try #require(try lead.portfolio(scope: .branch, limit: 1).rows.first?.customerID)
        let before = try lead.rowCounts()
        try lead.checkpoint()   // the write-ahead log emptied: a new write needs new room
        deviceDisk.fill()

        var refused: StoreError?
        do {
            for i in 0..<200 { _ = try lead.addNote(customerID: customer, text: longText(i), by: "S002") }
        } catch { refused = error }
        guard case .diskFull(let where_)? = refused else {
            Issue.record("expected the disk-full error, got \(String(describing: refused))")
            return
        }
        #expect(where_ == path)
        #expect(refused?.description.contains("is full: nothing was saved") == true)
        let draft = Draft(staffID: "S002", kind: "contact.visit", customerID: customer, fields: ["summary": longText(0)],
                          createdAt: "2026-11-20 10:00:00")
        var draftRefused = false
        do {
            for i in 0..<50 {
                var d = draft
                d.draftID = "draft-\(i)"
                try lead.saveDraft(d)
            }
        } catch { draftRefused = (error == .diskFull(path: path)) }
        #expect(draftRefused, "a draft cannot be kept on a full disk either, and says so")
        // Reading goes on while the disk is full: the RM still sees their customers.
        #expect(try step("integrity check on the full disk") { try lead.integrityCheck() })
        // What was refused left nothing behind; what fitted before the disk filled is whole.
        let notesWhenFull = try step("counting rows on the full disk") { try lead.rowCounts()["notes"] ?? 0 }
        let pending = try step("counting the outbox on the full disk") { try lead.pendingOpCount() }
        #expect(pending == notesWhenFull - (before["notes"] ?? 0), "one op for each note kept, none for a refused one")

        deviceDisk.free()
        _ = try step("a note with room again") { try lead.addNote(customerID: customer, text: "有空间了", by: "S002") }
        try step("a draft with room again") { try lead.saveDraft(draft) }
        #expect(try lead.rowCounts()["notes"] == notesWhenFull + 1)
        #expect(try lead.integrityCheck())
    }

    @Test("the branch's disk full: a push is answered 507 and changes nothing, the ops wait on the device; with room again each takes effect once")
    func branchPush() throws {
        let server = try BranchServerProcess.start(store: branchStore, logDirectory: dir)
        defer { server.kill() }
        let rmPath = dir.appendingPathComponent("rm.sqlite").path
        let rm = try signIn("S005", store: rmPath, url: server.url)
        let customers = try rm.portfolio(scope: .branch, limit: 20).rows.map(\.customerID)
        for i in 0..<300 { _ = try rm.addNote(customerID: customers[i % customers.count], text: longText(i), by: "S005") }
        let branch = try AppDatabase.open(path: branchStore)
        let logBefore = try count(branch, "SELECT count(*) FROM op_log")
        let notesBefore = try branch.rowCounts()["notes"] ?? 0
        try branch.checkpoint()
        branchDisk.fill()

        let r = try cli.run(["sync", "--retries", "0", "--store", rmPath])
        #expect(r.status != 0)
        #expect(r.stderr.contains("507") && r.stderr.contains("disk is full"), "\(r.stderr)")
        #expect(r.stderr.contains("300 changes wait to be sent"), "\(r.stderr)")
        #expect(try rm.pendingOpCount() == 300)

        branchDisk.free()
        #expect(try branch.integrityCheck())
        #expect(try count(branch, "SELECT count(*) FROM op_log") == logBefore, "nothing half-written")
        let again = try cli.run(["sync", "--json", "--store", rmPath])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout.contains("\"applied\":300"), "\(again.stdout)")
        #expect(try branch.rowCounts()["notes"] == notesBefore + 300)
        #expect(try rm.pendingOpCount() == 0)
    }

    @Test("the workstation's disk full during a pull: the sync stops with a clear error and the cursor where it was; with room again it fetches the rest, nothing twice")
    func workstationPull() throws {
        let server = try BranchServerProcess.start(store: branchStore, logDirectory: dir)
        defer { server.kill() }
        let leadPath = deviceDisk.mountPoint.appendingPathComponent("lead-pull.sqlite").path
        let lead = try signIn("S002", store: leadPath, url: server.url)
        let clean = try signIn("S002", store: dir.appendingPathComponent("lead-clean.sqlite").path, url: server.url)
        let rmPath = dir.appendingPathComponent("rm-pull.sqlite").path
        let rm = try signIn("S005", store: rmPath, url: server.url)
        let customers = try rm.portfolio(scope: .branch, limit: 20).rows.map(\.customerID)
        for i in 0..<300 { _ = try rm.addNote(customerID: customers[i % customers.count], text: longText(i), by: "S005") }
        #expect(try cli.run(["sync", "--store", rmPath]).status == 0)

        let cursor = try lead.syncValue(.cursor)
        let notesBefore = try lead.rowCounts()["notes"] ?? 0
        try lead.checkpoint()
        deviceDisk.fill()
        let r = try cli.run(["sync", "--retries", "0", "--page-size", "1000", "--store", leadPath])
        #expect(r.status != 0 && r.stderr.contains("is full"), "\(r.stderr)")
        deviceDisk.free()
        #expect(try lead.integrityCheck())
        #expect(try lead.syncValue(.cursor) == cursor && lead.rowCounts()["notes"] == notesBefore, "the failed page left nothing")

        #expect(try cli.run(["sync", "--store", leadPath]).status == 0)
        #expect(try cli.run(["sync", "--store", dir.appendingPathComponent("lead-clean.sqlite").path]).status == 0)
        let sql = "SELECT note_id || ' ' || text FROM notes ORDER BY note_id"
        #expect(try lead.read { try String.fetchAll($0, sql: sql) } == clean.read { try String.fetchAll($0, sql: sql) })
    }
}
