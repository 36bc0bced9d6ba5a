/// The closed code lists of the extract format (docs/extract-format.md). Raw values are the
/// codes the core banking writes, so parsing a field is `Kind(rawValue:)`.

public enum CustomerKind: String, CaseIterable, Sendable, Codable {
    case individual, farmer
    case individualBusiness = "individual_business"
    case microEnterprise = "micro_enterprise"

    public var label: String {
        switch self {
        case .individual: "个人"
        case .farmer: "农户"
        case .individualBusiness: "个体工商户"
        case .microEnterprise: "小微企业"
        }
    }
}

public enum Gender: String, CaseIterable, Sendable, Codable {
    case male = "M", female = "F"
}

public enum IDType: String, CaseIterable, Sendable, Codable {
    case residentID = "resident_id", uscc, passport, other
}

public enum IndustryQuality: String, CaseIterable, Sendable, Codable {
    case premium, ordinary
}

public enum RiskLevel: String, CaseIterable, Sendable, Codable, Comparable {
    case c1 = "C1", c2 = "C2", c3 = "C3", c4 = "C4", c5 = "C5"
    public var rank: Int { Int(rawValue.dropFirst())! }
    public static func < (a: Self, b: Self) -> Bool { a.rank < b.rank }
}

public enum ProductRiskLevel: String, CaseIterable, Sendable, Codable, Comparable {
    case r1 = "R1", r2 = "R2", r3 = "R3", r4 = "R4", r5 = "R5"
    public var rank: Int { Int(rawValue.dropFirst())! }
    public static func < (a: Self, b: Self) -> Bool { a.rank < b.rank }
}

public enum AcquisitionChannel: String, CaseIterable, Sendable, Codable {
    case payroll, referral, online, mortgage, event, other
    case walkIn = "walk_in"
}

public enum RelationKind: String, CaseIterable, Sendable, Codable {
    case spouse, parent, child, sibling, other
    case ownerOf = "owner_of"
    case guarantorFor = "guarantor_for"
    case employeeOf = "employee_of"

    public var label: String {
        switch self {
        case .spouse: "配偶"
        case .parent: "父母"
        case .child: "子女"
        case .sibling: "兄弟姐妹"
        case .ownerOf: "企业主"
        case .guarantorFor: "担保人"
        case .employeeOf: "雇员"
        case .other: "其他"
        }
    }
}

public enum ProductType: String, CaseIterable, Sendable, Codable {
    case demand, wealth, bond, fund, insurance, loan
    case timeDeposit = "time_deposit"
    case creditCard = "credit_card"

    /// Loans and cards are liabilities: never part of AUM.
    public var isLiability: Bool { self == .loan || self == .creditCard }

    public var label: String {
        switch self {
        case .demand: "活期"
        case .timeDeposit: "定期"
        case .wealth: "理财"
        case .bond: "债券"
        case .fund: "基金"
        case .insurance: "保险"
        case .loan: "贷款"
        case .creditCard: "信用卡"
        }
    }
}

public enum AccountStatus: String, CaseIterable, Sendable, Codable {
    case active, dormant, closed
}

public enum TransactionKind: String, CaseIterable, Sendable, Codable {
    case payroll, deposit, withdrawal, interest, fee, purchase, redemption
    case transferIn = "transfer_in"
    case transferOut = "transfer_out"
    case loanDisbursement = "loan_disbursement"
    case loanRepayment = "loan_repayment"
}

public enum TransactionChannel: String, CaseIterable, Sendable, Codable {
    case counter, mobile, atm, pos, batch, transfer
}

public enum StaffRole: String, CaseIterable, Sendable, Codable {
    case rm, lead, president, admin
}

public enum InteractionChannel: String, CaseIterable, Sendable, Codable {
    case visit, call, wechat, sms, counter, event

    public var label: String {
        switch self {
        case .visit: "走访"
        case .call: "电话"
        case .wechat: "微信"
        case .sms: "短信"
        case .counter: "柜面"
        case .event: "活动"
        }
    }
}

public enum ComplaintChannel: String, CaseIterable, Sendable, Codable {
    case phone, counter, online, regulator, other
}

public enum Severity: String, CaseIterable, Sendable, Codable {
    case low, medium, high
}

public enum TaskStatus: String, CaseIterable, Sendable, Codable {
    case open, done, cancelled
    /// Closed by the reminder engine because its cause went away (or it is too late to act).
    case withdrawn
}

public enum TaskPriority: Int, CaseIterable, Sendable, Codable, Comparable {
    case high = 1, normal = 2, low = 3

    public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }

    public var label: String {
        switch self {
        case .high: "高"
        case .normal: "中"
        case .low: "低"
        }
    }
}

/// How the customer seemed, as the RM judged it on the contact.
public enum CustomerMood: String, CaseIterable, Sendable, Codable {
    case pleased, neutral, worried, unhappy

    public var label: String {
        switch self {
        case .pleased: "满意"
        case .neutral: "一般"
        case .worried: "担忧"
        case .unhappy: "不满"
        }
    }
}
