import Foundation
import FurrowCore

/// The whole nightly run after an extract is in, the same on the branch (`furrow-branch import`)
/// and on a workstation (`furrow nightly`): the rules (tiers with hysteresis, segments,
/// activity, lifecycle, churn warnings and their retention cases, the month's totals, the
/// reminders), then what the extract shows contacted customers bought credited to their
/// campaigns, then prospects the extract now holds as customers converted (or offered).
public struct NightlyRun: Sendable, Codable {
    public var report: NightlyReport
    public var attribution: AppDatabase.AttributionReport
    public var prospects: AppDatabase.ProspectMatchReport
}

extension AppDatabase {
    /// One nightly, in its fixed order. Each step is its own transaction: a step that fails
    /// leaves the earlier ones done and is reported (running it again is safe: every step is
    /// idempotent for the day).
    public func nightlyRun(asOf: CalendarDate, rules: RulesConfig = .standard, by actor: String) throws(StoreError) -> NightlyRun {
        let report = try runNightly(asOf: asOf, rules: rules, by: actor)
        let attribution = try attributeCampaigns(rules: rules, by: actor)
        let prospects = try matchProspects(by: actor)
        return NightlyRun(report: report, attribution: attribution, prospects: prospects)
    }
}
