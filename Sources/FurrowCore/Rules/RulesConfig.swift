/// Every threshold of the relationship rules, with the defaults of domain.md. The rules file
/// (`furrow rules check FILE`) overrides any of them.
public struct RulesConfig: Sendable, Equatable {
    public var tiers = TierThresholds.standard
    public var hysteresis = TierHysteresis()
    /// Greetings and birthdays are the RM's work from this tier up; below it the system sends SMS.
    public var greetingMinimumTier: Tier = .wealth
    public var birthdayLeadDays = 3
    public var greetingLeadDays = 5
    public var greetings = GreetingDay.standard
    /// Time deposits, wealth products and bonds: remind this many days before maturity.
    public var maturityLeadDays = 7
    public var instalmentLeadDays = 5
    public var loanMaturityLeadDays = 30
    public var riskValidityDays = 365
    public var riskLeadDays = 30
    /// Days without contact before a reminder, by tier (none for mass).
    public var cadenceDays: [Tier: Int] = [.wealth: 90, .affluent: 30, .privateBanking: 14]
    /// A single inflow at least this large (大额资金入账) within the look-back.
    public var largeInflow = Money(yuan: 300_000)
    /// A product bought within this many days after a campaign's contact counts for the campaign.
    public var campaignAttributionDays = 30
    /// A transfer to another bank at least this large.
    public var largeOutflow = Money(yuan: 200_000)
    public var transactionLookbackDays = 7
    /// The tide: this share of a payroll credit leaves within `tideDays`.
    public var tideDays = 3
    public var tideSharePercent = 80
    public var complaintWarningDays = 2
    /// Complaints older than this without a status are history from the extract, not work.
    public var complaintLookbackDays = 30
    public var complaintSLA = ComplaintSLA.standard
    public var lifeEventLookbackDays = 30
    /// A birthday or greeting not done this many days after its day is withdrawn (too late).
    public var greetingGraceDays = 7
    public var workCalendar = WorkCalendar.china
    public var classification = ClassificationRules()
    public var servicePlans = ServicePlans()

    public init() {}

    public static let standard = RulesConfig()
}

/// What the reminder engine proposes: a task with the rule and the cause it comes from. The
/// cause key is what makes the engine idempotent — one task per cause, ever.
public struct ReminderCandidate: Sendable, Hashable {
    public var rule: ReminderRule
    public var causeKey: String
    public var customerID: String
    public var staffID: String
    public var title: String
    public var reason: String
    public var dueOn: CalendarDate
    public var priority: TaskPriority

    public init(rule: ReminderRule, causeKey: String, customerID: String, staffID: String, title: String, reason: String,
                dueOn: CalendarDate, priority: TaskPriority = .normal) {
        self.rule = rule; self.causeKey = causeKey; self.customerID = customerID; self.staffID = staffID
        self.title = title; self.reason = reason; self.dueOn = dueOn; self.priority = priority
    }
}

public enum ReminderRule: String, Sendable, CaseIterable, Codable {
    case birthday, greeting, maturity, instalment
    case loanMaturity = "loan-maturity"
    case riskExpiry = "risk-expiry"
    case cadence, complaint
    /// A complaint past its deadline, raised to the team lead.
    case escalation = "complaint-escalation"
    case lifeEvent = "life-event"
    case largeInflow = "large-inflow"
    case tide
    case largeOutflow = "large-outflow"
    /// An open retention case: the owner's next move.
    case retention

    public var label: String {
        switch self {
        case .birthday: "生日 birthday"
        case .greeting: "节日问候 greeting"
        case .maturity: "到期 maturity"
        case .instalment: "还款 instalment"
        case .loanMaturity: "贷款到期 loan maturity"
        case .riskExpiry: "风险测评 risk assessment"
        case .cadence: "联系频率 contact cadence"
        case .complaint: "投诉期限 complaint deadline"
        case .escalation: "投诉升级 complaint escalated"
        case .lifeEvent: "生活事件 life event"
        case .largeInflow: "大额入账 large inflow"
        case .tide: "潮汐 payroll tide"
        case .largeOutflow: "大额转出 large outflow"
        case .retention: "挽留 retention case"
        }
    }

    /// How much the rule adds to a task's urgency: money leaving and deadlines first.
    public var urgencyPoints: Int {
        switch self {
        case .escalation: 30
        case .complaint: 25
        case .tide, .largeOutflow, .retention: 20
        case .maturity, .largeInflow: 15
        case .lifeEvent, .instalment, .loanMaturity: 10
        case .riskExpiry: 5
        case .birthday, .greeting, .cadence: 0
        }
    }

    /// Rules whose cause is a moment (a birthday, a holiday, money that moved, a life event): the
    /// task is withdrawn only when it is this many days overdue, not when the moment leaves the
    /// engine's look-back. Every other rule's task goes as soon as its cause is gone.
    public func graceDays(_ rules: RulesConfig) -> Int? {
        switch self {
        case .birthday, .greeting, .instalment: rules.greetingGraceDays
        case .tide, .largeInflow, .largeOutflow, .lifeEvent: 30
        default: nil
        }
    }
}
