import CNcursesw
import TerminalUI

/// A `Theme` as this terminal shows it: the curses attributes, colour pair included, of each
/// role. Colours are mapped to what the terminal has (`ThemeColour.index(forColours:)`); without
/// colour (NO_COLOR, or a terminal without it) only attributes are used, with
/// `Theme.monochromeStyle(for:)` keeping selections, status bars and errors visible.
struct CursesTheme {
    private let theme: Theme
    /// 8, 16 or 256 when colour is on; 0 when it is off.
    private let colours: Int
    private var pairs: [PairKey: Int16] = [:]
    /// By role name: `attributes(for:)` runs for every changed cell.
    private var cache: [String: attr_t] = [:]

    private struct PairKey: Hashable, Comparable {
        var fg: Int16, bg: Int16
        static func < (a: Self, b: Self) -> Bool { (a.fg, a.bg) < (b.fg, b.bg) }
    }

    /// Call after `start_color()` and `use_default_colors()` when `colour` is true: this
    /// (re)defines colour pairs 1…n.
    init(theme: Theme, colours: Int, colour: Bool) {
        self.theme = theme
        self.colours = colour && colours >= 8 ? min(colours, 256) : 0
        if self.colours > 0 {
            // COLOR_PAIR() keeps 8 bits of pair number in an attr_t, hence 255 at most.
            let last = min(Int(furrow_color_pairs()) - 1, 255)
            let used = Set(theme.styles.values.compactMap(key(for:))).sorted()
            for (i, key) in used.prefix(max(last, 0)).enumerated() {
                let n = Int16(i + 1)
                init_pair(n, key.fg, key.bg)
                pairs[key] = n
            }
        }
        for name in Theme.knownRoles + theme.styles.keys where cache[name] == nil {
            cache[name] = compute(StyleRole(name))
        }
    }

    /// Cached for every known role and every role the theme names; another name (none of the
    /// screens uses one) is worked out each time, which costs a few dictionary look-ups.
    func attributes(for role: StyleRole) -> attr_t {
        cache[role.name] ?? compute(role)
    }

    private func compute(_ role: StyleRole) -> attr_t {
        let style = theme.style(for: role)
        guard style.hasColour else { return Self.attributes(of: style) }
        if let key = key(for: style), let pair = pairs[key] {
            return Self.attributes(of: style) | furrow_color_pair(Int32(pair))
        }
        // Colour is off, or the terminal ran out of pairs: attributes must carry the difference.
        return Self.attributes(of: theme.monochromeStyle(for: role))
    }

    /// The colour pair a style needs; -1 is the terminal's own colour (use_default_colors).
    private func key(for style: Style) -> PairKey? {
        guard colours > 0, style.hasColour else { return nil }
        func index(_ c: ThemeColour?) -> Int16 { c.map { Int16($0.index(forColours: colours)) } ?? -1 }
        return PairKey(fg: index(style.fg), bg: index(style.bg))
    }

    private static func attributes(of style: Style) -> attr_t {
        var a: attr_t = 0
        if style.bold { a |= furrow_a_bold() }
        if style.dim { a |= furrow_a_dim() }
        if style.underline { a |= furrow_a_underline() }
        if style.reverse { a |= furrow_a_reverse() }
        if style.italic { a |= furrow_a_italic() }
        return a
    }
}
