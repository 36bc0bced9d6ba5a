import Testing
@testable import TerminalUI

@Suite("The screen buffer")
struct ScreenBufferTests {
    @Test("Chinese text takes two columns a character and lines up with ASCII")
    func wideText() {
        var b = ScreenBuffer(width: 12, height: 2)
        #expect(b.put("张三丰", x: 0, y: 0) == 6)
        b.put("abc", x: 6, y: 0)
        b.put("12345678", x: 0, y: 1)
        #expect(b.textDump() == "张三丰abc\n12345678")
        #expect(b[1, 0].isContinuation)
        #expect(b[0, 0].width == 2)
    }

    @Test("a wide character that does not fit is never split")
    func neverSplit() {
        var b = ScreenBuffer(width: 5, height: 1)
        #expect(b.put("欧阳修", x: 0, y: 0) == 5)
        #expect(b.textDump() == "欧阳")
        #expect(b[4, 0].character == " ")
        var c = ScreenBuffer(width: 10, height: 1)
        c.put("王小虎", x: 0, y: 0, maxWidth: 3)
        #expect(c.textDump() == "王")
    }

    @Test("overwriting half of a wide character clears the other half")
    func overwriteHalf() {
        var b = ScreenBuffer(width: 6, height: 1)
        b.put("张三", x: 0, y: 0)
        b.put("x", x: 1, y: 0)     // right half of 张
        #expect(b.textDump() == " x三")
        b.put("y", x: 2, y: 0)     // left half of 三
        #expect(b.textDump() == " xy")
        #expect(!b[3, 0].isContinuation)
    }

    @Test("text is clipped at the edges and control characters are neutralised")
    func clipping() {
        var b = ScreenBuffer(width: 4, height: 1)
        #expect(b.put("abcdef", x: 2, y: 0) == 2)
        #expect(b.put("zz", x: 0, y: 5) == 0)
        b.put("\u{1B}[2J", x: 0, y: 0, maxWidth: 1)
        #expect(b.textDump() == "\u{FFFD} ab")
    }

    @Test("only changed cells are reported, as runs, a wide character whole")
    func changes() {
        var a = ScreenBuffer(width: 8, height: 2)
        a.put("王五 123", x: 0, y: 0)
        #expect(a.changes(from: nil).count == 2)   // everything, one run per row
        var b = a
        #expect(b.changes(from: a).isEmpty)
        b.put("4", x: 7, y: 0)
        b.put("李", x: 0, y: 1)
        let ch = b.changes(from: a)
        #expect(ch.map(\.x) == [7, 0])
        #expect(ch[0].cells.map(\.character) == ["4"])
        #expect(ch[1].cells.count == 2)
        var c = b
        c.put("王六", x: 0, y: 0)        // only 六 differs, its continuation cell too
        let d = c.changes(from: b)
        #expect(d.count == 1)
        #expect(d[0].x == 2)
        #expect(d[0].cells.first?.character == "六")
        var resized = ScreenBuffer(width: 9, height: 2)
        resized.put("王五", x: 0, y: 0)
        #expect(resized.changes(from: a).count == 2)
    }

    @Test("rectangles split and clip")
    func rects() {
        let r = Rect(x: 0, y: 0, width: 80, height: 24)
        let (top, rest) = r.splitTop(1)
        let (body, status) = rest.splitBottom(1)
        #expect(top.height == 1 && body.height == 22 && status.y == 23)
        #expect(Rect(x: 70, y: 20, width: 20, height: 10).clipped(to: r) == Rect(x: 70, y: 20, width: 10, height: 4))
        #expect(Rect(x: 90, y: 0, width: 5, height: 5).clipped(to: r).isEmpty)
    }
}
