/// One line of editable text with a cursor, counted in characters (a Chinese character is
/// one step of the cursor and two columns on screen).
public struct LineEditor: Hashable, Sendable {
    public private(set) var characters: [Character]
    public private(set) var cursor: Int
    public var maxLength: Int

    public init(_ text: String = "", maxLength: Int = 500) {
        characters = Array(text.prefix(maxLength))
        cursor = characters.count
        self.maxLength = maxLength
    }

    public var text: String {
        get { String(characters) }
        set { characters = Array(newValue.prefix(maxLength)); cursor = characters.count }
    }

    /// Applies an editing key; returns false when the key is not an editing key.
    public mutating func handle(_ key: Key) -> Bool {
        switch key {
        case .paste(let text):
            // One line: newlines and tabs become spaces, other control characters go.
            for c in text {
                if c == "\n" || c == "\r\n" || c == "\r" || c == "\t" {
                    if characters.count < maxLength, characters.last != " " { characters.insert(" ", at: cursor); cursor += 1 }
                    continue
                }
                guard !c.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }),
                      characters.count < maxLength else { continue }
                characters.insert(c, at: cursor)
                cursor += 1
            }
        case .character(let c):
            // Control characters never enter a value (they would reach the terminal later).
            guard !c.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else { return true }
            guard characters.count < maxLength else { return true }
            characters.insert(c, at: cursor)
            cursor += 1
        case .backspace:
            guard cursor > 0 else { return true }
            characters.remove(at: cursor - 1)
            cursor -= 1
        case .delete:
            guard cursor < characters.count else { return true }
            characters.remove(at: cursor)
        case .left: cursor = max(0, cursor - 1)
        case .right: cursor = min(characters.count, cursor + 1)
        case .home, .control("a"): cursor = 0
        case .end, .control("e"): cursor = characters.count
        case .control("u"):
            characters.removeFirst(cursor)
            cursor = 0
        case .control("k"): characters.removeLast(characters.count - cursor)
        case .control("w"):
            // Delete the word before the cursor, as shells do.
            var i = cursor
            while i > 0, characters[i - 1] == " " { i -= 1 }
            while i > 0, characters[i - 1] != " " { i -= 1 }
            characters.removeSubrange(i..<cursor)
            cursor = i
        default: return false
        }
        return true
    }

    /// Draws the text in `rect` (one row), scrolled so the cursor is visible; the cursor cell
    /// is shown in `cursorRole` when `focused`.
    public func draw(into b: inout ScreenBuffer, rect: Rect, role: StyleRole, cursorRole: StyleRole, focused: Bool) {
        guard rect.width > 1, rect.height > 0 else { return }
        b.fill(Rect(x: rect.x, y: rect.y, width: rect.width, height: 1), role: role)
        // First visible character: step back from the cursor until the width is used up.
        var start = cursor
        var used = 1
        while start > 0, used + DisplayWidth.of(characters[start - 1]) <= rect.width - 1 {
            start -= 1
            used += DisplayWidth.of(characters[start])
        }
        let shown = String(characters[start...])
        b.put(shown, x: rect.x, y: rect.y, role: role, maxWidth: rect.width)
        if focused {
            let before = DisplayWidth.of(String(characters[start..<cursor]))
            let under = cursor < characters.count ? String(characters[cursor]) : " "
            b.put(under, x: rect.x + before, y: rect.y, role: cursorRole, maxWidth: rect.width - before)
        }
    }
}
