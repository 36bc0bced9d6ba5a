import FurrowCore
import FurrowStore
import TerminalUI

/// Today: the RM's queue — overdue, today, the next 7 days — most urgent first in each group,
/// with the reason and the urgency's parts of the selected task.
final class TodayScreen: WorkstationScreen {
    private(set) var items: [QueueItem] = []
    var cursor = ListCursor()
    private var height = 10
    private var loadError: String?
    let title = "今天 Today"
    /// A branch's queue can be long; beyond this the screen says so rather than pretend.
    static let limit = 3000

    var keys: [KeyHelp] {
        [KeyHelp("j k ↑ ↓", "移动 move"), KeyHelp("Enter", "打开客户 open the customer"),
         KeyHelp("d", "完成 done, with an outcome"), KeyHelp("s", "改期 snooze / reschedule"),
         KeyHelp("c / v", "记电话 / 记走访 log a call / a visit (closes the task when saved)"),
         KeyHelp("n", "新任务 new task for this customer"),
         KeyHelp("R 1…6", "活动回应 a campaign task's answer: 1 reached 2 not reached 3 accepted 4 declined 5 attended 6 no-show"),
         KeyHelp("r", "刷新 refresh")]
    }

    init(_ ctx: AppContext) { reload(ctx) }

    func reload(_ ctx: AppContext) {
        do {
            items = try ctx.store.todayQueue(scope: ctx.scope, today: ctx.today, limit: Self.limit)
            // Prospects' next steps join the queue (the user's own; a lead's whole team's are on the Prospects screen).
            let prospects = (try? ctx.store.prospectQueueItems(owner: ctx.user.staffID, today: ctx.today)) ?? []
            if !prospects.isEmpty { items = (items + prospects).sorted { QueueItem.inQueueOrder($0, $1, today: ctx.today) } }
            loadError = nil
        } catch {
            loadError = error.description
        }
        cursor.clamp(count: items.count, height: height)
    }

    func reappear(_ ctx: AppContext) { reload(ctx) }

    var selected: QueueItem? { cursor.selected < items.count ? items[cursor.selected] : nil }
    var selectedCustomerID: String? { selected?.task.customerID }

    /// After `R` on a campaign's task: the campaign whose answer the next key gives.
    private var answering: Campaign?

    func handle(_ key: Key, _ ctx: AppContext) -> ScreenAction {
        if let campaign = answering, let item = selected {
            answering = nil
            return CampaignAnswer.record(key, campaign: campaign, customerID: item.task.customerID, ctx) { [weak self] in self?.reload(ctx) }
        }
        if cursor.handle(key, count: items.count, height: height) { return .handled }
        switch key {
        case .character("r"):
            reload(ctx)
            return .message("已刷新 refreshed: \(items.count) 项 tasks")
        default: break
        }
        guard let item = selected else { return .unhandled }
        if let prospect = item.prospectID { return handleProspect(key, prospect, ctx) }
        switch key {
        case .enter, .right: return .openCustomer(item.task.customerID)
        case .character("d"): return .push(FormScreens.completeTask(item, ctx))
        case .character("s"): return .push(FormScreens.reschedule(item, ctx))
        case .character("c"): return .push(FormScreens.contact(channel: .call, customerID: item.task.customerID, ctx, taskID: item.task.taskID))
        case .character("v"): return .push(FormScreens.contact(channel: .visit, customerID: item.task.customerID, ctx, taskID: item.task.taskID))
        case .character("n"): return .push(FormScreens.newTask(customerID: item.task.customerID, ctx))
        case .character("R"):
            guard let c = try? ctx.store.openCampaign(customerID: item.task.customerID, taskID: item.task.taskID) else {
                return .error("这不是活动任务 not a campaign's task")
            }
            answering = c
            return .message(CampaignAnswer.prompt(c))
        default: return .unhandled
        }
    }

