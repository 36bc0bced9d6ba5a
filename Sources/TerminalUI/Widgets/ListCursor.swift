/// The selection and scroll position of a list: the selected row stays on screen, and moving
/// past either end stops there.
public struct ListCursor: Hashable, Sendable {
    public var selected = 0
    public var top = 0

    public init() {}

    public mutating func move(_ delta: Int, count: Int, height: Int) {
        guard count > 0 else { selected = 0; top = 0; return }
        selected = max(0, min(count - 1, selected + delta))
        keepVisible(height: height)
    }

    public mutating func clamp(count: Int, height: Int) {
        selected = max(0, min(selected, count - 1))
        keepVisible(height: height)
    }

    mutating func keepVisible(height: Int) {
        let h = max(1, height)
        if selected < top { top = selected }
        if selected >= top + h { top = selected - h + 1 }
        top = max(0, top)
    }

    /// Handles the movement keys (j/k, arrows, paging, g/G); false for any other key.
    public mutating func handle(_ key: Key, count: Int, height: Int) -> Bool {
        switch key {
        case .down, .character("j"): move(1, count: count, height: height)
        case .up, .character("k"): move(-1, count: count, height: height)
        case .pageDown, .character(" "), .control("f"): move(max(1, height - 1), count: count, height: height)
        case .pageUp, .control("b"): move(-max(1, height - 1), count: count, height: height)
        case .home, .character("g"): move(-selected, count: count, height: height)
        case .end, .character("G"): move(count, count: count, height: height)
        default: return false
        }
        return true
    }
}
