import FurrowCore
import PropertyBased
import Testing

@Suite("Resident ID numbers (GB 11643)")
struct ResidentIDTests {
    @Test func aKnownValidNumberParsesWithBirthDateGenderAndRegion() throws {
        let id = try ResidentID.parse("11010519491231002X", today: testToday)
        #expect(id.number == "11010519491231002X")
        #expect(id.regionCode == "110105")
        #expect(id.birthDate == CalendarDate(year: 1949, month: 12, day: 31))
        #expect(id.gender == .female)
        #expect(id.age(on: testToday) == 76)
    }

    @Test func lowercaseXIsAcceptedAndNormalised() throws {
        let id = try ResidentID.parse("11010519491231002x", today: testToday)
        #expect(id.number == "11010519491231002X")
    }

    @Test func surroundingBlanksAreIgnored() throws {
        #expect(try ResidentID.parse("  11010519491231002X ", today: testToday).number == "11010519491231002X")
    }

    @Test func oddSeventeenthDigitMeansMale() throws {
        let made = ResidentID.make(region: "330106", birthDate: CalendarDate(year: 1990, month: 1, day: 1)!,
                                   sequence: 123, gender: .male)
        #expect(made == "33010619900101123X")
        #expect(try ResidentID.parse(made, today: testToday).gender == .male)
    }

    @Test func checkCharacterIsComputedWithMod11_2() {
        #expect(ResidentID.checkCharacter(forFirst17: "11010519491231002") == "X")
        #expect(ResidentID.checkCharacter(forFirst17: "33010619900101123") == "X")
    }

    @Test func wrongLengthSaysHowManyCharactersWereFound() {
        let e = failure { () throws(IDValidationError) in try ResidentID.parse("11010519491231002", today: testToday) }
        #expect(e == IDValidationError(.residentID, .wrongLength(expected: 18, found: 17)))
        #expect(e?.message == "must be 18 characters, found 17")
        #expect(e?.description == "resident ID number must be 18 characters, found 17")
    }

    @Test func emptyInputIsReportedAsEmpty() {
        let e = failure { () throws(IDValidationError) in try ResidentID.parse("   ", today: testToday) }
        #expect(e?.message == "is empty")
    }

    @Test func aLetterAmongTheFirst17IsNamedWithItsPosition() {
        let e = failure { () throws(IDValidationError) in try ResidentID.parse("1101A519491231002X", today: testToday) }
        #expect(e?.message == "character 5 ('A') is not a digit")
    }

    @Test func aWrongLastCharacterIsNamed() {
        let e = failure { () throws(IDValidationError) in try ResidentID.parse("11010519491231002Y", today: testToday) }
        #expect(e?.message == "the last character must be a digit or X, found 'Y'")
    }

    @Test func aWrongCheckCharacterSaysWhichWasExpected() {
        let e = failure { () throws(IDValidationError) in try ResidentID.parse("110105194912310023", today: testToday) }
        #expect(e?.message == "check character should be 'X', found '3'")
    }

    @Test func anImpossibleBirthDateIsRejected() {
        let e = failure { () throws(IDValidationError) in try ResidentID.parse("110105199902310021", today: testToday) }
        #expect(e?.message == "birth date 19990231 is not a real date")
    }

    @Test func birthDatesBefore1900OrAfterTodayAreRejected() {
        let old = "110105189912310" + "01"
        let early = failure { () throws(IDValidationError) in
            try ResidentID.parse(old + String(ResidentID.checkCharacter(forFirst17: old)), today: testToday)
        }
        #expect(early?.message == "birth date 18991231 is before 1900")
        let future = ResidentID.make(region: "110105", birthDate: testToday.adding(days: 1), sequence: 1, gender: .male)
        let late = failure { () throws(IDValidationError) in try ResidentID.parse(future, today: testToday) }
        #expect(late?.message == "birth date 20260502 is in the future")
        #expect(failure { () throws(IDValidationError) in try ResidentID.parse(future, today: testToday.adding(days: 1)) } == nil)
    }

    @Test func descriptionIsMaskedSoLogsDoNotLeakTheNumber() throws {
        let id = try ResidentID.parse("11010519491231002X", today: testToday)
        #expect("\(id)" == "1101**********002X")
    }

    static let dates = Gen.int(in: CalendarDate(year: 1900, month: 1, day: 1)!.dayNumber ... testToday.dayNumber)
        .map { CalendarDate(dayNumber: $0) }
    static let regions = Gen.int(in: 110_000 ... 829_999).map { String($0) }
    static let genders = Gen<Gender>.case

    @Test func madeNumbersParseBackWithTheSameBirthDateGenderAndRegion() async {
        await propertyCheck(count: 500, input: Self.regions, Self.dates, Gen.int(in: 0...999), Self.genders) {
            region, date, sequence, gender in
            let made = ResidentID.make(region: region, birthDate: date, sequence: sequence, gender: gender)
            let id = try ResidentID.parse(made, today: testToday)
            #expect(id.birthDate == date)
            #expect(id.gender == gender)
            #expect(id.regionCode == region)
            #expect(id.number == made)
        }
    }

    @Test func changingAnySingleCharacterOfAValidNumberMakesItInvalid() async {
        await propertyCheck(count: 200, input: Self.regions, Self.dates, Gen.int(in: 0...999), Self.genders) {
            region, date, sequence, gender in
            let made = Array(ResidentID.make(region: region, birthDate: date, sequence: sequence, gender: gender))
            for position in 0..<18 {
                for replacement in "0123456789X" where replacement != made[position] {
                    if position < 17 && replacement == "X" { continue }
                    var changed = made
                    changed[position] = replacement
                    let e = failure { () throws(IDValidationError) in try ResidentID.parse(String(changed), today: testToday) }
                    #expect(e != nil, "\(String(changed)) was accepted")
                }
            }
        }
    }
}
