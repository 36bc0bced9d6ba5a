import Foundation
import FurrowCore
import FurrowStore
import FurrowTestSupport
import Testing

/// The `furrow` binary end to end: a demo branch in a temporary store, then the script CLI.
@Suite("The furrow command line", .ownThreads, .serialized)
struct CLITests {
    let cli = CLIRunner(environment: ["FURROW_USER": "S_TEST"])
    let dir: URL
    let store: String

    init() throws {
        dir = try CLIRunner.tempDir()
        store = dir.appendingPathComponent("demo.sqlite").path
        let r = try cli.run(["demo", "--customers", "400", "--seed", "7", "--as-of", "2026-11-20", "--store", store])
        #expect(r.status == 0, "\(r.stderr)")
    }

    struct Line: Decodable {
        var customerID: String
        var name: String
        var mobile: String?
        var idNumber: String?
        var tier: String
        var aumFen: Int64
        var match: String?
    }

    @Test("demo prints what it made and how to look at it, and reuses the store on a second run")
    func demo() throws {
        let again = try cli.run(["demo", "--customers", "400", "--seed", "7", "--as-of", "2026-11-20", "--store", store])
        #expect(again.status == 0)
        #expect(again.stdout.contains("already in \(store)"))
        #expect(again.stdout.contains("furrow portfolio --rm S"))
        #expect(again.stdout.contains("export FURROW_STORE=\(store)"))
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("demo-extract/customers.csv").path))
    }

    @Test("search prints JSON with phone and ID masked; --reveal unmasks and is audited")
    func searchMasksAndReveals() throws {
        let masked = try cli.run(["search", "王", "--store", store, "--json", "--limit", "5"])
        #expect(masked.status == 0, "\(masked.stderr)")
        let lines = try JSONDecoder().decode([Line].self, from: Data(masked.stdout.utf8))
        #expect(!lines.isEmpty)
        #expect(lines.allSatisfy { $0.name.contains("王") })
        #expect(lines.compactMap(\.mobile).allSatisfy { $0.contains("****") })
        #expect(lines.compactMap(\.idNumber).allSatisfy { $0.contains("****") })

        let revealed = try cli.run(["search", "王", "--store", store, "--json", "--limit", "5", "--reveal"])
        let open = try JSONDecoder().decode([Line].self, from: Data(revealed.stdout.utf8))
        #expect(open.compactMap(\.mobile).allSatisfy { $0.count == 11 && !$0.contains("*") })
        let db = try AppDatabase.open(path: store)
        let trail = try db.auditTrail(limit: 50).filter { $0.action == "reveal" && $0.actor == "S_TEST" }
        #expect(Set(trail.compactMap(\.customerID)) == Set(open.map(\.customerID)))
    }

    @Test("search by name, pinyin initials and phone last four finds the customer")
    func searchClasses() throws {
        let db = try AppDatabase.open(path: store)
        let someone = try #require(try db.portfolio(scope: .branch, limit: 1).rows.first)
        let show = try cli.run(["show", someone.customerID, "--store", store, "--json", "--reveal"])
        struct P: Decodable { struct C: Decodable { var mobile: String?; var name: String }; var customer: C }
        let p = try JSONDecoder().decode(P.self, from: Data(show.stdout.utf8))
        let m = try #require(p.customer.mobile)
        let byPhone = try cli.run(["search", String(m.suffix(4)), "--store", store, "--json", "--limit", "100"])
        #expect(try JSONDecoder().decode([Line].self, from: Data(byPhone.stdout.utf8)).contains { $0.customerID == someone.customerID })
        let keys = Pinyin.keys(forName: someone.name, firstCharacterIsSurname: someone.kind != .microEnterprise)
        let initials = try #require(keys.initials.first)
        let byInitials = try cli.run(["search", initials, "--store", store, "--json", "--limit", "1000"])
        #expect(try JSONDecoder().decode([Line].self, from: Data(byInitials.stdout.utf8)).contains { $0.customerID == someone.customerID })
        let r = try cli.run(["search", someone.name, "--store", store, "--json"])
        let hits = try JSONDecoder().decode([Line].self, from: Data(r.stdout.utf8))
        #expect(hits.first?.name == someone.name)
        #expect(hits.first?.match == "name" || hits.first?.match == "customer_id")
    }

    @Test("show prints the 360° profile; an unknown customer is a clear error with exit 1")
    func show() throws {
        let db = try AppDatabase.open(path: store)
        let rich = try #require(try db.portfolio(scope: .branch, limit: 1).rows.first)
        let r = try cli.run(["show", rich.customerID, "--store", store])
        #expect(r.status == 0)
        #expect(r.stdout.contains(rich.name))
        #expect(r.stdout.contains("Holdings"))
        #expect(r.stdout.contains("AUM by month"))
        #expect(r.stdout.contains("masked"))
        let raw = try cli.run(["show", rich.customerID, "--store", store, "--json", "--reveal"])
        struct P: Decodable { struct C: Decodable { var idNumber: String?; var mobile: String?; var birthDate: String? }; var customer: C }
        let open = try JSONDecoder().decode(P.self, from: Data(raw.stdout.utf8)).customer
        let masked = try JSONDecoder().decode(P.self, from: Data(try cli.run(["show", rich.customerID, "--store", store, "--json"]).stdout.utf8)).customer
        if let id = open.idNumber {
            #expect(!r.stdout.contains(id))
            #expect(masked.idNumber != id)
            #expect(masked.idNumber?.contains("*") == true)
        }
        if let mobile = open.mobile { #expect(!r.stdout.contains(mobile)) }
        #expect(masked.birthDate == nil)
        if let b = open.birthDate { #expect(!r.stdout.contains(b)) }
        let missing = try cli.run(["show", "C99999999", "--store", store])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("no customer C99999999"))
    }

    @Test("portfolio pages follow the printed cursor; a bad cursor is refused")
    func portfolioPaging() throws {
        struct Page: Decodable { var customers: [Line]; var next: String? }
        let db = try AppDatabase.open(path: store)
        let rm = try #require(try db.staff().first { $0.role == .rm }?.staffID)
        let p1 = try JSONDecoder().decode(Page.self, from: Data(try cli.run(
            ["portfolio", "--rm", rm, "--limit", "10", "--json", "--store", store]).stdout.utf8))
        #expect(p1.customers.count == 10)
        let next = try #require(p1.next)
        let p2 = try JSONDecoder().decode(Page.self, from: Data(try cli.run(
            ["portfolio", "--rm", rm, "--limit", "10", "--json", "--store", store, "--after", next]).stdout.utf8))
        #expect(Set(p1.customers.map(\.customerID)).isDisjoint(with: p2.customers.map(\.customerID)))
        #expect(p1.customers.last!.aumFen >= p2.customers.first!.aumFen)
        let bad = try cli.run(["portfolio", "--after", "garbage!", "--store", store])
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("not a cursor"))
        let tier = try cli.run(["portfolio", "--tier", "gold", "--store", store])
        #expect(tier.status != 0)
    }

    @Test("a day that is not one (month 13, year 26, a word) is refused by every command with the option and the value")
    func badDays() throws {
        let fixtures = CLIRunner.repo.appendingPathComponent("fixtures/branch").path
        for (option, args) in [("--as-of", ["remind", "--as-of", "2026-13-01"]), ("--to", ["tasks", "--to", "next-week"]),
                               ("--from", ["campaign", "create", "--name", "x", "--kind", "care", "--from", "0026-11-01", "--to", "2026-11-30"]),
                               ("--due", ["prospect", "next", "PR-x", "--step", "面谈", "--due", "明天"]),
                               ("--day", ["prospect", "outreach", "log", "--place", "集市", "--day", "2026-02-30", "--staff", "S1", "--met", "3"]),
                               ("--as-of", ["import", fixtures, "--as-of", "20261120"])] {
            let r = try cli.run(args + ["--store", store])
            #expect(r.status == 64 && r.stderr.contains("is invalid for '\(option) <YYYY-MM-DD>'"), "\(args): \(r.stderr)")
        }
        #expect(try AppDatabase.open(path: store).campaigns().isEmpty, "nothing was created")
    }

    @Test("a bad extract exits 1 with FILE:LINE: column: reason and changes nothing; --skip-invalid exits 2")
    func importErrors() throws {
        let target = dir.appendingPathComponent("imp.sqlite").path
        let good = try cli.run(["import", CLIRunner.repo.appendingPathComponent("fixtures/branch").path, "--store", target])
        #expect(good.status == 0, "\(good.stderr)")
        let bad = try cli.run(["import", CLIRunner.repo.appendingPathComponent("fixtures/bad/unknown-customer").path,
                               "--store", target])
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("accounts.csv:3: customer_id: unknown customer C0099"))
        #expect(bad.stdout.contains("Nothing was imported"))
        let skip = try cli.run(["import", CLIRunner.repo.appendingPathComponent("fixtures/bad/unknown-customer").path,
                                "--store", target, "--skip-invalid"])
        #expect(skip.status == 2)
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("rejects.csv").path))
        let enc = try cli.run(["import", "x", "--encoding", "latin1", "--store", target])
        #expect(enc.status != 0)
        #expect(enc.stderr.contains("--encoding must be"))
    }

    @Test("killed with SIGTERM, the workstation gives the terminal back (leaves the alternate screen)",
          .enabled(if: TmuxSession.tmux != nil))
    func terminalRestoredOnTerm() throws {
        let t = TmuxSession()
        defer { t.kill() }
        // exec: the pane's process is furrow itself, not a shell around it.
        try t.start("exec \(CLIRunner.binary.path) --store \(store)")
        try t.tmux(["set-option", "-g", "remain-on-exit", "on"])
        try t.waitFor("Today")
        #expect(try t.tmux(["display", "-p", "#{alternate_on}"], capture: true).output.hasPrefix("1"))
        let pid = try t.tmux(["list-panes", "-F", "#{pane_pid}"], capture: true).output
            .trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(kill(pid_t(pid) ?? 0, SIGTERM) == 0)
        let deadline = Deadline(seconds: 5)
        var state = ""
        while !deadline.hasPassed {
            state = try t.tmux(["display", "-p", "dead=#{pane_dead} signal=#{pane_dead_signal} alt=#{alternate_on}"],
                               capture: true).output.trimmingCharacters(in: .whitespacesAndNewlines)
            if state.hasPrefix("dead=1") { break }
            Thread.sleep(forTimeInterval: 0.05)
        }
        // A process that dies on the signal stays on the alternate screen (alt=1), as SIGKILL
        // shows; furrow (and ncurses under it) handles SIGTERM and gives the terminal back.
        #expect(state == "dead=1 signal= alt=0")
    }

    @Test("remind raises reminders once; tasks lists them with their urgency; rules check names the line")
    func remindAndTasks() throws {
        let db = try AppDatabase.open(path: store)
        let rm = try #require(try db.largestPortfolio()).staffID
        let first = try cli.run(["remind", "--rm", rm, "--as-of", "2026-11-20", "--store", store])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("Reminders as of 2026-11-20 for RM \(rm)"))
        let again = try cli.run(["remind", "--rm", rm, "--as-of", "2026-11-20", "--store", store, "--json"])
        struct Report: Decodable { var created: Int; var withdrawn: Int; var open: [String: Int] }
        let report = try JSONDecoder().decode(Report.self, from: Data(again.stdout.utf8))
        #expect(report.created == 0 && report.withdrawn == 0 && !report.open.isEmpty)
        struct Line: Decodable { var rule: String?; var urgency: Int; var urgencyParts: [String]; var reason: String; var group: String }
        let tasks = try cli.run(["tasks", "--rm", rm, "--to", "2027-12-31", "--store", store, "--json"])
        let lines = try JSONDecoder().decode([Line].self, from: Data(tasks.stdout.utf8))
        #expect(lines.count >= report.open.values.reduce(0, +))
        #expect(lines.map(\.group) == lines.map(\.group).sorted { ["overdue", "today", "upcoming"].firstIndex(of: $0)! < ["overdue", "today", "upcoming"].firstIndex(of: $1)! })
        for g in ["overdue", "today", "upcoming"] {
            let u = lines.filter { $0.group == g }.map(\.urgency)
            #expect(u == u.sorted(by: >), "within \(g), most urgent first")
        }
        #expect(lines.allSatisfy { !$0.urgencyParts.isEmpty && !$0.reason.isEmpty })
        let rules = dir.appendingPathComponent("bank-rules.toml")
        try "[cadence]\nwealth = 45\n[money]\nlarge_inflow = \"many\"\n".write(to: rules, atomically: true, encoding: .utf8)
        let check = try cli.run(["rules", "check", rules.path])
        #expect(check.status == 1)
        #expect(check.stderr.contains("bank-rules.toml:4: money.large_inflow: expected an amount in yuan"))
        let refused = try cli.run(["remind", "--rules", rules.path, "--store", store])
        #expect(refused.status == 1)
        let show = try cli.run(["rules", "show"])
        try show.stdout.write(to: rules, atomically: true, encoding: .utf8)
        #expect(try cli.run(["rules", "check", rules.path]).stdout.contains("good"))
    }

    @Test("campaign create, build and show from the command line; a wrong target or product is named and nothing is made")
    func campaigns() throws {
        let rmCLI = cli
        let nightly = try rmCLI.run(["nightly", "--as-of", "2026-11-20", "--store", store, "--json"])
        let n = try #require(try JSONSerialization.jsonObject(with: Data(nightly.stdout.utf8)) as? [String: Any], "\(nightly.stderr)")
        #expect(n["customers"] as? Int ?? 0 > 0 && n["attribution"] is [String: Any] && n["prospects"] is [String: Any],
                "the nightly's JSON says what it did for campaigns and prospects too: \(n.keys.sorted())")
        // Campaigns are run by a lead: an RM (this runner's user is not even staff) is refused by the store.
        var r = try rmCLI.run(["campaign", "create", "--store", store, "--name", "中秋关怀", "--kind", "care", "--from", "2026-11-20", "--to", "2026-12-20"])
        #expect(r.status != 0 && r.stderr.contains("is not a team lead"), "\(r.stderr)")
        let lead = try #require(try AppDatabase.open(path: store).staff().first { $0.role == .lead }?.staffID)
        let cli = CLIRunner(environment: ["FURROW_USER": lead])
        r = try cli.run(["campaign", "create", "--store", store, "--name", "中秋关怀", "--kind", "care", "--from", "2026-09-01",
                             "--to", "2026-09-20", "--where", "tier=wealth,affluent aum>=lots"])
        #expect(r.status != 0 && r.stderr.contains("target: \"aum>=lots\": lots is not an amount"), "\(r.stderr)")
        r = try cli.run(["campaign", "create", "--store", store, "--name", "基金", "--kind", "product_push", "--from", "2026-11-20",
                         "--to", "2026-12-20", "--products", "NOPE"])
        #expect(r.status != 0 && r.stderr.contains("no product NOPE"), "\(r.stderr)")
        r = try cli.run(["campaign", "create", "--store", store, "--name", "x", "--kind", "party", "--from", "2026-11-20", "--to", "2026-12-20"])
        #expect(r.status != 0 && r.stderr.contains("'party' is invalid for '--kind") && r.stderr.contains("'product_push', 'care', 'event' or 'outreach'"),
                "the option and every kind are named: \(r.stderr)")
        #expect(try cli.run(["campaign", "list", "--store", store]).stdout.contains("no campaigns yet"))

        r = try cli.run(["campaign", "create", "--store", store, "--name", "中秋关怀", "--kind", "care", "--from", "2026-09-01",
                         "--to", "2026-09-20", "--where", "tier=wealth,affluent,private", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        struct Made: Decodable { var campaignID: String; var target: String }
        let made = try JSONDecoder().decode(Made.self, from: Data(r.stdout.utf8))
        #expect(made.target == "tier=wealth,affluent,private")
        r = try cli.run(["campaign", "build", made.campaignID, "--as-of", "2026-11-20", "--store", store, "--json"])
        struct Summary: Decodable { var targeted: Int; var excluded: Int; var byRM: [String: Int] }
        let summary = try JSONDecoder().decode(Summary.self, from: Data(r.stdout.utf8))
        let db = try AppDatabase.open(path: store)
        let wealthy = try db.portfolio(scope: .branch, limit: 1000).rows.filter { row in
            ((try? db.classification(customerID: row.customerID)?.1.tier) ?? row.tier) >= .wealth
        }
        #expect(summary.targeted + summary.excluded == wealthy.count && summary.targeted > 0, "\(summary)")
        #expect(summary.byRM.values.reduce(0, +) == summary.targeted)
        r = try cli.run(["campaign", "show", made.campaignID, "--store", store])
        #expect(r.stdout.contains("中秋关怀") && r.stdout.split(separator: "\n").count >= 2 + summary.targeted)
        r = try cli.run(["campaign", "show", "CP-nope", "--store", store])
        #expect(r.status != 0 && r.stderr.contains("no campaign CP-nope"))
    }

    @Test("a missing store or a file that is not a store gives a message, not a crash")
    func badStores() throws {
        let none = try cli.run(["search", "王", "--store", dir.appendingPathComponent("nope.sqlite").path])
        #expect(none.status == 1)
        #expect(none.stderr.contains("no store at"))
        let junk = dir.appendingPathComponent("junk.sqlite")
        try Data("this is not a database, it is a shopping list".utf8).write(to: junk)
        // Written with the default mode (0644): refused first for being readable by others.
        let shared = try cli.run(["search", "王", "--store", junk.path])
        #expect(shared.status == 1 && shared.stderr.contains("chmod 600") && shared.stderr.contains("--allow-shared-store"), "\(shared.stderr)")
        let r = try cli.run(["search", "王", "--store", junk.path, "--allow-shared-store"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("not a Furrow store"))
    }
}
