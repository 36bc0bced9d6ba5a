import CNcursesw
import Dispatch
import Foundation
import TerminalUI

/// The terminal, through ncursesw: the only type that calls curses. It starts and restores the
/// terminal, decodes keys (wide characters included) and writes a `ScreenBuffer` by sending only
/// the cells that changed since the previous frame. Use it from one thread.
public final class CursesTerminal {
    private let window: UnsafeMutablePointer<WINDOW>
    private var previous: ScreenBuffer?
    private var theme: CursesTheme
    /// The colours themes are mapped onto (8, 16, 256 or more); 0 when colour is off — under
    /// NO_COLOR or on a terminal without colours.
    public let colourCount: Int
    /// Bytes' worth of cells written by the last `draw`, for the "only changed cells" figure.
    public private(set) var lastCellsWritten = 0
    private var stopped = false

    public enum StartError: Error, CustomStringConvertible {
        case notUTF8(String)
        case noTerminal

        public var description: String {
            switch self {
            case .notUTF8(let locale):
                "the terminal's locale (\(locale)) is not UTF-8 and C.UTF-8 is not available; set LANG=C.UTF-8 (or another UTF-8 locale) and start again"
            case .noTerminal:
                "furrow needs a terminal: run it in a terminal window, or use a subcommand (furrow --help) for scripts"
            }
        }
    }

    /// Takes over the terminal, drawing roles as `theme` says. A non-UTF-8 locale falls back to
    /// C.UTF-8, or fails clearly.
    public static func start(theme: Theme = .builtIn) throws -> CursesTerminal {
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else { throw StartError.noTerminal }
        setlocale(LC_ALL, "")
        if String(cString: nl_langinfo(nl_item(CODESET))) != "UTF-8" {
            let before = String(cString: setlocale(LC_CTYPE, nil))
            guard setlocale(LC_ALL, "C.UTF-8") != nil, String(cString: nl_langinfo(nl_item(CODESET))) == "UTF-8" else {
                throw StartError.notUTF8(before)
            }
        }
        set_escdelay(25)
        // The terminal's own settings, for giving it back from a signal without calling curses.
        var original = termios()
        tcgetattr(STDIN_FILENO, &original)
        guard let w = initscr() else { throw StartError.noTerminal }
        raw()
        noecho()
        nonl()
        keypad(w, true)
        curs_set(0)
        let colour = has_colors() && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
        if colour {
            start_color()
            use_default_colors()
        }
        let colours = colour ? Int(furrow_colors()) : 0
        let terminal = CursesTerminal(window: w, theme: CursesTheme(theme: theme, colours: colours, colour: colour),
                                      colourCount: colours)
        terminal.signalSources = installSignalHandlers(original: original)
        Self.writeRaw("\u{1B}[?2004h")   // bracketed paste on
        return terminal
    }

    /// A terminal of the given size whose output goes to a file instead of the screen, for
    /// counting the bytes a frame costs (`bytesWritten`). Keys cannot be read from it.
    public static func offscreen(width: Int, height: Int, term: String = "xterm-256color", theme: Theme = .builtIn,
                                 outputPath: String) throws -> CursesTerminal {
        setlocale(LC_ALL, "C.UTF-8")
        guard let out = fopen(outputPath, "w+"), let input = fopen("/dev/null", "r"),
              newterm(term, out, input) != nil, let w = furrow_stdscr() else { throw StartError.noTerminal }
        resize_term(Int32(height), Int32(width))
        let colour = has_colors()
        if colour {
            start_color()
            use_default_colors()
        }
        let colours = colour ? Int(furrow_colors()) : 0
        let terminal = CursesTerminal(window: w, theme: CursesTheme(theme: theme, colours: colours, colour: colour),
                                      colourCount: colours)
        terminal.output = out
        return terminal
    }

    /// Bytes sent to an offscreen terminal's file so far.
    public var bytesWritten: Int {
        guard let output else { return 0 }
        fflush(output)
        return ftell(output)
    }

    private var output: UnsafeMutablePointer<FILE>?

