/// Why a text is not an amount. `description` says what is wrong and quotes the input.
public struct MoneyParseError: Error, Equatable, Hashable, Sendable, CustomStringConvertible {
    public enum Reason: Equatable, Hashable, Sendable {
        case empty
        /// Only a sign, or a unit with no number.
        case noDigits
        /// `position` is 1-based, in characters.
        case unexpectedCharacter(Character, position: Int)
        case noDigitsBeforePoint
        case noDigitsAfterPoint
        case tooManyDecimals
        /// A 万 / 亿 amount with more decimals than reach down to the fen.
        case finerThanFen
        case badGrouping
        /// Beyond ±92,233,720,368,547,758.07 yuan (Int64 fen).
        case overflow
    }

    public let reason: Reason
    /// The text as given (blanks trimmed for human input).
    public let input: String

    public init(_ reason: Reason, input: String) {
        self.reason = reason
        self.input = input
    }

    public var description: String {
        let q = "\"\(input)\""
        switch reason {
        case .empty: return "no amount given"
        case .noDigits: return "no digits in \(q)"
        case let .unexpectedCharacter(c, p): return "unexpected character '\(c)' at position \(p) in \(q)"
        case .noDigitsBeforePoint: return "no digits before the decimal point in \(q)"
        case .noDigitsAfterPoint: return "no digits after the decimal point in \(q)"
        case .tooManyDecimals: return "more than two decimal places in \(q)"
        case .finerThanFen: return "more decimals than a fen in \(q)"
        case .badGrouping: return "thousands separators must split the digits in groups of three in \(q)"
        case .overflow: return "\(q) is too large for an amount"
        }
    }
}

extension Money {
    /// Parses yuan as the extracts and forms write them: optional `-`, digits, optionally `.`
    /// and one or two decimals ("1234.50", "-88", "0.5"). No exponent, no `+`, no blanks, no
    /// dangling point. With `allowGrouping`, commas must form proper groups of three
    /// ("1,234.50", not "12,34"). Exact: the digits become fen with integer arithmetic.
    public static func parse(_ text: some StringProtocol, allowGrouping: Bool = false) throws(MoneyParseError) -> Money {
        var s = String(text)
        let r = s.withUTF8 { scan($0, allowGrouping: allowGrouping, scale: 2) }
        switch r {
        case let .success(fen): return Money(fen: fen)
        case let .failure(f): throw f.error(in: s)
        }
    }

    /// Parses an amount typed by a person: blanks around it, thousands separators, an optional
    /// `¥`/`￥` after the sign, and an optional 万 (10⁴) or 亿 (10⁸) unit, optionally followed by
    /// 元. "123.4万" is exactly 1,234,000.00 yuan; "1.23456789万" is rejected (finer than a fen).
    public static func parse(humanInput text: some StringProtocol) throws(MoneyParseError) -> Money {
        let trimmed = String(text.trimmingBlanks)
        var body = Substring(trimmed)
        var negative = false
        if body.first == "-" { negative = true; body = body.dropFirst() }
        if body.first == "¥" || body.first == "￥" { body = body.dropFirst() }
        if body.last == "元" { body = body.dropLast() }
        var scale = 2
        if body.last == "万" { scale = 6; body = body.dropLast() }
        else if body.last == "亿" { scale = 10; body = body.dropLast() }
        if trimmed.isEmpty { throw MoneyParseError(.empty, input: trimmed) }
        if body.isEmpty { throw MoneyParseError(.noDigits, input: trimmed) }
        var number = (negative ? "-" : "") + body
        let r = number.withUTF8 { scan($0, allowGrouping: true, scale: scale) }
        switch r {
        case let .success(fen): return Money(fen: fen)
        case let .failure(f):
            // Positions were counted in `number`; shift them to the text the person typed.
            let shift = trimmed.distance(from: trimmed.startIndex, to: body.startIndex) - (negative ? 1 : 0)
            throw f.error(in: number, shiftedBy: shift, quoting: trimmed)
        }
    }

    /// The importer's fast path: plain yuan, as `parse(_:)` without grouping, straight from the
    /// bytes of a field. Allocates nothing; nil for anything `parse` would reject.
    public static func parseYuan(utf8 bytes: UnsafeBufferPointer<UInt8>) -> Money? {
        if case let .success(fen) = scan(bytes, allowGrouping: false, scale: 2) { return Money(fen: fen) }
        return nil
    }

