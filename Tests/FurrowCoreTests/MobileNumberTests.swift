import FurrowCore
import Testing

@Suite("Mobile numbers")
struct MobileNumberTests {
    @Test func elevenDigitsStartingWith13To19AreValid() throws {
        #expect(try MobileNumber.parse("13812345678").digits == "13812345678")
        #expect(try MobileNumber.parse("19912345678").digits == "19912345678")
    }

    @Test func spacesHyphensAndCountryPrefixAreStripped() throws {
        #expect(try MobileNumber.parse("+86 138-1234-5678").digits == "13812345678")
        #expect(try MobileNumber.parse("0086 138 1234 5678").digits == "13812345678")
    }

    @Test func wrongLengthSaysHowManyDigitsWereFound() {
        let e = failure { () throws(IDValidationError) in try MobileNumber.parse("1381234567") }
        #expect(e?.message == "must be 11 digits, found 10")
        #expect(e?.description == "mobile number must be 11 digits, found 10")
    }

    @Test func aNumberNotStartingWith1IsRejected() {
        let e = failure { () throws(IDValidationError) in try MobileNumber.parse("23812345678") }
        #expect(e?.message == "must start with 1")
    }

    @Test func aSecondDigitBelow3IsRejected() {
        let e = failure { () throws(IDValidationError) in try MobileNumber.parse("12812345678") }
        #expect(e?.message == "second digit must be 3 to 9, found '2'")
    }

    @Test func lettersAreNamedWithTheirPosition() {
        let e = failure { () throws(IDValidationError) in try MobileNumber.parse("138a2345678") }
        #expect(e?.message == "character 4 ('a') is not a digit")
    }

    @Test func emptyInputIsReportedAsEmpty() {
        #expect(failure { () throws(IDValidationError) in try MobileNumber.parse(" - ") }?.message == "is empty")
    }

    @Test func descriptionIsMasked() throws {
        #expect("\(try MobileNumber.parse("13812345678"))" == "138****5678")
    }
}
