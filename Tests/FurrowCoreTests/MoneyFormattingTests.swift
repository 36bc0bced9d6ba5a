import FurrowCore
import Testing

@Suite("Formatting amounts")
struct MoneyFormattingTests {
    @Test func fullFormHasSeparatorsAndTwoDecimals() {
        #expect(Money(fen: 123_450).formatted() == "1,234.50")
        #expect(Money(yuan: -88).formatted() == "-88.00")
        #expect(Money.zero.formatted() == "0.00")
        #expect(Money(fen: 5).formatted() == "0.05")
        #expect(Money(fen: -5).formatted() == "-0.05")
        #expect(Money(yuan: 1_000_000).formatted() == "1,000,000.00")
        #expect(Money(fen: Int64.max).formatted() == "92,233,720,368,547,758.07")
        #expect(Money(fen: Int64.min).formatted() == "-92,233,720,368,547,758.08")
    }

    @Test func yuanFormPutsTheSignBeforeTheSymbol() {
        #expect(Money(fen: 123_450).formattedYuan() == "¥1,234.50")
        #expect(Money(yuan: -88).formattedYuan() == "-¥88.00")
    }

    @Test(arguments: [
        (Int64(1_234_000_00), "123.4万"),
        (12_000_000_00, "1,200万"),
        (1_200_000_00, "120万"),
        (120_000_00, "12万"),
        (10_000_00, "1万"),
        (15_000_00, "1.5万"),
        (12_350_00, "1.2万"),
        (12_500_00, "1.3万"),
        (-12_500_00, "-1.3万"),
        (12_499_99, "1.2万"),
        (9_999_99, "9,999.99"),
        (-9_999_99, "-9,999.99"),
        (123_450_000_00, "1.2亿"),
        (100_000_000_00, "1亿"),
        (99_999_960_00, "1亿"),
        (99_949_999_99, "9,995万"),
        (1_234_567_890_123_00, "12,345.7亿"),
    ])
    func wanFormRoundsHalfAwayFromZeroToOneDecimal(fen: Int64, text: String) {
        #expect(Money(fen: fen).formattedWan() == text)
    }

    @Test func maxWidthPicksTheFullFormWhenItFits() {
        let m = Money(fen: 1_234_567_89)
        #expect(m.formatted(maxWidth: 12) == "1,234,567.89")
        #expect(m.formatted(maxWidth: 11) == "123.5万")
        #expect(Money(fen: 1_00).formatted(maxWidth: 2) == "1.00")
    }
}
