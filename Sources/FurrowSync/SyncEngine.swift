import Foundation
import FurrowCore
import FurrowStore

/// What one sync did, for the summary line and the status line.
public struct SyncSummary: Sendable, Hashable, Codable {
    public var pushed = 0
    public var applied = 0
    public var duplicates = 0
    public var rejected = 0
    public var superseded = 0
    public var pulled = 0
    public var snapshotCustomers = 0
    public var removedCustomers = 0
    public var roundTrips = 0
    /// Server clock minus this device's, in seconds.
    public var clockSkewSeconds = 0
    public var firstSync = false
    /// The branch had compacted past this store's cursor: its customers were fetched again.
    public var resnapshot = false
    /// Rows a snapshot brought, and the time spent writing them into this store.
    public var snapshotRows = 0
    public var snapshotApplySeconds = 0.0
    public init() {}

    public static let skewLimitSeconds = 300
    public var clockSkewed: Bool { abs(clockSkewSeconds) > Self.skewLimitSeconds }

    public var line: String {
        var parts = ["pushed \(pushed)", "pulled \(pulled)", "rejected \(rejected)"]
        if superseded > 0 { parts.append("superseded \(superseded)") }
        if snapshotCustomers > 0 { parts.append("snapshot \(snapshotCustomers) customers") }
        if removedCustomers > 0 { parts.append("removed \(removedCustomers) reassigned customers") }
        var text = parts.joined(separator: ", ")
        if clockSkewed { text += "; this computer's clock is \(abs(clockSkewSeconds) / 60) minutes \(clockSkewSeconds > 0 ? "behind" : "ahead of") the branch's — set it right" }
        return text
    }
}

/// One sync, in the protocol's order: hello (versions, clock), push the outbox (always first —
/// even an outdated client may push), a snapshot when the store is new or the branch loaded
/// newer extracts (paged, resumable), then pull the changes since the cursor. Each page is
/// applied in one transaction with its cursor, so an interrupted sync resumes where it stopped.
public struct SyncEngine: Sendable {
    public let store: AppDatabase
    public let client: any SyncTransport
    public var pushBatch = 1000
    /// A push's body stays under this (the branch server refuses bodies over 2 MB).
    public var maxPushBytes = 1 << 20
    public var pullPage = 1000
    public var snapshotPage = 500

    public init(store: AppDatabase, client: any SyncTransport) { self.store = store; self.client = client }

    /// `progress(what, done, total)` is called as pages arrive.
    public func run(progress: @Sendable (String, Int, Int) -> Void = { _, _, _ in }) async throws(SyncError) -> SyncSummary {
        var summary = SyncSummary()
        try await run(into: &summary, progress: progress)
        return summary
    }

    /// One sync, its work added to `summary` (kept by the caller across attempts: a sync cut
    /// off half-way has still pushed and fetched what it counted).
    func run(into summary: inout SyncSummary, progress: @Sendable (String, Int, Int) -> Void) async throws(SyncError) {
        do {
            try await sync(&summary, progress: progress)
            try? store.setSyncValues([.lastSyncAt: Timestamp.utcNow(store.clock()), .lastProblem: nil,
                                      .clockSkewSeconds: String(summary.clockSkewSeconds)])
        } catch .wipe(let reason) {
            throw .wipe(reason)   // the store is erased: nothing more is written to it
        } catch {
            try? store.setSyncValues([.lastProblem: error.description])
            throw error
        }
    }

    private func sync(_ s: inout SyncSummary, progress: @Sendable (String, Int, Int) -> Void) async throws(SyncError) {
        let hello: HelloResponse
        do { hello = try await client.hello() } catch .wipe(let reason) {
            // Reported lost: nothing is pushed; what the store holds is erased here and now
            // (the caller removes the files and the token).
            try local { try store.eraseEverything() }
            throw .wipe(reason)
        }
        s.roundTrips += 1
        if let serverNow = Timestamp.parseUTC(hello.serverTime) {
            s.clockSkewSeconds = Int(serverNow.timeIntervalSince(store.clock()).rounded())
        }
        let owner = try local { try store.syncValue(.user) }
        if let owner, owner != hello.user {
            throw .storeMismatch("this store holds \(owner)'s customers; \(hello.user) needs a store of their own (--store)")
        }
        let generation = try local { try store.syncValue(.generation) }
        if generation == nil, try local({ try store.holdsImportedData() }) {
            throw .storeMismatch("this store was filled by an import or the demo; sync into a new store (--store NEW.sqlite)")
        }
        try local { try store.setSyncValues([.user: hello.user, .server: client.server]) }

        try await push(&s, progress: progress)
        if let reason = hello.upgrade {
            throw .upgradeRequired(SyncProtocol.upgradeMessage(reason))
        }
        if try local({ try store.syncValue(.snapshotPhase) }) != nil || generation.flatMap({ Int64($0) }) != hello.generation {
            s.firstSync = generation == nil
            try await snapshot(&s, hello: hello, progress: progress)
        }
        do {
            try await pull(&s, progress: progress)
        } catch .refused(status: 410, _) {
            // Offline longer than the branch keeps changes (the work was pushed above):
            // fetch this user's customers again, then carry on from there.
            try local { try store.setSyncValues([.generation: nil, .cursor: nil]) }
            let fresh = try await client.hello()
            s.roundTrips += 1
            try await snapshot(&s, hello: fresh, progress: progress)
            try await pull(&s, progress: progress)
            s.resnapshot = true
        }
    }

