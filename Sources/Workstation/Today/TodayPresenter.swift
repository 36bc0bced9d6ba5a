import FurrowCore
import FurrowStore
import TerminalUI

/// The Today rows as text (pure: the date comes in, nothing is read).
enum TodayPresenter {
    struct Column {
        var title: String
        var width: Int
        var alignRight = false
    }

    struct Line {
        var itemIndex: Int?
        var header = ""
        var headerRole: StyleRole = "list.header"
    }

    static func columns(width: Int) -> [Column] {
        let fixed = 12 + 8 + 12 + 4 + 4 + 5 * 2
        return [
            Column(title: "客户", width: 12), Column(title: "层级", width: 8),
            Column(title: "待办 Task", width: max(10, width - fixed)), Column(title: "到期 Due", width: 12),
            Column(title: "优先", width: 4), Column(title: "紧急", width: 4, alignRight: true),
        ]
    }

    static func lines(_ items: [QueueItem], today: CalendarDate) -> [Line] {
        var out: [Line] = []
        var group: QueueItem.Group?
        for (i, item) in items.enumerated() {
            let g = item.group(today: today)
            if g != group {
                let count = items.filter { $0.group(today: today) == g }.count
                out.append(Line(itemIndex: nil, header: "\(g.label) (\(count))",
                                headerRole: g == .overdue ? "badge.overdue" : g == .today ? "badge.today" : "badge.upcoming"))
                group = g
            }
            out.append(Line(itemIndex: i))
        }
        return out
    }

    static func due(_ day: CalendarDate, today: CalendarDate) -> String {
        let d = today.days(until: day)
        let md = String(day.iso.dropFirst(5))
        if d < 0 { return "\(md) 逾\(-d)天" }
        if d == 0 { return "\(md) 今天" }
        return "\(md) \(d)天后"
    }

    static func cells(_ item: QueueItem, today: CalendarDate) -> [String] {
        [item.customerName, item.tier.label, item.task.title, due(item.task.dueOn, today: today), item.task.priority.label,
         String(item.urgency.score)]
    }

    static func drawRow(_ cells: [String], columns: [Column], x: Int, y: Int, into b: inout ScreenBuffer,
                        role: StyleRole, tierRole: StyleRole? = nil) {
        var col = x
        for (i, (cell, column)) in zip(cells, columns).enumerated() {
            b.put(cell, in: Rect(x: col, y: y, width: column.width, height: 1), role: i == 1 ? (tierRole ?? role) : role,
                  alignRight: column.alignRight)
            col += column.width + 2
        }
    }
}
