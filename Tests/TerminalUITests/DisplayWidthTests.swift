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
