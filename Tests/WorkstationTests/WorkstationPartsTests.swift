import FurrowCore
import FurrowStore
import TerminalUI
import Testing
@testable import Workstation

@Suite("The workstation's parts: command line, views, config, PIN, presenters")
struct WorkstationPartsTests {
    @Test("the command line parses what an RM types", arguments: [
        ("log call", CommandLineState.Command.log(.call, nil)),
        ("log visit 王小虎", .log(.visit, "王小虎")),
        ("find 王", .find("王")),
        ("  task  ", .task(nil)),
        ("theme light", .theme("light")),
        ("view save 大户", .view("save 大户")),
        ("scope Branch", .scope("branch")),
        ("q", .quit),
        ("log fax", .unknown("log fax")),
        ("find", .unknown("find")),
        ("", .empty),
    ])
    func parse(line: String, expected: CommandLineState.Command) {
        #expect(CommandLineState.parse(line) == expected)
    }

    @Test("Tab completes a verb, then a theme or view name")
    func completion() {
        var c = CommandLineState()
        c.editor.text = "lo"
        c.complete(themes: [], views: [])
        #expect(c.editor.text == "lo", "log call, log visit and lock share only lo")
        c.editor.text = "log"
        c.complete(themes: [], views: [])
        #expect(c.editor.text == "log ")
        c.editor.text = "log v"
        c.complete(themes: [], views: [])
        #expect(c.editor.text == "log visit ")
        c.editor.text = "theme hi"
        c.complete(themes: ["default", "high-contrast", "light"], views: [])
        #expect(c.editor.text == "theme high-contrast ")
        c.editor.text = "view 大"
        c.complete(themes: [], views: ["大户", "大额入账"])
        #expect(c.editor.text == "view 大")
        #expect(c.candidates(themes: [], views: ["大户", "大额入账"]) == ["view 大户", "view 大额入账"])
    }

    @Test("a view spec round-trips, and a bad one says which part is wrong")
    func viewSpec() throws {
        var v = PortfolioView()
        v.filter = PortfolioFilter(tiers: [.wealth, .privateBanking], kinds: [.farmer], village: "青山村", tag: "养殖户",
                                   hasOpenTask: true, staleDays: 90)
        v.sort = .lastContact
        #expect(try PortfolioView.parse(v.spec).get() == v)
        for (spec, part) in [("tier=gold", "tier=gold"), ("stale=-3", "stale=-3"), ("colour=red", "colour=red"),
                             ("sort", "sort"), ("task=maybe", "task=maybe")] {
            guard case .failure(let e) = PortfolioView.parse(spec) else { Issue.record("\(spec) accepted"); continue }
            #expect(e.part == part)
        }
    }

    @Test("the config file: known settings, and file:line for anything wrong")
    func config() throws {
        #expect(try WorkstationConfig.parse("theme = \"light\"\nidle_lock_minutes = 5\n", file: "c.toml")
                == WorkstationConfig(theme: "light", idleLockMinutes: 5))
        for (text, message) in [
            ("theme = \"light\"\ncolour = 3\n", "c.toml:2: unknown setting \"colour\""),
            ("idle_lock_minutes = -1\n", "c.toml:1: idle_lock_minutes: expected whole minutes"),
            ("theme = 3\n", "c.toml:1: theme: expected"),
            ("theme = \"light\n", "c.toml:1:"),
        ] {
            #expect { try WorkstationConfig.parse(text, file: "c.toml") } throws: { "\($0)".contains(message) }
        }
    }

    @Test("a PIN hash verifies only its PIN, and a damaged file is refused")
    func pin() throws {
        let h = try PINHash.make(pin: "135790", rounds: 1000)
        #expect(h.verify("135790"))
        #expect(!h.verify("135791") && !h.verify(""))
        #expect(h.encoded.hasPrefix("pbkdf2-sha256$1000$") && !h.encoded.contains("135790"))
        #expect(PINHash(encoded: h.encoded) == h)
        #expect(PINHash(encoded: "md5$abc") == nil)
        #expect(PINHash.validate("12a4") != nil && PINHash.validate("123") != nil && PINHash.validate("2468") == nil)
    }

    @Test("time left to a complaint's deadline, and overdue")
    func timeLeft() {
        let c = Complaint(complaintID: "K", customerID: "C", receivedAt: "2026-11-19 09:00:00", channel: .phone, severity: .high)
        #expect(c.deadlineAt == "2026-11-21 09:00:00")
        #expect(ComplaintsPresenter.timeLeft(c, now: "2026-11-20 10:30:00") == "剩 22时30分")
        #expect(ComplaintsPresenter.timeLeft(c, now: "2026-11-23 10:00:00") == "逾期 2天1时")
        var closed = c
        closed.status = "closed"
        #expect(ComplaintsPresenter.timeLeft(closed, now: "2026-11-23 10:00:00") == "已结 closed")
    }

    @Test("dates in forms: ISO, +N, 今天/明天, nothing else")
    func days() {
        let today = CalendarDate(year: 2026, month: 11, day: 20)!
        #expect(FormScreens.parseDay("+3", today: today) == today.adding(days: 3))
        #expect(FormScreens.parseDay("明天", today: today) == today.adding(days: 1))
        #expect(FormScreens.parseDay("2026-12-01", today: today) == CalendarDate(year: 2026, month: 12, day: 1))
        for bad in ["2026-02-30", "+", "+x", "next week", "+99999"] { #expect(FormScreens.parseDay(bad, today: today) == nil) }
    }

    @Test("portfolio columns drop the least important first and always keep name and AUM")
    func columns() {
        #expect(CustomerRowPresenter.columns(width: 200).count == CustomerRowPresenter.all.count)
        let narrow = CustomerRowPresenter.columns(width: 78).map(\.id)
        #expect(narrow.contains("name") && narrow.contains("aum") && !narrow.contains("id"))
        #expect(CustomerRowPresenter.columns(width: 78).reduce(0) { $0 + $1.width + 2 } <= 78)
    }
}
