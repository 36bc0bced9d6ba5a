/// A row of tab labels with the active one marked, e.g. ` 1 今天  [2 客户]  3 投诉 `.
public enum Tabs {
    /// Returns the column after the last label drawn.
    @discardableResult
    public static func draw(_ labels: [String], active: Int, into b: inout ScreenBuffer, x: Int, y: Int,
                            maxWidth: Int) -> Int {
        var col = x
        for (i, label) in labels.enumerated() {
            let text = i == active ? "[\(label)]" : " \(label) "
            let w = b.put(text, x: col, y: y, role: i == active ? "tab.active" : "tab", maxWidth: max(0, x + maxWidth - col))
            col += w + 1
            if col >= x + maxWidth { break }
        }
        return col
    }
}
