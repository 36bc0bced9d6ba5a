import FurrowCore
import FurrowStore

/// The follow-ups a busy RM has in the queue on the demo's date, so Today has work on it
/// before the reminder engine exists: overdue, due today and coming up, deterministic per seed.
public enum DemoTasks {
    static let titles: [(String, String)] = [
        ("定期到期转存提醒", "定期存款下周到期 time deposit matures"), ("生日问候", "客户生日 birthday"),
        ("回访理财产品", "上次走访约定 agreed on the last visit"), ("风险测评到期", "风险测评满一年 risk assessment expiring"),
        ("大额资金入账跟进", "大额入账 large inflow"), ("代发工资客户维护", "代发工资 payroll customer"),
        ("贷款还款提醒", "贷款分期将到 loan instalment due"), ("节日问候", "节日 holiday greeting"),
    ]

    /// Adds the tasks unless the RM already has some (running the demo again adds nothing).
    public static func seed(_ store: AppDatabase, rm: String, asOf: CalendarDate, seed: UInt64, count: Int = 24) throws {
        guard try store.todayQueue(scope: .rm(rm), today: asOf, horizonDays: 3650, limit: 1).isEmpty else { return }
        let customers = try store.portfolio(scope: .rm(rm), limit: 200, asOf: asOf).rows
        guard !customers.isEmpty else { return }
        var state = seed &* 0x9E37_79B9_7F4A_7C15 | 1
        func next(_ n: Int) -> Int {
            state ^= state << 13; state ^= state >> 7; state ^= state << 17
            return Int(state % UInt64(n))
        }
        for i in 0..<count {
            // The richest customers first, then a spread over the rest.
            let c = customers[i < 6 ? i : next(customers.count)]
            let (title, reason) = titles[next(titles.count)]
            let due = asOf.adding(days: next(13) - 5)
            let priority: TaskPriority = next(5) == 0 ? .high : next(6) == 0 ? .low : .normal
            _ = try store.createTask(customerID: c.customerID, title: title, reason: reason, dueOn: due,
                                     priority: priority, by: rm)
        }
    }
}
