import Foundation
import FurrowCore
import FurrowStore

/// Who is working, on which store, and what time it is: shared by every screen. `now` is
/// injected so golden screens and tests see a fixed clock.
final class AppContext {
    let store: AppDatabase
    let user: UserIdentity
    let storeLabel: String
    let now: () -> Date
    /// Whose customers and tasks the lists show; a lead or the president may widen it.
    var scope: PortfolioScope
    /// The rules (the bank's rules file, else the defaults).
    var rules: RulesConfig = .standard

    init(store: AppDatabase, user: UserIdentity, scope: PortfolioScope, storeLabel: String, now: @escaping () -> Date) {
        self.store = store
        self.user = user
        self.scope = scope
        self.storeLabel = storeLabel
        self.now = now
    }

    /// Unsaved drafts of this user, for the status line (kept current by the forms, so
    /// drawing a frame never queries the store).
    var draftCount = 0
    /// Writes waiting in the outbox for the branch server.
    var pendingOps = 0
    /// Background sync, when this store is signed in to a branch server.
    var sync: (any SyncControl)?
    /// The last sync's outcome as the status line shows it (read about every few seconds).
    var syncOverview: SyncOverview?

    /// Profile corrections waiting for this user's decision (a lead's, president's or admin's).
    var correctionsToDecide = 0

    func refreshSyncOverview() {
        syncOverview = try? store.syncOverview()
        if let o = syncOverview { pendingOps = o.pending }
        correctionsToDecide = user.role == .rm ? 0 : (try? store.pendingProposalCount(notProposedBy: user.staffID)) ?? 0
    }

    func refreshDraftCount() {
        draftCount = (try? store.drafts(staffID: user.staffID).count) ?? 0
        pendingOps = (try? store.pendingOpCount()) ?? pendingOps
    }

    var today: CalendarDate { CalendarDate.today(now: now()) }
    /// Local wall time `YYYY-MM-DD HH:MM:SS`, as logs are written.
    var localNow: String { Timestamp.shanghaiNow(now()) }

    var scopeLabel: String {
        switch scope {
        case .rm(let id): id == user.staffID ? "我的客户 mine" : "RM \(id)"
        case .team(let t): "团队 team \(t)"
        case .branch: "全行 branch"
        }
    }

    /// The scopes this user may switch between, narrowest first.
    var scopes: [PortfolioScope] {
        var out: [PortfolioScope] = []
        if user.role == .rm || user.isStaff { out.append(.rm(user.staffID)) }
        if let team = user.team, user.role != .rm { out.append(.team(team)) }
        if user.role != .rm || !user.isStaff { out.append(.branch) }
        if case .rm(let id) = scope, id != user.staffID { out.insert(scope, at: 0) }
        return out.isEmpty ? [scope] : out
    }
}

/// The person at the keyboard: a staff member of the store, or (on a store without them, or a
/// demo) a name with the branch view.
public struct UserIdentity: Sendable, Hashable {
    public var staffID: String
    public var name: String?
    public var role: StaffRole
    public var team: String?
    /// False when the user is not in the store's staff list.
    public var isStaff: Bool

    public init(staffID: String, name: String? = nil, role: StaffRole = .rm, team: String? = nil, isStaff: Bool = true) {
        self.staffID = staffID; self.name = name; self.role = role; self.team = team; self.isStaff = isStaff
    }

    /// Looks the user up among the staff.
    public static func resolve(_ id: String, staff: [Staff]) -> UserIdentity {
        guard let s = staff.first(where: { $0.staffID == id }) else {
            return UserIdentity(staffID: id, role: .admin, isStaff: false)
        }
        return UserIdentity(staffID: s.staffID, name: s.name, role: s.role, team: s.team)
    }

    public var label: String { name.map { "\($0) \(staffID)" } ?? staffID }
}
