/// How each style role looks: colours and attributes by role name. Screens only name roles
/// (`StyleRole`); a theme (loaded from themes/*.toml by `ThemeLoader`) gives them a look, and the
/// terminal backend maps that onto what the terminal can show.
public struct Theme: Sendable, Equatable {
    public var name: String
    /// By role name. A role missing here takes its parent's style (see `style(for:)`).
    public var styles: [String: Style]

    public init(name: String, styles: [String: Style]) {
        self.name = name; self.styles = styles
    }

    /// The role's style, falling back along the dotted name so a theme can style a family at
    /// once: `list.selection.focused` → `list.selection` → `list` → `normal` → plain.
    public func style(for role: StyleRole) -> Style {
        var name = Substring(role.name)
        while true {
            if let s = styles[String(name)] { return s }
            guard let dot = name.lastIndex(of: ".") else { break }
            name = name[..<dot]
        }
        return styles[StyleRole.normal.name] ?? Style()
    }

    /// The role's look where colours cannot be shown (NO_COLOR, a terminal without colours):
    /// its attributes, plus — when the theme gave it colours — attributes standing in for them so
    /// bars and alerts stay visible: errors and overdue badges bold + reverse; status bars, selections
    /// and active or focused items reverse; an unfocused selection underlined; titles, headers,
    /// other badges and warning flags bold; muted text dim.
    public func monochromeStyle(for role: StyleRole) -> Style {
        var s = style(for: role)
        guard s.hasColour else { return s }
        s.fg = nil; s.bg = nil
        let parts = role.name.split(separator: ".")
        if parts.contains("error") || role.name == "badge.overdue" {
            s.bold = true; s.reverse = true
        } else if parts.last == "unfocused" {
            s.underline = true
        } else if parts.first == "status" || parts.contains("selection") || parts.last == "active" || parts.last == "focused" {
            s.reverse = true
        } else if parts.first == "badge" || parts.last == "title" || parts.last == "header" || role.name == "flag.warning" {
            s.bold = true
        } else if role.name == "muted" {
            s.dim = true
        }
        return s
    }

    /// The role names the screens draw with; every bundled theme maps each of them.
    public static let knownRoles: [String] = [
        "normal", "muted", "title", "tab", "tab.active",
        "status", "status.error", "status.ok", "status.warning",
        "list.header", "list.selection.focused", "list.selection.unfocused",
        "tier.mass", "tier.wealth", "tier.affluent", "tier.private",
        "badge.overdue", "badge.today", "badge.upcoming",
        "form.label", "form.field", "form.field.focused", "form.error",
        "dialog", "dialog.title", "chart.bar", "sparkline", "money.up", "money.down",
        "flag.warning", "lock",
    ]
}

/// One role's look. `nil` colours are the terminal's own foreground or background.
public struct Style: Sendable, Equatable {
    public var fg: ThemeColour?
    public var bg: ThemeColour?
    public var bold: Bool
    public var dim: Bool
    public var underline: Bool
    public var reverse: Bool
    public var italic: Bool

    public init(fg: ThemeColour? = nil, bg: ThemeColour? = nil, bold: Bool = false, dim: Bool = false,
                underline: Bool = false, reverse: Bool = false, italic: Bool = false) {
        self.fg = fg; self.bg = bg
        self.bold = bold; self.dim = dim; self.underline = underline; self.reverse = reverse; self.italic = italic
    }

    public var hasColour: Bool { fg != nil || bg != nil }
}

/// A colour as a theme states it; `index(forColours:)` says what a given terminal shows for it.
public enum ThemeColour: Sendable, Equatable {
    /// 0…15: black red green yellow blue magenta cyan white, then the bright-… eight.
    case named(Int)
    /// An xterm-256 palette index, 0…255.
    case indexed(Int)
    /// "#rrggbb".
    case rgb(r: Int, g: Int, b: Int)

    public static let black = Self.named(0), red = Self.named(1), green = Self.named(2), yellow = Self.named(3)
    public static let blue = Self.named(4), magenta = Self.named(5), cyan = Self.named(6), white = Self.named(7)
    public static let brightBlack = Self.named(8), brightRed = Self.named(9), brightGreen = Self.named(10)
    public static let brightYellow = Self.named(11), brightBlue = Self.named(12), brightMagenta = Self.named(13)
    public static let brightCyan = Self.named(14), brightWhite = Self.named(15)

    /// The names theme files use for `.named(0…15)`, in that order.
    public static let names = [
        "black", "red", "green", "yellow", "blue", "magenta", "cyan", "white",
        "bright-black", "bright-red", "bright-green", "bright-yellow",
        "bright-blue", "bright-magenta", "bright-cyan", "bright-white",
    ]

