import FurrowCore
@testable import FurrowStore
import TerminalUI
import Foundation
import Synchronization
import Testing
@testable import Workstation

/// The workstation without a terminal: keys in, frames (as text) out, the store checked after.
@Suite("The workstation")
struct WorkstationAppTests {
    typealias F = WorkstationFixture

    @Test("Today: overdue, today, next 7 days, most urgent first, with why and the urgency's parts")
    func today() throws {
        let a = try F.app()
        let text = a.screenText()
        let lines = text.split(separator: "\n").map(String.init)
        let order = ["逾期 Overdue (1)", "欧阳修", "今天 Today (1)", "张三丰", "未来7天 Next 7 days (1)", "单雄信"]
        var at = 0
        for word in order {
            guard let i = lines[at...].firstIndex(where: { $0.contains(word) }) else {
                Issue.record("\(word) missing or out of order:\n\(text)"); return
            }
            at = i
        }
        #expect(!text.contains("别人的任务"), "another RM's task is not in my queue")
        #expect(text.contains("原因 Why: 上次走访约定"))
        #expect(text.contains("逾期 overdue 2 天 +50"))
        _ = a.handle(.down)
        #expect(a.screenText().contains("高优先级 high priority +20"))
    }

    @Test("Enter opens the customer masked; q goes back; q on a main screen quits")
    func openAndBack() throws {
        let a = try F.app()
        _ = a.handle(.down)
        _ = a.handle(.enter)
        let text = a.screenText()
        #expect(text.contains("张三丰  C1"))
        #expect(text.contains("手机 138****5678"))
        #expect(!text.contains("13812345678"))
        #expect(a.handle(.character("q")) == .redraw)
        #expect(a.screenNames == ["TodayScreen"])
        #expect(a.handle(.character("q")) == .quit)
    }

    @Test("v on a task logs a visit with a next step: saved in one go, the task closed, the new task on Today, the log on the timeline")
    func logVisitFromToday() throws {
        let db = try F.store()
        let a = try F.app(db)
        _ = a.handle(.down)                       // 张三丰's task, due today
        _ = a.handle(.character("v"))
        #expect(a.screenNames.last == "FormScreen")
        a.type("到期续存")                         // purpose (focused first)
        _ = a.handle(.tab)
        a.type("谈了三年期利率")
        _ = a.handle(.tab)
        a.type("同意续存")
        for _ in 0..<3 { _ = a.handle(.tab) }     // mood, life events → next step
        a.type("网点办理续存")
        _ = a.handle(.tab)
        a.type("+3")
        #expect(try db.drafts(staffID: "S1").count == 1, "the form is kept as a draft while typing")
        _ = a.handle(.control("s"))
        #expect(a.screenNames == ["TodayScreen"])
        let text = a.screenText()
        #expect(text.contains("已保存 saved"))
        #expect(text.contains("网点办理续存"), "the next step is a task on Today:\n\(text)")
        #expect(!text.contains("定期到期转存"), "the task the visit answered is done")
        #expect(try db.drafts(staffID: "S1").isEmpty)
        // The timeline shows it, newest first.
        a.openCustomer("C1")
        for _ in 0..<3 { _ = a.handle(.right) }
        let timeline = a.screenText()
        #expect(timeline.contains("2026-11-20 10:00  走访 S1     到期续存 → 同意续存"), "\(timeline)")
        #expect(timeline.contains("内容 谈了三年期利率"))
    }

    @Test("inline validation: a wrong field is marked where it is, and nothing is saved until it is right")
    func validation() throws {
        let db = try F.store()
        let a = try F.app(db)
        a.openCustomer("C2")
        _ = a.handle(.character("c"))
        _ = a.handle(.control("s"))               // empty form
        var text = a.screenText()
        #expect(text.contains("Purpose: say at least what it was for"))
        #expect(a.screenNames.last == "FormScreen")
        a.type("问候")
        _ = a.handle(.up); _ = a.handle(.up)     // duration
        a.type("abc")
        _ = a.handle(.control("s"))
        text = a.screenText()
        #expect(text.contains("Minutes: 数字 a number of minutes"))
        for _ in 0..<3 { _ = a.handle(.backspace) }
        a.type("15")
        _ = a.handle(.control("s"))
        #expect(a.screenNames.last == "CustomerScreen")
        #expect(try db.profile(customerID: "C2")!.interactions.first?.durationMinutes == 15)
    }

