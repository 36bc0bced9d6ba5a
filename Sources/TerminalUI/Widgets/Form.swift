/// A form: labelled fields, one focused, inline messages beside the fields they concern.
/// Generic (no domain): the screen that owns it validates the values and saves them.
public struct Form: Sendable {
    public enum Kind: Sendable, Hashable {
        /// Free text (one line, scrolled).
        case text
        /// One of a fixed list; ←/→ or Space cycle, typing a value's first letter jumps to it.
        case choice([Option])
    }

    public struct Option: Sendable, Hashable {
        public var value: String
        public var label: String
        public init(_ value: String, _ label: String) { self.value = value; self.label = label }
    }

    public struct Field: Sendable {
        public var key: String
        public var label: String
        public var kind: Kind
        public var hint: String
        public var editor: LineEditor

        public init(_ key: String, _ label: String, _ kind: Kind = .text, value: String = "", hint: String = "",
                    maxLength: Int = 500) {
            self.key = key; self.label = label; self.kind = kind; self.hint = hint
            editor = LineEditor(value, maxLength: maxLength)
            if case .choice(let options) = kind, !options.contains(where: { $0.value == value }), let first = options.first {
                editor.text = first.value
            }
        }

        public var value: String { editor.text }
    }

    public enum Event: Equatable, Sendable {
        /// Nothing changed that the owner must know about (focus moved, an unknown key).
        case none
        /// A value changed: validate again and keep the draft.
        case edited
        /// Enter on the last field, or Ctrl-S anywhere.
        case submit
        case cancel
    }

    public var title: String
    public var fields: [Field]
    public var focus = 0
    /// Field key → message, shown under the field.
    public var errors: [String: String] = [:]
    /// Once the user has tried to save, every error shows; before that only those of fields
    /// already visited, so an empty form does not open covered in red.
    public var showAllErrors = false
    public private(set) var visited: Set<String> = []

    public init(title: String, fields: [Field]) {
        self.title = title
        self.fields = fields
    }

    public var values: [String: String] {
        Dictionary(uniqueKeysWithValues: fields.map { ($0.key, $0.value) })
    }

    public subscript(key: String) -> String {
        get { fields.first { $0.key == key }?.value ?? "" }
        set {
            guard let i = fields.firstIndex(where: { $0.key == key }) else { return }
            fields[i].editor.text = newValue
        }
    }

    public mutating func focus(on key: String) {
        if let i = fields.firstIndex(where: { $0.key == key }) { focus = i }
    }

    public mutating func handle(_ key: Key) -> Event {
        guard !fields.isEmpty else { return key == .escape ? .cancel : .none }
        switch key {
        case .escape: return .cancel
        case .control("s"): return .submit
        case .tab, .down:
            move(1)
            return .none
        case .backTab, .up:
            move(-1)
            return .none
        case .enter:
            if focus == fields.count - 1 { visited.insert(fields[focus].key); return .submit }
            move(1)
            return .none
        default: break
        }
        if case .choice(let options) = fields[focus].kind {
            let current = options.firstIndex { $0.value == fields[focus].value } ?? 0
            var next = current
            switch key {
            case .right, .character(" "): next = (current + 1) % options.count
            case .left: next = (current + options.count - 1) % options.count
            case .character(let c):
                let lower = String(c).lowercased()
                guard let i = options.indices.first(where: { options[$0].value.lowercased().hasPrefix(lower) }) else {
                    return .none
                }
                next = i
            default: return .none
            }
            fields[focus].editor.text = options[next].value
            return next == current ? .none : .edited
        }
        let before = fields[focus].value
        guard fields[focus].editor.handle(key) else { return .none }
        return fields[focus].value == before ? .none : .edited
    }

    private mutating func move(_ delta: Int) {
        visited.insert(fields[focus].key)
        focus = (focus + delta + fields.count) % fields.count
    }

    public func visibleError(_ key: String) -> String? {
        guard showAllErrors || visited.contains(key) else { return nil }
        return errors[key]
    }

    /// Draws the title, each field on its row (label, value, hint or error), top to bottom.
    public func draw(into b: inout ScreenBuffer, rect: Rect) {
        guard rect.height > 2 else { return }
        b.put(title, x: rect.x + 1, y: rect.y, role: "title", maxWidth: rect.width - 2)
        let labelWidth = min(22, max(8, fields.map { DisplayWidth.of($0.label) }.max() ?? 8) + 1)
        let valueX = rect.x + 2 + labelWidth
        // Room for a short mark beside each field; the focused field's full message or hint
        // goes on the line above the footer, so nothing is cut.
        let valueWidth = max(10, min(56, rect.width - labelWidth - 16))
        // Keep the focused field on screen when the form is taller than the rect.
        let rows = rect.height - 5
        let first = max(0, min(focus - rows / 2, fields.count - rows))
        for (row, i) in (first..<min(fields.count, first + rows)).enumerated() {
            let f = fields[i]
            let y = rect.y + 2 + row
            let focused = i == focus
            b.put(DisplayWidth.pad(f.label, to: labelWidth), x: rect.x + 2, y: y,
                  role: focused ? "form.field.focused" : "form.label")
            let valueRect = Rect(x: valueX, y: y, width: valueWidth, height: 1)
            switch f.kind {
            case .text:
                f.editor.draw(into: &b, rect: valueRect, role: focused ? "form.field.focused" : "form.field",
                              cursorRole: "list.selection.focused", focused: focused)
            case .choice(let options):
                let label = options.first { $0.value == f.value }?.label ?? f.value
                b.put(DisplayWidth.pad("‹ \(label) ›", to: valueWidth), x: valueX, y: y,
                      role: focused ? "form.field.focused" : "form.field", maxWidth: valueWidth)
            }
            let noteX = valueX + valueWidth + 1
            if let e = visibleError(f.key) {
                b.put("✗ " + e, x: noteX, y: y, role: "form.error", maxWidth: rect.maxX - noteX)
            }
        }
        let focusedField = fields[focus]
        if let e = visibleError(focusedField.key) {
            b.put("✗ \(focusedField.label): \(e)", x: rect.x + 2, y: rect.maxY - 2, role: "form.error", maxWidth: rect.width - 3)
        } else if !focusedField.hint.isEmpty {
            b.put(focusedField.label + ": " + focusedField.hint, x: rect.x + 2, y: rect.maxY - 2, role: "muted",
                  maxWidth: rect.width - 3)
        }
        let footer = "Tab/↓ 下一项 next · Enter 下一项/保存 · Ctrl-S 保存 save · Esc 离开 leave (asks first 会先确认)"
        b.put(footer, x: rect.x + 1, y: rect.maxY - 1, role: "muted", maxWidth: rect.width - 2)
    }
}