    /// The palette index to use on a terminal with `n` colours: 256 or more → xterm-256 (an RGB
    /// colour goes to the nearest of the 6×6×6 cube and grey ramp), 16 → the nearest of the 16
    /// standard colours, 8 (or fewer) → bright names and indices 8…15 fold onto their base
    /// colour, anything else goes to the nearest of the 8 (a grey to black or white). Direct-colour terminals (more
    /// than 256) are treated as 256.
    public func index(forColours n: Int) -> Int {
        switch self {
        case .named(let i):
            let i = min(max(i, 0), 15)
            return n >= 16 ? i : i % 8
        case .indexed(let i):
            let i = min(max(i, 0), 255)
            if n >= 256 { return i }
            if i < 16 { return n >= 16 ? i : i % 8 }
            return Self.nearest(Self.paletteRGB(i), among: n >= 16 ? 16 : 8)
        case .rgb(let r, let g, let b):
            let c = (min(max(r, 0), 255), min(max(g, 0), 255), min(max(b, 0), 255))
            return n >= 256 ? Self.nearest256(c) : Self.nearest(c, among: n >= 16 ? 16 : 8)
        }
    }

    typealias RGB = (Int, Int, Int)

    /// xterm's default RGB for the 16 standard colours; what "nearest" is measured against.
    static let standard: [RGB] = [
        (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205), (229, 229, 229),
        (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255), (255, 0, 255), (0, 255, 255),
        (255, 255, 255),
    ]
    static let cubeLevels = [0, 95, 135, 175, 215, 255]

    static func paletteRGB(_ i: Int) -> RGB {
        if i < 16 { return standard[i] }
        if i >= 232 { let v = 8 + 10 * (i - 232); return (v, v, v) }
        let k = i - 16
        return (cubeLevels[k / 36], cubeLevels[k / 6 % 6], cubeLevels[k % 6])
    }

    static func distance(_ a: RGB, _ b: RGB) -> Int {
        let (dr, dg, db) = (a.0 - b.0, a.1 - b.1, a.2 - b.2)
        return dr * dr + dg * dg + db * db
    }

    /// The nearest of the first `count` standard colours (ties go to the lower index). A
    /// difference in colourfulness counts extra, so a grey goes to black, white or bright-black
    /// rather than to a colour that happens to be as close (mid grey would be yellow otherwise).
    static func nearest(_ c: RGB, among count: Int) -> Int {
        func chroma(_ x: RGB) -> Int { max(x.0, x.1, x.2) - min(x.0, x.1, x.2) }
        func cost(_ i: Int) -> Int {
            let dc = chroma(c) - chroma(standard[i])
            return distance(c, standard[i]) + dc * dc
        }
        return (0..<count).min { cost($0) < cost($1) } ?? 0
    }

    /// The nearest cube colour or grey, as xterm's palette lays them out (16…255).
    static func nearest256(_ c: RGB) -> Int {
        func level(_ v: Int) -> Int { (0..<6).min { abs(cubeLevels[$0] - v) < abs(cubeLevels[$1] - v) } ?? 0 }
        let cube = 16 + 36 * level(c.0) + 6 * level(c.1) + level(c.2)
        let grey = 232 + min(max((c.0 + c.1 + c.2) / 3 - 3, 0) / 10, 23)
        return distance(c, paletteRGB(grey)) < distance(c, paletteRGB(cube)) ? grey : cube
    }
}

extension Theme {
    /// The dark default, for when no theme files can be found. Equal to themes/default.toml
    /// (a test checks it), so a missing install looks the same as a working one.
    public static let builtIn = Theme(name: "default", styles: [
        "normal": Style(),
        "muted": Style(fg: .indexed(244)),
        "title": Style(fg: .cyan, bold: true),
        "tab": Style(fg: .indexed(250)),
        "tab.active": Style(fg: .black, bg: .cyan, bold: true),

        "status": Style(fg: .black, bg: .cyan),
        "status.error": Style(fg: .brightWhite, bg: .red, bold: true),
        "status.ok": Style(fg: .black, bg: .green),
        "status.warning": Style(fg: .black, bg: .yellow),

        "list.header": Style(fg: .cyan, bold: true),
        "list.selection.focused": Style(fg: .black, bg: .cyan, bold: true),
        "list.selection.unfocused": Style(fg: .white, bg: .blue),

        "tier.mass": Style(),
        "tier.wealth": Style(fg: .green),
        "tier.affluent": Style(fg: .magenta),
        "tier.private": Style(fg: .rgb(r: 0xd7, g: 0xaf, b: 0x00), bold: true),

        "badge.overdue": Style(fg: .brightWhite, bg: .red, bold: true),
        "badge.today": Style(fg: .black, bg: .yellow),
        "badge.upcoming": Style(fg: .cyan),

        "form.label": Style(fg: .indexed(250)),
        "form.field": Style(bg: .indexed(236), underline: true),
        "form.field.focused": Style(fg: .black, bg: .cyan),
        "form.error": Style(fg: .brightRed, bold: true),

        "dialog": Style(fg: .white, bg: .indexed(236)),
        "dialog.title": Style(fg: .brightWhite, bg: .indexed(236), bold: true),

        "chart.bar": Style(fg: .cyan),
        "sparkline": Style(fg: .green),
        "money.up": Style(fg: .red),
        "money.down": Style(fg: .green),

        "flag.warning": Style(fg: .yellow, bold: true),
        "lock": Style(fg: .cyan),
    ])
}
