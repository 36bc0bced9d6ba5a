import FurrowStore
import TerminalUI

/// Draws the customer list (or the search results) with a header row and the selection.
enum PortfolioScreen {
    static func draw(_ s: PortfolioState, into b: inout ScreenBuffer, rect: Rect) {
        var (header, list) = rect.splitTop(1)
        if let q = s.query {
            let (line, rest) = header.splitTop(1)
            b.put("/ \(q)▏ \(s.hits.count) 个结果 results (Esc 退出)", in: line, role: "title")
            header = Rect(x: rest.x, y: list.y, width: rest.width, height: 1)
            (_, list) = list.splitTop(1)
        }
        drawRow(CustomerRowPresenter.columns.map(\.title), y: header.y, x: rect.x, into: &b, role: "list.header")
        let rows = s.visible
        if rows.isEmpty {
            b.put(s.query == nil ? "没有客户 No customers." : "没有匹配 No match.", x: rect.x + 1, y: list.y, role: "muted")
            return
        }
        for i in 0..<list.height {
            let index = s.top + i
            guard index < rows.count else { break }
            let c = rows[index]
            let selected = index == s.selected
            if selected { b.fill(Rect(x: rect.x, y: list.y + i, width: rect.width, height: 1), role: "list.selection.focused") }
            drawRow(CustomerRowPresenter.cells(c), y: list.y + i, x: rect.x, into: &b,
                    role: selected ? "list.selection.focused" : CustomerRowPresenter.tierRole(c.tier))
        }
    }

    static func drawRow(_ cells: [String], y: Int, x: Int, into b: inout ScreenBuffer, role: StyleRole) {
        var col = x + 1
        for (cell, column) in zip(cells, CustomerRowPresenter.columns) {
            b.put(cell, in: Rect(x: col, y: y, width: column.width, height: 1), role: role, alignRight: column.alignRight)
            col += column.width + 2
        }
    }
}
