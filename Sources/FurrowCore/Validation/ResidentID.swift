/// An 18-character mainland resident identity card number (公民身份号码, GB 11643-1999):
/// 6-digit region code, 8-digit birth date `YYYYMMDD`, 3-digit sequence whose last digit is odd
/// for men and even for women, and an ISO 7064 MOD 11-2 check character (digit or X).
///
/// `description` is masked (`3301**********1234`) so an ID put into a log or a string
/// interpolation by accident does not leak; read `number` on purpose.
public struct ResidentID: Hashable, Sendable, CustomStringConvertible {
    /// The 18 characters, check character `X` upper-cased.
    public let number: String
    /// GB/T 2260 administrative division code of the place of first registration.
    public let regionCode: String
    public let birthDate: CalendarDate
    public let gender: Gender

    public var description: String { Masking.residentID(number) }

    /// Weights of ISO 7064 MOD 11-2 for positions 1…17 (2^(18-i) mod 11).
    static let weights: [Int] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    static let earliestBirthDate = CalendarDate(year: 1900, month: 1, day: 1)!

    /// Validates `text` (surrounding blanks ignored, lower-case `x` accepted).
    ///
    /// Checks, in order, so the message names the first thing a clerk should fix: length,
    /// digits, last character, birth date (real, from 1900 on, not after `today`), check character.
    /// - Parameter today: pass it explicitly when validating many numbers (the default builds a
    ///   Gregorian calendar on every call) and in tests.
    public static func parse(_ text: String, today: CalendarDate = .today()) throws(IDValidationError) -> ResidentID {
        func fail(_ p: IDValidationError.Problem) -> IDValidationError { IDValidationError(.residentID, p) }
        let chars = Array(text.trimmingBlanks)
        guard !chars.isEmpty else { throw fail(.empty) }
        guard chars.count == 18 else { throw fail(.wrongLength(expected: 18, found: chars.count)) }
        var digits = [Int]()
        digits.reserveCapacity(17)
        for (i, c) in chars.prefix(17).enumerated() {
            guard let d = c.asciiDigitValue else { throw fail(.notADigit(position: i + 1, found: c)) }
            digits.append(d)
        }
        var last = chars[17]
        if last == "x" { last = "X" }
        guard last == "X" || last.asciiDigitValue != nil else { throw fail(.badLastCharacter(found: chars[17])) }

        func value(_ r: Range<Int>) -> Int { r.reduce(0) { $0 * 10 + digits[$1] } }
        let dateDigits = String(chars[6..<14])
        guard let birth = CalendarDate(year: value(6..<10), month: value(10..<12), day: value(12..<14)) else {
            throw fail(.impossibleBirthDate(dateDigits))
        }
        guard birth >= earliestBirthDate else { throw fail(.birthDateBefore1900(dateDigits)) }
        guard birth <= today else { throw fail(.birthDateInFuture(dateDigits)) }

        let expected = checkCharacter(digits: digits)
        guard expected == last else { throw fail(.wrongCheckCharacter(expected: expected, found: last)) }

        return ResidentID(
            number: String(chars[0..<17]) + String(last),
            regionCode: String(chars[0..<6]),
            birthDate: birth,
            gender: digits[16] % 2 == 1 ? .male : .female)
    }

    /// The ISO 7064 MOD 11-2 check character for the first 17 characters of a number.
    /// - Precondition: `forFirst17` is exactly 17 ASCII digits.
    public static func checkCharacter(forFirst17 body: some StringProtocol) -> Character {
        let digits = body.compactMap(\.asciiDigitValue)
        precondition(digits.count == 17 && body.count == 17, "need exactly 17 digits")
        return checkCharacter(digits: digits)
    }

    static func checkCharacter(digits: [Int]) -> Character {
        var sum = 0
        for i in 0..<17 { sum += digits[i] * weights[i] }
        // MOD 11-2: the check value c satisfies (sum + c) ≡ 1 (mod 11); 10 is written X.
        let c = (12 - sum % 11) % 11
        return c == 10 ? "X" : Character(String(c))
    }

    /// Builds a valid number, for the demo generator and for tests.
    ///
    /// The gender digit decides the sex, so when the last digit of `sequence` has the wrong
    /// parity for `gender` it is moved by one (flipping the low bit keeps it inside 0…999).
    /// - Precondition: `region` is 6 digits, `sequence` in 0…999, the birth year has 4 digits.
    public static func make(region: String, birthDate: CalendarDate, sequence: Int, gender: Gender) -> String {
        precondition(region.count == 6 && region.allSatisfy { $0.asciiDigitValue != nil }, "region must be 6 digits")
        precondition((0...999).contains(sequence), "sequence must be in 0...999")
        precondition((1000...9999).contains(birthDate.year), "birth year must have 4 digits")
        var seq = sequence
        if (seq % 2 == 1) != (gender == .male) { seq ^= 1 }
        let body = region + birthDate.compactDigits + zeroPadded(seq, width: 3)
        return body + String(checkCharacter(forFirst17: body))
    }

    /// Age in whole years on `date`.
    public func age(on date: CalendarDate) -> Int { birthDate.age(on: date) }
}

extension CalendarDate {
    /// `YYYYMMDD`, as in identity numbers.
    var compactDigits: String {
        zeroPadded(year, width: 4) + zeroPadded(month, width: 2) + zeroPadded(day, width: 2)
    }
}

func zeroPadded(_ v: Int, width: Int) -> String {
    let s = String(v)
    return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
}

extension Character {
    /// 0…9 for the ASCII digits only: `Character.wholeNumberValue` also accepts full-width
    /// and Chinese numerals, which must not pass as ID digits.
    var asciiDigitValue: Int? {
        guard let a = asciiValue, a >= 48, a <= 57 else { return nil }
        return Int(a) - 48
    }
}

extension StringProtocol {
    /// Without leading and trailing spaces, tabs and line breaks (extract fields are padded).
    var trimmingBlanks: SubSequence {
        var s = self[...]
        while let f = s.first, f.isWhitespace { s = s.dropFirst() }
        while let l = s.last, l.isWhitespace { s = s.dropLast() }
        return s
    }
}
