/// How urgent a task is, as a score whose parts the Today screen can show ("overdue 3 days
/// +55, private tier +15"). The rules issue adds parts (complaint deadlines, churn signals);
/// the order of the queue is always the sum.
public struct TaskUrgency: Sendable, Hashable, Comparable {
    public struct Part: Sendable, Hashable {
        public var label: String
        public var points: Int
    }

    public var parts: [Part]
    public var score: Int { parts.reduce(0) { $0 + $1.points } }

    public static func < (a: Self, b: Self) -> Bool { a.score < b.score }

    /// When the task is due relative to `today`, its priority and the customer's tier.
    public static func of(dueOn: CalendarDate, priority: TaskPriority, tier: Tier, today: CalendarDate,
                          rule: ReminderRule? = nil) -> TaskUrgency {
        var parts: [Part] = []
        if let rule, rule.urgencyPoints != 0 { parts.append(Part(label: rule.label, points: rule.urgencyPoints)) }
        let days = today.days(until: dueOn)
        if days < 0 {
            // Each overdue day weighs more, up to a month: a forgotten task must rise to the top.
            parts.append(Part(label: "逾期 overdue \(-days) 天", points: 40 + 5 * min(-days, 30)))
        } else if days == 0 {
            parts.append(Part(label: "今天到期 due today", points: 30))
        } else {
            parts.append(Part(label: "\(days) 天后到期 due in \(days) d", points: max(0, 20 - 2 * days)))
        }
        switch priority {
        case .high: parts.append(Part(label: "高优先级 high priority", points: 20))
        case .low: parts.append(Part(label: "低优先级 low priority", points: -10))
        case .normal: break
        }
        switch tier {
        case .privateBanking: parts.append(Part(label: "私行级 private", points: 15))
        case .affluent: parts.append(Part(label: "财富级 affluent", points: 10))
        case .wealth: parts.append(Part(label: "理财级 wealth", points: 5))
        case .mass: break
        }
        return TaskUrgency(parts: parts)
    }

    public var explanation: String {
        parts.map { "\($0.label) \($0.points >= 0 ? "+" : "")\($0.points)" }.joined(separator: ", ") + " = \(score)"
    }
}
