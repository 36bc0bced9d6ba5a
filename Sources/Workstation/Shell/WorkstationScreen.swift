import FurrowStore
import TerminalUI

/// A screen of the workstation: its state, what its keys do, and how it draws. Screens are
/// classes because the shell keeps them on a stack and they change in place.
protocol WorkstationScreen: AnyObject {
    /// Shown in the title bar.
    var title: String { get }
    /// The screen's own keys, for `?`.
    var keys: [KeyHelp] { get }
    /// True for forms and editors: every printable key is text, so global keys (1…5, q, :)
    /// are not taken by the shell.
    var capturesText: Bool { get }
    func handle(_ key: Key, _ ctx: AppContext) -> ScreenAction
    func draw(into b: inout ScreenBuffer, rect: Rect, _ ctx: AppContext)
    /// Called when the screen comes back to the top of the stack (data may have changed).
    func reappear(_ ctx: AppContext)
}

extension WorkstationScreen {
    var capturesText: Bool { false }
    func reappear(_ ctx: AppContext) {}
}

struct KeyHelp: Sendable {
    var keys: String
    var what: String
    init(_ keys: String, _ what: String) { self.keys = keys; self.what = what }
}

/// What a screen asks the shell to do after a key.
enum ScreenAction {
    /// Handled; redraw.
    case handled
    /// Not a key of this screen: the shell tries its global keys.
    case unhandled
    /// Close this screen (back).
    case close
    /// Close this screen and show a message in the status line.
    case closeWith(String)
    /// Close this many screens (a confirm and the form under it), with a message.
    case back(Int, String?)
    case push(any WorkstationScreen)
    /// Replace this screen with another (a picker that opens the form it picked for).
    case replace(any WorkstationScreen)
    case openCustomer(String)
    case message(String)
    case error(String)
    case quit
}
