import FurrowCore
import FurrowStore
import TerminalUI

/// Complaints of the customers in scope: the open ones first, the nearest deadline at the top,
/// with the time left; `n` takes a new one.
final class ComplaintsScreen: WorkstationScreen {
    var rows: [ComplaintRow] = []
    var cursor = ListCursor()
    var openOnly = true
    private var height = 10
    private var loadError: String?
    let title = "投诉 Complaints"

    var keys: [KeyHelp] {
        [KeyHelp("j k ↑ ↓", "移动 move"), KeyHelp("n", "登记投诉 take a complaint (choose the customer)"),
         KeyHelp("h", "处理 the next step: assign, in progress, resolved, closed (recorded)"),
         KeyHelp("b", "回访 satisfaction callback: satisfied confirms, dissatisfied reopens"),
         KeyHelp("Enter", "打开客户 open the customer"), KeyHelp("a", "未结 / 全部 open only ↔ all")]
    }

    /// Read when first shown (`reappear`), not at start-up.
    init(_ ctx: AppContext) {}

    func reload(_ ctx: AppContext) {
        do {
            rows = try ctx.store.complaints(scope: ctx.scope, openOnly: openOnly)
            loadError = nil
        } catch { loadError = error.description }
        cursor.clamp(count: rows.count, height: height)
    }

    func reappear(_ ctx: AppContext) { reload(ctx) }

    func handle(_ key: Key, _ ctx: AppContext) -> ScreenAction {
        if cursor.handle(key, count: rows.count, height: height) { return .handled }
        switch key {
        case .character("n"):
            return .push(CustomerPickerScreen(query: "", ctx) { FormScreens.complaint(customerID: $0, ctx) })
        case .character("a"):
            openOnly.toggle()
            reload(ctx)
            return .message(openOnly ? "只看未结 open only" : "全部 all complaints")
        case .enter, .right:
            guard cursor.selected < rows.count else { return .handled }
            return .openCustomer(rows[cursor.selected].complaint.customerID)
        case .character("h"):
            guard cursor.selected < rows.count else { return .handled }
            let c = rows[cursor.selected].complaint
            let status = ComplaintStatus(stored: c.status)
            guard !status.next.isEmpty else { return .message("已关闭 closed: nothing further") }
            return .push(FormScreens.complaintStep(c, rows[cursor.selected].customerName, ctx))
        case .character("b"):
            guard cursor.selected < rows.count else { return .handled }
            let c = rows[cursor.selected].complaint
            guard ComplaintStatus(stored: c.status) == .resolved else { return .message("回访在解决之后 a callback follows a resolution") }
            return .push(FormScreens.complaintCallback(c, rows[cursor.selected].customerName, ctx))
        default: return .unhandled
        }
    }

    func draw(into b: inout ScreenBuffer, rect: Rect, _ ctx: AppContext) {
        let now = ctx.localNow
        let overdue = rows.filter { $0.complaint.isOpen && $0.complaint.deadlineAt < now }.count
        b.put("\(ctx.scopeLabel) · \(openOnly ? "未结 open" : "全部 all") \(rows.count) · 逾期 overdue \(overdue)",
              x: rect.x + 1, y: rect.y, role: "title", maxWidth: rect.width - 2)
        func p(_ s: String, _ w: Int) -> String { CustomerPresenter.pad(s, w) }
        b.put("\(p("期限 Time left", 14)) \(p("严重", 4)) \(p("客户 Customer", 12)) \(p("状态", 6)) \(p("类别 Category", 14)) \(p("渠道", 8)) \(p("收到 Received", 16)) 描述",
              x: rect.x + 1, y: rect.y + 1, role: "list.header", maxWidth: rect.width - 2)
        if let e = loadError { b.put(e, x: rect.x + 1, y: rect.y + 2, role: "status.error"); return }
        if rows.isEmpty {
            b.put("没有未结投诉 No open complaints. n 登记 take one · a 全部 show all", x: rect.x + 1, y: rect.y + 2, role: "muted")
            return
        }
        height = max(1, rect.height - 3)
        for i in 0..<height {
            let index = cursor.top + i
            guard index < rows.count else { break }
            let r = rows[index]
            let c = r.complaint
            let sel = index == cursor.selected
            let y = rect.y + 2 + i
            if sel { b.fill(Rect(x: rect.x, y: y, width: rect.width, height: 1), role: "list.selection.focused") }
            let role: StyleRole = sel ? "list.selection.focused" : !c.isOpen ? "muted" : c.deadlineAt < now ? "badge.overdue" : "normal"
            let line = "\(p(ComplaintsPresenter.timeLeft(c, now: now), 14)) \(p(c.severity.label, 4)) \(p(r.customerName, 12)) "
                + "\(p(ComplaintStatus(stored: c.status).label.split(separator: " ").first.map(String.init) ?? "", 6)) "
                + "\(p(c.category ?? "", 14)) \(p(c.channel.label, 8)) \(p(String(c.receivedAt.prefix(16)), 16)) \(c.description ?? "")"
            b.put(line, x: rect.x + 1, y: y, role: role, maxWidth: rect.width - 2)
        }
        b.put("n 登记 new · h 处理 step · b 回访 callback · Enter 打开客户 open · a 全部/未结 all/open · ? 帮助", x: rect.x + 1, y: rect.maxY - 1, role: "muted",
              maxWidth: rect.width - 2)
    }
}
