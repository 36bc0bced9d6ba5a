/// A row of tab labels with the active one marked, e.g. ` 1 今天  [2 客户]  3 投诉 `.
public enum Tabs {
    /// Returns the column after the last label drawn.
    @discardableResult
    /// `short`: labels for a narrow line — when the full ones do not fit, the tabs not shown
    /// take their short label (the active one stays whole).
    public static func draw(_ labels: [String], short: [String]? = nil, active: Int, into b: inout ScreenBuffer, x: Int, y: Int,
                            maxWidth: Int) -> Int {
        var col = x
        let full = labels.reduce(0) { $0 + DisplayWidth.of($1) + 3 }
        let shown = full > maxWidth ? labels.indices.map { $0 == active ? labels[$0] : (short?[$0] ?? labels[$0]) } : labels
        for (i, label) in shown.enumerated() {
            let text = i == active ? "[\(label)]" : " \(label) "
            let w = b.put(text, x: col, y: y, role: i == active ? "tab.active" : "tab", maxWidth: max(0, x + maxWidth - col))
            col += w + 1
            if col >= x + maxWidth { break }
        }
        return col
    }
}
