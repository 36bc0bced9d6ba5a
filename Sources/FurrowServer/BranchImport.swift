import Foundation
import FurrowCore
import FurrowImport
import FurrowStore

/// `furrow-branch import`: the nightly extracts into the branch's store through the same
/// importer as the workstation, then the nightly rules (tiers, segments, reminders), then a new
/// extract generation so every workstation re-snapshots its customers at its next sync (new
/// balances, new assignments; a reassigned customer leaves the old RM's store).
public enum BranchImport {
    public struct Outcome: Sendable {
        public var report: ImportReport
        public var nightly: NightlyReport?
        public var generation: Int64
        /// Accepted profile corrections applied again because the extract still had the old value.
        public var corrections: Int
        /// Prospects the extract now holds as customers (converted) or may hold (offered).
        public var prospects: AppDatabase.ProspectMatchReport?
    }

    public static func run(store: AppDatabase, directory: URL, asOf: CalendarDate, skipInvalid: Bool, actor: String,
                           progress: (@Sendable (ImportProgress) -> Void)? = nil) throws -> Outcome {
        let options = ImportOptions(directory: directory, skipInvalid: skipInvalid, asOf: asOf, actor: actor,
                                    rejectsURL: directory.appendingPathComponent("rejects.csv"))
        let report = try ExtractImporter(store: store).run(options, progress: progress)
        guard report.committed else { return Outcome(report: report, nightly: nil, generation: try store.coreGeneration(), corrections: 0, prospects: nil) }
        // Corrections a lead accepted stay applied until the core's extract carries them.
        let corrections = try store.carryAcceptedCorrections()
        let nightly = try store.runNightly(asOf: asOf, by: actor)
        // The RMs' prospects who now hold an account convert here, so every workstation gets
        // the same conversion with its next snapshot.
        // The import is in: workstations must hear of it even if matching fails.
        let prospects = Result { () throws(StoreError) in try store.matchProspects(by: actor) }
        try store.bumpCoreGeneration()
        return Outcome(report: report, nightly: nightly, generation: try store.coreGeneration(), corrections: corrections,
                       prospects: try prospects.get())
    }
}
