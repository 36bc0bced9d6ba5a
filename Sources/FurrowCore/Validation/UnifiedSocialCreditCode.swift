/// An 18-character unified social credit code of an organisation (统一社会信用代码, GB 32100-2015):
/// registration department (1), organisation type (1), region code (6), organisation code (9,
/// GB 11714 with its own check character) and a MOD 31 check character.
public struct UnifiedSocialCreditCode: Hashable, Sendable, CustomStringConvertible {
    /// The 18 characters, upper-cased.
    public let code: String
    /// 登记管理部门码: 1 = organisation bureau, 5 = civil affairs, 9 = market regulation, …
    public let registrationDept: Character
    /// 机构类别码, meaningful together with the department (91 = company, 92 = individual business).
    public let orgType: Character
    public let regionCode: String
    /// 组织机构代码: 8 characters and the GB 11714 check character.
    public let organizationCode: String

    public var description: String { code }

    /// The 31 characters of the code: digits and capitals without I, O, Z, S, V, which are too
    /// easily mistaken for 1, 0, 2, 5, U. A character's value is its index here.
    public static let alphabet: [Character] = Array("0123456789ABCDEFGHJKLMNPQRTUWXY")
    static let weights: [Int] = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
    static let orgCodeWeights: [Int] = [3, 7, 9, 10, 5, 8, 4, 2]

    static func value(of c: Character) -> Int? {
        guard let a = c.asciiValue else { return nil }
        return alphabetValues[Int(a)]
    }

    /// ASCII → value in `alphabet`, nil elsewhere; a table because validation runs per row on import.
    private static let alphabetValues: [Int?] = {
        var t = [Int?](repeating: nil, count: 128)
        for (i, c) in alphabet.enumerated() { t[Int(c.asciiValue!)] = i }
        return t
    }()

    /// Validates `text` (surrounding blanks ignored, lower case accepted and upper-cased).
    public static func parse(_ text: String) throws(IDValidationError) -> UnifiedSocialCreditCode {
        func fail(_ p: IDValidationError.Problem) -> IDValidationError { IDValidationError(.uscc, p) }
        let original = Array(text.trimmingBlanks)
        guard !original.isEmpty else { throw fail(.empty) }
        guard original.count == 18 else { throw fail(.wrongLength(expected: 18, found: original.count)) }
        var values = [Int]()
        values.reserveCapacity(18)
        for (i, c) in original.enumerated() {
            guard let v = value(of: Character(c.uppercased())) else {
                throw fail(.notInAlphabet(position: i + 1, found: c))
            }
            values.append(v)
        }
        let chars = values.map { alphabet[$0] }
        let expected = checkCharacter(values: values)
        guard expected == chars[17] else {
            throw fail(.wrongCheckCharacter(expected: expected, found: chars[17]))
        }
        return UnifiedSocialCreditCode(
            code: String(chars),
            registrationDept: chars[0],
            orgType: chars[1],
            regionCode: String(chars[2..<8]),
            organizationCode: String(chars[8..<17]))
    }

    /// The GB 32100 check character for the first 17 characters of a code.
    /// - Precondition: exactly 17 characters of `alphabet`.
    public static func checkCharacter(forFirst17 body: some StringProtocol) -> Character {
        let values = body.compactMap { value(of: $0) }
        precondition(values.count == 17 && body.count == 17, "need exactly 17 characters of the USCC alphabet")
        return checkCharacter(values: values)
    }

    static func checkCharacter(values: [Int]) -> Character {
        var sum = 0
        for i in 0..<17 { sum += values[i] * weights[i] }
        return alphabet[(31 - sum % 31) % 31]
    }

    /// The GB 11714 check character of an 8-character organisation code: letters count
    /// A = 10 … Z = 35, check = 11 − (Σ value × weight mod 11), 10 → X, 11 → 0.
    /// - Precondition: 8 ASCII digits or capital letters.
    public static func organizationCodeCheckCharacter(for code8: some StringProtocol) -> Character {
        let values: [Int] = code8.compactMap { c in
            guard let a = c.asciiValue else { return nil }
            switch a {
            case 48...57: return Int(a) - 48
            case 65...90: return Int(a) - 55
            default: return nil
            }
        }
        precondition(values.count == 8 && code8.count == 8, "need 8 digits or capital letters")
        var sum = 0
        for i in 0..<8 { sum += values[i] * orgCodeWeights[i] }
        switch 11 - sum % 11 {
        case 10: return "X"
        case 11: return "0"
        case let c: return Character(String(c))
        }
    }

    /// Builds a valid code, for the demo generator and tests: the organisation code gets its
    /// GB 11714 check character so the code looks like a real one, then the GB 32100 check.
    /// - Precondition: `region` is 6 digits; `orgCode8` is 8 characters of `alphabet`;
    ///   `registrationDept` and `orgType` are in `alphabet`.
    public static func make(registrationDept: Character, orgType: Character, region: String, orgCode8: String) -> String {
        precondition(region.count == 6 && region.allSatisfy { $0.asciiDigitValue != nil }, "region must be 6 digits")
        precondition(orgCode8.count == 8 && orgCode8.allSatisfy { value(of: $0) != nil }, "orgCode8 must be 8 USCC characters")
        let body = String(registrationDept) + String(orgType) + region + orgCode8
            + String(organizationCodeCheckCharacter(for: orgCode8))
        return body + String(checkCharacter(forFirst17: body))
    }
}
