import FurrowCore
import FurrowStore
import TerminalUI

/// A customer's overview: masked identity, tier, AUM trend, holdings, recent contacts and tasks.
enum CustomerOverviewScreen {
    static func draw(_ p: CustomerProfile, into b: inout ScreenBuffer, rect: Rect) {
        let c = p.customer
        var y = rect.y
        func line(_ text: String, role: StyleRole = .normal) {
            guard y < rect.maxY else { return }
            b.put(text, x: rect.x + 1, y: y, role: role, maxWidth: rect.width - 2)
            y += 1
        }
        line("\(c.name)  \(c.customerID)  \(c.kind.label)  \(p.tier.label)  AUM ¥\(p.aum.formatted())", role: "title")
        var id: [String] = []
        if let n = c.idNumber { id.append("证件 " + Masking.idNumber(n, type: c.idType)) }
        if let m = c.mobile { id.append("手机 " + Masking.mobile(m)) }
        if let v = c.village { id.append(v) }
        if let rm = p.rmID { id.append("客户经理 \(rm)" + (p.rmName.map { " \($0)" } ?? "")) }
        if let r = c.riskLevel { id.append("风险 \(r.rawValue)" + (c.riskAssessedOn.map { " (\($0.iso))" } ?? "")) }
        line(id.joined(separator: "  "))
        if !p.aumByMonth.isEmpty {
            line("AUM 12个月 " + Sparkline.render(p.aumByMonth.map(\.aumAverage.fen)) + "  ¥"
                 + p.aumByMonth.first!.aumAverage.formattedWan() + " → ¥" + p.aumByMonth.last!.aumAverage.formattedWan())
        }
        y += 1
        line("持有产品 Holdings", role: "list.header")
        for h in (p.holdings + p.liabilities).prefix(6) {
            line("  \(DisplayWidth.pad(h.product.name, to: 22)) \(DisplayWidth.pad(h.product.type.label, to: 6)) "
                 + "\(DisplayWidth.pad(h.account.balance.formatted(), to: 16, alignRight: true))  \(h.account.maturityDate?.iso ?? "")")
        }
        y += 1
        line("最近联系 Contacts", role: "list.header")
        for i in p.interactions.prefix(5) {
            line("  \(i.at.prefix(16))  \(i.channel.label)  \(i.purpose ?? "")  \(i.outcome ?? "")")
        }
        if !p.tasks.isEmpty {
            y += 1
            line("待办 Tasks", role: "list.header")
            for t in p.tasks.prefix(5) { line("  \(t.dueOn.iso)  \(t.title)") }
        }
        if !p.household.isEmpty {
            y += 1
            line("家庭 Household: " + p.household.map { "\($0.relation.label) \($0.name)" }.joined(separator: "、"))
        }
        y = max(y, rect.maxY - 1)
        line("q / Esc 返回 back", role: "muted")
    }
}

/// The keys of the workstation, on `?`.
enum HelpScreen {
    static let keys: [(String, String)] = [
        ("j / ↓, k / ↑", "move 上下移动"), ("PgDn / Space, PgUp", "page 翻页"), ("g / Home", "top 回到顶部"),
        ("/", "search: 王, 三丰, zsf, zhang, phone or ID suffix 搜索"), ("Enter / →", "open the customer 打开客户"),
        ("q / Esc", "back, quit 返回/退出"), ("?", "this help 帮助"), ("Ctrl-C", "quit 退出"),
    ]

    static func draw(into b: inout ScreenBuffer, rect: Rect) {
        b.put("按键 Keys (any key closes)", x: rect.x + 1, y: rect.y, role: "title")
        for (i, k) in keys.enumerated() where rect.y + 2 + i < rect.maxY {
            b.put(DisplayWidth.pad(k.0, to: 22) + k.1, x: rect.x + 2, y: rect.y + 2 + i)
        }
    }
}
