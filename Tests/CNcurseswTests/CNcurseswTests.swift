import CNcursesw
import Testing

@Suite("ncursesw is linked and its wide API is usable")
struct CNcurseswTests {
    @Test("the linked library reports an ncurses version")
    func version() {
        let v = String(cString: furrow_curses_version())
        #expect(v.hasPrefix("ncurses "), "got \(v)")
    }

    @Test("wcwidth gives CJK characters two columns once a UTF-8 locale is set")
    func wideWidth() {
        #expect(setlocale(LC_ALL, "C.UTF-8") != nil)
        let han = "张".unicodeScalars.first!.value
        #expect(wcwidth(wchar_t(han)) == 2)
        #expect(wcwidth(wchar_t(UInt32(UInt8(ascii: "a")))) == 1)
    }

    @Test("attribute macros are exported through the shim")
    func attributes() {
        #expect(furrow_a_bold() != 0)
        #expect(furrow_a_bold() != furrow_a_reverse())
    }
}
