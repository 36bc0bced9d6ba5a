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

/// The routes reach the branch's storage only through its repositories (`BranchStorage`): a
/// second implementation — here one that passes every call to a SQLite store and counts it —
/// serves a whole sign-in, push, pull and snapshot without a change to the routes.
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
    }

    @Test("a workstation signs in, pushes, pulls and takes its snapshot through another implementation of the repositories")
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
        let calls = storage.calls.withLock { $0 }
        for repository in ["accounts", "op log", "feed", "snapshots"] {
            #expect((calls[repository] ?? 0) > 0, "the \(repository) repository was not used: \(calls)")
        }
    }
}
