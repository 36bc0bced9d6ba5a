import Testing
@testable import TerminalUI

@Suite("Display width counts terminal columns")
struct DisplayWidthTests {
    @Test("Chinese characters take two columns, ASCII one")
    func widths() {
        #expect(DisplayWidth.of("张三丰") == 6)
        #expect(DisplayWidth.of("abc") == 3)
        #expect(DisplayWidth.of("王a") == 3)
        #expect(DisplayWidth.of("𠮷") == 2)
        #expect(DisplayWidth.of("e\u{301}") == 1)
    }

    @Test("truncating never splits a wide character and marks the cut")
    func truncation() {
        #expect(DisplayWidth.truncate("欧阳小明", to: 5) == "欧阳…")
        #expect(DisplayWidth.truncate("欧阳", to: 4) == "欧阳")
        #expect(DisplayWidth.pad("王", to: 4) == "王  ")
        #expect(DisplayWidth.pad("12", to: 4, alignRight: true) == "  12")
    }

    @Test("control characters from data never reach the terminal")
    func sanitizing() {
        #expect(DisplayWidth.sanitized("王\u{1B}[2J五") == "王\u{FFFD}[2J五")
        #expect(DisplayWidth.sanitized("a\tb\nc") == "a b c")
        #expect(DisplayWidth.sanitized("张三") == "张三")
        var t = TextTable(columns: [.init("name")])
        t.append(["\u{1B}]0;pwned\u{07}"])
        #expect(!t.render().contains("\u{1B}"))
    }

    @Test("a sparkline of extreme values does not overflow")
    func sparklineExtremes() {
        #expect(Sparkline.render([Int64.min, 0, Int64.max]) == "▁▄█")
        #expect(Sparkline.render([]) == "")
        #expect(Sparkline.render([5, 5]) == "▄▄")
    }

    @Test("table columns line up with mixed-width names")
    func table() {
        var t = TextTable(columns: [.init("name"), .init("aum", alignRight: true)])
        t.append(["张三丰", "1,234.50"])
        t.append(["Li", "8.00"])
        let lines = t.render().split(separator: "\n").map(String.init)
        #expect(lines.count == 4)
        #expect(DisplayWidth.of(lines[2]) == DisplayWidth.of(lines[3]))
        #expect(lines[3].hasPrefix("Li    "))
    }
}