    /// A prospect's next step: Enter opens the prospects, `s` moves the prospect on (with the next
    /// step), `d` marks the step done.
    private func handleProspect(_ key: Key, _ id: String, _ ctx: AppContext) -> ScreenAction {
        switch key {
        case .enter, .right:
            return .push(ProspectsScreen(ctx))
        case .character("s"):
            guard let p = (try? ctx.store.prospect(id))?.prospect else { return .error("no prospect \(id)") }
            return .push(FormScreens.prospectStage(p) { [weak self] in self?.reload(ctx) })
        case .character("d"):
            do { try ctx.store.setProspectNextStep(id, step: nil, due: nil, by: ctx.user.staffID) } catch { return .error(error.description) }
            reload(ctx)
            return .message("潜客跟进已完成 prospect's step done (s 推进 to set the next)")
        case .character("c"), .character("v"), .character("n"), .character("R"):
            return .error("潜在客户还不是客户 a prospect, not a customer yet: Enter 打开, s 推进 move on, d 完成 done")
        default:
            return .unhandled
        }
    }

    func draw(into b: inout ScreenBuffer, rect: Rect, _ ctx: AppContext) {
        let today = ctx.today
        let counts = Dictionary(grouping: items) { $0.group(today: today) }.mapValues(\.count)
        let summary = QueueItem.Group.allCases.map { "\($0.label) \(counts[$0] ?? 0)" }.joined(separator: "  ·  ")
        let more = items.count >= Self.limit ? "  (只显示前 \(Self.limit) 项 first \(Self.limit) only — :scope mine)" : ""
        b.put("\(today.iso)  \(summary)\(more)", x: rect.x + 1, y: rect.y, role: "title", maxWidth: rect.width - 2)
        if let e = loadError {
            b.put(e, x: rect.x + 1, y: rect.y + 2, role: "status.error", maxWidth: rect.width - 2)
            return
        }
        if items.isEmpty {
            b.put("没有待办 Nothing due in the next 7 days.", x: rect.x + 2, y: rect.y + 2, role: "muted")
            b.put("2 客户 Portfolio · :task 新任务 new task · :log visit 记走访", x: rect.x + 2, y: rect.y + 3, role: "muted")
            return
        }
        let columns = TodayPresenter.columns(width: rect.width - 2)
        TodayPresenter.drawRow(columns.map(\.title), columns: columns, x: rect.x + 1, y: rect.y + 1, into: &b, role: "list.header")
        // The rows with a group header before each group's first task.
        let listRect = Rect(x: rect.x, y: rect.y + 2, width: rect.width, height: rect.height - 5)
        let lines = TodayPresenter.lines(items, today: today)
        height = max(1, listRect.height)
        let selectedLine = lines.firstIndex { $0.itemIndex == cursor.selected } ?? 0
        var first = max(0, min(selectedLine - height / 2, lines.count - height))
        if selectedLine < height { first = 0 }
        for (row, line) in lines[first..<min(lines.count, first + height)].enumerated() {
            let y = listRect.y + row
            guard let i = line.itemIndex else {
                b.put(line.header, x: rect.x + 1, y: y, role: line.headerRole, maxWidth: rect.width - 2)
                continue
            }
            let isSel = i == cursor.selected
            if isSel { b.fill(Rect(x: rect.x, y: y, width: rect.width, height: 1), role: "list.selection.focused") }
            TodayPresenter.drawRow(TodayPresenter.cells(items[i], today: today), columns: columns, x: rect.x + 1, y: y,
                                   into: &b, role: isSel ? "list.selection.focused" : "normal",
                                   tierRole: isSel ? nil : CustomerRowPresenter.tierRole(items[i].tier))
        }
        if let s = selected {
            let y = rect.maxY - 3
            b.put("原因 Why: " + (s.task.reason ?? s.task.title), x: rect.x + 1, y: y, role: "muted", maxWidth: rect.width - 2)
            b.put("紧急 Urgency: " + s.urgency.explanation, x: rect.x + 1, y: y + 1, role: "muted", maxWidth: rect.width - 2)
            b.put("Enter 打开 open · d 完成 done · s 改期 snooze · c 电话 call · v 走访 visit · n 新任务 task · ? 帮助",
                  x: rect.x + 1, y: y + 2, role: "muted", maxWidth: rect.width - 2)
        }
    }
}
