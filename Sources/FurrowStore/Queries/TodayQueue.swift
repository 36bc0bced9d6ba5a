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

    static let prospectPrefix = "prospect:"
    /// A prospect's next step (not a customer's task).
    public var prospectID: String? { task.taskID.hasPrefix(Self.prospectPrefix) ? String(task.taskID.dropFirst(Self.prospectPrefix.count)) : nil }

    /// The queue's order: overdue, today, the week; most urgent first; then by day.
    public static func inQueueOrder(_ a: QueueItem, _ b: QueueItem, today: CalendarDate) -> Bool {
        let (g0, g1) = (a.group(today: today), b.group(today: today))
        if g0 != g1 { return g0 < g1 }
        if a.urgency.score != b.urgency.score { return a.urgency.score > b.urgency.score }
        return (a.task.dueOn, a.task.taskID) < (b.task.dueOn, b.task.taskID)
    }

    public func group(today: CalendarDate) -> Group {
        task.dueOn < today ? .overdue : task.dueOn == today ? .today : .upcoming
    }
}

extension AppDatabase {
    /// The open tasks due up to `horizonDays` after `today` — the RM's own (by assignee), or
    /// for a team or the branch everyone's — grouped overdue / today / upcoming and, within a
    /// group, most urgent first.
    public func todayQueue(scope: PortfolioScope, today todayGiven: CalendarDate? = nil, horizonDays: Int = 7,
                           limit: Int = 2000) throws(StoreError) -> [QueueItem] {
        let today = todayGiven ?? CalendarDate.today(now: clock())
        return try taskQueue(scope: scope, from: nil, through: today.adding(days: horizonDays), today: today, limit: limit)
    }

    /// Open tasks due from `from` (nil: however overdue) through `through`, ordered as Today orders them.
    public func taskQueue(scope: PortfolioScope, from: CalendarDate?, through: CalendarDate, today todayGiven: CalendarDate? = nil,
                          limit: Int = 2000) throws(StoreError) -> [QueueItem] {
        let today = todayGiven ?? CalendarDate.today(now: clock())
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
        return items.sorted { QueueItem.inQueueOrder($0, $1, today: today) }
    }

    /// Prospects' next steps due by the end of the queue's week, as queue items: they are not
    /// customers (no task row), so the item's `task.taskID` is `prospect:ID` and its
    /// `customerID` the prospect's ID.
    public func prospectQueueItems(owner: String?, today: CalendarDate) throws(StoreError) -> [QueueItem] {
        try prospectsDue(owner: owner, by: today.adding(days: 7)).compactMap { p -> QueueItem? in
            guard let step = p.nextStep, let due = p.nextStepDue else { return nil }
            let task = FollowUpTask(taskID: QueueItem.prospectPrefix + p.prospectID, customerID: p.prospectID, staffID: p.ownerID,
                                    title: "潜客 \(step)", reason: "潜在客户 prospect · \(p.stage.label) · \(p.source.label)", dueOn: due)
            return QueueItem(task: task, customerName: p.name, tier: .mass, aum: Money(fen: 0),
                             urgency: .of(dueOn: due, priority: .normal, tier: .mass, today: today))
        }
    }
}