    private func push(_ s: inout SyncSummary, progress: @Sendable (String, Int, Int) -> Void) async throws(SyncError) {
        let total = try local { try store.pendingOpCount() }
        var seen = Set<String>()
        while true {
            let waiting = try local { try store.pendingOps(limit: pushBatch) }.filter { !seen.contains($0.opID) }
            let ops = Self.fitting(waiting, bytes: maxPushBytes)
            if ops.isEmpty { return }
            let answer = try await client.push(ops)
            s.roundTrips += 1
            for r in answer.results {
                seen.insert(r.opID)
                switch r.status {
                case .applied: s.applied += 1
                case .duplicate: s.duplicates += 1
                case .rejected: s.rejected += 1
                case .superseded: s.superseded += 1
                case .pending: continue
                }
                try local { try store.markOps([r.opID], status: r.status, code: r.code, reason: r.reason) }
            }
            s.pushed += ops.count
            progress("push", s.pushed, max(total, s.pushed))
            if waiting.count < pushBatch && ops.count == waiting.count { return }
        }
    }

    /// The oldest ops whose JSON stays under `bytes` (at least one): the branch takes request
    /// bodies up to 2 MB, and a thousand long visit logs in Chinese would be more.
    static func fitting(_ ops: [SyncOp], bytes: Int) -> [SyncOp] {
        var size = 0
        var out: [SyncOp] = []
        for op in ops {
            // The fields are the size; the id, clock, kind and record ids stay under 300 bytes.
            // (Encoding every op here only to measure it cost as much as sending it.)
            let n = OpFieldsJSON.encode(op.fields).utf8.count + 300
            if !out.isEmpty && size + n > bytes { break }
            out.append(op)
            size += n + 1
        }
        return out
    }

    private func snapshot(_ s: inout SyncSummary, hello: HelloResponse, progress: @Sendable (String, Int, Int) -> Void) async throws(SyncError) {
        if try local({ try store.syncValue(.snapshotPhase) }) == nil {
            let cursor = try local { try store.syncValue(.cursor) }
            try local {
                try store.setSyncValues([.snapshotPhase: SnapshotPhase.profiles.rawValue, .snapshotAfter: "",
                                         .snapshotGeneration: String(hello.generation),
                                         .snapshotHead: cursor == nil ? String(hello.feedHead) : nil])
            }
        }
        var generation = hello.generation
        while let phaseName = try local({ try store.syncValue(.snapshotPhase) }), let phase = SnapshotPhase(rawValue: phaseName) {
            var after = try local { try store.syncValue(.snapshotAfter) } ?? ""
            var done = 0
            while true {
                let page = try await client.snapshot(phase: phase, after: after, limit: snapshotPage)
                s.roundTrips += 1
                generation = page.generation
                let started = ContinuousClock.now
                try local { try store.applySnapshotPage(page) }
                let spent = ContinuousClock.now - started
                s.snapshotApplySeconds += spent.seconds
                s.snapshotRows += page.tables.reduce(0) { $0 + $1.rows.count }
                done += page.customers.count
                if phase == .profiles { s.snapshotCustomers += page.customers.count }
                progress(phase == .profiles ? "customers" : "history", done, page.total)
                guard let next = page.next else { break }
                after = next
            }
            switch phase {
            case .profiles: s.removedCustomers += try local { try store.finishSnapshotProfiles() }
            case .history: try local { try store.finishSnapshot(generation: generation) }
            }
        }
    }

    private func pull(_ s: inout SyncSummary, progress: @Sendable (String, Int, Int) -> Void) async throws(SyncError) {
        var cursor = try local { try store.syncValue(.cursor) }.flatMap { Int64($0) } ?? 0
        while true {
            let page = try await client.pull(cursor: cursor, limit: pullPage)
            s.roundTrips += 1
            let changes = page.changes.map { c in
                (op: SyncOp(opID: c.opID ?? "feed-\(c.seq)", hlc: c.hlc.flatMap(HLC.init(encoded:)) ?? HLC(wallMs: 0, node: "branch"),
                            kind: c.kind, customerID: c.customerID, recordID: c.recordID, fields: c.fields),
                 actor: c.actor ?? "branch")
            }
            _ = try local { try store.applyPulled(changes, next: page.next) }
            s.pulled += page.changes.count
            cursor = page.next
            if page.changes.count > 0 { progress("pull", s.pulled, s.pulled) }
            if !page.more { return }
        }
    }

    /// A store call inside the sync; its failure (a `StoreError`) becomes a `SyncError`.
    private func local<T>(_ body: () throws -> T) throws(SyncError) -> T {
        do { return try body() } catch let e as StoreError { throw .store(e.description) } catch { throw .store("\(error)") }
    }
}
