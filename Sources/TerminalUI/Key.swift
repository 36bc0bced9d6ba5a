/// A key press as screens see it, whatever terminal sent it.
public enum Key: Hashable, Sendable {
    case character(Character)
    case up, down, left, right, home, end, pageUp, pageDown
    case enter, escape, backspace, delete, tab, backTab
    case function(Int)
    /// Ctrl plus a letter (Ctrl-C arrives as a signal, not as a key).
    case control(Character)
    /// The terminal changed size; the screen is redrawn.
    case resize
    /// Text pasted in one go (bracketed paste): newlines in it are text, never Enter.
    case paste(String)
}
