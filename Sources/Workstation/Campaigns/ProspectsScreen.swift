import FurrowCore
import FurrowStore
import TerminalUI

/// Prospects (潜在客户): the user's people who are not customers yet, by stage; `n` adds one,
/// `s` moves the selected one on (or marks it lost, with the reason), `y`/`n`… a possible match
/// with a new customer is confirmed or turned down by the RM — never merged on a guess.
final class ProspectsScreen: WorkstationScreen {
    let title = "潜在客户 Prospects"
    var keys: [KeyHelp] {
        [KeyHelp("j k ↑ ↓", "移动 move"), KeyHelp("n", "新潜客 add a prospect"), KeyHelp("s", "推进 move to the next stage / lost"),
         KeyHelp("o", "外拓日 log an outreach day (then n adds the people met)"),
         KeyHelp("Y / N", "可能是同一人: 是 / 不是 a possible match with a customer: same / different"), KeyHelp("q / Esc", "返回 back")]
    }
    private(set) var rows: [Prospect] = []
    private var matches: [String: [(customerID: String, name: String, why: String)]] = [:]
    private var outreach: [(id: String, place: String, day: String, staff: String, met: Int, prospects: Int)] = []
    private var cursor = ListCursor()
    private var height = 10

    init(_ ctx: AppContext) { reload(ctx) }

    func reload(_ ctx: AppContext) {
        rows = (try? ctx.store.prospects(owner: ctx.user.role == .rm ? ctx.user.staffID : nil)) ?? []
        matches = (try? ctx.store.possibleProspectMatches()) ?? [:]
        outreach = (try? ctx.store.outreachLogs()) ?? []
        cursor.clamp(count: rows.count, height: height)
    }

    func reappear(_ ctx: AppContext) { reload(ctx) }

    func handle(_ key: Key, _ ctx: AppContext) -> ScreenAction {
        if cursor.handle(key, count: rows.count, height: height) { return .handled }
        switch key {
        case .escape, .character("q"): return .close
        case .character("n"): return .push(FormScreens.newProspect(ctx) { [weak self] in self?.reload(ctx) })
        case .character("o"): return .push(FormScreens.outreachDay(ctx) { [weak self] in self?.reload(ctx) })
        default: break
        }
        guard rows.indices.contains(cursor.selected) else { return .unhandled }
        let p = rows[cursor.selected]
        switch key {
        case .character("s"):
            guard !p.stage.next.isEmpty else { return .error("\(p.stage.label): 已结束 nothing further") }
            return .push(FormScreens.prospectStage(p) { [weak self] in self?.reload(ctx) })
        case .character("Y"), .character("N"):
            guard let m = matches[p.prospectID]?.first else { return .error("没有待确认的匹配 no possible match to confirm") }
            do { try ctx.store.confirmProspectMatch(p.prospectID, customerID: m.customerID, same: key == .character("Y"), by: ctx.user.staffID) } catch {
                return .error(error.description)
            }
            reload(ctx)
            return .message(key == .character("Y") ? "已确认 \(p.name) = \(m.customerID) \(m.name): 已开户 converted" : "不是同一人 not the same person")
        default:
            return .unhandled
        }
    }

    func draw(into b: inout ScreenBuffer, rect: Rect, _ ctx: AppContext) {
        let counts = Dictionary(grouping: rows, by: \.stage).mapValues(\.count)
        b.put(Prospect.Stage.allCases.map { "\($0.label) \(counts[$0] ?? 0)" }.joined(separator: " · "), x: rect.x + 1, y: rect.y, role: "title",
              maxWidth: rect.width - 2)
        if let last = outreach.first {
            b.put("外拓 outreach: \(outreach.count) 天 days · 最近 last \(last.day) \(last.place) 见 met \(last.met) → 潜客 prospects \(last.prospects)",
                  x: rect.x + 1, y: rect.y + 1, role: "muted", maxWidth: rect.width - 2)
        }
        b.put(DisplayWidth.pad("姓名 Name", to: 10) + DisplayWidth.pad("手机 Mobile", to: 14) + DisplayWidth.pad("阶段 Stage", to: 18)
              + DisplayWidth.pad("来源 Source", to: 18) + "说明 Note", x: rect.x + 1, y: rect.y + 2, role: "list.header", maxWidth: rect.width - 2)
        height = max(1, rect.height - 4)
        if rows.isEmpty {
            b.put("还没有潜在客户 no prospects yet: n 新增 adds one", x: rect.x + 1, y: rect.y + 3, role: "muted", maxWidth: rect.width - 2)
            return
        }
        var y = rect.y + 3
        for i in cursor.top..<min(rows.count, cursor.top + height) {
            let p = rows[i]
            var note = p.interest ?? ""
            if let step = p.nextStep, let due = p.nextStepDue {
                note = "\(due < ctx.today ? "⚠ 逾期 overdue " : "")\(String(due.iso.dropFirst(5))) \(step)"
            }
            if let m = matches[p.prospectID]?.first { note = "⚠ 可能是 may be \(m.customerID) \(m.name) (\(m.why)): Y/N" }
            if let c = p.customerID { note = "→ \(c)" }
            if let r = p.lostReason { note = r }
            let line = DisplayWidth.pad(p.name, to: 10) + DisplayWidth.pad(p.mobile.map(Masking.mobile) ?? "—", to: 14)
                + DisplayWidth.pad(p.stage.label, to: 18) + DisplayWidth.pad(p.source.label, to: 18) + note
            let sel = i == cursor.selected
            if sel { b.fill(Rect(x: rect.x, y: y, width: rect.width, height: 1), role: "list.selection.focused") }
            let late = p.nextStepDue.map { $0 < ctx.today } ?? false
            b.put(line, x: rect.x + 1, y: y, role: sel ? "list.selection.focused" : (matches[p.prospectID] != nil || late ? "flag.warning" : "normal"),
                  maxWidth: rect.width - 2)
            y += 1
        }
    }
}
