import Foundation
import FurrowCore
@testable import FurrowStore
import FurrowSync
import FurrowTestSupport
import Testing

/// Two RMs and their lead on the fixture branch through a real `furrow-branch` process on
/// loopback: sign in, first sync, a note written in the workstation (tmux) reaching the lead,
/// scope, the server killed and restarted, a revoked device.
@Suite("Two RMs and a lead through a real branch server", .ownThreads, .serialized, .enabled(if: TmuxSession.tmux != nil))
final class BranchSyncTests {
    let dir: URL
    let branchStore: String
    /// 0 until the first start; a restart asks for the same port (the logins hold its URL).
    var port = 0
    var server: BranchServerProcess?
    let password = "demo-pass-123"

    static var branchBinary: String { CLIRunner.binary.deletingLastPathComponent().appendingPathComponent("furrow-branch").path }

    init() throws {
        dir = try CLIRunner.tempDir()
        branchStore = dir.appendingPathComponent("branch.sqlite").path
        // The hand-checked fixture branch: lead S002 with RMs S003 and S004 (team 零售一组), S005 elsewhere.
        let r = try branch(["import", CLIRunner.repo.appendingPathComponent("fixtures/branch").path, "--store", branchStore,
                            "--as-of", "2026-09-21"])
        #expect(r.status == 0 && r.stdout.contains("extract generation"), "\(r.stdout) \(r.stderr)")
        for user in ["S002", "S003", "S004", "S005"] {
            let u = try branch(["users", "add", user, "--store", branchStore], input: password + "\n")
            #expect(u.status == 0, "\(u.stderr)")
        }
    }


    func branch(_ args: [String], input: String? = nil) throws -> CLIRunner.Result {
        try CLIRunner().runBinary(Self.branchBinary, args, input: input)
    }

    func startServer() throws {
        let started = try BranchServerProcess.start(store: branchStore, port: port, logDirectory: dir)
        server = started
        port = started.port
    }

    var url: String { "http://127.0.0.1:\(port)" }
    let cli = CLIRunner()

    func store(_ user: String) -> String { dir.appendingPathComponent("\(user).sqlite").path }

    /// Signs in, retrying while the server is still starting.
    func login(_ user: String) throws {
        for _ in 0..<50 {
            let r = try cli.run(["login", "--server", url, "--user", user, "--store", store(user)], input: password + "\n")
            if r.status == 0 { return }
            guard r.stderr.contains("cannot reach") else { Issue.record("login \(user): \(r.stderr)"); return }
            Thread.sleep(forTimeInterval: 0.2)
        }
        Issue.record("the branch server never answered")
    }

    func sync(_ user: String) throws -> CLIRunner.Result { try cli.run(["sync", "--store", store(user)]) }

