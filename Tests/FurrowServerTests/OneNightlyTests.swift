import Foundation
import FurrowCore
import FurrowImport
import FurrowServer
import FurrowStore
import FurrowTestSupport
import Testing

/// `furrow-branch import` and `furrow nightly` run one nightly (`AppDatabase.nightlyRun`): the
/// same extract and the same campaign answers leave the branch and a workstation with the same
/// classifications, reminders, retention cases, month totals, campaign conversions and prospects.
@Suite("One nightly on the branch and the workstation")
struct OneNightlyTests {
    static let asOf = CalendarDate(iso: "2026-11-30")!
    /// 10:00 in Shanghai on `asOf`.
    static let now = Date(timeIntervalSince1970: 1_796_004_000)
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("fixtures/branch")

    /// What the nightly writes that no random id tells apart (tasks, cases and campaigns are
    /// compared by their reports and conversions below).
    static let nightlyTables: Set<String> = ["customer_rules", "monthly_totals"]

    @Test("the branch's import and the workstation's nightly credit the same purchases to a campaign and leave the same rows")
    func sameRun() throws {
        let branch = try AppDatabase.inMemory(clock: { Self.now }), workstation = try AppDatabase.inMemory(clock: { Self.now })
        // The same first extract and the same campaign, answered alike (C0024 opened LC091 on 2026-10-22).
        var campaigns: [String] = []
        for store in [branch, workstation] {
            _ = try ExtractImporter(store: store).run(ImportOptions(directory: Self.fixture, asOf: Self.asOf, actor: "t"))
            let c = try store.createCampaign(name: "秋季关怀", kind: .care, startsOn: CalendarDate(iso: "2026-10-01")!,
                                             endsOn: CalendarDate(iso: "2026-11-30")!, target: try CampaignTarget.parse("aum>=0"), by: "S002")
            campaigns.append(c.campaignID)
            _ = try store.buildCampaignList(c.campaignID, asOf: CalendarDate(iso: "2026-10-01")!, by: "S002")
            _ = try store.launchCampaign(c.campaignID, asOf: CalendarDate(iso: "2026-10-01")!, by: "S002")
            try store.recordCampaignResponse(c.campaignID, customerID: "C0024", response: .accepted, at: "2026-10-20 10:00", by: "S002")
        }
        // The night: the branch imports the extract; the workstation runs `furrow nightly` on it.
        let outcome = try BranchImport.run(store: branch, directory: Self.fixture, asOf: Self.asOf, skipInvalid: false, actor: "t")
        let night = try #require(outcome.nightly)
        _ = try ExtractImporter(store: workstation).run(ImportOptions(directory: Self.fixture, asOf: Self.asOf, actor: "t"))
        let run = try workstation.nightlyRun(asOf: Self.asOf, by: "t")
        #expect(night.attribution.conversions > 0, "the branch's import credits the campaign: \(night.attribution)")
        #expect(night.attribution.conversions == run.attribution.conversions && night.attribution.amountFen == run.attribution.amountFen)
        #expect(night.report.customers == run.report.customers && night.report.tiers == run.report.tiers
                && night.report.segments == run.report.segments && night.report.casesOpened == run.report.casesOpened
                && night.report.reminders.open == run.report.reminders.open)
        #expect(night.prospects.converted == run.prospects.converted && night.prospects.possible == run.prospects.possible)
        let credited = try zip([branch, workstation], campaigns).map { store, id in
            try store.campaignConversions(id).map { "\($0.customerID) \($0.day) \($0.contactDay)" }.sorted()
        }
        #expect(credited[0].contains { $0.hasPrefix("C0024 2026-10-22") }, "\(credited[0])")
        #expect(credited[0] == credited[1])
        let diff = try StoreDump.differences(branch, workstation, tables: Self.nightlyTables)
        #expect(diff.isEmpty, "\(diff)")
    }
}
