import Foundation
import FurrowCore
@testable import FurrowStore
import FurrowTestSupport
import Testing

/// The real binary in a real terminal (tmux): an RM's morning on the demo branch, a restart,
/// and a process killed in the middle of a form.
@Suite("The workstation in tmux", .ownThreads, .serialized, .enabled(if: TmuxSession.tmux != nil))
struct WorkstationTmuxTests {
    let cli = CLIRunner(environment: ["FURROW_USER": "S_TEST"])
    let dir: URL
    let store: String
    let environment: [String: String]

    init() throws {
        dir = try CLIRunner.tempDir()
        store = dir.appendingPathComponent("demo.sqlite").path
        let r = try cli.run(["demo", "--customers", "400", "--seed", "7", "--as-of", CalendarDate.today().iso, "--store", store])
        #expect(r.status == 0, "\(r.stderr)")
        // A config directory of its own: no PIN, no theme from the machine's user.
        environment = ["XDG_CONFIG_HOME": dir.appendingPathComponent("config").path]
    }

    /// Tall enough for the whole queue of the demo's busiest RM (≈ 65 lines), so what a test
    /// looks for on Today is on screen.
    func launch(_ t: TmuxSession, as rm: String, height: Int = 100) throws {
        try t.start("\(CLIRunner.binary.path) --store \(store)", height: height, environment: environment.merging(["FURROW_USER": rm]) { $1 })
    }

