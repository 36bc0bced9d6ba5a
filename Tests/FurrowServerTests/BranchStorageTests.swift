import Foundation
import FurrowCore
import FurrowServer
import FurrowStore
import FurrowSync
import FurrowTestSupport
import Hummingbird
import HummingbirdTesting
import Synchronization
import Testing

/// The routes and the administrator's commands reach the branch's storage only through its
/// repositories (`BranchStorage`): a second implementation — here one that passes every call to
/// a SQLite store and counts it — serves a whole sign-in, snapshot, push and pull, and the
/// administrator's work, without a change to the routes.
@Suite("The branch's storage behind its repositories", .ownThreads)
struct BranchStorageTests {
    /// Another implementation of the four repositories, counting which are used.
    final class Counting: BranchStorage {
        let inner: AppDatabase
        let calls = Mutex<[String: Int]>([:])
        init(_ inner: AppDatabase) { self.inner = inner }
        var clock: @Sendable () -> Date { inner.clock }
        private func count(_ name: String) { calls.withLock { $0[name, default: 0] += 1 } }

        func isKnownDevice(tokenHash: String, staffID: String) throws(StoreError) -> Bool {
            count("accounts"); return try inner.isKnownDevice(tokenHash: tokenHash, staffID: staffID)
        }
        func admitSignIn(_ limits: [AppDatabase.SignInLimit]) throws(StoreError) -> AppDatabase.SignInAdmission {
            count("accounts"); return try inner.admitSignIn(limits)
        }
        func signInSucceeded(keys: [String]) throws(StoreError) { count("accounts"); try inner.signInSucceeded(keys: keys) }
        func branchCredential(_ staffID: String) throws(StoreError) -> (hash: String, user: AppDatabase.UserRef)? {
            count("accounts"); return try inner.branchCredential(staffID)
        }
        func storeToken(hash: String, staffID: String, device: String, expiresAt: String) throws(StoreError) {
            count("accounts"); try inner.storeToken(hash: hash, staffID: staffID, device: device, expiresAt: expiresAt)
        }
        func revokeToken(hash: String, by actor: String) throws(StoreError) { count("accounts"); try inner.revokeToken(hash: hash, by: actor) }
        func tokenUser(hash: String) throws(StoreError) -> AppDatabase.UserRef? { count("accounts"); return try inner.tokenUser(hash: hash) }
        func lostDeviceContact(hash: String) throws(StoreError) -> Bool { count("accounts"); return try inner.lostDeviceContact(hash: hash) }
        func applyPushes(_ pushes: [(ops: [SyncOp], user: AppDatabase.UserRef)]) throws(StoreError) -> [Result<[OpResult], StoreError>] {
            count("op log"); return try inner.applyPushes(pushes)
        }
        func feedFloor() throws(StoreError) -> Int64 { count("feed"); return try inner.feedFloor() }
        func feedHead() throws(StoreError) -> Int64 { count("feed"); return try inner.feedHead() }
        func changes(after cursor: Int64, for user: AppDatabase.UserRef, limit: Int) throws(StoreError)
            -> (entries: [AppDatabase.FeedEntry], next: Int64, more: Bool) {
            count("feed"); return try inner.changes(after: cursor, for: user, limit: limit)
        }
        func recordCaughtUp(_ user: AppDatabase.UserRef) throws(StoreError) { count("feed"); try inner.recordCaughtUp(user) }
        func coreGeneration() throws(StoreError) -> Int64 { count("snapshots"); return try inner.coreGeneration() }
        func snapshotPage(for user: AppDatabase.UserRef, phase: SnapshotPhase, after: String, limit: Int) throws(StoreError) -> SnapshotPage {
            count("snapshots"); return try inner.snapshotPage(for: user, phase: phase, after: after, limit: limit)
        }
        func bumpCoreGeneration() throws(StoreError) { count("snapshots"); try inner.bumpCoreGeneration() }
        func staff() throws(StoreError) -> [Staff] { count("accounts"); return try inner.staff() }
        func branchUsers() throws(StoreError) -> [AppDatabase.BranchUser] { count("accounts"); return try inner.branchUsers() }
        func setBranchUser(staffID: String, passwordHash: String, by actor: String) throws(StoreError) {
            count("accounts"); try inner.setBranchUser(staffID: staffID, passwordHash: passwordHash, by: actor)
        }
        func setBranchUserDisabled(_ staffID: String, _ disabled: Bool, by actor: String) throws(StoreError) {
            count("accounts"); try inner.setBranchUserDisabled(staffID, disabled, by: actor)
        }
        func deviceTokens(staffID: String?) throws(StoreError) -> [DeviceToken] { count("accounts"); return try inner.deviceTokens(staffID: staffID) }
        func revokeDevice(id: String, lost: Bool, by actor: String) throws(StoreError) -> DeviceToken {
            count("accounts"); return try inner.revokeDevice(id: id, lost: lost, by: actor)
        }
        func compactFeed(keepingDays: Int) throws(StoreError) -> (removed: Int, floor: Int64) {
            count("feed"); return try inner.compactFeed(keepingDays: keepingDays)
        }
        func proposals(status: ProfileProposal.Status?, customerID: String?, limit: Int, inClear: Bool) throws(StoreError) -> [ProfileProposal] {
            count("proposals"); return try inner.proposals(status: status, customerID: customerID, limit: limit, inClear: inClear)
        }
        func decideProposalAtBranch(_ proposalID: String, accept: Bool, note: String?, by staffID: String) throws(StoreError) -> OpResult {
            count("proposals"); return try inner.decideProposalAtBranch(proposalID, accept: accept, note: note, by: staffID)
        }
        func auditTrail(customerID: String?, actor: String?, limit: Int) throws(StoreError) -> [AppDatabase.AuditEntry] {
            count("audit"); return try inner.auditTrail(customerID: customerID, actor: actor, limit: limit)
        }
        func recordReveal(customerIDs: [String], by actor: String, context: String, onBranch: Bool) throws(StoreError) {
            count("audit"); try inner.recordReveal(customerIDs: customerIDs, by: actor, context: context, onBranch: onBranch)
        }
    }

