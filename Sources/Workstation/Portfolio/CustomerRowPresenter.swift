import FurrowCore
import FurrowStore
import TerminalUI

/// What a customer list shows, from domain values only (no terminal, no store): personal data
/// masked, money shortened to fit, tiers as their Chinese names with a style role. Columns that
/// do not fit the width are left out, least important first.
enum CustomerRowPresenter {
    struct Column: Sendable {
        var id: String
        var title: String
        var width: Int
        var alignRight = false
        /// Lower is dropped later when the terminal is narrow.
        var keep: Int
    }

    static let all: [Column] = [
        Column(id: "name", title: "姓名 Name", width: 12, keep: 0),
        Column(id: "tier", title: "层级", width: 8, keep: 1),
        Column(id: "aum", title: "AUM ¥", width: 13, alignRight: true, keep: 0),
        Column(id: "change", title: "30天变化", width: 10, alignRight: true, keep: 2),
        Column(id: "last", title: "最近联系", width: 10, keep: 2),
        Column(id: "next", title: "下次待办", width: 10, keep: 3),
        Column(id: "flags", title: "提示 Flags", width: 14, keep: 3),
        Column(id: "mobile", title: "手机", width: 11, keep: 5),
        Column(id: "village", title: "村/社区", width: 12, keep: 6),
        Column(id: "id", title: "客户号", width: 10, keep: 7),
    ]

    /// The columns that fit in `width` (2 spaces between columns), in display order.
    static func columns(width: Int) -> [Column] {
        var chosen = all
        while chosen.reduce(0, { $0 + $1.width + 2 }) > width, let drop = chosen.max(by: { $0.keep < $1.keep }),
              drop.keep > 0 {
            chosen.removeAll { $0.id == drop.id }
        }
        return chosen
    }

    static func flags(_ d: CustomerRowDetails?) -> String {
        guard let d else { return "" }
        var f: [String] = []
        if d.openComplaints > 0 { f.append("投诉!") }
        if d.riskExpired { f.append("测评过期") }
        return f.joined(separator: " ")
    }

    static func cell(_ column: Column, _ c: CustomerSummary, _ d: CustomerRowDetails?) -> String {
        switch column.id {
        case "name": c.name
        case "tier": c.tier.label
        case "aum": c.aum.formatted(maxWidth: column.width)
        case "change": d?.aumChange.map { ($0.fen > 0 ? "+" : "") + $0.formattedWan() } ?? "—"
        case "last": c.lastContactAt.map { String($0.prefix(10)) } ?? "从未 never"
        case "next": d?.nextTaskDue?.iso ?? ""
        case "flags": flags(d)
        case "mobile": c.mobile.map(Masking.mobile) ?? ""
        case "village": c.village ?? ""
        case "id": c.customerID
        default: ""
        }
    }

    static func cellRole(_ column: Column, _ c: CustomerSummary, _ d: CustomerRowDetails?) -> StyleRole? {
        switch column.id {
        case "tier": tierRole(c.tier)
        case "change": d?.aumChange.map { $0.fen < 0 ? "money.down" : "money.up" }
        case "flags": "flag.warning"
        default: nil
        }
    }

    static func tierRole(_ t: Tier) -> StyleRole { StyleRole("tier.\(t.rawValue)") }

    /// One line for pickers: name, id, tier, masked phone, village.
    static func pickerLine(_ c: CustomerSummary) -> String {
        "\(DisplayWidth.pad(c.name, to: 12))  \(c.customerID)  \(DisplayWidth.pad(c.tier.label, to: 8))  "
            + "\(c.mobile.map(Masking.mobile) ?? "")  \(c.village ?? "")"
    }

    static func drawHeader(_ columns: [Column], x: Int, y: Int, into b: inout ScreenBuffer) {
        var col = x
        for column in columns {
            b.put(column.title, in: Rect(x: col, y: y, width: column.width, height: 1), role: "list.header",
                  alignRight: column.alignRight)
            col += column.width + 2
        }
    }

    static func drawRow(_ c: CustomerSummary, _ d: CustomerRowDetails?, columns: [Column], x: Int, y: Int,
                        selected: Bool, into b: inout ScreenBuffer) {
        var col = x
        for column in columns {
            let role: StyleRole = selected ? "list.selection.focused" : (cellRole(column, c, d) ?? "normal")
            b.put(cell(column, c, d), in: Rect(x: col, y: y, width: column.width, height: 1), role: role,
                  alignRight: column.alignRight)
            col += column.width + 2
        }
    }
}