    @Test("find by initials, log a visit with a next step, see it on the timeline and Today, close a task, resize, restart")
    func morning() throws {
        let db = try AppDatabase.open(path: store)
        let rm = try #require(try db.largestPortfolio()).staffID
        let top = try #require(try db.portfolio(scope: .rm(rm), limit: 1).rows.first)
        let initials = try #require(Pinyin.keys(forName: top.name, firstCharacterIsSurname: top.kind != .microEnterprise).initials.first)
        let t = TmuxSession()
        defer { t.kill() }
        try launch(t, as: rm)
        var screen = try t.waitFor("逾期 Overdue")
        #expect(screen.contains("今天 Today"))
        let openBefore = try db.todayQueue(scope: .rm(rm), horizonDays: 3650).count

        try t.send("2")
        try t.send("/")
        for c in initials { try t.send(String(c)) }
        screen = try t.waitFor("/ \(initials)")
        #expect(screen.contains(top.name))
        try t.send("Enter")
        screen = try t.waitFor("\(top.name)  \(top.customerID)")
        if let m = try db.revealIdentity(customerID: top.customerID).mobile { #expect(!screen.contains(m), "the phone is masked") }

        try t.send("v")
        try t.waitFor("记录联系 Log a contact")
        try t.send("到期续存")
        for _ in 0..<5 { try t.send("Tab") }
        try t.send("网点办理续存")
        try t.send("Tab")
        try t.send("+3")
        try t.send("C-s")
        try t.waitFor("已保存 saved")
        for _ in 0..<3 { try t.send("Right") }
        screen = try t.waitFor("到期续存")
        #expect(screen.contains("走访"))

        try t.send("1")
        screen = try t.waitFor("网点办理续存")
        // Close the most urgent task with the first outcome.
        try t.send("d")
        try t.waitFor("完成任务 Done")
        try t.send("C-s")
        try t.waitFor("任务完成 done")
        #expect(try db.todayQueue(scope: .rm(rm), horizonDays: 3650).count == openBefore, "one task added, one closed")

        try t.tmux(["resize-window", "-x", "70", "-y", "20"])
        try t.waitFor("terminal too small")
        try t.tmux(["resize-window", "-x", "120", "-y", "100"])
        try t.waitFor("网点办理续存")
        try t.send("q")
        #expect(t.waitForExit(), "furrow did not quit on q; the screen:\n\((try? t.screen()) ?? "")")

        // Everything is still there after a restart.
        let again = TmuxSession()
        defer { again.kill() }
        try launch(again, as: rm)
        screen = try again.waitFor("网点办理续存")
        #expect(try db.profile(customerID: top.customerID)?.interactions.first?.purpose == "到期续存")
    }

    @Test("killed in the middle of a form, the workstation offers the draft back on the next start")
    func draftAfterKill() throws {
        let db = try AppDatabase.open(path: store)
        let rm = try #require(try db.largestPortfolio()).staffID
        let t = TmuxSession()
        defer { t.kill() }
        try launch(t, as: rm)
        try t.waitFor("逾期 Overdue")
        try t.send("v")
        try t.waitFor("记录联系 Log a contact")
        try t.send("说到孙子明年上学")
        try t.waitFor("说到孙子明年上学")
        // As hard as it gets: SIGKILL, no chance to save anything on the way out.
        let pid = try t.tmux(["list-panes", "-F", "#{pane_pid}"], capture: true).output
            .trimmingCharacters(in: .whitespacesAndNewlines)
        _ = Foundation.kill(pid_t(pid) ?? 0, SIGKILL)
        t.kill()

        let again = TmuxSession()
        defer { again.kill() }
        try launch(again, as: rm)
        var screen = try again.waitFor("未保存的草稿 Unsaved drafts")
        #expect(screen.contains("走访记录 visit log"))
        try again.send("Enter")
        screen = try again.waitFor("说到孙子明年上学")
        try again.send("C-s")
        try again.waitFor("已保存 saved")
        #expect(try db.drafts(staffID: rm).isEmpty)
    }

    @Test("a seeded storm of random keys and resizes to the real binary: it keeps running, answers, and gives the terminal back as it found it")
    func keyStorm() throws {
        var run = FaultRun("key storm")
        let db = try AppDatabase.open(path: store)
        let rm = try #require(try db.largestPortfolio()).staffID
        let t = TmuxSession()
        defer { t.kill() }
        // A shell in the pane, so what the workstation leaves behind is seen when it has gone.
        try t.start("bash --norc --noprofile", height: 100, environment: environment.merging(["FURROW_USER": rm, "PS1": "$ "]) { $1 })
        try t.send("\(CLIRunner.binary.path) --store \(store); echo \"EXIT:$?\"", "Enter")
        try t.waitFor("逾期 Overdue")
        // Everything but the keys that end or freeze the session on purpose (q, Ctrl-C, Ctrl-Z, Ctrl-L).
        let keys = ["j", "k", "Up", "Down", "Left", "Right", "PageUp", "PageDown", "Home", "End", "Enter", "Escape",
                    "BSpace", "Tab", "BTab", "/", ":", "?", "1", "2", "3", "4", "5", "c", "v", "d", "s", "n", "u",
                    "a", "t", "!", "e", "f", "o", "x", "w", "V", "g", "G", "y", "王", "z", "+", "C-s", "C-u", "C-w", " "]
        let rounds = 40 * run.scale
        for round in 0..<rounds {
            let batch = (0..<50).map { _ in keys[Int.random(in: 0..<keys.count, using: &run.rng)] }
            try t.tmux(["send-keys"] + batch)
            if round % 5 == 0 {
                // Tiny and large: a 20×6 terminal must not crash a layout either.
                let (w, h) = Int.random(in: 0..<4, using: &run.rng) == 0
                    ? (Int.random(in: 10...30, using: &run.rng), Int.random(in: 3...8, using: &run.rng))
                    : (Int.random(in: 60...200, using: &run.rng), Int.random(in: 15...60, using: &run.rng))
                try t.tmux(["resize-window", "-x", "\(w)", "-y", "\(h)"])
            }
        }
        try t.tmux(["resize-window", "-x", "120", "-y", "100"])
        // 2,000 keys queue up in the terminal; on a loaded machine working through them takes a
        // while: wait until the screen has stood still for two seconds.
        var last = try t.screen(), still = ContinuousClock.now
        let deadline = Deadline(seconds: 150)
        while ContinuousClock.now - still < .seconds(2), !deadline.hasPassed {
            Thread.sleep(forTimeInterval: 0.25)
            let now = try t.screen()
            if now != last { last = now; still = ContinuousClock.now }
        }
        #expect(!last.contains("EXIT:"), "furrow ended during the storm — \(run.replay):\n\(last)")
        // Whatever it was doing, Escape (and "y" to any "leave without saving?") brings it back to
        // a main screen; a "y" that lands on a list does nothing.
        for _ in 0..<8 { try t.send("Escape"); try t.send("y") }
        try t.send("1")
        try t.waitFor("逾期 Overdue", seconds: 45)

        // Quit; the shell's terminal is as it was: the normal screen, a cursor, line editing and echo.
        try t.send("C-c")
        try t.waitFor("EXIT:0", seconds: 20)
        #expect(try t.tmux(["display-message", "-p", "#{alternate_on} #{cursor_flag}"], capture: true).output
                    .trimmingCharacters(in: .whitespacesAndNewlines) == "0 1", "the normal screen and a visible cursor")
        try t.send("for f in icanon echo icrnl opost isig; do stty -a | tr ' ;' '\\n\\n' | grep -qx -- $f && printf '%s+ ' $f || printf '%s- ' $f; done; echo", "Enter")
        let modes = try t.waitFor("isig+")
        #expect(modes.contains("icanon+ echo+ icrnl+ opost+ isig+"), "the terminal's modes restored — \(run.replay):\n\(modes)")
        run.report(["keys": rounds * 50, "resizes": (rounds + 4) / 5, "crashes": 0])
    }

