import Foundation
import FurrowCore
import FurrowServer
import FurrowStore
import FurrowSync
import PropertyBased
import Testing

/// The branch's four calls made in process, through the same store code the routes call
/// (`applyOps`, `snapshotPage`, `BranchServer.pullResponse`); HTTP itself is covered by
/// SyncEngineTests and BranchSyncTests over loopback.
struct InProcessTransport: SyncTransport {
    let branch: AppDatabase
    let user: AppDatabase.UserRef
    var server: String { "in-process" }

    func hello() async throws(SyncError) -> HelloResponse {
        do {
            return HelloResponse(protocolVersion: SyncProtocol.version, minimumClientVersion: SyncProtocol.minimumClientVersion,
                                 serverTime: Timestamp.utcNow(branch.clock()), user: user.staffID, role: user.role.rawValue,
                                 generation: try branch.coreGeneration(), feedHead: try branch.feedHead())
        } catch { throw .server(status: 500, reason: error.description) }
    }
    func push(_ ops: [SyncOp]) async throws(SyncError) -> PushResponse {
        do { return PushResponse(results: try branch.applyOps(ops, user: user), serverTime: Timestamp.utcNow(branch.clock())) } catch {
            throw .server(status: 500, reason: error.description)
        }
    }
    func pull(cursor: Int64, limit: Int) async throws(SyncError) -> PullResponse {
        do { return try BranchServer.pullResponse(store: branch, user: user, cursor: cursor, limit: limit) } catch {
            throw .server(status: 500, reason: "\(error)")
        }
    }
    func snapshot(phase: SnapshotPhase, after: String, limit: Int) async throws(SyncError) -> SnapshotPage {
        do { return try branch.snapshotPage(for: user, phase: phase, after: after, limit: limit) } catch {
            throw .server(status: 500, reason: error.description)
        }
    }
}

@Suite("Sync over random replicas, writes, syncs and reassignments", .serialized)
struct SyncPropertyTests {
    static let staff: [(String, StaffRole)] = [("S1", .rm), ("S2", .rm), ("S3", .rm), ("L1", .lead)]

    /// Built once; every case works on copies.
    static let templates: (branch: AppDatabase, empty: AppDatabase) = {
        do { return (try makeBranch(), try AppDatabase.inMemory(clock: testClock)) } catch { fatalError("the template stores: \(error)") }
    }()

    static func makeBranch() throws -> AppDatabase {
        let db = try AppDatabase.inMemory(clock: testClock)
        _ = try db.importExtract(directory: "b", actor: "t", asOf: CalendarDate(iso: "2026-09-21")!) { s in
            for (id, role) in staff { try s.upsert(Staff(staffID: id, name: "员工\(id)", role: role, team: "东")) }
            for i in 1...8 {
                try s.upsert(Customer(customerID: "C\(i)", name: "客户\(i)", kind: .individual))
                try s.upsert(Assignment(customerID: "C\(i)", staffID: "S\((i % 3) + 1)", since: CalendarDate(iso: "2024-01-01")!))
            }
            return .commit(summary: "")
        }
        return db
    }

    /// What a user should see, as text: their customers, each with its notes, tags, RM tasks and logs.
    static func view(_ db: AppDatabase, customers: [String]) throws -> [String] {
        try customers.sorted().map { id in
            guard let p = try db.profile(customerID: id) else { return "\(id): missing" }
            let notes = p.notes.map { "\($0.noteID)=\($0.text)" }.sorted()
            let tasks = p.tasks.map { "\($0.taskID):\($0.status.rawValue):\($0.dueOn.iso)" }.sorted()
            let logs = p.interactions.map(\.interactionID).sorted()
            return "\(id) notes\(notes) tags\(p.tags.sorted()) tasks\(tasks) logs\(logs)"
        }
    }

    static func scope(_ branch: AppDatabase, _ user: String, role: StaffRole) throws -> [String] {
        try branch.portfolio(scope: role == .lead ? .team("东") : .rm(user), limit: 100).rows.map(\.customerID).sorted()
    }

    @Test("after quiescence every replica equals what the branch says its user should see, and every op is applied or visibly answered",
          .timeLimit(.minutes(20)))
    func convergence() async throws {
        if let one = ProcessInfo.processInfo.environment["FURROW_SYNC_SEED"].flatMap(UInt64.init) {
            try await Self.run(seed: one)   // replay a reported seed
            return
        }
        // 200 cases keep the suite's run short on a busy 2-core machine; scripts/sync-soak runs
        // 20,000 and more. The time limit only catches a hang: it is no verdict on speed.
        let cases = Int(ProcessInfo.processInfo.environment["FURROW_SYNC_CASES"] ?? "") ?? 200
        await propertyCheck(count: cases, input: Gen.int(in: 0...Int(Int32.max))) { seed in
            do { try await Self.run(seed: UInt64(seed)) } catch { Issue.record("seed \(seed): \(error)") }
        }
    }

