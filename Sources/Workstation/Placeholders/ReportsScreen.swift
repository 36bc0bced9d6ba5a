import FurrowCore
import FurrowStore
import TerminalUI

/// Reports: the rules-and-reports issue fills this screen. Until then it shows what the store
/// already knows for the scope — customers and AUM by tier, and the task queue's state.
final class ReportsScreen: WorkstationScreen {
    let title = "报表 Reports"
    var keys: [KeyHelp] { [KeyHelp("r", "刷新 refresh")] }
    private var tiers: [(Tier, Int, Money)] = []
    private var queue: [QueueItem.Group: Int] = [:]
    private var loaded = false

    init(_ ctx: AppContext) {}

    private var error: String?
    private var loadedScope: PortfolioScope?

    /// Read when first shown and when the scope changes; `r` reads again (a branch-wide count
    /// reads every customer, so not on every visit).
    func reappear(_ ctx: AppContext) { if loadedScope != ctx.scope { loaded = false } }

    private func load(_ ctx: AppContext) {
        loadedScope = ctx.scope
        do { tiers = try ctx.store.tierSummary(scope: ctx.scope); error = nil } catch { self.error = error.description }
        let today = ctx.today
        queue = Dictionary(grouping: (try? ctx.store.todayQueue(scope: ctx.scope, today: today)) ?? []) { $0.group(today: today) }
            .mapValues(\.count)
        loaded = true
    }

    func handle(_ key: Key, _ ctx: AppContext) -> ScreenAction {
        if key == .character("r") { load(ctx); return .message("已刷新 refreshed") }
        return .unhandled
    }

    func draw(into b: inout ScreenBuffer, rect: Rect, _ ctx: AppContext) {
        if !loaded { load(ctx) }
        var y = rect.y
        b.put("\(ctx.scopeLabel) — 客户分层 Customers by tier", x: rect.x + 1, y: y, role: "title")
        if let error { b.put(error, x: rect.x + 1, y: y + 1, role: "status.error", maxWidth: rect.width - 2) }
        y += 2
        let bars = BarChart.lines(tiers.map { ($0.0.label, Int64($0.1), "\($0.1) 位 · ¥\($0.2.formattedWan())") },
                                  width: min(rect.width - 2, 90))
        for line in bars { b.put(line, x: rect.x + 2, y: y, role: "chart.bar", maxWidth: rect.width - 3); y += 1 }
        y += 1
        b.put("待办 Queue: " + QueueItem.Group.allCases.map { "\($0.label) \(queue[$0] ?? 0)" }.joined(separator: " · "),
              x: rect.x + 1, y: y, maxWidth: rect.width - 2)
        y += 2
        b.put("更多报表 (tiers over time, segments, NPS, churn) arrive with the rules and reports work.", x: rect.x + 1, y: y,
              role: "muted", maxWidth: rect.width - 2)
    }
}
