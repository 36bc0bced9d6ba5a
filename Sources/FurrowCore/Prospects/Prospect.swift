/// Someone who is not a customer yet (潜在客户): met at an outreach day, an event, through a
/// referral, online or at a payroll unit; worked by an RM through the stages until an account is
/// opened (the extracts then bring them as a customer) or they are lost, with the reason.
public struct Prospect: Codable, Hashable, Sendable {
    public enum Source: String, Codable, CaseIterable, Sendable {
        case outreach, event, referral, online
        case payrollUnit = "payroll_unit"
        public var label: String {
            switch self {
            case .outreach: "外拓 outreach"
            case .event: "活动 event"
            case .referral: "转介绍 referral"
            case .online: "线上 online"
            case .payrollUnit: "代发单位 payroll unit"
            }
        }
    }

    public enum Stage: String, Codable, CaseIterable, Sendable, Comparable {
        case new, contacted, meeting, opened, lost
        public var label: String {
            switch self {
            case .new: "新 new"
            case .contacted: "已联系 contacted"
            case .meeting: "已面谈 meeting"
            case .opened: "已开户 opened"
            case .lost: "流失 lost"
            }
        }
        var order: Int { Self.allCases.firstIndex(of: self)! }
        public static func < (a: Self, b: Self) -> Bool { a.order < b.order }
        /// Where a prospect may go from here (forward, or lost; opened comes with the extract too).
        public var next: [Stage] {
            switch self {
            case .new: [.contacted, .meeting, .opened, .lost]
            case .contacted: [.meeting, .opened, .lost]
            case .meeting: [.opened, .lost]
            case .opened, .lost: []
            }
        }
        /// Opened or lost: nothing further, and no next step.
        public var isClosed: Bool { next.isEmpty }
    }

    public var prospectID: String
    public var name: String
    public var mobile: String?
    public var idNumber: String?
    public var village: String?
    public var employer: String?
    public var source: Source
    /// A customer who referred them.
    public var referrerID: String?
    public var interest: String?
    public var ownerID: String
    public var stage: Stage
    public var lostReason: String?
    public var createdAt: String
    /// The customer they became (from an extract).
    public var customerID: String?
    /// What the RM does next, and by when.
    public var nextStep: String?
    public var nextStepDue: CalendarDate?

    public init(prospectID: String, name: String, mobile: String? = nil, idNumber: String? = nil, village: String? = nil,
                employer: String? = nil, source: Source, referrerID: String? = nil, interest: String? = nil, ownerID: String,
                stage: Stage = .new, lostReason: String? = nil, createdAt: String, customerID: String? = nil,
                nextStep: String? = nil, nextStepDue: CalendarDate? = nil) {
        self.prospectID = prospectID; self.name = name; self.mobile = mobile; self.idNumber = idNumber; self.village = village
        self.employer = employer; self.source = source; self.referrerID = referrerID; self.interest = interest; self.ownerID = ownerID
        self.stage = stage; self.lostReason = lostReason; self.createdAt = createdAt; self.customerID = customerID
        self.nextStep = nextStep; self.nextStepDue = nextStepDue
    }
}
