import Foundation
import FurrowCore
import FurrowStore

// The branch's storage as the routes reach it: four repositories, so a second implementation
// (another database) can be written without touching the routes. `AppDatabase` (SQLite) is the
// one implementation today; its methods are the requirements, and the routes, the group
// commit and the authenticating middleware see only these protocols.

/// Users and their devices: credentials, sign-in limits, device tokens.
public protocol BranchAccounts: Sendable {
    func isKnownDevice(tokenHash: String, staffID: String) throws(StoreError) -> Bool
    /// Counts a sign-in attempt against its limits, atomically, before the password is checked.
    func admitSignIn(_ limits: [AppDatabase.SignInLimit]) throws(StoreError) -> AppDatabase.SignInAdmission
    func signInSucceeded(keys: [String]) throws(StoreError)
    /// The password hash and the user, or nil for an unknown or disabled user.
    func branchCredential(_ staffID: String) throws(StoreError) -> (hash: String, user: AppDatabase.UserRef)?
    func storeToken(hash: String, staffID: String, device: String, expiresAt: String) throws(StoreError)
    func revokeToken(hash: String, by actor: String) throws(StoreError)
    /// The user of a current token (by its hash), or nil.
    func tokenUser(hash: String) throws(StoreError) -> AppDatabase.UserRef?
    /// Whether the token is a device reported lost (its contact is audited).
    func lostDeviceContact(hash: String) throws(StoreError) -> Bool
}

/// The op log: pushes applied each op once, several devices' pushes in one transaction.
public protocol BranchOpLog: Sendable {
    func applyPushes(_ pushes: [(ops: [SyncOp], user: AppDatabase.UserRef)]) throws(StoreError) -> [Result<[OpResult], StoreError>]
}

/// The change feed: what each user may pull after a cursor.
public protocol BranchChangeFeed: Sendable {
    func feedFloor() throws(StoreError) -> Int64
    func feedHead() throws(StoreError) -> Int64
    func changes(after cursor: Int64, for user: AppDatabase.UserRef, limit: Int) throws(StoreError)
        -> (entries: [AppDatabase.FeedEntry], next: Int64, more: Bool)
    func recordCaughtUp(_ user: AppDatabase.UserRef) throws(StoreError)
}

/// Snapshot pages of a user's customers, and the extract generation they come from.
public protocol BranchSnapshots: Sendable {
    func coreGeneration() throws(StoreError) -> Int64
    func snapshotPage(for user: AppDatabase.UserRef, phase: SnapshotPhase, after: String, limit: Int) throws(StoreError) -> SnapshotPage
}

/// All the routes need, with the branch's clock (server time, token expiry).
public protocol BranchStorage: BranchAccounts, BranchOpLog, BranchChangeFeed, BranchSnapshots {
    var clock: @Sendable () -> Date { get }
}

extension AppDatabase: BranchStorage {
    public func tokenUser(hash: String) throws(StoreError) -> UserRef? { try tokenUser(hash: hash, now: nil) }
}