    @Test("a multi-line paste (bracketed) lands in the field as text and saves nothing by itself")
    func bracketedPaste() throws {
        let db = try AppDatabase.open(path: store)
        let rm = try #require(try db.largestPortfolio()).staffID
        let customer = try #require(try db.portfolio(scope: .rm(rm), limit: 1).rows.first)
        let t = TmuxSession()
        defer { t.kill() }
        try launch(t, as: rm)
        try t.waitFor("逾期 Overdue")
        try t.send(":")
        try t.send("note \(customer.customerID)", "Enter")
        try t.waitFor("选择客户 Choose a customer")
        try t.send("Enter")
        try t.waitFor("备注 Note")
        try t.tmux(["set-buffer", "客户说:\n1. 想买房\n2. 孩子上学"])
        try t.tmux(["paste-buffer", "-p"])
        try t.waitFor("孩子上学")
        #expect(try db.profile(customerID: customer.customerID)?.notes.isEmpty == true, "the paste did not save the form")
        try t.send("C-s")
        try t.waitFor("备注已存 note saved")
        #expect(try db.profile(customerID: customer.customerID)?.notes.first?.text == "客户说: 1. 想买房 2. 孩子上学")
    }

    @Test("a non-UTF-8 locale falls back to C.UTF-8 and Chinese still shows")
    func posixLocale() throws {
        let db = try AppDatabase.open(path: store)
        let rm = try #require(try db.largestPortfolio()).staffID
        let t = TmuxSession()
        defer { t.kill() }
        try t.start("\(CLIRunner.binary.path) --store \(store)",
                    environment: environment.merging(["FURROW_USER": rm, "LANG": "C", "LC_ALL": "C"]) { $1 })
        let screen = try t.waitFor("逾期 Overdue")
        #expect(screen.contains("今天 Today"))
    }

