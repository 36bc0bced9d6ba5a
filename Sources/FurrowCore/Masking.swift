/// Masked display of personal data, the default everywhere (unmasking is an audited action
/// elsewhere). Everything counts `Character`s, so Chinese names and addresses are cut between
/// characters, never inside one. Input too short for the usual pattern is masked completely:
/// showing "first 4 and last 4" of a 7-character string would show all of it.
public enum Masking {
    /// `330106199001011234` → `3301**********1234`: first 4 and last 4 (region and check
    /// character are what clerks compare by phone). Old 15-digit numbers keep the same ends.
    public static func residentID(_ s: String) -> String {
        keepEnds(s, first: 4, last: 4, minimumLength: 15)
    }

    /// `13812345678` → `138****5678`. Spaces, hyphens and `+86` are dropped first;
    /// anything that is not then 11 characters is masked completely.
    public static func mobile(_ s: String) -> String {
        var chars = s.filter { $0 != " " && $0 != "-" }[...]
        if chars.hasPrefix("+86") { chars = chars.dropFirst(3) }
        guard chars.count == 11 else { return all(s) }
        return keepEnds(String(chars), first: 3, last: 4, minimumLength: 11)
    }

    /// Masks an identity document number by its type: resident IDs and USCCs keep first 4 and
    /// last 4, passports the last 3. With no type (or `.other`) an 18-character value is
    /// treated like a resident ID / USCC and anything else is masked completely.
    public static func idNumber(_ s: String, type: IDType?) -> String {
        switch type {
        case .residentID: residentID(s)
        case .uscc: keepEnds(s, first: 4, last: 4, minimumLength: 15)
        case .passport: keepEnds(s, first: 0, last: 3, minimumLength: 6)
        case .other, nil: s.count == 18 ? keepEnds(s, first: 4, last: 4, minimumLength: 18) : all(s)
        }
    }

    /// `张三丰` → `张*丰`, `王五` → `王*`, `欧阳娜娜` → `欧**娜`; one character stays as is
    /// (hiding it would hide the whole name and tell nothing).
    public static func name(_ s: String) -> String {
        let c = Array(s)
        switch c.count {
        case 0, 1: return s
        case 2: return String(c[0]) + "*"
        default: return String(c[0]) + String(repeating: "*", count: c.count - 2) + String(c[c.count - 1])
        }
    }

    /// The first 6 characters (province, city, district, roughly) and `****`, whatever the
    /// length, so the mask does not reveal how long the address is. 6 characters or fewer: `****`.
    public static func address(_ s: String) -> String {
        if s.isEmpty { return "" }
        guard s.count > 6 else { return "****" }
        return String(s.prefix(6)) + "****"
    }

    static func keepEnds(_ s: String, first: Int, last: Int, minimumLength: Int) -> String {
        let c = Array(s)
        guard c.count >= minimumLength, c.count > first + last else { return all(s) }
        return String(c[..<first]) + String(repeating: "*", count: c.count - first - last)
            + String(c[(c.count - last)...])
    }

    static func all(_ s: String) -> String { String(repeating: "*", count: s.count) }
}
