/// A box drawn over the screen: a title, some lines, and the keys that answer it.
public enum Dialog {
    /// Draws a centred box sized to its content (at most the screen), returning its inner rect.
    @discardableResult
    public static func draw(title: String, lines: [String], footer: String, into b: inout ScreenBuffer,
                            within area: Rect) -> Rect {
        let contentWidth = ([title, footer] + lines).map { DisplayWidth.of($0) }.max() ?? 10
        let width = min(area.width - 2, max(30, contentWidth + 4))
        let height = min(area.height - 2, lines.count + 4)
        let box = Rect(x: area.x + (area.width - width) / 2, y: area.y + (area.height - height) / 2,
                       width: width, height: height)
        b.fill(box, role: "dialog")
        border(box, into: &b)
        b.put(" \(title) ", x: box.x + 2, y: box.y, role: "dialog.title", maxWidth: width - 4)
        for (i, line) in lines.enumerated() where box.y + 1 + i < box.maxY - 2 {
            b.put(line, x: box.x + 2, y: box.y + 1 + i, role: "dialog", maxWidth: width - 4)
        }
        b.put(footer, x: box.x + 2, y: box.maxY - 2, role: "muted", maxWidth: width - 4)
        return box.inset(by: 1)
    }

    public static func border(_ r: Rect, into b: inout ScreenBuffer, role: StyleRole = "dialog") {
        guard r.width >= 2, r.height >= 2 else { return }
        b.put("┌" + String(repeating: "─", count: r.width - 2) + "┐", x: r.x, y: r.y, role: role)
        for y in (r.y + 1)..<(r.maxY - 1) {
            b.put("│", x: r.x, y: y, role: role)
            b.put("│", x: r.maxX - 1, y: y, role: role)
        }
        b.put("└" + String(repeating: "─", count: r.width - 2) + "┘", x: r.x, y: r.maxY - 1, role: role)
    }
}
