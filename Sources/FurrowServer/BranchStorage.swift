import Foundation
import FurrowCore
import FurrowStore

// The branch's storage as the routes and the administrator's commands reach it: six
// repositories, so a second implementation (another database) can be written without touching
// the routes. `AppDatabase` (SQLite) is the one implementation today; its methods are the
// requirements, and the routes, the group commit, the authenticating middleware and
// `furrow-branch`'s user, device, proposal, audit and compaction commands see only these
// protocols. (Loading an extract goes through the importer's session, which is SQLite's own.)

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
    // The administrator's side.
    func staff() throws(StoreError) -> [Staff]
    func branchUsers() throws(StoreError) -> [AppDatabase.BranchUser]
    func setBranchUser(staffID: String, passwordHash: String, by actor: String) throws(StoreError)
    func setBranchUserDisabled(_ staffID: String, _ disabled: Bool, by actor: String) throws(StoreError)
    func deviceTokens(staffID: String?) throws(StoreError) -> [DeviceToken]
    func revokeDevice(id: String, lost: Bool, by actor: String) throws(StoreError) -> DeviceToken
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
    /// Drops changes older than `keepingDays` from the feed (the op log stays); the new floor.
    func compactFeed(keepingDays: Int) throws(StoreError) -> (removed: Int, floor: Int64)
}

/// Snapshot pages of a user's customers, and the extract generation they come from.
public protocol BranchSnapshots: Sendable {
    func coreGeneration() throws(StoreError) -> Int64
    /// A new extract is in: every workstation re-snapshots at its next sync.
    func bumpCoreGeneration() throws(StoreError)
    func snapshotPage(for user: AppDatabase.UserRef, phase: SnapshotPhase, after: String, limit: Int) throws(StoreError) -> SnapshotPage
}

/// Profile corrections an RM proposed, decided at the branch.
public protocol BranchProposals: Sendable {
    func proposals(status: ProfileProposal.Status?, customerID: String?, limit: Int, inClear: Bool) throws(StoreError) -> [ProfileProposal]
    func decideProposalAtBranch(_ proposalID: String, accept: Bool, note: String?, by staffID: String) throws(StoreError) -> OpResult
}

/// The branch's audit trail.
public protocol BranchAudit: Sendable {
    func auditTrail(customerID: String?, actor: String?, limit: Int) throws(StoreError) -> [AppDatabase.AuditEntry]
    func recordReveal(customerIDs: [String], by actor: String, context: String, onBranch: Bool) throws(StoreError)
}

/// All six, with the branch's clock (server time, token expiry).
public protocol BranchStorage: BranchAccounts, BranchOpLog, BranchChangeFeed, BranchSnapshots, BranchProposals, BranchAudit {
    var clock: @Sendable () -> Date { get }
}

extension AppDatabase: BranchStorage {
    public func tokenUser(hash: String) throws(StoreError) -> UserRef? { try tokenUser(hash: hash, now: nil) }
    public func compactFeed(keepingDays: Int) throws(StoreError) -> (removed: Int, floor: Int64) {
        try compactFeed(keepingDays: keepingDays, now: nil)
    }
}
