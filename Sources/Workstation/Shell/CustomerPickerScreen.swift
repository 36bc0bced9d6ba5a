import FurrowStore
import TerminalUI

/// Choose a customer by any search class (name, pinyin, initials, phone or ID suffix), then
/// open what it was picked for.
final class CustomerPickerScreen: WorkstationScreen {
    var query: LineEditor
    var hits: [SearchHit] = []
    var selected = 0
    let then: (String) -> any WorkstationScreen
    let title = "选择客户 Choose a customer"
    var capturesText: Bool { true }
    var keys: [KeyHelp] { [KeyHelp("type", "搜索 search"), KeyHelp("↑ ↓", "选择 choose"), KeyHelp("Enter", "确定 pick"), KeyHelp("Esc", "取消 cancel")] }

    init(query: String, _ ctx: AppContext, then: @escaping (String) -> any WorkstationScreen) {
        self.query = LineEditor(query, maxLength: 40)
        self.then = then
        search(ctx)
    }

    private func search(_ ctx: AppContext) {
        hits = (try? ctx.store.search(query.text, limit: 50)) ?? []
        selected = 0
    }

    func handle(_ key: Key, _ ctx: AppContext) -> ScreenAction {
        switch key {
        case .escape: return .close
        case .up: selected = max(0, selected - 1)
        case .down: selected = min(max(0, hits.count - 1), selected + 1)
        case .enter:
            guard selected < hits.count else { return .handled }
            return .replace(then(hits[selected].customer.customerID))
        default:
            let before = query.text
            _ = query.handle(key)
            if query.text != before { search(ctx) }
        }
        return .handled
    }

    func draw(into b: inout ScreenBuffer, rect: Rect, _ ctx: AppContext) {
        b.put(title, x: rect.x + 1, y: rect.y, role: "title")
        b.put("/", x: rect.x + 1, y: rect.y + 1)
        query.draw(into: &b, rect: Rect(x: rect.x + 3, y: rect.y + 1, width: 30, height: 1), role: "form.field.focused",
                   cursorRole: "list.selection.focused", focused: true)
        b.put("\(hits.count) 个结果 results", x: rect.x + 35, y: rect.y + 1, role: "muted")
        for (i, h) in hits.enumerated() where rect.y + 3 + i < rect.maxY {
            let role: StyleRole = i == selected ? "list.selection.focused" : "normal"
            if i == selected { b.fill(Rect(x: rect.x, y: rect.y + 3 + i, width: rect.width, height: 1), role: role) }
            b.put(CustomerRowPresenter.pickerLine(h.customer), x: rect.x + 2, y: rect.y + 3 + i, role: role,
                  maxWidth: rect.width - 3)
        }
    }
}