    /// However furrow ends — killed, hung up, or crashing — the terminal is given back, so the
    /// RM's shell is not left in raw mode on the alternate screen. Termination signals are
    /// handled on a dispatch queue (endwin is not safe inside a signal handler); a crash can only
    /// write the escape sequences that leave the alternate screen and show the cursor.
    private static func installSignalHandlers(original: termios) -> [any DispatchSourceSignal] {
        var sources: [any DispatchSourceSignal] = []
        let queue = DispatchQueue(label: "furrow.signals")
        for sig in [SIGTERM, SIGHUP, SIGQUIT] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: queue)
            source.setEventHandler {
                // Curses belongs to the main thread, which may be inside it: give the terminal
                // back by hand — leave the alternate screen, show the cursor, paste mode off,
                // and the terminal's original settings.
                writeRaw("\u{1B}[?2004l\u{1B}[0m\u{1B}[?25h\u{1B}[?1049l\r\n")
                var settings = original
                tcsetattr(STDIN_FILENO, TCSANOW, &settings)
                _exit(128 + sig)   // no atexit work while the main thread is inside curses
            }
            source.resume()
            sources.append(source)
        }
        for sig in [SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP] {
            signal(sig) { s in
                // ESC[?1049l leave the alternate screen, ESC[?25h show the cursor, ESC[0m reset.
                let reset: [UInt8] = [0x1B, 0x5B, 0x3F, 0x31, 0x30, 0x34, 0x39, 0x6C, 0x1B, 0x5B, 0x3F, 0x32, 0x35,
                                      0x68, 0x1B, 0x5B, 0x30, 0x6D, 0x0D, 0x0A]
                _ = reset.withUnsafeBufferPointer { write(STDOUT_FILENO, $0.baseAddress, $0.count) }
                signal(s, SIG_DFL)
                raise(s)
            }
        }
        return sources
    }

    /// Kept while the terminal is in use: a released source stops listening.
    private var signalSources: [any DispatchSourceSignal] = []

    private init(window: UnsafeMutablePointer<WINDOW>, theme: CursesTheme, colourCount: Int) {
        self.window = window
        self.theme = theme
        self.colourCount = colourCount
    }

    deinit { stop() }

    /// Gives the terminal back as it was.
    public func stop() {
        guard !stopped else { return }
        stopped = true
        if output == nil { Self.writeRaw("\u{1B}[?2004l") }
        endwin()
    }

    /// Writes escape sequences straight to the terminal, outside curses.
    static func writeRaw(_ s: String) {
        let bytes = Array(s.utf8)
        _ = bytes.withUnsafeBufferPointer { write(STDOUT_FILENO, $0.baseAddress, $0.count) }
    }

    /// Draws with `theme` from now on; the next `draw` repaints every cell.
    public func setTheme(_ theme: Theme) {
        self.theme = CursesTheme(theme: theme, colours: colourCount, colour: colourCount > 0)
        invalidate()
    }

    public var size: (width: Int, height: Int) {
        (Int(furrow_cols(window)), Int(furrow_lines(window)))
    }

    /// Waits up to `timeoutMilliseconds` (forever when nil) for a key.
    public func readKey(timeoutMilliseconds: Int? = nil) -> Key? {
        wtimeout(window, Int32(timeoutMilliseconds ?? -1))
        var ch: wint_t = 0
        let rc = wget_wch(window, &ch)
        if rc == furrow_err() { return nil }
        if rc == furrow_key_code_yes() { return Self.decode(keyCode: Int32(ch)) }
        if ch == 27, let paste = readPaste() { return paste }
        return Self.decode(character: UInt32(ch))
    }

    /// After an ESC: a bracketed paste (`ESC[200~ … ESC[201~`) comes back as one `.paste`, so
    /// the newlines of a pasted note are text and never Enter. Anything else is put back.
    private func readPaste() -> Key? {
        wtimeout(window, 30)
        var seen: [wint_t] = []
        for expected in "[200~".unicodeScalars.map(\.value) {
            var c: wint_t = 0
            let rc = wget_wch(window, &c)
            guard rc != furrow_err(), rc != furrow_key_code_yes(), UInt32(c) == expected else {
                if rc == furrow_key_code_yes() { ungetch(Int32(c)) } else if rc != furrow_err() { unget_wch(wchar_t(bitPattern: UInt32(c))) }
                for s in seen.reversed() { unget_wch(wchar_t(bitPattern: UInt32(s))) }
                return nil
            }
            seen.append(c)
        }
        let end: [UInt32] = [27] + "[201~".unicodeScalars.map(\.value)
        var text: [UInt32] = []
        wtimeout(window, 500)
        while text.count < 200_000 {
            var c: wint_t = 0
            let rc = wget_wch(window, &c)
            if rc == furrow_err() { break }
            if rc == furrow_key_code_yes() { continue }
            text.append(UInt32(c))
            if text.count >= end.count, Array(text.suffix(end.count)) == end {
                text.removeLast(end.count)
                break
            }
        }
        var scalars = String.UnicodeScalarView()
        for v in text { if let u = Unicode.Scalar(v) { scalars.append(u) } }
        return .paste(String(scalars))
    }

    static func decode(keyCode c: Int32) -> Key? {
        switch c {
        case furrow_key_up(): .up
        case furrow_key_down(): .down
        case furrow_key_left(): .left
        case furrow_key_right(): .right
        case furrow_key_home(): .home
        case furrow_key_end(): .end
        case furrow_key_npage(): .pageDown
        case furrow_key_ppage(): .pageUp
        case furrow_key_backspace(): .backspace
        case furrow_key_dc(): .delete
        case furrow_key_enter(): .enter
        case furrow_key_btab(): .backTab
        case furrow_key_resize(): .resize
        default:
            (1...12).first { furrow_key_f(Int32($0)) == c }.map { .function($0) }
        }
    }

    static func decode(character v: UInt32) -> Key? {
        switch v {
        case 9: return .tab
        case 10, 13: return .enter
        case 27: return .escape
        case 8, 127: return .backspace
        case 1...26: return .control(Character(Unicode.Scalar(v + 96)!))
        default:
            guard let s = Unicode.Scalar(v) else { return nil }
            return .character(Character(s))
        }
    }

    /// Shows `buffer`, writing only the cells that differ from the last frame.
    public func draw(_ buffer: ScreenBuffer) {
        let changes = buffer.changes(from: previous)
        var written = 0
        for run in changes {
            wmove(window, Int32(run.y), Int32(run.x))
            for cell in run.cells where !cell.isContinuation {
                wattrset(window, Int32(bitPattern: UInt32(truncatingIfNeeded: theme.attributes(for: cell.role))))
                var scalars = cell.character.unicodeScalars.map { wchar_t(bitPattern: $0.value) }
                scalars.append(0)
                waddwstr(window, scalars)
                written += 1
            }
        }
        wattrset(window, 0)
        wrefresh(window)
        lastCellsWritten = written
        previous = buffer
    }

    /// Ctrl-Z: gives the terminal back and stops, as a shell job does; `fg` resumes here and the
    /// whole screen is drawn again. (Raw mode delivers Ctrl-Z as a key, so this is done by hand.)
    public func suspend() {
        Self.writeRaw("\u{1B}[?2004l")
        endwin()
        signal(SIGTSTP, SIG_DFL)
        // Raised on this thread, so it takes effect before raise returns; the UI may run on a
        // worker thread that blocks signals, so unblock it here for the moment.
        var only = sigset_t(), previous = sigset_t()
        sigemptyset(&only)
        sigaddset(&only, SIGTSTP)
        pthread_sigmask(SIG_UNBLOCK, &only, &previous)
        raise(SIGTSTP)
        pthread_sigmask(SIG_SETMASK, &previous, nil)
        // Resumed by SIGCONT.
        refresh()
        Self.writeRaw("\u{1B}[?2004h")
        invalidate()
    }

    /// Forgets the last frame, so the next `draw` repaints everything (after a resize).
    public func invalidate() {
        previous = nil
        wclear(window)
    }
}