    @Test("first syncs bring each user their scope; a note written in the workstation reaches the lead and not the other RM; a killed server loses nothing; a revoked device is refused")
    func twoRMsAndALead() throws {
        let b = try AppDatabase.open(path: branchStore)
        let staff = try b.branchUsers()
        let sizes = try Dictionary(grouping: b.portfolio(scope: .branch, limit: 5000).rows, by: { $0.rmID ?? "" }).mapValues(\.count)
        let lead = try #require(staff.first { l in
            l.role == .lead && staff.filter { $0.role == .rm && $0.team == l.team && (sizes[$0.staffID] ?? 0) > 0 }.count >= 2
        })
        let rms = staff.filter { $0.role == .rm && $0.team == lead.team && (sizes[$0.staffID] ?? 0) > 0 }
        let (rm1, rm2) = (rms[0].staffID, rms[1].staffID)
        try startServer()
        for u in [rm1, rm2, lead.staffID] { try login(u) }
        let mode = try FileManager.default.attributesOfItem(atPath: store(rm1) + ".token")[.posixPermissions] as? Int
        #expect(mode == 0o600, "the token file is the user's alone")

        for u in [rm1, rm2, lead.staffID] {
            let r = try sync(u)
            #expect(r.status == 0 && r.stdout.contains("snapshot"), "\(u): \(r.stdout) \(r.stderr)")
        }
        let mine = try b.portfolio(scope: .rm(rm1), limit: 1000).rows.map(\.customerID).sorted()
        let rm1Store = try AppDatabase.open(path: store(rm1))
        #expect(try rm1Store.portfolio(scope: .branch, limit: 1000).rows.map(\.customerID).sorted() == mine)
        let customer = try #require(mine.first)

        // RM 1 writes a note in the workstation.
        let t = TmuxSession()
        defer { t.kill() }
        try t.start("\(CLIRunner.binary.path) --store \(store(rm1))", height: 60,
                    environment: ["FURROW_USER": rm1, "XDG_CONFIG_HOME": dir.appendingPathComponent("config").path])
        try t.waitFor("今天 Today")
        try t.send(":")
        try t.send("note \(customer)", "Enter")
        try t.waitFor("选择客户 Choose a customer")
        try t.send("Enter")
        try t.waitFor("备注 Note")
        try t.send("想了解养老理财")
        try t.send("C-s")
        try t.waitFor("备注已存 note saved")
        try t.send("5")
        let syncScreen = try t.waitFor("待发 pending 1")
        #expect(syncScreen.contains("note.add") && syncScreen.contains(customer))
        try t.send("q")
        #expect(t.waitForExit())

        var r = try sync(rm1)
        #expect(r.status == 0 && r.stdout.contains("pushed 1"), "\(r.stdout) \(r.stderr)")
        r = try sync(lead.staffID)
        #expect(r.status == 0 && r.stdout.contains("pulled 1"), "\(r.stdout) \(r.stderr)")
        #expect(try AppDatabase.open(path: store(lead.staffID)).profile(customerID: customer)?.notes.map(\.text) == ["想了解养老理财"])
        #expect(try AppDatabase.open(path: store(rm2)).profile(customerID: customer) == nil, "another RM's customer never reaches RM 2")

        // The server dies; RM 1 goes on working, and the sync says why it could not send.
        server?.kill()
        _ = try rm1Store.addNote(customerID: customer, text: "离线时记的", by: rm1)
        r = try sync(rm1)
        #expect(r.status != 0 && r.stderr.contains("cannot reach the branch server") && r.stderr.contains("1 changes wait"), "\(r.stderr)")
        try startServer()
        for _ in 0..<50 {
            r = try sync(rm1)
            if r.status == 0 { break }
            Thread.sleep(forTimeInterval: 0.2)
        }
        #expect(r.stdout.contains("pushed 1"), "\(r.stdout) \(r.stderr)")
        #expect(try b.profile(customerID: customer)?.notes.count == 2)

        // The administrator revokes RM 2's device.
        let devices = try b.deviceTokens(staffID: rm2)
        r = try branch(["devices", "revoke", String(try #require(devices.first).id), "--store", branchStore])
        #expect(r.status == 0, "\(r.stderr)")
        r = try sync(rm2)
        #expect(r.status != 0 && r.stderr.contains("furrow login"), "\(r.stderr)")
        r = try branch(["audit", "--store", branchStore, "--user", rm1])
        #expect(r.stdout.contains("sync.note.add") && r.stdout.contains(customer))
    }

    @Test("a correction an RM proposed is listed masked by furrow-branch proposals, refused to the RM, accepted by the lead, and reaches the RM's store")
    func corrections() throws {
        try startServer()
        try login("S003")
        var r = try sync("S003")
        #expect(r.status == 0, "\(r.stderr)")
        let rm = try AppDatabase.open(path: store("S003"))
        let customer = try #require(try rm.portfolio(scope: .branch, limit: 1).rows.first?.customerID)
        let p = try rm.proposeCorrection(customerID: customer, field: .mobile, value: "13911112222", reason: "客户换号", by: "S003")
        _ = try rm.proposeCorrection(customerID: customer, field: .address, value: "青山镇青山村三组十八号", reason: "搬家", by: "S003")
        r = try sync("S003")
        #expect(r.status == 0 && r.stdout.contains("pushed 2"), "\(r.stdout) \(r.stderr)")

        r = try branch(["proposals", "list", "--store", branchStore])
        #expect(r.status == 0 && r.stdout.contains(p.proposalID) && r.stdout.contains("139****2222") && r.stdout.contains("青山镇青山村****"),
                "\(r.stdout)")
        #expect(!r.stdout.contains("13911112222") && !r.stdout.contains("三组十八号"), "mobiles and addresses masked unless --reveal")
        r = try branch(["proposals", "list", "--store", branchStore, "--reveal"])
        #expect(r.status != 0 && r.stderr.contains("--by"), "a reveal names who reveals: \(r.stderr)")
        r = try branch(["proposals", "list", "--store", branchStore, "--reveal", "--by", "NOBODY"])
        #expect(r.status != 0 && r.stderr.contains("not a staff member"), "\(r.stderr)")
        r = try branch(["proposals", "accept", p.proposalID, "--store", branchStore, "--by", "S003"])
        #expect(r.status != 0 && r.stderr.contains("only a team lead"), "\(r.stderr)")
        r = try branch(["proposals", "accept", "PP-nope", "--store", branchStore, "--by", "S002"])
        #expect(r.status != 0 && r.stderr.contains("PP-nope"), "\(r.stderr)")
        r = try branch(["proposals", "reject", p.proposalID, "--store", branchStore, "--by", "S002"])
        #expect(r.status != 0 && r.stderr.contains("--reason"), "a rejection says why: \(r.stderr)")
        r = try branch(["proposals", "accept", p.proposalID, "--store", branchStore, "--by", "S002"])
        #expect(r.status == 0 && r.stdout.contains("accepted"), "\(r.stdout) \(r.stderr)")
        r = try branch(["proposals", "list", "--store", branchStore, "--status", "accepted", "--csv", "--reveal", "--by", "S002"])
        #expect(r.stdout.contains("13911112222") && r.stdout.contains("\"waiting\""), "\(r.stdout)")
        #expect(try AppDatabase.open(path: branchStore).pendingOpCount() == 0, "the branch's reveal is audited there, not queued to send")
        r = try branch(["audit", "--store", branchStore, "--customer", customer])
        #expect(r.stdout.contains("reveal") && r.stdout.contains("sync.profile.decide"), "\(r.stdout)")

        r = try sync("S003")
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try rm.revealIdentity(customerID: customer).mobile == "13911112222")
        #expect(try rm.proposals(customerID: customer).first { $0.proposalID == p.proposalID }?.status == .accepted)
    }

    @Test("serve and login refuse bad TLS settings with the reason, before anything starts")
    func tlsFlags() throws {
        var r = try branch(["serve", "--store", branchStore, "--tls-cert", "/nonexistent.crt"])
        #expect(r.status != 0 && r.stderr.contains("--tls-cert and --tls-key go together"), "\(r.stderr)")
        r = try branch(["serve", "--store", branchStore, "--tls-cert", "/nonexistent.crt", "--tls-key", "/nonexistent.key"])
        #expect(r.status != 0 && r.stderr.contains("/nonexistent.crt") && r.stderr.contains("PEM"), "\(r.stderr)")
        r = try cli.run(["login", "--server", "http://10.0.0.5:8420", "--user", "S003", "--ca-cert", "/x.pem", "--store", store("S003")],
                        input: "x\n")
        #expect(r.status != 0 && r.stderr.contains("--ca-cert is for an https:// server"), "\(r.stderr)")
    }

    @Test("plain HTTP to another machine is refused, before any connection, by serve, login and sync unless --insecure is given")
    func plainHTTPRefused() throws {
        // Nothing here connects anywhere: each refusal comes before the network is touched.
        let serve = try branch(["serve", "--store", branchStore, "--host", "0.0.0.0", "--port", "0"])
        #expect(serve.status != 0 && serve.stderr.contains("--tls-cert and --tls-key, or --insecure"), "\(serve.stderr)")
        let store = dir.appendingPathComponent("rm.sqlite").path
        let login = try CLIRunner().run(["login", "--server", "http://192.0.2.10:8420", "--user", "S003", "--store", store],
                                        input: password + "\n")
        #expect(login.status != 0 && login.stderr.contains("plain HTTP to another machine"), "\(login.stderr)")
        // A token file from an older furrow, made without --insecure: sync refuses too.
        try Credentials(server: "http://192.0.2.10:8420", user: "S003", token: "t", expiresAt: "2099-01-01T00:00:00Z").save(forStore: store)
        let sync = try CLIRunner().run(["sync", "--store", store])
        #expect(sync.status != 0 && sync.stderr.contains("plain HTTP to another machine"), "\(sync.stderr)")
    }
}
