/// Text that came from a client (a device name, an op's fields) printed on an administrator's
/// terminal: control characters — an escape sequence that rewrites the screen, a line break
/// that fakes another entry — are shown as `\u{1B}` instead of acting.
public enum Terminal {
    public static func safe(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            if scalar.value < 0x20 || scalar.value == 0x7F || (0x80...0x9F).contains(scalar.value) {
                out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
