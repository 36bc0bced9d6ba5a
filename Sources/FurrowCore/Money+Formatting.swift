extension Money {
    /// `1,234.50`, `-88.00`: yuan with thousands separators and always two decimals.
    /// `Money.parse(m.formatted(), allowGrouping: true) == m` for every amount above Int64.min fen.
    public func formatted() -> String {
        let m = fen.magnitude
        return Money.sign(fen) + Money.grouped(m / 100) + "." + zeroPadded(Int(m % 100), width: 2)
    }

    /// `¥1,234.50`, `-¥88.00` (the sign goes before the currency symbol, as bank statements write it).
    public func formattedYuan() -> String {
        let m = fen.magnitude
        return Money.sign(fen) + "¥" + Money.grouped(m / 100) + "." + zeroPadded(Int(m % 100), width: 2)
    }

    /// Shortened for narrow columns: from 10,000 yuan on in 万 (`123.4万`), from 100,000,000
    /// yuan on in 亿 (`1.2亿`), with one decimal rounded half away from zero and a `.0` dropped
    /// (`12万`). Below 10,000 yuan it is `formatted()`, since 0.9万 says less than 9,000.00.
    /// An amount that rounds up to 10,000万 is shown as `1亿`.
    public func formattedWan() -> String {
        let m = fen.magnitude
        let wan: UInt64 = 1_000_000         // fen in 1万 yuan
        let yi: UInt64 = 10_000_000_000     // fen in 1亿 yuan
        guard m >= wan else { return formatted() }
        var tenths = Money.roundedTenths(m, unit: wan)
        var unit = "万"
        if m >= yi || tenths >= 100_000 {
            tenths = Money.roundedTenths(m, unit: yi)
            unit = "亿"
        }
        let decimal = tenths % 10 == 0 ? "" : "." + String(tenths % 10)
        return Money.sign(fen) + Money.grouped(tenths / 10) + decimal + unit
    }

    /// The full form if it fits in `maxWidth` terminal columns, else the 万 form (returned even
    /// if it does not fit either: the caller decides how to truncate). 万 and 亿 take two columns.
    public func formatted(maxWidth: Int) -> String {
        let full = formatted()
        if full.utf8.count <= maxWidth { return full }  // the full form is ASCII: bytes = columns
        return formattedWan()
    }

    /// Round half away from zero to tenths of `unit` (fen), on the magnitude, without overflow:
    /// adding half a tenth first cannot overflow since `m` ≤ Int64.max < UInt64.max / 2.
    static func roundedTenths(_ m: UInt64, unit: UInt64) -> UInt64 {
        let tenth = unit / 10
        return (m + tenth / 2) / tenth
    }

    static func sign(_ fen: Int64) -> String { fen < 0 ? "-" : "" }

    /// `1234567` → `1,234,567`.
    static func grouped(_ v: UInt64) -> String {
        let digits = Array(String(v).utf8)
        var out = [UInt8]()
        out.reserveCapacity(digits.count + digits.count / 3)
        for (i, d) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(UInt8(ascii: ",")) }
            out.append(d)
        }
        return String(decoding: out, as: UTF8.self)
    }
}
