import FurrowCore
import FurrowStore
import TerminalUI

/// Reports: the list on the left, the chosen report on the right — its table, then a bar chart
/// where a picture reads faster. A report is read when chosen (and again with `r`), never
/// while drawing; the scope is the user's (an RM sees their own customers).
final class ReportsScreen: WorkstationScreen {
    let title = "报表 Reports"
    var keys: [KeyHelp] {
        [KeyHelp("j k ↑ ↓", "选择报表 choose a report"), KeyHelp("Enter / →", "打开 show it"), KeyHelp("r", "重新读取 read again"),
         KeyHelp("[ ]", "上月 / 下月 month back / forward (month reports)")]
    }

    var cursor = ListCursor()
    private(set) var report: Report?
    private var error: String?
    /// For month reports: how many months before the latest (0 = the latest).
    private var monthsBack = 0
    private var loadedFor: (ReportName, PortfolioScope, Int)?

    init(_ ctx: AppContext) {}

    var selected: ReportName { ReportName.allCases[cursor.selected] }

    func reappear(_ ctx: AppContext) {
        if let l = loadedFor, l.1 != ctx.scope { load(ctx) }
    }

    private func request(_ ctx: AppContext) -> ReportRequest {
        var q = ReportRequest()
        if case .rm(let id) = ctx.scope { q.rm = id }
        if monthsBack > 0, [.tiers, .aum, .payroll, .migration].contains(selected) {
            q.to = ReportQueriesMonth.back(from: ctx.today.monthKey, monthsBack)
        }
        return q
    }

    private func load(_ ctx: AppContext) {
        do {
            report = try ctx.store.report(selected, request(ctx), today: ctx.today, rules: ctx.rules)
            error = nil
        } catch {
            report = nil
            self.error = error.description
        }
        loadedFor = (selected, ctx.scope, monthsBack)
    }

    func handle(_ key: Key, _ ctx: AppContext) -> ScreenAction {
        let before = cursor.selected
        if cursor.handle(key, count: ReportName.allCases.count, height: ReportName.allCases.count) {
            if cursor.selected != before { monthsBack = 0; load(ctx) }
            return .handled
        }
        switch key {
        case .enter, .right, .character("r"): load(ctx)
        case .character("["): monthsBack = min(11, monthsBack + 1); load(ctx)
        case .character("]"): monthsBack = max(0, monthsBack - 1); load(ctx)
        default: return .unhandled
        }
        return .handled
    }

    func draw(into b: inout ScreenBuffer, rect: Rect, _ ctx: AppContext) {
        if loadedFor == nil { load(ctx) }
        let listWidth = 22
        for (i, name) in ReportName.allCases.enumerated() where rect.y + 1 + i < rect.maxY {
            let sel = i == cursor.selected
            b.put(DisplayWidth.pad((sel ? "▸ " : "  ") + name.label, to: listWidth), x: rect.x, y: rect.y + 1 + i,
                  role: sel ? "list.selection.focused" : "normal", maxWidth: listWidth)
        }
        b.put(ctx.scopeLabel, x: rect.x + 1, y: rect.y, role: "muted", maxWidth: listWidth - 1)
        let area = Rect(x: rect.x + listWidth + 2, y: rect.y, width: rect.width - listWidth - 3, height: rect.height - 1)
        if let error {
            b.put(error, x: area.x, y: area.y, role: "status.error", maxWidth: area.width)
        } else if let report {
            var y = area.y
            for line in ReportLayout.lines(report, width: area.width) where y < area.maxY {
                b.put(line.text, x: area.x, y: y, role: line.role, maxWidth: area.width)
                y += 1
            }
        }
        b.put("↑↓ 报表 · Enter 打开 · [ ] 月份 month · r 刷新 · 同样的报表 furrow report NAME", x: rect.x + 1, y: rect.maxY - 1,
              role: "muted", maxWidth: rect.width - 2)
    }
}

enum ReportQueriesMonth {
    static func back(from month: String, _ n: Int) -> String {
        var y = Int(month.prefix(4))!, m = Int(month.suffix(2))! - n
        while m < 1 { m += 12; y -= 1 }
        return "\(y)-\(m < 10 ? "0" : "")\(m)"
    }
}

/// A report as screen lines: title, the table aligned by display width, a bar chart.
public enum ReportLayout {
    public struct Line: Sendable { public var text: String; public var role: StyleRole }

    public static func lines(_ r: Report, width: Int) -> [Line] {
        var out = [Line(text: r.title, role: "title")]
        let cells = (r.rows + (r.totals.map { [$0] } ?? [])).map { row in zip(row, r.columns).map { Report.text($0, kind: $1.kind) } }
        let titles = r.columns.map(\.title)
        var widths = r.columns.indices.map { i in min(24, ([titles[i]] + cells.map { $0[i] }).map { DisplayWidth.of($0) }.max() ?? 4) }
        // Drop columns from the right until the table fits.
        var shown = r.columns.count
        while shown > 1, widths.prefix(shown).reduce(0, { $0 + $1 + 2 }) > width { shown -= 1 }
        widths = Array(widths.prefix(shown))
        func row(_ c: [String]) -> String {
            zip(c.prefix(shown), zip(widths, r.columns.prefix(shown))).map { text, wc in
                DisplayWidth.pad(text, to: wc.0, alignRight: wc.1.kind != .text && wc.1.kind != .month)
            }.joined(separator: "  ")
        }
        out.append(Line(text: row(titles), role: "list.header"))
        for (i, c) in cells.enumerated() {
            out.append(Line(text: row(c), role: r.totals != nil && i == cells.count - 1 ? "title" : "normal"))
        }
        if let chart = r.chart, let li = r.column(chart.label), let vi = r.column(chart.value) {
            let items = r.rows.compactMap { row -> (label: String, value: Int64, shown: String)? in
                guard let n = row[vi].number, n >= 0 else { return nil }
                return (Report.text(row[li], kind: .text), Int64((n * 1000).rounded()), Report.text(row[vi], kind: r.columns[vi].kind))
            }
            if !items.isEmpty {
                out.append(Line(text: "", role: "normal"))
                out += BarChart.lines(items, width: width, labelWidth: 14).map { Line(text: $0, role: "chart.bar") }
            }
        }
        for n in r.notes { out.append(Line(text: "· " + n, role: "muted")) }
        return out
    }
}
