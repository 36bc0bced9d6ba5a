import FurrowCore
import PropertyBased
import Testing

@Suite("Parsing amounts")
struct MoneyParsingTests {
    @Test(arguments: [
        ("1234.50", Int64(123_450)), ("-88", -8_800), ("0.5", 50), ("0", 0), ("-0.01", -1),
        ("007", 700), ("92233720368547758.07", Int64.max),
    ])
    func plainYuanBecomeExactFen(text: String, fen: Int64) throws {
        #expect(try Money.parse(text) == Money(fen: fen))
    }

    @Test(arguments: [
        ("", "no amount given"),
        ("-", "no digits in \"-\""),
        ("1234.", "no digits after the decimal point in \"1234.\""),
        (".5", "no digits before the decimal point in \".5\""),
        ("1e5", "unexpected character 'e' at position 2 in \"1e5\""),
        ("+5", "unexpected character '+' at position 1 in \"+5\""),
        (" 5", "unexpected character ' ' at position 1 in \" 5\""),
        ("1.2.3", "unexpected character '.' at position 4 in \"1.2.3\""),
        ("12.345", "more than two decimal places in \"12.345\""),
        ("1,234.50", "unexpected character ',' at position 2 in \"1,234.50\""),
        ("92233720368547758.08", "\"92233720368547758.08\" is too large for an amount"),
        ("-92233720368547758.08", "\"-92233720368547758.08\" is too large for an amount"),
        ("99999999999999999999999", "\"99999999999999999999999\" is too large for an amount"),
    ])
    func malformedAmountsAreRejectedWithAPreciseMessage(text: String, message: String) {
        let e = moneyFailure { () throws(MoneyParseError) in try Money.parse(text) }
        #expect(e?.description == message)
    }

    @Test func groupedAmountsNeedGroupsOfThree() throws {
        #expect(try Money.parse("1,234.50", allowGrouping: true) == Money(fen: 123_450))
        #expect(try Money.parse("-1,234,567", allowGrouping: true) == Money(yuan: -1_234_567))
        #expect(try Money.parse("999", allowGrouping: true) == Money(yuan: 999))
        for bad in ["12,34", "1234,567", ",123", "1,,234", "1,234,", "1,23.00", "1,2345"] {
            let e = moneyFailure { () throws(MoneyParseError) in try Money.parse(bad, allowGrouping: true) }
            #expect(e?.reason == .badGrouping, "\(bad)")
        }
        let e = moneyFailure { () throws(MoneyParseError) in try Money.parse("12,34", allowGrouping: true) }
        #expect(e?.description == "thousands separators must split the digits in groups of three in \"12,34\"")
    }

    @Test func humanInputReadsWanAndYiExactly() throws {
        #expect(try Money.parse(humanInput: "123.4万") == Money(yuan: 1_234_000))
        #expect(try Money.parse(humanInput: "1.2亿") == Money(yuan: 120_000_000))
        #expect(try Money.parse(humanInput: "1.234567万") == Money(fen: 1_234_567))
        #expect(try Money.parse(humanInput: " -¥1,234.5 ") == Money(fen: -123_450))
        #expect(try Money.parse(humanInput: "50万元") == Money(yuan: 500_000))
        #expect(try Money.parse(humanInput: "88") == Money(yuan: 88))
    }

    @Test func humanInputRejectsPrecisionBeyondTheFen() {
        let e = moneyFailure { () throws(MoneyParseError) in try Money.parse(humanInput: "1.2345678万") }
        #expect(e?.description == "more decimals than a fen in \"1.2345678万\"")
        let u = moneyFailure { () throws(MoneyParseError) in try Money.parse(humanInput: "万") }
        #expect(u?.reason == .noDigits)
        let x = moneyFailure { () throws(MoneyParseError) in try Money.parse(humanInput: "¥1x万") }
        #expect(x?.reason == .unexpectedCharacter("x", position: 3))
        let big = moneyFailure { () throws(MoneyParseError) in try Money.parse(humanInput: "1000000000亿") }
        #expect(big?.reason == .overflow)
    }

    @Test func theFastPathAgreesWithParseOnExamples() {
        for text in ["1234.50", "-88", "0.5", "1234.", "", "1e5", "12.345", "92233720368547758.08", "1,234"] {
            var copy = text
            let fast = copy.withUTF8 { Money.parseYuan(utf8: $0) }
            #expect(fast == (try? Money.parse(text)), "\(text)")
        }
    }

    static let amountLike = Gen.int(in: 0..<14).map { Array("0123456789.-,e")[$0] }.string(of: 0...10)

    @Test func theFastPathAcceptsExactlyWhatParseAccepts() async {
        await propertyCheck(count: 500, input: Self.amountLike) { text in
            var copy = text
            let fast = copy.withUTF8 { Money.parseYuan(utf8: $0) }
            #expect(fast == (try? Money.parse(text)))
        }
    }

    static let safeFen = Gen.int64(in: -Int64.max ... Int64.max)

    @Test func formattedAmountsParseBackToTheSameFen() async {
        await propertyCheck(count: 500, input: Self.safeFen) { fen in
            let m = Money(fen: fen)
            let plain = try Money.parse(m.formatted(), allowGrouping: true)
            let human = try Money.parse(humanInput: m.formattedYuan())
            #expect(plain == m)
            #expect(human == m)
        }
    }

    @Test func smallAmountsRoundTripToo() async {
        await propertyCheck(count: 500, input: Gen.int64(in: -1_000_000 ... 1_000_000)) { fen in
            let m = Money(fen: fen)
            let parsed = try Money.parse(m.formatted(), allowGrouping: true)
            #expect(parsed == m)
        }
    }
}
