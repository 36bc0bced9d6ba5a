import FurrowCore
import FurrowStore
import TerminalUI

/// An event's attendance, taken on the day: who has a seat (then who waits), Space or Enter
/// for here, `x` for not come, a digit 1–5 for how satisfied an attendee was afterwards.
final class AttendanceScreen: WorkstationScreen {
    let campaign: Campaign
    var title: String { "签到 Attendance: \(campaign.name)" }
    var keys: [KeyHelp] {
        [KeyHelp("j k ↑ ↓", "移动 move"), KeyHelp("Space / Enter", "到场 attended"), KeyHelp("x", "未到场 no-show"),
         KeyHelp("1…5", "满意度 satisfaction of an attendee"), KeyHelp("q / Esc", "返回 back")]
    }
    private(set) var entries: [AppDatabase.ChecklistEntry] = []
    private var cursor = ListCursor()
    private var height = 10

    init(_ campaign: Campaign, _ ctx: AppContext) {
        self.campaign = campaign
        reload(ctx)
    }

    private func reload(_ ctx: AppContext) {
        entries = (try? ctx.store.eventChecklist(campaign.campaignID)) ?? []
        cursor.clamp(count: entries.count, height: height)
    }

    func reappear(_ ctx: AppContext) { reload(ctx) }

    func handle(_ key: Key, _ ctx: AppContext) -> ScreenAction {
        // Space marks, here (it pages in other lists).
        if key != .character(" "), cursor.handle(key, count: entries.count, height: height) { return .handled }
        guard entries.indices.contains(cursor.selected) else { return key == .escape || key == .character("q") ? .close : .unhandled }
        let e = entries[cursor.selected]
        do {
            switch key {
            case .character(" "), .enter:
                try ctx.store.recordCampaignResponse(campaign.campaignID, customerID: e.customerID, response: .attended, channel: .event,
                                                     by: ctx.user.staffID)
            case .character("x"):
                try ctx.store.recordCampaignResponse(campaign.campaignID, customerID: e.customerID, response: .noShow, channel: .event,
                                                     by: ctx.user.staffID)
            case .character(let c) where ("1"..."5").contains(c):
                try ctx.store.recordEventSatisfaction(campaign.campaignID, customerID: e.customerID, score: Int(String(c))!, by: ctx.user.staffID)
            case .escape, .character("q"):
                return .close
            default:
                return .unhandled
            }
        } catch {
            return .error(error.description)
        }
        reload(ctx)
        if key == .character(" ") || key == .enter || key == .character("x") { cursor.selected = min(cursor.selected + 1, entries.count - 1) }
        return .handled
    }

    func draw(into b: inout ScreenBuffer, rect: Rect, _ ctx: AppContext) {
        let seated = entries.filter { $0.seat == "seated" }.count
        let here = entries.filter { $0.response == .attended }.count
        b.put("\(campaign.venue ?? "—")  \(campaign.eventAt ?? "")  座位 seats \(seated)\(campaign.capacity.map { "/\($0)" } ?? "")"
              + "  到场 here \(here)  候补 waiting \(entries.count - seated)", x: rect.x + 1, y: rect.y, role: "title", maxWidth: rect.width - 2)
        b.put(DisplayWidth.pad("客户 Customer", to: 16) + DisplayWidth.pad("座位 Seat", to: 12) + DisplayWidth.pad("签到 Here", to: 14) + "满意 Satisfied",
              x: rect.x + 1, y: rect.y + 2, role: "list.header", maxWidth: rect.width - 2)
        height = max(1, rect.height - 4)
        if entries.isEmpty {
            b.put("还没有人接受邀请 nobody has accepted yet", x: rect.x + 1, y: rect.y + 3, role: "muted", maxWidth: rect.width - 2)
            return
        }
        var y = rect.y + 3
        for i in cursor.top..<min(entries.count, cursor.top + height) {
            let e = entries[i]
            let seat = e.seat == "seated" ? "有座 seated" : "候补 waiting"
            let here = switch e.response { case .attended: "✓ 到场 here"; case .noShow: "✗ 未到 absent"; default: "—" }
            let line = DisplayWidth.pad(e.name, to: 16) + DisplayWidth.pad(seat, to: 12) + DisplayWidth.pad(here, to: 14)
                + (e.satisfaction.map { String(repeating: "★", count: $0) } ?? "")
            let sel = i == cursor.selected
            if sel { b.fill(Rect(x: rect.x, y: y, width: rect.width, height: 1), role: "list.selection.focused") }
            b.put(line, x: rect.x + 1, y: y, role: sel ? "list.selection.focused" : "normal", maxWidth: rect.width - 2)
            y += 1
        }
    }
}
