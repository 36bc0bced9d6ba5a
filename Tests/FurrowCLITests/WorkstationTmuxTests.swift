import Foundation
import FurrowCore
import FurrowStore
import Testing

/// The real binary in a real terminal (tmux): an RM's morning on the demo branch, a restart,
/// and a process killed in the middle of a form.
@Suite("The workstation in tmux", .serialized, .enabled(if: TmuxSession.tmux != nil))
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

    func launch(_ t: TmuxSession, as rm: String) throws {
        try t.start("\(CLIRunner.binary.path) --store \(store)", environment: environment.merging(["FURROW_USER": rm]) { $1 })
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
        if let m = top.mobile { #expect(!screen.contains(m), "the phone is masked") }

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
        try t.tmux(["resize-window", "-x", "120", "-y", "40"])
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
}
