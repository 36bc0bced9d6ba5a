import FurrowCore
import FurrowStore
import TerminalUI

/// Campaigns: the list on the left, the selected one's funnel on the right (per RM, with a bar
/// chart). A lead creates one (`n`), builds its list (`b`: who is in, who is left off and why)
/// and launches it (`l`: a task in each RM's queue); everyone sees how it goes.
final class CampaignsScreen: WorkstationScreen {
    let title = "活动 Campaigns"
    var keys: [KeyHelp] {
        [KeyHelp("j k ↑ ↓", "选择活动 choose a campaign"), KeyHelp("n", "新活动 new campaign (leads)"),
         KeyHelp("b", "生成名单 build the list: the target, then the rules"), KeyHelp("l", "发起 launch: a task in each RM's queue (asks first)"),
         KeyHelp("a", "签到 an event's attendance on the day"), KeyHelp("p", "潜在客户 prospects"),
         KeyHelp("r", "刷新 refresh"), KeyHelp("R 1…6", "(今天/客户) 记录回应 answer a contact on Today or the profile")]
    }

    var cursor = ListCursor()
    private(set) var campaigns: [Campaign] = []
    private var report: Report?
    private var funnel: AppDatabase.CampaignFunnel?
    private var error: String?
    private var loaded = false
    private var listHeight = 10
    private var panel: (width: Int, lines: [ReportLayout.Line])?

    init(_ ctx: AppContext) {}

    func reappear(_ ctx: AppContext) { loaded = false }

    private var selected: Campaign? { campaigns.indices.contains(cursor.selected) ? campaigns[cursor.selected] : nil }
    private func mayRun(_ ctx: AppContext) -> Bool { ctx.user.role != .rm }

    private func load(_ ctx: AppContext) {
        campaigns = (try? ctx.store.campaigns()) ?? []
        cursor.clamp(count: campaigns.count, height: listHeight)
        loadReport(ctx)
        loaded = true
    }

    private func loadReport(_ ctx: AppContext) {
        panel = nil
        guard let c = selected else { report = nil; funnel = nil; return }
        do {
            let f = try ctx.store.campaignFunnel(c.campaignID)
            funnel = f
            report = try ctx.store.campaignReport(c.campaignID, funnel: f)
            error = nil
        } catch {
            report = nil
            self.error = error.description
        }
    }

    func handle(_ key: Key, _ ctx: AppContext) -> ScreenAction {
        if !loaded { load(ctx) }
        let before = cursor.selected
        if cursor.handle(key, count: campaigns.count, height: listHeight) {
            if cursor.selected != before { loadReport(ctx) }
            return .handled
        }
        switch key {
        case .character("r"):
            load(ctx)
            return .message("已刷新 refreshed")
        case .character("n"):
            guard mayRun(ctx) else { return .error("活动由组长发起 a team lead creates campaigns") }
            return .push(FormScreens.newCampaign(ctx) { [weak self] in self?.loaded = false })
        case .character("b"):
            guard mayRun(ctx) else { return .error("活动由组长发起 a team lead builds the list") }
            guard let c = selected else { return .error("还没有活动 no campaign yet: n") }
            do {
                let list = try ctx.store.buildCampaignList(c.campaignID, rules: ctx.rules, asOf: ctx.today, by: ctx.user.staffID)
                loadReport(ctx)
                let why = list.exclusionCounts.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\($0.key.label) \($0.value)" }
                return .message("名单 list: \(list.targeted.count) 人 targeted, \(list.excluded.count) 排除 excluded"
                                + (why.isEmpty ? "" : " (" + why.joined(separator: ", ") + ")"))
            } catch {
                return .error(error.description)
            }
        case .character("p"):
            return .push(ProspectsScreen(ctx))
        case .character("a"):
            guard let c = selected, c.kind == .event else { return .error("签到用于活动 attendance is for events") }
            guard c.status == .launched else { return .error("活动还没发起 launch the event first") }
            return .push(AttendanceScreen(c, ctx))
        case .character("l"):
            guard mayRun(ctx) else { return .error("活动由组长发起 a team lead launches campaigns") }
            guard let c = selected else { return .error("还没有活动 no campaign yet: n") }
            let members = funnel?.total.targeted ?? 0
            return .push(ConfirmScreen(title: "发起活动? Launch \(c.name)?",
                                       lines: ["\(members) 位客户的联系任务进入客户经理的今日 \(members) contact tasks go to the RMs' Today",
                                               "发起后名单不再改变 the list is fixed once launched"]) { [weak self] ctx in
                do {
                    let s = try ctx.store.launchCampaign(c.campaignID, asOf: ctx.today, by: ctx.user.staffID)
                    self?.loaded = false
                    return .closeWith("已发起 launched: \(s.total) 项 tasks (\(s.linked) 项已在队列 already queued)")
                } catch {
                    return .error("\(error)")
                }
            })
        default:
            return .unhandled
        }
    }

