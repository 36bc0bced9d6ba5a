import Testing
@testable import TerminalUI

@Suite("Widgets: line editor, form, list cursor")
struct WidgetTests {
    @Test("the line editor inserts at the cursor, deletes, jumps, and refuses control characters")
    func editor() {
        var e = LineEditor("王小", maxLength: 5)
        _ = e.handle(.character("虎"))
        _ = e.handle(.home)
        _ = e.handle(.character("老"))
        #expect(e.text == "老王小虎")
        _ = e.handle(.end)
        _ = e.handle(.backspace)
        #expect(e.text == "老王小")
        _ = e.handle(.character("\u{1B}"))
        _ = e.handle(.character("\u{7}"))
        #expect(e.text == "老王小")
        for c in "abcdef" { _ = e.handle(.character(c)) }
        #expect(e.text == "老王小ab", "at most maxLength characters")
        _ = e.handle(.control("w"))
        #expect(e.text == "")
    }

    @Test("a paste is one line of text: newlines and tabs become single spaces, control characters go")
    func editorPaste() {
        var e = LineEditor("备注:", maxLength: 30)
        _ = e.handle(.paste("一\n二\r\n\t三\u{1B}[31m"))
        #expect(e.text == "备注:一 二 三[31m")
    }

    @Test("a long value scrolls so the cursor stays visible, and never splits a wide character")
    func editorDraw() {
        let e = LineEditor(String(repeating: "中", count: 30))
        var b = ScreenBuffer(width: 12, height: 1)
        e.draw(into: &b, rect: Rect(x: 0, y: 0, width: 12, height: 1), role: "form.field", cursorRole: "cursor", focused: true)
        #expect(b.textDump().hasPrefix("中中中中中"))
        let cursorCells = (0..<12).filter { b[$0, 0].role == "cursor" }
        #expect(cursorCells.count == 1)
    }

    @Test("a form moves between fields, cycles choices, and reports edits and saves")
    func form() {
        var f = Form(title: "t", fields: [
            Form.Field("a", "A"), Form.Field("k", "K", .choice([Form.Option("x", "X"), Form.Option("y", "Y")])),
        ])
        #expect(f.handle(.character("1")) == .edited)
        #expect(f.handle(.tab) == .none)
        #expect(f.handle(.right) == .edited)
        #expect(f["k"] == "y")
        #expect(f.handle(.character("x")) == .edited)
        #expect(f["k"] == "x")
        #expect(f.handle(.character("q")) == .none, "no option starts with q")
        #expect(f.handle(.enter) == .submit, "Enter on the last field saves")
        #expect(f.handle(.control("s")) == .submit)
        #expect(f.handle(.escape) == .cancel)
        f.errors = ["a": "bad"]
        #expect(f.visibleError("a") == "bad", "a visited field shows its error")
        #expect(f.values == ["a": "1", "k": "x"])
    }

    @Test("the list cursor stays in range and keeps the selection visible")
    func cursor() {
        var c = ListCursor()
        c.move(5, count: 3, height: 10)
        #expect(c.selected == 2)
        c.move(-10, count: 3, height: 10)
        #expect(c.selected == 0)
        for _ in 0..<25 { _ = c.handle(.down, count: 100, height: 10) }
        #expect(c.selected == 25 && c.top == 16)
        _ = c.handle(.character("G"), count: 100, height: 10)
        #expect(c.selected == 99 && c.top == 90)
        c.move(1, count: 0, height: 10)
        #expect(c.selected == 0)
    }
}
