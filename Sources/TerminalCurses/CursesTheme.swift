import CNcursesw
import TerminalUI

/// How style roles look on this terminal. A first, built-in mapping; the theme files of
/// themes/ replace it with the workstation issue. Without colour (NO_COLOR, or a terminal
/// without it) only attributes are used, so every role stays distinguishable.
struct CursesTheme {
    let colour: Bool
    private var pairs: [String: Int16] = [:]

    init(colour: Bool) {
        self.colour = colour
        guard colour else { return }
        // (role, foreground, background); -1 is the terminal's default.
        let table: [(String, Int16, Int16)] = [
            ("title", Int16(COLOR_CYAN), -1), ("status", Int16(COLOR_BLACK), Int16(COLOR_CYAN)),
            ("status.error", Int16(COLOR_WHITE), Int16(COLOR_RED)), ("tier.private", Int16(COLOR_MAGENTA), -1),
            ("tier.affluent", Int16(COLOR_YELLOW), -1), ("tier.wealth", Int16(COLOR_GREEN), -1),
            ("muted", Int16(COLOR_BLUE), -1), ("list.header", Int16(COLOR_CYAN), -1),
        ]
        for (i, entry) in table.enumerated() {
            let n = Int16(i + 1)
            init_pair(n, entry.1, entry.2)
            pairs[entry.0] = n
        }
    }

    func attributes(for role: StyleRole) -> attr_t {
        var a: attr_t = 0
        switch role.name {
        case "list.selection.focused": a |= furrow_a_reverse()
        case "title", "list.header": a |= furrow_a_bold()
        case "status": a |= colour ? 0 : furrow_a_reverse()
        case "status.error": a |= furrow_a_bold() | (colour ? 0 : furrow_a_reverse())
        case "muted": a |= furrow_a_dim()
        case "tier.private": a |= furrow_a_bold()
        default: break
        }
        if let p = pairs[role.name] { a |= furrow_color_pair(Int32(p)) }
        return a
    }
}