    static func run(seed: UInt64) async throws {
        var rng = SplitMix64(state: seed)
        let branch = try templates.branch.inMemoryCopy()
        var users: [AppDatabase.UserRef] = []
        for i in 0..<Int.random(in: 3...5, using: &rng) {
            let (id, role) = staff[Int.random(in: 0..<staff.count, using: &rng)]
            users.append(.init(staffID: id, role: role, team: "东", device: "device-\(i)"))
        }
        let replicas = try users.map { _ in try templates.empty.inMemoryCopy() }
        let engines = zip(replicas, users).map { SyncEngine(store: $0, client: InProcessTransport(branch: branch, user: $1)) }
        for e in engines { _ = try await e.run() }
        var day = 21
        let trace = ProcessInfo.processInfo.environment["FURROW_SYNC_TRACE"] != nil
        for step in 0..<Int.random(in: 5...25, using: &rng) {
            let r = Int.random(in: 0..<replicas.count, using: &rng)
            let db = replicas[r], me = users[r].staffID
            let action = Int.random(in: 0..<10, using: &rng)
            if trace { print("step \(step): replica \(r) (\(me)) action \(action) pending \(try db.pendingOps().map { "\($0.kind) \($0.customerID ?? "") \($0.recordID ?? "") \($0.fields)" })") }
            switch action {
            case 0...4:
                let mine = try db.portfolio(scope: .branch, limit: 100).rows.map(\.customerID)
                guard let c = mine.randomElement(using: &rng) else { continue }
                let open = try db.profile(customerID: c)?.tasks.filter { $0.status == .open } ?? []
                switch Int.random(in: 0..<6, using: &rng) {
                case 0: _ = try db.addNote(customerID: c, text: "n\(Int.random(in: 0..<1000, using: &rng))", by: me)
                case 1: try db.addTag(customerID: c, tag: ["VIP", "茶友"].randomElement(using: &rng)!, by: me)
                case 2: try db.removeTag(customerID: c, tag: ["VIP", "茶友"].randomElement(using: &rng)!, by: me)
                case 3: try db.createTask(customerID: c, title: "回访", reason: nil, dueOn: CalendarDate(iso: "2026-12-01")!, by: me)
                case 4:
                    if let t = open.randomElement(using: &rng) { try db.completeTask(taskID: t.taskID, outcome: "done", by: me) }
                default:
                    if let t = open.randomElement(using: &rng) {
                        try db.rescheduleTask(taskID: t.taskID, to: CalendarDate(iso: "2026-12-\(Int.random(in: 10...28, using: &rng))")!, by: me)
                    }
                }
            case 5...8:
                _ = try await engines[r].run()
            default:
                // The nightly extract moves a customer to another RM.
                let c = "C\(Int.random(in: 1...8, using: &rng))", to = "S\(Int.random(in: 1...3, using: &rng))"
                day += 1
                _ = try branch.importExtract(directory: "n", actor: "t", asOf: CalendarDate(iso: "2026-11-\(day)")!) { s in
                    try s.upsert(Assignment(customerID: c, staffID: to, since: CalendarDate(iso: "2026-11-\(day)")!))
                    return .commit(summary: "")
                }
                try branch.bumpCoreGeneration()
            }
        }
        // Quiescence: everyone syncs until nothing moves.
        for _ in 0..<3 { for e in engines { _ = try await e.run() } }

        var pushed = 0
        for (db, user) in zip(replicas, users) {
            let expected = try scope(branch, user.staffID, role: user.role)
            let local = try db.portfolio(scope: .branch, limit: 100).rows.map(\.customerID).sorted()
            #expect(local == expected, "seed \(seed): \(user.staffID)'s customers")
            let (mine, truth) = (try view(db, customers: expected), try view(branch, customers: expected))
            #expect(mine == truth, "seed \(seed): \(user.staffID)'s view: \(zip(mine, truth).filter { $0 != $1 })")
            #expect(try db.pendingOpCount() == 0, "seed \(seed): nothing left unsent")
            pushed += try db.syncOverview().pending + (try db.rejectedOps().count) + (try db.appliedOpCount())
        }
        #expect(try branch.rowCounts()["op_log"] == pushed, "seed \(seed): every op pushed is in the branch's op log once")
    }
}