    @Test("a workstation signs in, takes its snapshot, pushes and pulls, and the administrator sets a password, reads the audit, announces a generation and compacts the feed, all through another implementation of the repositories")
    func anotherImplementation() async throws {
        let db = try BranchServerTests.branch()
        let storage = Counting(db)
        let app = Application(router: BranchServer.router(store: storage))
        let workstation = try AppDatabase.inMemory(clock: testClock)
        try await app.test(.live) { client in
            let url = "http://127.0.0.1:\(client.port ?? 0)"
            let login = try await SyncClient(server: url).login(user: "S1", password: "correct horse", device: "laptop")
            let engine = SyncEngine(store: workstation, client: SyncClient(server: url, token: login.token))
            _ = try await engine.run()
            _ = try workstation.addNote(customerID: "C1", text: "经另一实现推送", by: "S1")
            let summary = try await engine.run()
            #expect(summary.pushed == 1, "\(summary)")
        }
        #expect(try db.profile(customerID: "C1")?.notes.map(\.text) == ["经另一实现推送"])
        // The administrator's side through the same repositories: a new password revokes the
        // user's devices, the audit says so, the feed is compacted, a new generation announced.
        try BranchPasswords.set("another horse 42", staffID: "S1", store: storage, by: "admin")
        #expect(try storage.deviceTokens(staffID: "S1").allSatisfy { $0.revokedAt != nil })
        #expect(try !storage.auditTrail(customerID: nil, actor: "admin", limit: 10).isEmpty)
        #expect(try storage.proposals(status: nil, customerID: nil, limit: 10, inClear: false).isEmpty)
        let generation = try storage.coreGeneration()
        try storage.bumpCoreGeneration()
        #expect(try storage.coreGeneration() == generation + 1)
        _ = try storage.compactFeed(keepingDays: 180)
        let calls = storage.calls.withLock { $0 }
        for repository in ["accounts", "op log", "feed", "snapshots", "proposals", "audit"] {
            #expect((calls[repository] ?? 0) > 0, "the \(repository) repository was not used: \(calls)")
        }
    }
}
