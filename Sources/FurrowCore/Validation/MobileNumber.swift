/// An 11-digit mainland mobile number (1 followed by 3–9, then 9 digits).
///
/// `description` is masked (`138****5678`); read `digits` on purpose.
public struct MobileNumber: Hashable, Sendable, CustomStringConvertible {
    /// The 11 digits, without country code or separators.
    public let digits: String

    public var description: String { Masking.mobile(digits) }

    /// Validates `text` as typed or exported: spaces and hyphens are ignored, and a `+86` or
    /// `0086` country prefix is dropped. Positions in messages count the remaining digits.
    public static func parse(_ text: String) throws(IDValidationError) -> MobileNumber {
        func fail(_ p: IDValidationError.Problem) -> IDValidationError { IDValidationError(.mobile, p) }
        var chars = text.filter { $0 != " " && $0 != "-" && $0 != "\u{3000}" && $0 != "\t" }[...]
        if chars.hasPrefix("+86") { chars = chars.dropFirst(3) }
        else if chars.hasPrefix("0086") { chars = chars.dropFirst(4) }
        guard !chars.isEmpty else { throw fail(.empty) }
        for (i, c) in chars.enumerated() where c.asciiDigitValue == nil {
            throw fail(.notADigit(position: i + 1, found: c))
        }
        guard chars.count == 11 else { throw fail(.wrongLength(expected: 11, found: chars.count)) }
        let first = chars[chars.startIndex]
        guard first == "1" else { throw fail(.mustStartWithOne(found: first)) }
        let second = chars[chars.index(after: chars.startIndex)]
        guard let d = second.asciiDigitValue, d >= 3 else { throw fail(.badSecondDigit(found: second)) }
        return MobileNumber(digits: String(chars))
    }
}