    /// Where and why a scan failed, without allocating (the fast path discards it).
    enum ScanFailure: Error {
        case empty, noDigits, noDigitsBeforePoint, noDigitsAfterPoint, tooManyDecimals, finerThanFen
        case badGrouping, overflow
        case unexpected(byteOffset: Int)

        func error(in s: String, shiftedBy shift: Int = 0, quoting: String? = nil) -> MoneyParseError {
            let input = quoting ?? s
            switch self {
            case .empty: return MoneyParseError(.empty, input: input)
            case .noDigits: return MoneyParseError(.noDigits, input: input)
            case .noDigitsBeforePoint: return MoneyParseError(.noDigitsBeforePoint, input: input)
            case .noDigitsAfterPoint: return MoneyParseError(.noDigitsAfterPoint, input: input)
            case .tooManyDecimals: return MoneyParseError(.tooManyDecimals, input: input)
            case .finerThanFen: return MoneyParseError(.finerThanFen, input: input)
            case .badGrouping: return MoneyParseError(.badGrouping, input: input)
            case .overflow: return MoneyParseError(.overflow, input: input)
            case let .unexpected(offset):
                // Map the byte offset back to the character that contains it.
                var bytes = 0
                for (i, c) in s.enumerated() {
                    bytes += c.utf8.count
                    if bytes > offset { return MoneyParseError(.unexpectedCharacter(c, position: i + 1 + shift), input: input) }
                }
                return MoneyParseError(.noDigits, input: input)
            }
        }
    }

    /// The one scanner behind every parse. `scale` is the power of ten from the unit written
    /// to fen: 2 for yuan, 6 for 万, 10 for 亿. At most `scale` decimals are accepted, and the
    /// digits times 10^(scale − decimals) must fit in Int64 (±Int64.max, so negation is safe).
    static func scan(_ p: UnsafeBufferPointer<UInt8>, allowGrouping: Bool, scale: Int) -> Result<Int64, ScanFailure> {
        let comma = UInt8(ascii: ","), point = UInt8(ascii: "."), minus = UInt8(ascii: "-"), zero = UInt8(ascii: "0")
        let n = p.count
        if n == 0 { return .failure(.empty) }
        var i = 0
        let negative = p[0] == minus
        if negative { i = 1 }
        if i == n { return .failure(.noDigits) }

        var magnitude: UInt64 = 0
        var overflow = false
        func push(_ d: UInt8) {
            let (m, o1) = magnitude.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(UInt64(d))
            magnitude = a
            if o1 || o2 { overflow = true }
        }

        // Integer part, with optional comma groups.
        var intDigits = 0, groupDigits = 0, groups = 0
        while i < n {
            let b = p[i]
            if b &- zero < 10 {
                push(b &- zero); intDigits += 1; groupDigits += 1
            } else if b == comma && allowGrouping {
                // The first group has 1…3 digits, every later one exactly 3.
                if groupDigits == 0 || groupDigits > 3 || (groups > 0 && groupDigits != 3) { return .failure(.badGrouping) }
                groups += 1; groupDigits = 0
            } else if b == point {
                break
            } else {
                return .failure(.unexpected(byteOffset: i))
            }
            i += 1
        }
        if groups > 0 && groupDigits != 3 { return .failure(.badGrouping) }

        var decimals = 0
        if i < n {  // at the point
            if intDigits == 0 { return .failure(.noDigitsBeforePoint) }
            i += 1
            if i == n { return .failure(.noDigitsAfterPoint) }
            while i < n {
                let b = p[i]
                guard b &- zero < 10 else { return .failure(.unexpected(byteOffset: i)) }
                decimals += 1
                if decimals > scale { return .failure(scale == 2 ? .tooManyDecimals : .finerThanFen) }
                push(b &- zero)
                i += 1
            }
        }
        if intDigits == 0 { return .failure(.noDigits) }
        for _ in decimals..<scale { push(0) }
        guard !overflow, magnitude <= UInt64(Int64.max) else { return .failure(.overflow) }
        let v = Int64(magnitude)
        return .success(negative ? -v : v)
    }
}
