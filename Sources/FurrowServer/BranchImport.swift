import Foundation
import FurrowCore
import FurrowImport
import FurrowStore

/// `furrow-branch import`: the nightly extracts into the branch's store through the same
/// importer as the workstation, then the same nightly run as `furrow nightly` (`nightlyRun`:
/// rules, campaign attribution, prospect matching), then a new extract generation so every workstation re-snapshots its customers at its next sync (new
/// balances, new assignments; a reassigned customer leaves the old RM's store).
public enum BranchImport {
    public struct Outcome: Sendable {
        public var report: ImportReport
        /// The nightly run after the import (rules, attribution, prospects).
        public var nightly: NightlyRun?
        public var generation: Int64
        /// Accepted profile corrections applied again because the extract still had the old value.
        public var corrections: Int
    }

    public static func run(store: AppDatabase, directory: URL, asOf: CalendarDate, skipInvalid: Bool, actor: String,
                           rules: RulesConfig = .standard, progress: (@Sendable (ImportProgress) -> Void)? = nil) throws -> Outcome {
        let options = ImportOptions(directory: directory, skipInvalid: skipInvalid, asOf: asOf, actor: actor,
                                    rejectsURL: directory.appendingPathComponent("rejects.csv"))
        let report = try ExtractImporter(store: store).run(options, progress: progress)
        guard report.committed else { return Outcome(report: report, nightly: nil, generation: try store.coreGeneration(), corrections: 0) }
        // Corrections a lead accepted stay applied until the core's extract carries them.
        let corrections = try store.carryAcceptedCorrections()
        // The RMs' prospects who now hold an account convert here, so every workstation gets
        // the same conversion with its next snapshot. The import is in: workstations must hear
        // of it even if the nightly run fails.
        let nightly = Result { () throws(StoreError) in try store.nightlyRun(asOf: asOf, rules: rules, by: actor) }
        try store.bumpCoreGeneration()
        return Outcome(report: report, nightly: try nightly.get(), generation: try store.coreGeneration(), corrections: corrections)
    }
}
