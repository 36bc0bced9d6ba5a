import Foundation
import FurrowCore
import FurrowStore
import PropertyBased
import Testing
@testable import FurrowImport

/// The engine's idempotence over many generated branches and days: whatever the branch and the
/// day, a second run changes nothing, and running RM by RM gives the same open tasks as the
/// whole branch at once.
@Suite("The reminder engine over generated branches", .serialized)
struct ReminderPropertyTests {
    @Test("a second run creates and withdraws nothing; per-RM runs equal one branch run", .timeLimit(.minutes(20)))
    func idempotent() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("furrow-prop-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let base = CalendarDate(year: 2026, month: 11, day: 20)!
        // (seed, day offset): different branches and days around holidays and month ends.
        await propertyCheck(count: 12, input: Gen.int(in: 1...10_000), Gen.int(in: -200...200)) { seed, offset in
            do {
                let asOf = base.adding(days: offset)
                let extract = dir.appendingPathComponent("x\(seed)-\(offset)")
                try FileManager.default.createDirectory(at: extract, withIntermediateDirectories: true)
                _ = try DemoBranchGenerator(customers: 150, seed: UInt64(seed), asOf: base).write(to: extract)
                let whole = try AppDatabase.inMemory(clock: testClock), byRM = try AppDatabase.inMemory(clock: testClock)
                for s in [whole, byRM] {
                    #expect(try ExtractImporter(store: s).run(ImportOptions(directory: extract, asOf: base, actor: "t")).isComplete)
                }
                let first = try whole.runReminders(scope: .branch, asOf: asOf, by: "t")
                let second = try whole.runReminders(scope: .branch, asOf: asOf, by: "t")
                #expect(second.created == 0 && second.withdrawn == 0, "seed \(seed), \(asOf.iso)")
                #expect(second.open == first.open)
                for rm in try byRM.staff().filter({ $0.role == .rm }) {
                    try byRM.runReminders(scope: .rm(rm.staffID), asOf: asOf, by: "t")
                }
                let a = try whole.taskQueue(scope: .branch, from: nil, through: asOf.adding(days: 400), today: asOf).map { "\($0.task.rule!.rawValue) \($0.task.customerID) \($0.task.dueOn.iso) \($0.task.title)" }
                let b = try byRM.taskQueue(scope: .branch, from: nil, through: asOf.adding(days: 400), today: asOf).map { "\($0.task.rule!.rawValue) \($0.task.customerID) \($0.task.dueOn.iso) \($0.task.title)" }
                #expect(a.sorted() == b.sorted(), "seed \(seed), \(asOf.iso)")
            } catch {
                Issue.record("seed \(seed), offset \(offset): \(error)")
            }
        }
    }
}
