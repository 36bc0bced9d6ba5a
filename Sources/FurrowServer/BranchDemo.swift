import Foundation
import FurrowCore
import FurrowImport
import FurrowStore

/// `furrow-branch demo`: the bundled demo branch as a branch server's store — the generated
/// extracts loaded through `BranchImport`, and every staff member given the one demo password,
/// so RMs and their lead can sign in from workstations and try sync.
public enum BranchDemo {
    public static func create(store: AppDatabase, extractDirectory: URL, customers: Int, seed: UInt64, asOf: CalendarDate,
                              password: String, actor: String) throws -> (summary: DemoBranchSummary, outcome: BranchImport.Outcome) {
        try? FileManager.default.removeItem(at: extractDirectory)
        try FileManager.default.createDirectory(at: extractDirectory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let summary = try DemoBranchGenerator(customers: customers, seed: seed, asOf: asOf).write(to: extractDirectory) { _ in }
        let outcome = try BranchImport.run(store: store, directory: extractDirectory, asOf: asOf, skipInvalid: false, actor: actor)
        if let problem = BranchPasswords.problem(password) { throw BranchPasswords.Refusal(description: problem) }
        let hash = BranchPasswords.hash(password)   // once: bcrypt is slow on purpose
        for member in summary.staff { try store.setBranchUser(staffID: member.staffID, passwordHash: hash, by: actor) }
        return (summary, outcome)
    }
}