    func draw(into b: inout ScreenBuffer, rect: Rect, _ ctx: AppContext) {
        if !loaded { load(ctx) }
        let listWidth = 26
        b.put("活动 campaigns \(campaigns.count)", x: rect.x + 1, y: rect.y, role: "muted", maxWidth: listWidth - 1)
        if campaigns.isEmpty {
            b.put(mayRun(ctx) ? "还没有活动 no campaigns yet: n 新建 creates one" : "还没有活动 no campaigns yet",
                  x: rect.x + 1, y: rect.y + 2, role: "muted", maxWidth: rect.width - 2)
            return
        }
        listHeight = max(1, rect.height - 2)
        for i in cursor.top..<min(campaigns.count, cursor.top + listHeight) {
            let c = campaigns[i], row = i - cursor.top
            let sel = i == cursor.selected
            let state = switch c.status { case .draft: "草稿"; case .launched: "进行"; case .closed: "结束" }
            b.put(DisplayWidth.pad((sel ? "▸ " : "  ") + state + " " + c.name, to: listWidth), x: rect.x, y: rect.y + 1 + row,
                  role: sel ? "list.selection.focused" : "normal", maxWidth: listWidth)
        }
        let area = Rect(x: rect.x + listWidth + 2, y: rect.y, width: rect.width - listWidth - 3, height: rect.height - 1)
        if let error {
            b.put(error, x: area.x, y: area.y, role: "status.error", maxWidth: area.width)
        } else if let report, let funnel, let c = selected {
            // Laid out once per campaign and width, not on every frame.
            if panel?.width != area.width { panel = (area.width, panelLines(report, funnel, c, width: area.width)) }
            var y = area.y
            for line in panel?.lines ?? [] where y < area.maxY {
                b.put(line.text, x: area.x, y: y, role: line.role, maxWidth: area.width)
                y += 1
            }
        }
        b.put("n 新建 · b 生成名单 build · l 发起 launch · a 签到 attendance · p 潜在客户 prospects · 同样 furrow campaign …", x: rect.x + 1, y: rect.maxY - 1, role: "muted",
              maxWidth: rect.width - 2)
    }

    /// The selected campaign's panel: the funnel as bars, the amount, the exclusions, the table per RM.
    private func panelLines(_ report: Report, _ funnel: AppDatabase.CampaignFunnel, _ c: Campaign, width: Int) -> [ReportLayout.Line] {
        var lines = [ReportLayout.Line(text: report.title, role: "title"),
                     ReportLayout.Line(text: "目标 target: " + (c.target.text.isEmpty ? "全部 everyone" : c.target.text), role: "muted")]
        if !c.products.isEmpty { lines.append(ReportLayout.Line(text: "产品 products: " + c.products.joined(separator: ", "), role: "muted")) }
        lines.append(ReportLayout.Line(text: "", role: "normal"))
        // The funnel, step by step: what a lead reads first.
        let t = funnel.total
        var steps: [(String, Int)] = [("目标 targeted", t.targeted), ("联系 contacted", t.contacted), ("联系上 reached", t.reached),
                                      ("接受 accepted", t.accepted)]
        if c.kind == .event { steps.append(("到场 attended", t.attended)) }
        steps.append(("成交 converted", t.converted))
        lines += BarChart.lines(steps.map { (label: $0.0, value: Int64($0.1), shown: String($0.1)) }, width: width, labelWidth: 16)
            .map { ReportLayout.Line(text: $0, role: "chart.bar") }
        if t.converted > 0 { lines.append(ReportLayout.Line(text: "成交金额 converted amount ¥\(Money(fen: t.amountFen).formatted())", role: "title")) }
        let excluded = funnel.excluded.values.reduce(0, +)
        lines.append(ReportLayout.Line(text: "排除 excluded \(excluded)" + (excluded == 0 ? "" : ": " + funnel.excluded.sorted { $0.key < $1.key }
            .map { "\(CampaignExclusion(rawValue: $0.key)?.label ?? $0.key) \($0.value)" }.joined(separator: ", ")), role: "muted"))
        lines.append(ReportLayout.Line(text: "", role: "normal"))
        // Per RM: the report's table (its own chart and notes say the same as above).
        var table = report
        table.title = "每位客户经理 per RM"
        table.notes = []
        table.chart = nil
        lines += ReportLayout.lines(table, width: width)
        return lines
    }
}
