import FurrowCore
import FurrowStore
import TerminalUI
import Testing
@testable import Workstation

/// The workstation without a terminal: keys in, frames (as text) out.
@Suite("The workstation shell")
struct WorkstationAppTests {
    static func store() throws -> AppDatabase {
        let db = try AppDatabase.inMemory()
        _ = try db.importExtract(directory: "t", actor: "t", asOf: CalendarDate(year: 2026, month: 11, day: 20)!) { s in
            try s.upsert(Staff(staffID: "S1", name: "李经理", role: .rm))
            let people: [(String, String, String, Int64)] = [
                ("C1", "张三丰", "13812345678", 6_500_000), ("C2", "王小虎", "13900001111", 250_000),
                ("C3", "欧阳修", "13700002222", 800), ("C4", "单雄信", "15900003333", 12_000),
            ]
            for p in people {
                try s.upsert(Customer(customerID: p.0, name: p.1, kind: .individual, mobile: p.2, village: "青山村"))
                try s.upsert(Assignment(customerID: p.0, staffID: "S1", since: CalendarDate(year: 2024, month: 1, day: 1)!))
                try s.upsert(MonthlyBalance(customerID: p.0, month: "2026-11", aumAverage: Money(yuan: p.3), aumEnd: Money(yuan: p.3)))
            }
            return .commit(summary: "")
        }
        return db
    }

    func app() throws -> WorkstationApp { WorkstationApp(store: try Self.store(), user: "S1", scope: .rm("S1")) }

    @Test("the portfolio lists the RM's customers, richest first, phones masked")
    func portfolio() throws {
        let a = try app()
        let text = a.render(width: 100, height: 24).textDump()
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines[0].contains("Portfolio"))
        #expect(lines[2].contains("张三丰") && lines[2].contains("私行级") && lines[2].contains("6,500,000.00"))
        #expect(lines[3].contains("王小虎"))
        #expect(text.contains("138****5678"))
        #expect(!text.contains("13812345678"))
        #expect(lines.last!.contains("S1 · RM S1"))
    }

    @Test("j moves the selection; the selected row is drawn in the selection role")
    func selection() throws {
        let a = try app()
        _ = a.handle(.character("j"))
        let b = a.render(width: 100, height: 24)
        #expect(b[3, 3].role == "list.selection.focused")
        #expect(b[3, 2].role != "list.selection.focused")
        #expect(a.portfolio.selected == 1)
        _ = a.handle(.up)
        _ = a.handle(.up)
        #expect(a.portfolio.selected == 0)
    }

    @Test("/ searches as you type, by initials and by either reading of a surname; Esc goes back")
    func search() throws {
        let a = try app()
        _ = a.handle(.character("/"))
        for c in "zsf" { _ = a.handle(.character(c)) }
        var text = a.render(width: 100, height: 24).textDump()
        #expect(text.contains("/ zsf"))
        #expect(a.portfolio.hits.map(\.customer.customerID) == ["C1"])
        _ = a.handle(.escape)
        for c in "/dxx" { _ = a.handle(.character(c)) }
        #expect(a.portfolio.hits.map(\.customer.customerID) == ["C4"])
        _ = a.handle(.backspace)
        _ = a.handle(.backspace)
        _ = a.handle(.backspace)
        for c in "sxx" { _ = a.handle(.character(c)) }
        #expect(a.portfolio.hits.map(\.customer.customerID) == ["C4"])
        _ = a.handle(.escape)
        text = a.render(width: 100, height: 24).textDump()
        #expect(!text.contains("/ sxx"))
        #expect(a.portfolio.query == nil)
    }

    @Test("Enter opens the customer with masked identity; q comes back; q again quits")
    func openAndBack() throws {
        let a = try app()
        _ = a.handle(.enter)
        #expect(a.screen == .customer("C1"))
        let text = a.render(width: 100, height: 24).textDump()
        #expect(text.contains("张三丰  C1"))
        #expect(text.contains("手机 138****5678"))
        #expect(!text.contains("13812345678"))
        if case .quit = a.handle(.character("q")) { Issue.record("q on a customer should go back, not quit") }
        #expect(a.screen == .portfolio)
        guard case .quit = a.handle(.character("q")) else { Issue.record("q on the portfolio quits"); return }
    }

    @Test("? shows the keys; any key closes it")
    func help() throws {
        let a = try app()
        _ = a.handle(.character("?"))
        #expect(a.render(width: 100, height: 24).textDump().contains("按键 Keys"))
        _ = a.handle(.character("x"))
        #expect(a.screen == .portfolio)
    }

    @Test("below 80×24 the screen says it is too small")
    func tooSmall() throws {
        let text = try app().render(width: 60, height: 10).textDump()
        #expect(text.contains("terminal too small"))
        #expect(text.contains("60×10"))
    }

    @Test("a storm of random keys and sizes never crashes and keeps the selection in range")
    func keyStorm() throws {
        let a = try app()
        var rng = SystemRandomNumberGenerator()
        let keys: [Key] = [.up, .down, .pageUp, .pageDown, .home, .enter, .escape, .backspace, .left, .right,
                           .character("/"), .character("z"), .character("王"), .character("j"), .character("k"),
                           .character("?"), .character("g"), .character(" "), .resize, .tab]
        for _ in 0..<5000 {
            let k = keys.randomElement(using: &rng)!
            if case .quit = a.handle(k) { continue }
            let w = Int.random(in: 20...160, using: &rng), h = Int.random(in: 5...60, using: &rng)
            let b = a.render(width: w, height: h)
            #expect(b.width == w && b.height == h)
            #expect(a.portfolio.selected >= 0)
            #expect(a.portfolio.selected < max(1, a.portfolio.visible.count))
        }
    }
}