    @Test("d closes a task with an outcome; s moves it; n adds one (not in the past)")
    func taskKeys() throws {
        let db = try F.store()
        let a = try F.app(db)
        _ = a.handle(.character("d"))             // 欧阳修, overdue
        _ = a.handle(.right)                      // outcome: not reached
        _ = a.handle(.control("s"))
        #expect(!a.screenText().contains("逾期 Overdue (1)"))
        #expect(try db.profile(customerID: "C3")!.tasks.first?.outcome == "未接通 not reached")
        _ = a.handle(.character("s"))             // 张三丰 → +7
        _ = a.handle(.control("u"))
        a.type("+7")
        _ = a.handle(.enter)
        #expect(try db.todayQueue(scope: .rm("S1"), today: F.today).first { $0.customerName == "张三丰" }?.task.dueOn
                == F.today.adding(days: 7))
        _ = a.handle(.character("n"))
        _ = a.handle(.control("s"))
        #expect(a.screenText().contains("✗ 必填 required"))
        a.type("送台历")
        _ = a.handle(.tab)
        _ = a.handle(.control("u"))
        a.type("2026-11-01")
        _ = a.handle(.control("s"))
        #expect(a.screenText().contains("Due: 不能早于今天 not before today"))
        _ = a.handle(.control("u"))
        a.type("明天")
        _ = a.handle(.control("s"))
        #expect(a.screenText().contains("送台历"))
    }

    @Test("a draft left by a crash is offered at the next start and comes back as typed")
    func draftSurvivesRestart() throws {
        let db = try F.store()
        do {
            let a = try F.app(db)
            a.openCustomer("C4")
            _ = a.handle(.character("v"))
            a.type("看望老人，说到孙子上学")
            // …and the process dies here: nothing else runs.
        }
        let b = try F.app(db)
        var text = b.screenText()
        #expect(text.contains("未保存的草稿 Unsaved drafts"))
        #expect(text.contains("走访记录 visit log 单雄信"))
        _ = b.handle(.enter)
        text = b.screenText()
        #expect(text.contains("看望老人，说到孙子上学"))
        _ = b.handle(.control("s"))
        #expect(try db.profile(customerID: "C4")!.interactions.first?.purpose == "看望老人，说到孙子上学")
        #expect(try db.drafts(staffID: "S1").isEmpty)
    }

    @Test("Esc on a typed form asks: keep the draft or discard it")
    func leaveForm() throws {
        let db = try F.store()
        let a = try F.app(db)
        a.openCustomer("C1")
        _ = a.handle(.character("a"))
        a.type("喜欢喝茶")
        _ = a.handle(.escape)
        #expect(a.screenText().contains("离开表单 Leave the form?"))
        _ = a.handle(.character("n"))
        #expect(a.screenNames.last == "CustomerScreen")
        #expect(try db.drafts(staffID: "S1").count == 1)
        _ = a.handle(.character("a"))
        a.type("x")
        _ = a.handle(.escape)
        _ = a.handle(.character("y"))
        #expect(try db.drafts(staffID: "S1").count == 1, "the second form's draft is gone; the first is kept")
        // An untouched form leaves without asking.
        _ = a.handle(.character("a"))
        _ = a.handle(.escape)
        #expect(a.screenNames.last == "CustomerScreen")
    }

    @Test("u unmasks only with a reason, writes the audit entry, and the mask returns on leaving")
    func unmask() throws {
        let db = try F.store()
        let a = try F.app(db)
        a.openCustomer("C1")
        _ = a.handle(.character("u"))
        _ = a.handle(.control("s"))
        var text = a.screenText()
        #expect(text.contains("13812345678"))
        #expect(text.contains("已显示 unmasked"))
        #expect(try db.auditTrail(customerID: "C1").first?.action == "reveal")
        _ = a.handle(.escape)
        a.openCustomer("C1")
        text = a.screenText()
        #expect(!text.contains("13812345678"))
        // "other" needs a detail.
        _ = a.handle(.character("u"))
        _ = a.handle(.left)
        _ = a.handle(.control("s"))
        #expect(a.screenText().contains("✗ 必填 required"))
    }

    @Test("the 360° tabs: holdings, transactions, household (Enter jumps to the relative), complaints")
    func tabs() throws {
        let a = try F.app()
        a.openCustomer("C2")
        _ = a.handle(.right)
        #expect(a.screenText().contains("一年定期"))
        _ = a.handle(.right)
        #expect(a.screenText().contains("临安电机厂"))
        _ = a.handle(.right); _ = a.handle(.right)
        #expect(a.screenText().contains("父母"), "C2 is the child of C1: from C2, C1 is the parent")
        _ = a.handle(.enter)
        #expect(a.screenText().contains("张三丰  C1"))
        _ = a.handle(.escape)
        for _ in 0..<2 { _ = a.handle(.right) }
        let text = a.screenText()
        #expect(text.contains("排队时间长") && text.contains("剩 3天23时"))
    }

    @Test("portfolio: / searches as you type by initials and either reading of a surname; Esc leaves")
    func search() throws {
        let a = try F.app()
        _ = a.handle(.character("2"))
        a.type("/zsf")
        #expect(a.screenText().contains("/ zsf"))
        #expect(a.screenText().contains("张三丰"))
        _ = a.handle(.escape)
        a.type("/sxx")
        #expect(a.screenText().contains("单雄信"))
        for _ in 0..<3 { _ = a.handle(.backspace) }
        a.type("dxx")
        #expect(a.screenText().contains("单雄信"))
        _ = a.handle(.escape)
        #expect(!a.screenText().contains("/ dxx"))
    }

    @Test("/ on Today finds a customer by initials, as an RM in a village would")
    func slashFromToday() throws {
        let a = try F.app()
        a.type("/wxh")
        #expect(a.tab == .portfolio)
        let text = a.screenText()
        #expect(text.contains("/ wxh") && text.contains("王小虎"))
        _ = a.handle(.enter)
        #expect(a.screenText().contains("王小虎  C2"))
    }

    @Test("portfolio: columns, masked phones, sort and filter, saved views by name")
    func portfolio() throws {
        let db = try F.store()
        let a = try F.app(db)
        _ = a.handle(.character("2"))
        var text = a.screenText(150, 30)
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines[3].contains("张三丰") && lines[3].contains("私行级"))
        #expect(text.contains("138****5678") && !text.contains("13812345678"))
        #expect(text.contains("测评过期"), "王小虎's risk assessment is from 2025")
        #expect(text.contains("投诉!"))
        _ = a.handle(.character("o"))
        #expect(a.screenText().split(separator: "\n")[3].contains("欧阳修"), "by pinyin: ouyang before shan, wang, zhang")
        _ = a.run("view save 大户")
        _ = a.handle(.character("f"))
        _ = a.handle(.right)                      // tier → mass
        _ = a.handle(.control("s"))
        text = a.screenText()
        #expect(text.contains("欧阳修") && !text.contains("张三丰"))
        _ = a.run("view 大户")
        text = a.screenText()
        #expect(text.contains("张三丰") && text.contains("[大户]"))
        #expect(try db.savedViews(staffID: "S1").map(\.spec) == ["sort=name"])
    }

    @Test("a lead switches between the team and the branch; an RM cannot")
    func scopes() throws {
        let lead = try F.app(user: "S9", scope: .team("东"))
        #expect(lead.screenText().contains("别人的任务"), "the team's queue holds S2's task")
        _ = lead.run("scope branch")
        #expect(lead.screenText().contains("全行 branch"))
        let rm = try F.app()
        _ = rm.run("scope branch")
        #expect(rm.screenText().contains("不可用 not available"))
    }

    @Test("complaints: the list with time left, and intake through the customer picker")
    func complaints() throws {
        let db = try F.store()
        let a = try F.app(db)
        _ = a.handle(.character("3"))
        #expect(a.screenText().contains("剩 3天23时"))
        _ = a.handle(.character("n"))
        a.type("ouyang")
        _ = a.handle(.enter)
        a.type("手续费")
        _ = a.handle(.tab)
        _ = a.handle(.left)                       // severity → high
        _ = a.handle(.tab)
        a.type("转账手续费没有提前告知")
        _ = a.handle(.enter)
        let text = a.screenText()
        #expect(text.contains("投诉已登记 complaint filed, deadline 2026-11-22 10:00"))
        #expect(text.contains("欧阳修") && text.contains("剩 2天0时"))
        #expect(try db.complaints(scope: .rm("S1")).count == 2)
    }

    @Test("complaints: h takes the next step of the loop, b records the callback; the history has every step")
    func complaintLoop() throws {
        let db = try F.store()
        let a = try F.app(db)
        _ = a.handle(.character("3"))
        _ = a.handle(.character("h"))                 // received → assigned (owner: me)
        _ = a.handle(.control("s"))
        #expect(a.screenText().contains("已分派"))
        _ = a.handle(.character("b"))
        #expect(a.screenText().contains("a callback follows a resolution"))
        _ = a.handle(.character("h"))                 // → in progress
        _ = a.handle(.control("s"))
        _ = a.handle(.character("h"))                 // → resolved needs a note
        _ = a.handle(.control("s"))
        #expect(a.screenText().contains("必填 required"))
        a.type("加开窗口")                             // the form went to the field that needs it
        _ = a.handle(.control("s"))
        _ = a.handle(.character("b"))
        _ = a.handle(.control("s"))                   // satisfied
        #expect(try db.complaintHistory("K1").map(\.to) == [.assigned, .inProgress, .resolved, .confirmed])
    }

    @Test("the command line: completion, :find, :log call for the customer on screen, unknown commands explained")
    func commandLine() throws {
        let db = try F.store()
        let a = try F.app(db)
        _ = a.handle(.character(":"))
        a.type("th")
        _ = a.handle(.tab)
        _ = a.handle(.tab)
        #expect(a.screenText().contains(":theme "))
        a.type("l")
        _ = a.handle(.tab)
        _ = a.handle(.enter)
        #expect(a.pendingTheme?.name == "light")
        #expect(a.themeName == "light")
        _ = a.run("find 欧阳")
        #expect(a.tab == .portfolio && a.screenText().contains("欧阳修"))
        a.openCustomer("C4")
        _ = a.run("log call")
        #expect(a.screenText().contains("单雄信"))
        #expect(a.screenText().contains("‹ 电话 call ›"))
        _ = a.handle(.escape)
        _ = a.run("frobnicate")
        #expect(a.screenText().contains("未知命令 unknown command"))
        _ = a.run("theme nosuch")
        #expect(a.screenText().contains("nosuch"))
        #expect(a.run("quit") == .quit)
    }

    @Test("1…6 and Tab switch screens; ? shows the keys of the screen on top")
    func switching() throws {
        let a = try F.app()
        for (key, tab) in [("2", WorkstationApp.Tab.portfolio), ("3", .complaints), ("4", .reports), ("5", .sync), ("6", .campaigns), ("1", .today)] {
            _ = a.handle(.character(Character(key)))
            #expect(a.tab == tab)
        }
        _ = a.handle(.tab)
        #expect(a.tab == .portfolio)
        _ = a.handle(.backTab)
        _ = a.handle(.backTab)
        #expect(a.tab == .campaigns)
        _ = a.handle(.character("1"))
        _ = a.handle(.character("?"))
        let text = a.screenText()
        #expect(text.contains("完成 done, with an outcome") && text.contains("全局 Everywhere"))
        _ = a.handle(.character("x"))
        #expect(!a.screenText().contains("全局 Everywhere"))
    }

    @Test("wrong PINs: three are free, then each makes the next try wait longer (5 s, 10 s …); the right PIN is not even checked while waiting")
    func pinBackOff() throws {
        let clock = F.Clock()
        let pin = try PINHash.make(pin: "2468", rounds: 1000)
        let a = try F.app(clock: clock, lock: LockState(pin: pin))
        _ = a.handle(.control("l"))
        for _ in 0..<3 { a.type("0000"); _ = a.handle(.enter) }
        #expect(a.screenText().contains("wrong PIN (3)") && !a.screenText().contains("wait"))
        a.type("0000"); _ = a.handle(.enter)
        #expect(a.screenText().contains("wait 5 s"), "\(a.screenText())")
        a.type("2468"); _ = a.handle(.enter)
        #expect(a.lock.isLocked, "the right PIN during the wait does not unlock")
        clock.advance(6)
        a.type("0000"); _ = a.handle(.enter)
        #expect(a.screenText().contains("wait 10 s"), "the fifth wrong PIN waits twice as long")
        clock.advance(-3600)   // the clock set back an hour: the wait does not grow, nor vanish
        a.type("2468"); _ = a.handle(.enter)
        #expect(a.lock.isLocked)
        clock.advance(11)
        a.type("2468"); _ = a.handle(.enter)
        #expect(!a.lock.isLocked)
    }

    @Test("wrong PINs are counted in the store: quitting and starting again still waits, and the store's own PIN prompt waits too")
    func pinBackOffSurvivesARestart() throws {
        let clock = F.Clock()
        let db = try F.store(clock: { clock.now })
        let pin = try PINHash.make(pin: "2468", rounds: 1000)
        func lock() -> LockState {
            LockState(pin: pin, failures: PINFailureLog(load: { db.pinFailures() }, save: { db.setPINFailures($0, last: $1) }))
        }
        let a = try F.app(db, clock: clock, lock: lock())
        for _ in 0..<4 { a.type("0000"); _ = a.handle(.enter) }
        #expect(a.screenText().contains("wait 5 s"))
        // Killed and started again: the count and the wait are still there.
        let b = try F.app(db, clock: clock, lock: lock())
        b.type("2468"); _ = b.handle(.enter)
        #expect(b.lock.isLocked, "the restart did not give fresh tries")
        #expect(db.pinWait() == 5)
        clock.advance(6)
        b.type("2468"); _ = b.handle(.enter)
        #expect(!b.lock.isLocked)
        #expect(db.pinFailures().count == 0, "the right PIN clears the count")
    }

    @Test("Ctrl-L blanks at once; keys do nothing until the PIN; the idle lock engages by itself")
    func lock() throws {
        let clock = F.Clock()
        let pin = try PINHash.make(pin: "2468", rounds: 1000)
        let a = try F.app(clock: clock, lock: LockState(pin: pin, idleAfter: 300))
        _ = a.handle(.control("l"))
        var text = a.screenText()
        #expect(text.contains("已锁定 locked") && !text.contains("欧阳修"))
        _ = a.handle(.character("2"))              // a tab key, typed while locked: only a PIN digit
        _ = a.handle(.enter)
        #expect(a.screenText().contains("wrong PIN"))
        a.type("2468")
        _ = a.handle(.enter)
        text = a.screenText()
        #expect(text.contains("欧阳修") && a.tab == .today, "no key typed while locked reached the screens")
        clock.advance(299)
        _ = a.tick()
        #expect(!a.lock.isLocked)
        clock.advance(2)
        _ = a.tick()
        #expect(a.lock.isLocked)
        a.type("2468")
        _ = a.handle(.enter)
        // The clock is set back two hours: the idle lock still engages after five idle minutes.
        clock.advance(-7200)
        _ = a.tick()
        #expect(!a.lock.isLocked)
        clock.advance(301)
        _ = a.tick()
        #expect(a.lock.isLocked, "a clock set back does not hold the lock off")
    }

    @Test("a multi-line paste is text in the field it lands in; it never saves the form or runs keys")
    func paste() throws {
        let db = try F.store()
        let a = try F.app(db)
        a.openCustomer("C1")
        _ = a.handle(.character("a"))
        _ = a.handle(.paste("客户说:\n1. 想买房\n2. 孩子上学"))
        #expect(a.screenNames.last == "FormScreen")
        #expect(a.tab == .today)
        _ = a.handle(.control("s"))
        #expect(try db.profile(customerID: "C1")!.notes.first?.text == "客户说: 1. 想买房 2. 孩子上学")
    }

    @Test("while locked, Ctrl-C does not quit; at a too-small size, keys do nothing")
    func lockedAndTooSmall() throws {
        let a = try F.app(lock: LockState(pin: try PINHash.make(pin: "2468", rounds: 1000)))
        #expect(a.lock.isLocked, "with a PIN the workstation opens locked")
        #expect(a.handle(.control("c")) == .redraw)
        a.type("2468")
        _ = a.handle(.enter)
        #expect(!a.lock.isLocked)
        _ = a.render(width: 70, height: 20)
        #expect(a.handle(.character("q")) == .redraw, "q at a screen too small to see is not acted on")
        #expect(a.handle(.character("2")) == .redraw)
        _ = a.render(width: 100, height: 30)
        #expect(a.tab == .today)
        #expect(a.handle(.character("q")) == .quit)
    }

    @Test("a call not reached is logged and its task stays open; a resumed draft still answers its task")
    func callNotReached() throws {
        let db = try F.store()
        let a = try F.app(db)
        _ = a.handle(.down)                       // 张三丰's task
        _ = a.handle(.character("c"))
        a.type("问候")
        _ = a.handle(.up); _ = a.handle(.up); _ = a.handle(.up); _ = a.handle(.up)   // → reached
        _ = a.handle(.right)
        _ = a.handle(.control("s"))
        #expect(a.screenText().contains("not reached, task kept"))
        #expect(try db.todayQueue(scope: .rm("S1"), today: F.today).contains { $0.customerName == "张三丰" })
        #expect(try db.profile(customerID: "C1")!.interactions.first?.outcome == "未接通 not reached")
        // A visit for the same task, left as a draft, then resumed after a restart: saving closes the task.
        _ = a.handle(.character("v"))
        a.type("上门")
        let b = try F.app(db)
        _ = b.handle(.enter)
        #expect(b.screenText().contains("完成任务 Close task"))
        _ = b.handle(.control("s"))
        #expect(!(try db.todayQueue(scope: .rm("S1"), today: F.today).contains { $0.customerName == "张三丰" }))
    }

    @Test("going to a relative masks the profile again; a typed short form asks before it is left")
    func maskAndAsk() throws {
        let a = try F.app()
        a.openCustomer("C1")
        _ = a.handle(.character("u"))
        _ = a.handle(.control("s"))
        #expect(a.screenText().contains("13812345678"))
        for _ in 0..<4 { _ = a.handle(.right) }
        _ = a.handle(.enter)                      // the relative
        _ = a.handle(.escape)                     // back to 张三丰
        #expect(!a.screenText().contains("13812345678"))
        _ = a.handle(.character("t"))
        a.type("养殖户")
        _ = a.handle(.escape)
        #expect(a.screenText().contains("What you typed is not saved"))
        _ = a.handle(.character("n"))
        #expect(a.screenNames.last == "FormScreen")
    }

    @Test("saving a view over another says so; deleting one that is not there is an error")
    func viewMessages() throws {
        let a = try F.app()
        _ = a.run("view save 大户")
        _ = a.run("view save 大户")
        #expect(a.screenText().contains("view replaced"))
        _ = a.run("view delete 没有")
        #expect(a.screenText().contains("no view named 没有"))
    }

    @Test("Reports: every report opens for the RM's customers; [ goes a month back; without a nightly run it says what to do")
    func reports() throws {
        let db = try F.store()
        let a = try F.app(db)
        _ = a.handle(.character("4"))
        #expect(a.screenText().contains("furrow nightly"))
        _ = try db.runNightly(asOf: F.today, by: "t")
        _ = a.handle(.character("r"))
        #expect(a.screenText().contains("客户分层 Customers by tier, 2026-11"))
        _ = a.handle(.character("["))
        #expect(a.screenText().contains("2026-10"))
        for _ in ReportName.allCases.dropFirst() {
            _ = a.handle(.down)
            let text = a.screenText()
            #expect(!text.contains("Error") && !text.contains("invalid"), "\(text)")
        }
    }

    @Test("Sync lists the writes waiting for the branch; the status line counts them")
    func syncScreen() throws {
        let db = try F.store()
        let a = try F.app(db)
        let pending = try db.pendingOpCount()
        #expect(a.screenText().contains("同步 sync: \(pending) 待发 pending"))
        a.openCustomer("C1")
        _ = a.handle(.character("a"))
        a.type("喜欢喝茶")
        _ = a.handle(.control("s"))
        _ = a.handle(.escape)                        // the saved message gives the status line back
        #expect(a.screenText().contains("同步 sync: \(pending + 1) 待发 pending"))
        _ = a.handle(.character("5"))
        let text = a.screenText()
        #expect(text.contains("待发 pending \(pending + 1)") && text.contains("note.add"))
        #expect(text.contains("not signed in to a branch server"))
        _ = a.handle(.character("S"))
        #expect(a.screenText().contains("not signed in"), "no server: S says how to sign in")
    }

    /// A stand-in for the executable's background sync (the real one is tested over loopback in FurrowSyncTests).
    final class SyncRequests: SyncControl {
        let count = Mutex(0)
        var requests: Int { count.withLock { $0 } }
        var isRunning: Bool { false }
        func syncNow() { count.withLock { $0 += 1 } }
    }

    @Test("signed in but background sync could not start (a CA file moved): the status line says sync is off; the Sync screen says why")
    func syncOff() throws {
        let db = try F.store()
        try db.setSyncValues([.server: "https://10.0.0.5:8420", .lastProblem: "--ca-cert /nowhere.pem: not a readable PEM certificate"])
        let a = try F.app(db)
        #expect(a.screenText().contains("⚠ 同步停 sync off"), "\(a.screenText())")
        _ = a.handle(.character("5"))
        #expect(a.screenText().contains("not a readable PEM certificate"))
        let running = try F.app(db)
        running.attachSync(SyncRequests())
        #expect(!running.screenText().contains("sync off"), "with sync running, the usual line")
    }

    @Test("Sync: a rejected change is resubmitted (R) or discarded after asking (x), a conflict accepted (a), all exported (e); S asks for a sync")
    func syncActions() throws {
        let db = try F.store()
        _ = try db.addNote(customerID: "C1", text: "one", by: "S1")
        _ = try db.addNote(customerID: "C1", text: "two", by: "S1")
        let ops = try db.pendingOps()
        try db.markOps(ops.suffix(2).map(\.opID), status: .rejected, code: "out_of_scope", reason: "C1 is outside your scope; the change was not applied")
        // The tablet removed a tag this device had just added: a conflict.
        try db.addTag(customerID: "C2", tag: "VIP", by: "S1")
        let later = HLC(wallMs: Int64(F.start.timeIntervalSince1970 * 1000) + 3_600_000, node: "tablet")
        try db.applyPulled([(SyncOp(opID: "op-tablet", hlc: later, kind: "tag.remove", customerID: "C2", recordID: "VIP",
                                    fields: ["tag": "VIP"]), "S1")], next: 1)
        #expect(try db.syncConflicts().count == 1)
        let a = try F.app(db)
        let sync = SyncRequests()
        a.attachSync(sync)
        _ = a.handle(.character("5"))
        var text = a.screenText()
        #expect(text.contains("被拒 rejected 2") && text.contains("is outside your scope"))
        _ = a.handle(.character("S"))
        #expect(sync.requests == 1)
        _ = a.handle(.character("R"))
        #expect(try db.rejectedOps().count == 1 && sync.requests == 2, "resubmitted, and a sync asked for")
        _ = a.handle(.character("x"))
        #expect(a.screenText().contains("Discard this change?"))
        _ = a.handle(.character("n"))
        #expect(try db.rejectedOps().count == 1, "n keeps it")
        _ = a.handle(.character("x"))
        _ = a.handle(.character("y"))
        #expect(try db.rejectedOps().isEmpty)
        #expect(try db.auditTrail(actor: a.ctx.user.staffID).contains { $0.action == "sync.discard" })
        _ = a.handle(.character("e"))
        text = a.screenText()
        #expect(text.contains("exported to"))
        let path = try #require(text.split(separator: "exported to ").last?.split(separator: " ").first.map(String.init))
        #expect(try String(contentsOfFile: path, encoding: .utf8).contains("tag:C2"))
        #expect((try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        _ = a.handle(.escape)
        _ = a.handle(.character("a"))
        #expect(try db.syncConflicts().isEmpty, "accepted: the kept value stands")
    }

    @Test("Sync: E opens a refused note's text; an empty edit is refused inline; Esc keeps a draft that resumes; Ctrl-S sends the edit; a tag has nothing to edit")
    func editRejected() throws {
        let db = try F.store()
        try db.markOps(try db.pendingOps().map(\.opID), status: .applied)   // the fixture's own writes
        let note = try db.addNote(customerID: "C1", text: "想了解养老理财", by: "S1")
        try db.addTag(customerID: "C2", tag: "VIP", by: "S1")
        let ops = try db.pendingOps()
        try db.markOps(ops.map(\.opID), status: .rejected, code: "out_of_scope", reason: "C1 is outside your scope; the change was not applied")
        let a = try F.app(db)
        let sync = SyncRequests()
        a.attachSync(sync)
        _ = a.handle(.character("5"))
        // The rows are in clock order: the note first, then the tag.
        _ = a.handle(.character("E"))
        #expect(a.screenNames.last == "FormScreen")
        #expect(a.screenText().contains("想了解养老理财") && a.screenText().contains("outside your scope"), "\(a.screenText())")
        _ = a.handle(.control("u"))
        _ = a.handle(.control("s"))
        #expect(a.screenNames.last == "FormScreen", "an empty note is not sent")
        a.type("想了解养老理财, 下周带资料")
        _ = a.handle(.escape)
        _ = a.handle(.character("n"))
        let draft = try #require(try db.drafts(staffID: a.ctx.user.staffID).first)
        #expect(draft.kind.hasPrefix("sync.edit:"))
        let resumed = try #require(FormScreens.resume(draft, a.ctx))
        #expect(resumed.form["text"] == "想了解养老理财, 下周带资料", "the draft keeps what was typed")

        _ = a.handle(.character("E"))
        #expect(a.screenText().contains("下周带资料"), "E again resumes the draft:\n\(a.screenText())")
        _ = a.handle(.control("s"))
        #expect(a.screenNames.last == "SyncScreen", "\(a.screenText())")
        #expect(try db.profile(customerID: "C1")?.notes.first { $0.noteID == note.noteID }?.text == "想了解养老理财, 下周带资料")
        #expect(try db.pendingOps().contains { $0.kind == "note.add" && $0.fields["text"] == "想了解养老理财, 下周带资料" })
        #expect(try db.rejectedOps().map(\.op.kind) == ["tag.add"] && sync.requests == 1)
        #expect(try db.drafts(staffID: a.ctx.user.staffID).isEmpty, "the draft went with the save")
        _ = a.handle(.character("E"))
        #expect(a.screenNames.last == "SyncScreen" && a.screenText().contains("nothing to edit"), "\(a.screenText())")
    }

    @Test("Sync: E then Ctrl-S on a change longer than the form's limits sends it whole (only what was changed is an edit)")
    func editKeepsLongText() throws {
        let db = try F.store()
        try db.markOps(try db.pendingOps().map(\.opID), status: .applied)
        let long = String(repeating: "理财到期提醒", count: 60)   // 360 characters, over the form's 200
        let task = try db.createTask(customerID: "C1", title: "回访", reason: long, dueOn: F.today.adding(days: 2), by: "S1")
        try db.markOps(try db.pendingOps().map(\.opID), status: .rejected, code: "out_of_scope", reason: "not yours")
        let a = try F.app(db)
        _ = a.handle(.character("5"))
        _ = a.handle(.character("E"))
        _ = a.handle(.control("s"))
        #expect(a.screenNames.last == "SyncScreen", "\(a.screenText())")
        let sent = try #require(try db.pendingOps().first { $0.kind == "task.create" })
        #expect(sent.fields["reason"] == long && sent.fields["title"] == "回访")
        #expect(try db.profile(customerID: "C1")?.tasks.first { $0.taskID == task.taskID }?.reason == long)
        let audit = try db.auditTrail(customerID: "C1").first { $0.action == "sync.resubmit" }
        #expect(audit?.detail?.contains("edited") == false, "nothing was changed: \(String(describing: audit))")
    }

    @Test("p on a profile proposes a correction (checked inline); the lead accepts it on the Sync screen and the profile changes")
    func correctionProposal() throws {
        let db = try F.store()
        let a = try F.app(db)
        a.openCustomer("C1")
        _ = a.handle(.character("p"))
        #expect(a.screenNames.last == "FormScreen")
        _ = a.handle(.tab)
        a.type("1391111")
        _ = a.handle(.control("s"))
        #expect(a.screenNames.last == "FormScreen", "a short number is not saved")
        #expect(a.screenText().contains("11"), "the mobile's length is named:\n\(a.screenText())")
        a.type("2222")
        _ = a.handle(.tab)
        a.type("客户换号")
        _ = a.handle(.control("s"))
        #expect(a.screenNames.last == "CustomerScreen")
        let profile = a.screenText()
        #expect(profile.contains("更正 Correction 手机 mobile 138****5678 → 139****2222 · 待审 pending"), "\(profile)")
        #expect(!profile.contains("13911112222"), "masked like every other mobile")
        #expect(try db.revealIdentity(customerID: "C1").mobile == "13812345678", "a lead decides first")

        // The RM cannot decide it.
        _ = a.handle(.escape)
        _ = a.handle(.character("5"))
        #expect(a.screenText().contains("更正 proposal"))
        _ = a.handle(.character("y"))
        #expect(a.screenText().contains("a team lead decides"))

        let lead = try F.app(db, user: "S9", scope: .team("东"))
        _ = lead.handle(.character("5"))
        #expect(lead.screenText().contains("更正待审 corrections 1"), "\(lead.screenText())")
        #expect(lead.screenText().contains("待发 pending · 更正 1"), "the status line tells the lead")
        _ = lead.handle(.character("n"))
        _ = lead.handle(.control("s"))
        #expect(lead.screenNames.last == "FormScreen", "a rejection needs a reason")
        _ = lead.handle(.escape)
        #expect(lead.screenNames.last == "SyncScreen")
        _ = lead.handle(.character("y"))
        #expect(lead.screenText().contains("Accept this correction?"))
        _ = lead.handle(.character("y"))
        #expect(try db.revealIdentity(customerID: "C1").mobile == "13911112222")
        #expect(try db.proposals(customerID: "C1").first?.decidedBy == "S9")
        #expect(!lead.screenText().contains("更正待审") && !lead.screenText().contains("· 更正 1"))
    }

    @Test("Campaigns: a list longer than the screen scrolls to the selected campaign")
    func campaignListScrolls() throws {
        let db = try F.store()
        for i in 0..<40 {
            _ = try db.createCampaign(name: "活动\(i)", kind: .care, startsOn: F.today, endsOn: F.today.adding(days: 10), target: CampaignTarget(), by: "S9")
        }
        let a = try F.app(db, user: "S9")
        _ = a.handle(.character("6"))
        let names = try db.campaigns().map(\.name)
        for _ in 0..<39 { _ = a.handle(.down) }
        #expect(a.screenText().contains("▸ 草稿 \(names[39])"), "the last one is shown, selected:\n\(a.screenText())")
        #expect(!a.screenText().contains(" \(names[0]) ") && !a.screenText().contains(" \(names[0])\n"), "the first has scrolled away")
    }

    @Test("a campaign's task on Today is answered with R and a digit; on the profile too; not reached keeps the task")
    func campaignAnswers() throws {
        let db = try F.store()
        let c = try db.createCampaign(name: "中秋关怀", kind: .care, startsOn: F.today, endsOn: F.today.adding(days: 10),
                                      target: try CampaignTarget.parse("tier=wealth,affluent,private"), by: "S9")
        let list = try db.buildCampaignList(c.campaignID, asOf: F.today, by: "S9")
        try #require(list.targeted.contains { $0.customerID == "C2" } && list.targeted.contains { $0.customerID == "C4" })
        try db.launchCampaign(c.campaignID, asOf: F.today, by: "S9")
        let a = try F.app(db)
        let queue = try db.todayQueue(scope: .rm("S1"), today: F.today, limit: 100)
        let index = try #require(queue.firstIndex { $0.task.title == "关怀 中秋关怀" && $0.task.customerID == "C2" })
        for _ in 0..<index { _ = a.handle(.down) }
        _ = a.handle(.character("R"))
        #expect(a.screenText().contains("1 联系上 2 未联系上 3 接受 4 拒绝 · 其他键取消"), "the choices are shown")
        #expect(!a.screenText().contains("5 到场"), "attendance is for events")
        _ = a.handle(.character("3"))
        #expect(a.screenText().contains("中秋关怀: 接受 accepted"))
        #expect(try db.campaignFunnel(c.campaignID).total.accepted == 1)
        let after = try db.todayQueue(scope: .rm("S1"), today: F.today, limit: 100)
        #expect(!after.contains { $0.task.title == "关怀 中秋关怀" && $0.task.customerID == "C2" }, "the task is done")

        a.openCustomer("C4")
        _ = a.handle(.character("R"))
        _ = a.handle(.character("2"))
        #expect(a.screenText().contains("任务保留 task kept"))
        _ = a.handle(.character("R"))
        _ = a.handle(.character("x"))
        #expect(a.screenText().contains("已取消 cancelled"))
        _ = a.handle(.character("R"))
        _ = a.handle(.character("4"))
        #expect(a.screenText().contains("拒绝 declined"))
        #expect(try db.profile(customerID: "C4")?.interactions.filter { $0.purpose == "中秋关怀" }.count == 2)
        _ = a.handle(.character("R"))
        #expect(a.screenText().contains("no campaign contact to record"), "answered: nothing left to record")
    }

    @Test("Campaigns (6): a lead creates one with a target checked as typed, builds its list and launches it; the RM sees the task and the funnel moves")
    func campaignsScreen() throws {
        let db = try F.store()
        let lead = try F.app(db, user: "S9", scope: .team("东"))
        _ = lead.handle(.character("6"))
        #expect(lead.screenText().contains("no campaigns yet"))
        _ = lead.handle(.character("n"))
        #expect(lead.screenNames.last == "FormScreen")
        lead.type("中秋关怀")
        for _ in 0..<4 { _ = lead.handle(.tab) }     // kind, from, to → target
        lead.type("tier=rich")
        _ = lead.handle(.control("s"))
        #expect(lead.screenNames.last == "FormScreen" && lead.screenText().contains("rich is not a tier"), "\(lead.screenText())")
        for _ in 0..<4 { _ = lead.handle(.backspace) }
        lead.type("wealth,affluent,private")
        _ = lead.handle(.control("s"))
        #expect(lead.screenNames.last == "CampaignsScreen", "\(lead.screenText())")
        #expect(lead.screenText().contains("中秋关怀"))
        _ = lead.handle(.character("b"))
        #expect(lead.screenText().contains("3 人 targeted"), "C1, C2 and C4 are wealth or above: \(lead.screenText())")
        _ = lead.handle(.character("l"))
        #expect(lead.screenText().contains("Launch 中秋关怀?"))
        _ = lead.handle(.character("y"))
        #expect(lead.screenText().contains("已发起 launched: 3"))

        let rm = try F.app(db)
        #expect(rm.screenText().contains("关怀 中秋关怀"), "the task is on the RM's Today")
        _ = rm.handle(.character("6"))
        _ = rm.handle(.character("l"))
        #expect(rm.screenText().contains("a team lead launches"))
        let c = try #require(try db.campaigns().first)
        try db.recordCampaignResponse(c.campaignID, customerID: "C2", response: .accepted, by: "S1")
        _ = rm.handle(.character("r"))
        #expect(rm.screenText().contains("接受 accepted") && rm.screenText().contains("联系上 reached"), "\(rm.screenText())")
        let funnel = rm.screenText().split(separator: "\n").first { $0.contains("接受 accepted") }.map(String.init) ?? ""
        #expect(funnel.hasSuffix(" 1"), "one accepted: \(funnel)")
    }

    @Test("an event's attendance on the day: seated first, then the waiting list; Space here, x absent, a digit for satisfaction")
    func attendance() throws {
        let db = try F.store()
        let e = try db.createCampaign(name: "健康讲座", kind: .event, startsOn: F.today.adding(days: -5), endsOn: F.today.adding(days: 5),
                                      target: try CampaignTarget.parse("aum>=0"), venue: "青山村文化礼堂", eventAt: "2026-11-20 14:00",
                                      capacity: 2, by: "S9")
        _ = try db.buildCampaignList(e.campaignID, asOf: F.today.adding(days: -5), by: "S9")
        _ = try db.launchCampaign(e.campaignID, asOf: F.today.adding(days: -5), by: "S9")
        for (i, id) in ["C1", "C2", "C3"].enumerated() {
            try db.recordCampaignResponse(e.campaignID, customerID: id, response: .accepted, at: "2026-11-1\(i + 5) 10:00", by: "S1")
        }
        let lead = try F.app(db, user: "S9", scope: .team("东"))
        _ = lead.handle(.character("6"))
        _ = lead.handle(.character("a"))
        var text = lead.screenText()
        #expect(lead.screenNames.last == "AttendanceScreen")
        #expect(text.contains("青山村文化礼堂") && text.contains("座位 seats 2/2") && text.contains("候补 waiting 1"), "\(text)")
        let rows = text.split(separator: "\n").filter { $0.contains("有座 seated") || $0.contains("候补 waiting") && !$0.contains("座位") }
        #expect(rows.count == 3 && rows[2].contains("欧阳修") && rows[2].contains("候补"), "C3 accepted last: \(rows)")
        _ = lead.handle(.character(" "))             // C1 here
        _ = lead.handle(.character("x"))             // C2 absent
        _ = lead.handle(.up)
        _ = lead.handle(.up)
        _ = lead.handle(.character("4"))             // C1: 4 stars
        text = lead.screenText()
        #expect(text.contains("✓ 到场 here") && text.contains("✗ 未到 absent") && text.contains("★★★★"), "\(text)")
        _ = lead.handle(.character("5"))
        #expect(try db.eventSeats(e.campaignID).averageSatisfaction == 5)
        _ = lead.handle(.down)
        _ = lead.handle(.character("3"))
        #expect(lead.screenText().contains("did not attend"), "satisfaction only for who came")
        #expect(try db.campaignFunnel(e.campaignID).total.attended == 1)
        _ = lead.handle(.escape)
        #expect(lead.screenNames.last == "CampaignsScreen")
    }

    @Test("prospects: o logs an outreach day (checked: a day that happened, a number met); the people then added come from it")
    func outreachDay() throws {
        let db = try F.store()
        let a = try F.app(db)
        _ = a.handle(.character("6"))
        _ = a.handle(.character("p"))
        _ = a.handle(.character("o"))
        #expect(a.screenNames.last == "FormScreen" && a.screenText().contains("An outreach day"))
        a.type("王家村集市")
        _ = a.handle(.tab)
        _ = a.handle(.control("u"))
        a.type("+3")
        _ = a.handle(.tab)
        _ = a.handle(.tab)
        a.type("四十")
        _ = a.handle(.control("s"))
        #expect(a.screenNames.last == "FormScreen", "a day to come and a met count in words are refused")
        #expect(a.screenText().contains("not yet") && a.screenText().contains("a number"), "\(a.screenText())")
        #expect(try db.outreachLogs().isEmpty)
        // The form went to the first field to fix: the day.
        _ = a.handle(.control("u"))
        a.type("-1")
        _ = a.handle(.tab)
        _ = a.handle(.tab)
        _ = a.handle(.control("u"))
        a.type("40")
        _ = a.handle(.control("s"))
        #expect(a.screenNames.last == "ProspectsScreen", "\(a.screenText())")
        let day = try #require(try db.outreachLogs().first)
        #expect(day.place == "王家村集市" && day.day == F.today.adding(days: -1).iso && day.met == 40 && day.staff == a.ctx.user.staffID)
        #expect(a.screenText().contains("王家村集市") && a.screenText().contains("met 40"), "\(a.screenText())")
        // Someone met that day: the form offers the day just logged.
        _ = a.handle(.character("n"))
        a.type("赵敏")
        _ = a.handle(.tab)
        a.type("13500002222")
        _ = a.handle(.control("s"))
        #expect(a.screenNames.last == "ProspectsScreen", "\(a.screenText())")
        #expect(try db.prospects().contains { $0.name == "赵敏" && $0.source == .outreach })
        #expect(try db.outreachLogs().first?.prospects == 1, "赵敏 counts for the day she was met")
        #expect(try db.auditTrail(actor: a.ctx.user.staffID).contains { $0.action == "outreach.log" })
    }

    @Test("prospects (6, p): add one with its mobile checked, move it on, confirm a possible match with a customer")
    func prospectsScreen() throws {
        let db = try F.store()
        let a = try F.app(db)
        _ = a.handle(.character("6"))
        _ = a.handle(.character("p"))
        #expect(a.screenNames.last == "ProspectsScreen" && a.screenText().contains("no prospects yet"))
        _ = a.handle(.character("n"))
        a.type("刘强")
        _ = a.handle(.tab)
        a.type("1390000")
        _ = a.handle(.control("s"))
        #expect(a.screenNames.last == "FormScreen" && a.screenText().contains("11"), "\(a.screenText())")
        a.type("1111")
        _ = a.handle(.control("s"))
        #expect(a.screenText().contains("already a customer: C2"), "C2 has that number: \(a.screenText())")
        for _ in 0..<11 { _ = a.handle(.backspace) }
        a.type("13500001111")
        _ = a.handle(.control("s"))
        #expect(a.screenNames.last == "ProspectsScreen" && a.screenText().contains("刘强") && a.screenText().contains("135****1111"),
                "\(a.screenText())")
        _ = a.handle(.character("s"))
        _ = a.handle(.control("s"))
        #expect(a.screenText().contains("已联系 contacted"))
        // Someone with a customer's name and village, met at an event: after the import, a possible match.
        let c1 = try #require(try db.profile(customerID: "C1")?.customer)
        _ = try db.addProspect(name: c1.name, mobile: "13611112222", village: c1.village, source: .event, owner: "S1", by: "S1")
        _ = try db.matchProspects(by: "t")
        _ = a.handle(.escape)
        _ = a.handle(.character("p"))
        #expect(a.screenText().contains("⚠ 可能是 may be C1"), "\(a.screenText())")
        for _ in 0..<3 { _ = a.handle(.up) }
        let row = a.screenText().split(separator: "\n").firstIndex { $0.contains("可能是") }
        #expect(row != nil)
        // Select the flagged row (newest first: it is the first).
        _ = a.handle(.character("Y"))
        #expect(a.screenText().contains("converted"), "\(a.screenText())")
        #expect(try db.prospects(stage: .opened).first?.customerID == "C1")
        // 刘强's next step, due yesterday: flagged here and counted on Today.
        let liu = try #require(try db.prospects().first { $0.name == "刘强" })
        try db.setProspectNextStep(liu.prospectID, step: "约周六面谈", due: F.today.adding(days: -1), by: "S1")
        _ = a.handle(.escape)
        _ = a.handle(.character("p"))
        #expect(a.screenText().contains("⚠ 逾期 overdue 11-19 约周六面谈"), "\(a.screenText())")
        _ = a.handle(.escape)
        _ = a.handle(.character("1"))
        // … and it is in Today's queue, overdue, with what a prospect allows.
        #expect(a.screenText().contains("潜客 约周六面谈"), "\(a.screenText())")
        let queue = try db.todayQueue(scope: .rm("S1"), today: F.today, limit: 100)
            + db.prospectQueueItems(owner: "S1", today: F.today)
        let index = try #require(queue.sorted { QueueItem.inQueueOrder($0, $1, today: F.today) }.firstIndex { $0.prospectID != nil })
        for _ in 0..<index { _ = a.handle(.down) }
        _ = a.handle(.character("c"))
        #expect(a.screenText().contains("a prospect, not a customer yet"))
        _ = a.handle(.character("d"))
        #expect(!a.screenText().contains("潜客 约周六面谈") && a.screenText().contains("step done"))
        #expect(try db.prospect(liu.prospectID)?.prospect.nextStep == nil)
        #expect(throws: StoreError.self) { try db.setProspectNextStep(liu.prospectID, step: "x", due: nil, by: "S1") }
    }

    @Test("below 80×24 the screen says it is too small")
    func tooSmall() throws {
        let text = try F.app().render(width: 60, height: 10).textDump()
        #expect(text.contains("terminal too small") && text.contains("60×10"))
    }

    @Test("a storm of random keys and sizes on every screen never crashes")
    func keyStorm() throws {
        let a = try F.app()
        var rng = SystemRandomNumberGenerator()
        let keys: [Key] = [.up, .down, .pageUp, .pageDown, .home, .end, .enter, .escape, .backspace, .delete, .left, .right,
                           .tab, .backTab, .resize, .control("s"), .control("u"), .control("w"),
                           .character("/"), .character(":"), .character("?"), .character("王"), .character("j"),
                           .character("k"), .character("g"), .character(" "), .character("x"), .character("y"),
                           .character("+"), .character("3")]
            + "12345cvdsnaetu!fowVq".map { Key.character($0) }
        var quits = 0
        for _ in 0..<8000 {
            let k = keys.randomElement(using: &rng)!
            if a.handle(k) == .quit { quits += 1 }
            let w = Int.random(in: 20...180, using: &rng), h = Int.random(in: 5...60, using: &rng)
            let b = a.render(width: w, height: h)
            #expect(b.width == w && b.height == h)
        }
        #expect(quits > 0, "q reached the shell at least once")
    }
}
