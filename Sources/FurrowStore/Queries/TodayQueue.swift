import FurrowCore
import GRDB

/// One row of the Today queue: the task and enough of its customer to show and rank it.
public struct QueueItem: Sendable, Hashable {
    public var task: FollowUpTask
    public var customerName: String
    public var tier: Tier
    public var aum: Money
    public var urgency: TaskUrgency

    public init(task: FollowUpTask, customerName: String, tier: Tier, aum: Money, urgency: TaskUrgency) {
        self.task = task; self.customerName = customerName; self.tier = tier; self.aum = aum; self.urgency = urgency
    }

    /// Overdue, today, or within the horizon.
    public enum Group: Int, Sendable, CaseIterable, Comparable {
        case overdue, today, upcoming
        public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
        public var label: String {
            switch self {
            case .overdue: "逾期 Overdue"
            case .today: "今天 Today"
            case .upcoming: "未来7天 Next 7 days"
            }
        }
    }

    public func group(today: CalendarDate) -> Group {
        task.dueOn < today ? .overdue : task.dueOn == today ? .today : .upcoming
    }
}

extension AppDatabase {
    /// The open tasks due up to `horizonDays` after `today` — the RM's own (by assignee), or
    /// for a team or the branch everyone's — grouped overdue / today / upcoming and, within a
    /// group, most urgent first.
    public func todayQueue(scope: PortfolioScope, today: CalendarDate = .today(), horizonDays: Int = 7,
                           limit: Int = 2000) throws(StoreError) -> [QueueItem] {
        try taskQueue(scope: scope, from: nil, through: today.adding(days: horizonDays), today: today, limit: limit)
    }

    /// Open tasks due from `from` (nil: however overdue) through `through`, ordered as Today orders them.
    public func taskQueue(scope: PortfolioScope, from: CalendarDate?, through: CalendarDate, today: CalendarDate = .today(),
                          limit: Int = 2000) throws(StoreError) -> [QueueItem] {
        var sql = """
            SELECT t.*, c.name AS c_name, c.tier AS c_tier, c.aum_fen AS c_aum
            FROM tasks t JOIN customers c ON c.customer_id = t.customer_id
            WHERE t.status = 'open' AND t.due_on <= ?
            """
        var args: [(any DatabaseValueConvertible)?] = [through.iso]
        if let from { sql += " AND t.due_on >= ?"; args.append(from.iso) }
        switch scope {
        case .rm(let id): sql += " AND t.staff_id = ?"; args.append(id)
        case .team(let team): sql += " AND t.staff_id IN (SELECT staff_id FROM staff WHERE team = ?)"; args.append(team)
        case .branch: break
        }
        sql += " ORDER BY t.due_on LIMIT ?"
        args.append(limit)
        let finalSQL = sql, finalArgs = StatementArguments(args)
        let items = try read { db in
            try Row.fetchAll(db, sql: finalSQL, arguments: finalArgs).map { r in
                let task = FollowUpTask(row: r)
                let tier = Tier(rawValue: r["c_tier"] ?? "") ?? .mass
                return QueueItem(task: task, customerName: r["c_name"], tier: tier, aum: Money(fen: r["c_aum"] ?? 0),
                                 urgency: .of(dueOn: task.dueOn, priority: task.priority, tier: tier, today: today,
                                             rule: task.rule))
            }
        }
        return items.sorted {
            let (g0, g1) = ($0.group(today: today), $1.group(today: today))
            if g0 != g1 { return g0 < g1 }
            if $0.urgency.score != $1.urgency.score { return $0.urgency.score > $1.urgency.score }
            return ($0.task.dueOn, $0.task.taskID) < ($1.task.dueOn, $1.task.taskID)
        }
    }
}