    @Test("Ctrl-Z suspends to the shell and fg brings the screen back; Ctrl-C leaves a usable shell")
    func suspendAndResume() throws {
        let db = try AppDatabase.open(path: store)
        let rm = try #require(try db.largestPortfolio()).staffID
        let t = TmuxSession()
        defer { t.kill() }
        try t.start("bash --norc --noprofile -i", environment: environment.merging(["FURROW_USER": rm, "PS1": "READY$ "]) { $1 })
        try t.waitFor("READY$")
        try t.send("\(CLIRunner.binary.path) --store \(store)", "Enter")
        try t.waitFor("逾期 Overdue")
        try t.send("C-z")
        var screen = try t.waitFor("Stopped")
        #expect(screen.contains("READY$"))
        #expect(try t.tmux(["display", "-p", "#{alternate_on}"], capture: true).output.hasPrefix("0"),
                "the shell gets the normal screen back")
        try t.send("fg", "Enter")
        screen = try t.waitFor("逾期 Overdue")
        try t.send("2")
        try t.waitFor("排序")
        try t.send("C-c")
        try t.send("echo BACK-IN-$((40 + 2))", "Enter")
        try t.waitFor("BACK-IN-42")
    }

    @Test("colours: 256 and 8 colours are used as the terminal allows; NO_COLOR sends none")
    func colours() throws {
        func sgr(_ env: [String: String]) throws -> Set<String> {
            let t = TmuxSession()
            defer { t.kill() }
            try t.start("\(CLIRunner.binary.path) --store \(store)", environment: environment.merging(env) { $1 })
            try t.waitFor("逾期 Overdue")
            let raw = try t.tmux(["capture-pane", "-p", "-e"], capture: true).output
            // The SGR parameters the screen was drawn with, e.g. "38;5;196", "31", "7".
            var found: Set<String> = []
            var rest = Substring(raw)
            while let start = rest.range(of: "\u{1B}[") {
                rest = rest[start.upperBound...]
                guard let end = rest.firstIndex(of: "m") else { break }
                found.insert(String(rest[..<end]))
                rest = rest[rest.index(after: end)...]
            }
            return found
        }
        func usesColour(_ codes: Set<String>) -> Bool {
            codes.contains { code in code.split(separator: ";").contains { p in
                guard let n = Int(p) else { return false }
                return (30...37).contains(n) || (40...47).contains(n) || (90...97).contains(n) || n == 38 || n == 48
            } }
        }
        let full = try sgr(["TERM": "tmux-256color"])
        #expect(usesColour(full), "\(full)")
        let eight = try sgr(["TERM": "screen"])
        #expect(usesColour(eight))
        #expect(!eight.contains { $0.contains("38;5;") || $0.contains("48;5;") }, "8 colours only: \(eight)")
        let none = try sgr(["TERM": "tmux-256color", "NO_COLOR": "1"])
        #expect(!usesColour(none), "NO_COLOR: \(none)")
        #expect(none.contains { $0.split(separator: ";").contains("7") || $0.split(separator: ";").contains("1") },
                "attributes still mark the status line and the selection: \(none)")
    }
}

/// The workstation's command-line side: bad themes and settings refused before the screen is
/// taken over, and the PIN file.
@Suite("Workstation settings from the command line", .ownThreads, .serialized)
struct WorkstationSettingsTests {
    let dir: URL
    let cli: CLIRunner
    init() throws {
        dir = try CLIRunner.tempDir()
        cli = CLIRunner(environment: ["FURROW_USER": "S_TEST", "XDG_CONFIG_HOME": dir.appendingPathComponent("config").path])
    }

    @Test("a theme with an unknown role is refused with the file, line and reason, before the terminal is touched")
    func badTheme() throws {
        let store = dir.appendingPathComponent("s.sqlite").path
        #expect(try cli.run(["import", CLIRunner.repo.appendingPathComponent("fixtures/branch").path, "--store", store]).status == 0)
        let theme = dir.appendingPathComponent("mine.toml")
        try "name = \"mine\"\n[roles]\n\"normal\" = { }\n\"tier.gold\" = { fg = \"red\" }\n".write(to: theme, atomically: true, encoding: .utf8)
        let r = try cli.run(["--store", store, "--theme", theme.path])
        #expect(r.status == 1)
        #expect(r.stderr.contains("mine.toml:4:"), "\(r.stderr)")
        #expect(r.stderr.contains("tier.gold"))
        let config = dir.appendingPathComponent("config/furrow")
        try FileManager.default.createDirectory(at: config, withIntermediateDirectories: true)
        try "idle_lock_minutes = \"ten\"\n".write(to: config.appendingPathComponent("config.toml"), atomically: true, encoding: .utf8)
        let c = try cli.run(["--store", store])
        #expect(c.status == 1)
        #expect(c.stderr.contains("config.toml:1: idle_lock_minutes"), "\(c.stderr)")
    }

