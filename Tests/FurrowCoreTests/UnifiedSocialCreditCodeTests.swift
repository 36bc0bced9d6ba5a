import FurrowCore
import PropertyBased
import Testing

@Suite("Unified social credit codes (GB 32100)")
struct UnifiedSocialCreditCodeTests {
    @Test func aKnownValidCodeParsesIntoItsParts() throws {
        let c = try UnifiedSocialCreditCode.parse("91350100M000100Y43")
        #expect(c.registrationDept == "9")
        #expect(c.orgType == "1")
        #expect(c.regionCode == "350100")
        #expect(c.organizationCode == "M000100Y4")
    }

    @Test func lowercaseIsAcceptedAndUpperCased() throws {
        #expect(try UnifiedSocialCreditCode.parse("91350100m000100y43").code == "91350100M000100Y43")
    }

    @Test func checkCharacterIsComputedWithMod31() {
        #expect(UnifiedSocialCreditCode.checkCharacter(forFirst17: "91350100M000100Y4") == "3")
    }

    @Test func organisationCodeCheckFollowsGB11714() {
        #expect(UnifiedSocialCreditCode.organizationCodeCheckCharacter(for: "M000100Y") == "4")
        #expect(UnifiedSocialCreditCode.organizationCodeCheckCharacter(for: "12345678") == "8")
    }

    @Test func wrongLengthIsReported() {
        let e = failure { () throws(IDValidationError) in try UnifiedSocialCreditCode.parse("91350100M000100Y4") }
        #expect(e?.message == "must be 18 characters, found 17")
        #expect(e?.description == "unified social credit code must be 18 characters, found 17")
    }

    @Test func lettersOutsideTheAlphabetAreNamedWithTheirPosition() {
        let e = failure { () throws(IDValidationError) in try UnifiedSocialCreditCode.parse("91350100I000100Y43") }
        #expect(e == IDValidationError(.uscc, .notInAlphabet(position: 9, found: "I")))
        #expect(e?.message.hasPrefix("character 9 ('I') is not allowed") == true)
    }

    @Test func aWrongCheckCharacterSaysWhichWasExpected() {
        let e = failure { () throws(IDValidationError) in try UnifiedSocialCreditCode.parse("91350100M000100Y44") }
        #expect(e?.message == "check character should be '3', found '4'")
    }

    static let alphabet = UnifiedSocialCreditCode.alphabet
    static let orgCodes = Gen.int(in: 0..<31).array(of: 8).map { String($0.map { alphabet[$0] }) }
    static let depts = Gen.int(in: 0..<12).map { Array("123456789ANY")[$0] }
    static let types = Gen.int(in: 0..<4).map { Array("1239")[$0] }
    static let regions = Gen.int(in: 110_000 ... 829_999).map { String($0) }

    @Test func madeCodesParseBackWithTheirParts() async {
        await propertyCheck(count: 500, input: Self.depts, Self.types, Self.regions, Self.orgCodes) { dept, type, region, org in
            let made = UnifiedSocialCreditCode.make(registrationDept: dept, orgType: type, region: region, orgCode8: org)
            let c = try UnifiedSocialCreditCode.parse(made)
            #expect(c.code == made)
            #expect(c.regionCode == region)
            #expect(c.organizationCode == org + String(UnifiedSocialCreditCode.organizationCodeCheckCharacter(for: org)))
        }
    }

    @Test func changingAnySingleCharacterOfAValidCodeMakesItInvalid() async {
        await propertyCheck(count: 100, input: Self.depts, Self.types, Self.regions, Self.orgCodes) { dept, type, region, org in
            let made = Array(UnifiedSocialCreditCode.make(registrationDept: dept, orgType: type, region: region, orgCode8: org))
            for position in 0..<18 {
                for replacement in Self.alphabet where replacement != made[position] {
                    var changed = made
                    changed[position] = replacement
                    let e = failure { () throws(IDValidationError) in try UnifiedSocialCreditCode.parse(String(changed)) }
                    #expect(e != nil, "\(String(changed)) was accepted")
                }
            }
        }
    }
}
