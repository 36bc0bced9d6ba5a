/// What the screen should show, as a grid of cells. Screens draw into a buffer; the terminal
/// backend compares it with the previous frame and writes only the cells that changed
/// (`changes(from:)`). Drawing never splits a wide character: one that does not fit is
/// replaced by a space, and overwriting half of one clears the other half.
public struct ScreenBuffer: Equatable, Sendable {
    public let width: Int
    public let height: Int
    public private(set) var cells: [Cell]

    public init(width: Int, height: Int) {
        self.width = max(0, width)
        self.height = max(0, height)
        cells = Array(repeating: .blank, count: self.width * self.height)
    }

    public var bounds: Rect { Rect(x: 0, y: 0, width: width, height: height) }

    public subscript(x: Int, y: Int) -> Cell {
        get { cells[y * width + x] }
    }

    public mutating func clear(role: StyleRole = .normal) {
        for i in cells.indices { cells[i] = Cell(" ", role: role) }
    }

    public mutating func fill(_ rect: Rect, role: StyleRole, character: Character = " ") {
        let r = rect.clipped(to: bounds)
        guard !r.isEmpty else { return }
        for y in r.y..<r.maxY {
            for x in r.x..<r.maxX { set(x, y, Cell(character, role: role)) }
        }
    }

    /// Writes `text` from (x, y), at most `maxWidth` columns (to the right edge by default).
    /// Control characters are shown as "�". Returns the columns used.
    @discardableResult
    public mutating func put(_ text: String, x: Int, y: Int, role: StyleRole = .normal, maxWidth: Int? = nil) -> Int {
        guard y >= 0, y < height, x < width else { return 0 }
        let limit = min(width, x + (maxWidth ?? width))
        var col = x
        for ch in DisplayWidth.sanitized(text) {
            let w = DisplayWidth.of(ch)
            if w == 0 { continue }   // a lone combining mark or format character: nothing to place
            if col + w > limit {
                // A wide character that would be cut: pad the last column instead.
                if col < limit, col >= 0 { set(col, y, Cell(" ", role: role)); col += 1 }
                break
            }
            if col >= 0 {
                set(col, y, Cell(ch, width: Int8(w), role: role))
                if w == 2 { set(col + 1, y, .continuation(role)) }
            }
            col += w
        }
        return max(0, col - x)
    }

    /// Writes `text` padded or cut to exactly `width` columns ("…" marks a cut).
    public mutating func put(_ text: String, in rect: Rect, role: StyleRole = .normal, alignRight: Bool = false) {
        guard rect.height > 0 else { return }
        put(DisplayWidth.pad(text, to: rect.width, alignRight: alignRight), x: rect.x, y: rect.y, role: role,
            maxWidth: rect.width)
    }

    /// Sets one cell, keeping wide characters whole: overwriting either half of a wide
    /// character turns its other half into a space.
    private mutating func set(_ x: Int, _ y: Int, _ cell: Cell) {
        guard x >= 0, x < width, y >= 0, y < height else { return }
        let i = y * width + x
        let old = cells[i]
        if old.width == 2, cell.width != 0, x + 1 < width {
            cells[i + 1] = Cell(" ", role: cells[i + 1].role)
        }
        if old.isContinuation, x > 0, cells[i - 1].width == 2 {
            cells[i - 1] = Cell(" ", role: cells[i - 1].role)
        }
        cells[i] = cell
    }

    /// A run of changed cells on one row, for the backend to write in one call.
    public struct Change: Equatable, Sendable {
        public var x: Int
        public var y: Int
        public var cells: [Cell]
    }

    /// The cells that differ from `previous`, as runs per row. A different size means
    /// everything changed. Continuation cells are folded into their wide character's run.
    public func changes(from previous: ScreenBuffer?) -> [Change] {
        let full = previous == nil || previous!.width != width || previous!.height != height
        var out: [Change] = []
        for y in 0..<height {
            var run: Change?
            for x in 0..<width {
                let i = y * width + x
                let differs = full || previous!.cells[i] != cells[i]
                if differs {
                    if run == nil {
                        // Start at the wide character if this is its right half.
                        let start = cells[i].isContinuation && x > 0 ? x - 1 : x
                        run = Change(x: start, y: y, cells: start < x ? [cells[i - 1]] : [])
                    }
                    run!.cells.append(cells[i])
                } else if let r = run {
                    out.append(r)
                    run = nil
                }
            }
            if let r = run { out.append(r) }
        }
        return out
    }

    /// The text of the screen, one line per row, trailing spaces trimmed: what golden screen
    /// tests compare and what a person would read.
    public func textDump() -> String {
        var lines: [String] = []
        for y in 0..<height {
            var line = ""
            for x in 0..<width {
                let c = cells[y * width + x]
                if !c.isContinuation { line.append(c.character) }
            }
            while line.last == " " { line.removeLast() }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }
}