    @Test("furrow pin set seals the store under the PIN and removes its key file; a reveal asks for the PIN: wrong ones are refused, the right one shows the numbers")
    func pinSealsTheStore() throws {
        let store = dir.appendingPathComponent("p.sqlite").path
        let demo = try cli.run(["demo", "--customers", "60", "--seed", "3", "--store", store])
        #expect(demo.status == 0, "\(demo.stderr)")
        #expect(FileManager.default.fileExists(atPath: store + ".key"))
        let set = try cli.run(["pin", "set", "--store", store], input: "2468\n2468\n")
        #expect(set.status == 0, "\(set.stderr)")
        #expect(!FileManager.default.fileExists(atPath: store + ".key"), "the key file would open the store without the PIN")
        struct Line: Decodable { var customerID: String; var mobile: String? }
        let list = try cli.run(["portfolio", "--store", store, "--json", "--limit", "5"])
        struct Page: Decodable { var customers: [Line] }
        let masked = try #require(try JSONDecoder().decode(Page.self, from: Data(list.stdout.utf8)).customers.first { $0.mobile != nil })
        #expect(masked.mobile?.contains("****") == true, "locked, the lists show the masked forms")
        let query = String(try #require(masked.mobile).suffix(4))
        let wrong = try cli.run(["search", query, "--store", store, "--json", "--reveal"], input: "1111\n1111\n1111\n")
        #expect(wrong.status == 1)
        #expect(wrong.stderr.contains("stays locked"), "\(wrong.stderr)")
        let right = try cli.run(["search", query, "--store", store, "--json", "--reveal"], input: "2468\n")
        #expect(right.status == 0, "\(right.stderr)")
        let shown = try JSONDecoder().decode([Line].self, from: Data(right.stdout.utf8)).first { $0.customerID == masked.customerID }
        let mobile = try #require(shown?.mobile)
        #expect(mobile.count == 11 && !mobile.contains("*"))
        var bytes = Data()
        for suffix in ["", "-wal"] { bytes.append(FileManager.default.contents(atPath: store + suffix) ?? Data()) }
        #expect(bytes.range(of: Data(mobile.utf8)) == nil, "nowhere in the store's files in clear")
    }

    @Test("a PIN set before the store existed: the first reveal asks for it and moves the store under it (the key file goes); no PIN given, nothing opens")
    func pinAdoptedByANewStore() throws {
        let set = try cli.run(["pin", "set", "--store", dir.appendingPathComponent("none.sqlite").path], input: "2468\n2468\n")
        #expect(set.status == 0, "\(set.stderr)")
        let store = dir.appendingPathComponent("later.sqlite").path
        let demo = try cli.run(["demo", "--customers", "60", "--seed", "3", "--store", store])
        #expect(demo.status == 0, "\(demo.stderr)")
        #expect(FileManager.default.fileExists(atPath: store + ".key"))
        let first = try cli.run(["show", "C00000001", "--store", store, "--json", "--reveal"], input: "2468\n")
        #expect(first.status == 0, "\(first.stderr)")
        #expect(!FileManager.default.fileExists(atPath: store + ".key"), "moved under the PIN")
        let none = try cli.run(["show", "C00000001", "--store", store, "--json", "--reveal"], input: "")
        #expect(none.status == 1)
        #expect(none.stderr.contains("stays locked"), "\(none.stderr)")
    }

    @Test("furrow pin set keeps a hash only the user can read; two different PINs change nothing")
    func pinSet() throws {
        let differ = try cli.run(["pin", "set", "--store", dir.appendingPathComponent("none.sqlite").path], input: "2468\n1357\n")
        #expect(differ.status == 1)
        #expect(differ.stderr.contains("differ"))
        let short = try cli.run(["pin", "set", "--store", dir.appendingPathComponent("none.sqlite").path], input: "12\n12\n")
        #expect(short.status == 1)
        #expect(short.stderr.contains("4 to 12 digits"))
        let ok = try cli.run(["pin", "set", "--store", dir.appendingPathComponent("none.sqlite").path], input: "2468\n2468\n")
        #expect(ok.status == 0, "\(ok.stderr)")
        let file = dir.appendingPathComponent("config/furrow/pin").path
        let text = try String(contentsOfFile: file, encoding: .utf8)
        #expect(text.hasPrefix("pbkdf2-sha256$") && !text.contains("2468"))
        let mode = try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }
}
