import TerminalUI

/// `?`: the keys of the screen on top, then the keys that work everywhere.
enum HelpScreen {
    static let global: [KeyHelp] = [
        KeyHelp("1 … 6, Tab", "今天 Today · 客户 Portfolio · 投诉 Complaints · 报表 Reports · 同步 Sync · 活动 Campaigns"),
        KeyHelp("/", "找客户 find a customer from any screen (王, zsf, zhang, phone or ID suffix)"),
        KeyHelp(":", "命令 command: log call, log visit, find 王, task, complaint, note, theme NAME, view, scope, drafts, quit"),
        KeyHelp("q / Esc", "返回 back (q on a main screen quits)"),
        KeyHelp("Ctrl-L", "隐私 blank and lock the screen now"),
        KeyHelp("Ctrl-Z", "挂起 suspend (fg to come back)"),
        KeyHelp("Ctrl-C", "退出 quit (drafts are kept)"),
        KeyHelp("?", "帮助 this help"),
    ]

    static func draw(screenKeys: [KeyHelp], screenTitle: String, into b: inout ScreenBuffer, rect: Rect) {
        b.fill(rect, role: "normal")
        var y = rect.y
        b.put("按键 Keys — \(screenTitle)   (any key closes 任意键关闭)", x: rect.x + 1, y: y, role: "title")
        y += 2
        for k in screenKeys where y < rect.maxY - global.count - 2 {
            b.put(DisplayWidth.pad(k.keys, to: 16) + k.what, x: rect.x + 2, y: y, maxWidth: rect.width - 3)
            y += 1
        }
        y += 1
        b.put("全局 Everywhere", x: rect.x + 1, y: y, role: "list.header")
        y += 1
        for k in global where y < rect.maxY {
            b.put(DisplayWidth.pad(k.keys, to: 16) + k.what, x: rect.x + 2, y: y, maxWidth: rect.width - 3)
            y += 1
        }
    }
}
