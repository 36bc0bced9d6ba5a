import FurrowCore
import Foundation
import Testing

@Suite("Tiers and mass bands")
struct TierTests {
    let t = TierThresholds.standard

    @Test func thresholdsAreInclusiveLowerBounds() throws {
        #expect(t.tier(forAUM: try Money.parse("199999.99")) == .mass)
        #expect(t.tier(forAUM: try Money.parse("200000.00")) == .wealth)
        #expect(t.tier(forAUM: try Money.parse("999999.99")) == .wealth)
        #expect(t.tier(forAUM: try Money.parse("1000000.00")) == .affluent)
        #expect(t.tier(forAUM: try Money.parse("5999999.99")) == .affluent)
        #expect(t.tier(forAUM: try Money.parse("6000000.00")) == .privateBanking)
        #expect(t.tier(forAUM: .zero) == .mass)
    }

    @Test func tiersAreOrderedAndLabelledInChinese() {
        #expect(Tier.mass < .wealth && Tier.wealth < .affluent && Tier.affluent < .privateBanking)
        #expect(Tier.allCases.map(\.label) == ["普通客户", "理财级", "财富级", "私行级"])
        #expect(Tier.privateBanking.rawValue == "private")
    }

    @Test func thresholdsThatDoNotRiseAreRefused() {
        #expect(throws: TierThresholdsError.self) {
            try TierThresholds(wealth: Money(yuan: 1_000_000), affluent: Money(yuan: 1_000_000))
        }
        #expect(throws: TierThresholdsError.self) { try TierThresholds(wealth: .zero) }
        #expect(throws: TierThresholdsError.self) { try TierThresholds(privateBanking: Money(yuan: 500_000)) }
    }

    @Test func thresholdsRoundTripThroughJSONAndDecodingValidates() throws {
        let data = try JSONEncoder().encode(t)
        #expect(try JSONDecoder().decode(TierThresholds.self, from: data) == t)
        let bad = Data(#"{"wealth": 300, "affluent": 200, "private": 100}"#.utf8)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(TierThresholds.self, from: bad) }
    }

    @Test(arguments: [
        (Int64(0), MassBand.zero), (1, .under100), (99_99, .under100), (100_00, .under1000),
        (999_99, .under1000), (1_000_00, .under10k), (9_999_99, .under10k), (10_000_00, .under50k),
        (49_999_99, .under50k), (50_000_00, .under200k), (199_999_99, .under200k),
    ])
    func massBandsFollowTheReportBounds(fen: Int64, band: MassBand) {
        #expect(MassBand.band(forAUM: Money(fen: fen)) == band)
    }

    @Test func aumInAHigherTierHasNoMassBand() throws {
        #expect(MassBand.band(forAUM: Money(yuan: 200_000)) == nil)
        let higher = try TierThresholds(wealth: Money(yuan: 300_000))
        #expect(MassBand.band(forAUM: Money(yuan: 250_000), thresholds: higher) == .under200k)
    }

    @Test func baseCustomersStartAtOneThousandYuan() {
        #expect(MassBand.allCases.filter(\.isBaseCustomer) == [.under10k, .under50k, .under200k])
    }
}
