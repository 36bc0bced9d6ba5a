import Foundation

/// The records of the core-banking extract and of the RM's own work, as plain values.
/// Field names follow docs/extract-format.md; storage detail stays in FurrowStore.

public struct Customer: Hashable, Sendable, Codable {
    public var customerID: String
    public var name: String
    public var kind: CustomerKind
    public var gender: Gender?
    public var birthDate: CalendarDate?
    public var idType: IDType?
    public var idNumber: String?
    public var mobile: String?
    public var address: String?
    public var village: String?
    public var occupation: String?
    public var employer: String?
    public var industryQuality: IndustryQuality?
    public var riskLevel: RiskLevel?
    public var riskAssessedOn: CalendarDate?
    public var acquisitionChannel: AcquisitionChannel?
    public var referrerID: String?
    public var openedOn: CalendarDate?
    public var flags: [String]

    public init(customerID: String, name: String, kind: CustomerKind, gender: Gender? = nil,
                birthDate: CalendarDate? = nil, idType: IDType? = nil, idNumber: String? = nil,
                mobile: String? = nil, address: String? = nil, village: String? = nil,
                occupation: String? = nil, employer: String? = nil,
                industryQuality: IndustryQuality? = nil, riskLevel: RiskLevel? = nil,
                riskAssessedOn: CalendarDate? = nil, acquisitionChannel: AcquisitionChannel? = nil,
                referrerID: String? = nil, openedOn: CalendarDate? = nil, flags: [String] = []) {
        self.customerID = customerID; self.name = name; self.kind = kind; self.gender = gender
        self.birthDate = birthDate; self.idType = idType; self.idNumber = idNumber
        self.mobile = mobile; self.address = address; self.village = village
        self.occupation = occupation; self.employer = employer
        self.industryQuality = industryQuality; self.riskLevel = riskLevel
        self.riskAssessedOn = riskAssessedOn; self.acquisitionChannel = acquisitionChannel
        self.referrerID = referrerID; self.openedOn = openedOn; self.flags = flags
    }
}

/// A directed relation between two customers (`customer_id` is `relation` of `related_id`'s
/// household or business). A household is the customers joined by family relations.
public struct Relation: Hashable, Sendable, Codable {
    public var customerID: String
    public var relatedID: String
    public var relation: RelationKind
    public init(customerID: String, relatedID: String, relation: RelationKind) {
        self.customerID = customerID; self.relatedID = relatedID; self.relation = relation
    }
}

public struct Product: Hashable, Sendable, Codable {
    public var productCode: String
    public var name: String
    public var type: ProductType
    public var riskLevel: ProductRiskLevel?
    public var termDays: Int?
    public init(productCode: String, name: String, type: ProductType,
                riskLevel: ProductRiskLevel? = nil, termDays: Int? = nil) {
        self.productCode = productCode; self.name = name; self.type = type
        self.riskLevel = riskLevel; self.termDays = termDays
    }
}

/// An account or holding. For loans and cards `balance` is what is owed (positive).
public struct Account: Hashable, Sendable, Codable {
    public var accountID: String
    public var customerID: String
    public var productCode: String
    public var openedOn: CalendarDate?
    public var maturityDate: CalendarDate?
    public var balance: Money
    public var status: AccountStatus
    /// Annual rate in percent as written in the extract (e.g. "2.15"); kept as text, never summed.
    public var rate: String?
    public init(accountID: String, customerID: String, productCode: String,
                openedOn: CalendarDate? = nil, maturityDate: CalendarDate? = nil,
                balance: Money, status: AccountStatus, rate: String? = nil) {
        self.accountID = accountID; self.customerID = customerID; self.productCode = productCode
        self.openedOn = openedOn; self.maturityDate = maturityDate; self.balance = balance
        self.status = status; self.rate = rate
    }
}

/// A holding as the 360° view shows it: the account with its product.
public struct Holding: Hashable, Sendable, Codable {
    public var account: Account
    public var product: Product
    public init(account: Account, product: Product) { self.account = account; self.product = product }
}

public struct MonthlyBalance: Hashable, Sendable, Codable {
    public var customerID: String
    /// `YYYY-MM`
    public var month: String
    public var aumAverage: Money
    public var aumEnd: Money
    public init(customerID: String, month: String, aumAverage: Money, aumEnd: Money) {
        self.customerID = customerID; self.month = month
        self.aumAverage = aumAverage; self.aumEnd = aumEnd
    }
}

public struct Transaction: Hashable, Sendable, Codable {
    public var txnID: String
    public var accountID: String
    /// Local time in Asia/Shanghai, `YYYY-MM-DD HH:MM:SS`, as the extract writes it.
    public var postedAt: String
    /// Signed: positive into the account.
    public var amount: Money
    public var kind: TransactionKind
    public var channel: TransactionChannel?
    public var counterpartyName: String?
    public var counterpartyBank: String?
    public var payrollUnitID: String?
    public var memo: String?
    public init(txnID: String, accountID: String, postedAt: String, amount: Money,
                kind: TransactionKind, channel: TransactionChannel? = nil,
                counterpartyName: String? = nil, counterpartyBank: String? = nil,
                payrollUnitID: String? = nil, memo: String? = nil) {
        self.txnID = txnID; self.accountID = accountID; self.postedAt = postedAt
        self.amount = amount; self.kind = kind; self.channel = channel
        self.counterpartyName = counterpartyName; self.counterpartyBank = counterpartyBank
        self.payrollUnitID = payrollUnitID; self.memo = memo
    }
}

public struct LoanInstalment: Hashable, Sendable, Codable {
    public var accountID: String
    public var dueDate: CalendarDate
    public var principal: Money
    public var interest: Money
    public init(accountID: String, dueDate: CalendarDate, principal: Money, interest: Money) {
        self.accountID = accountID; self.dueDate = dueDate
        self.principal = principal; self.interest = interest
    }
}

public struct Staff: Hashable, Sendable, Codable {
    public var staffID: String
    public var name: String
    public var role: StaffRole
    public var team: String?
    public var active: Bool
    public init(staffID: String, name: String, role: StaffRole, team: String? = nil, active: Bool = true) {
        self.staffID = staffID; self.name = name; self.role = role; self.team = team; self.active = active
    }
}

/// The customer's RM from `since` on; the history of a customer is all its assignments.
public struct Assignment: Hashable, Sendable, Codable {
    public var customerID: String
    public var staffID: String
    public var since: CalendarDate
    public init(customerID: String, staffID: String, since: CalendarDate) {
        self.customerID = customerID; self.staffID = staffID; self.since = since
    }
}

public struct PayrollUnit: Hashable, Sendable, Codable {
    public var unitID: String
    public var name: String
    public var uscc: String?
    public var payrollDay: Int?
    public var contactName: String?
    public var contactMobile: String?
    public init(unitID: String, name: String, uscc: String? = nil, payrollDay: Int? = nil,
                contactName: String? = nil, contactMobile: String? = nil) {
        self.unitID = unitID; self.name = name; self.uscc = uscc; self.payrollDay = payrollDay
        self.contactName = contactName; self.contactMobile = contactMobile
    }
}

/// A contact with the customer. Append-only: a correction is a new entry naming the old one.
public struct Interaction: Hashable, Sendable, Codable {
    public var interactionID: String
    public var customerID: String
    public var staffID: String?
    /// Local time `YYYY-MM-DD HH:MM:SS` (Asia/Shanghai).
    public var at: String
    public var channel: InteractionChannel
    public var purpose: String?
    public var notes: String?
    public var outcome: String?
    public var corrects: String?
    public var durationMinutes: Int?
    /// Who else was there (spouse, son, the village secretary…).
    public var present: String?
    public var mood: CustomerMood?
    /// Life events learned (a new baby, a house, a hospital stay): reminders come from these.
    public var lifeEvents: String?
    /// The next step as written; the task it became is linked from the task's side.
    public var nextStep: String?
    public init(interactionID: String, customerID: String, staffID: String?, at: String,
                channel: InteractionChannel, purpose: String? = nil, notes: String? = nil,
                outcome: String? = nil, corrects: String? = nil, durationMinutes: Int? = nil,
                present: String? = nil, mood: CustomerMood? = nil, lifeEvents: String? = nil,
                nextStep: String? = nil) {
        self.interactionID = interactionID; self.customerID = customerID; self.staffID = staffID
        self.at = at; self.channel = channel; self.purpose = purpose; self.notes = notes
        self.outcome = outcome; self.corrects = corrects; self.durationMinutes = durationMinutes
        self.present = present; self.mood = mood; self.lifeEvents = lifeEvents; self.nextStep = nextStep
    }
}

public struct FollowUpTask: Hashable, Sendable, Codable {
    public var taskID: String
    public var customerID: String
    public var staffID: String?
    public var title: String
    public var reason: String?
    public var dueOn: CalendarDate
    public var status: TaskStatus
    public var outcome: String?
    public var priority: TaskPriority
    /// The reminder rule that made it; nil for a task the RM set.
    public var rule: ReminderRule?
    public init(taskID: String, customerID: String, staffID: String?, title: String,
                reason: String? = nil, dueOn: CalendarDate, status: TaskStatus = .open,
                outcome: String? = nil, priority: TaskPriority = .normal, rule: ReminderRule? = nil) {
        self.taskID = taskID; self.customerID = customerID; self.staffID = staffID
        self.title = title; self.reason = reason; self.dueOn = dueOn; self.status = status
        self.outcome = outcome; self.priority = priority; self.rule = rule
    }
}

public struct Complaint: Hashable, Sendable, Codable {
    public var complaintID: String
    public var customerID: String
    public var receivedAt: String
    public var channel: ComplaintChannel
    public var category: String?
    public var severity: Severity
    public var description: String?
    public var status: String
    /// Local time `YYYY-MM-DD HH:MM:SS` by which it must be resolved (`ComplaintSLA`).
    public var deadlineAt: String
    public init(complaintID: String, customerID: String, receivedAt: String,
                channel: ComplaintChannel, category: String? = nil, severity: Severity,
                description: String? = nil, status: String = "received", deadlineAt: String? = nil) {
        self.complaintID = complaintID; self.customerID = customerID; self.receivedAt = receivedAt
        self.channel = channel; self.category = category; self.severity = severity
        self.description = description; self.status = status
        self.deadlineAt = deadlineAt ?? ComplaintSLA.standard.deadline(receivedAt: receivedAt, severity: severity)
    }

    public var isOpen: Bool { !["resolved", "confirmed", "closed"].contains(status) }
}

public struct SurveyResponse: Hashable, Sendable, Codable {
    public var responseID: String
    public var customerID: String?
    public var answeredOn: CalendarDate
    public var attitude: Int?
    public var online: Int?
    public var efficiency: Int?
    public var skill: Int?
    public var recommend: Int?
    public init(responseID: String, customerID: String?, answeredOn: CalendarDate,
                attitude: Int? = nil, online: Int? = nil, efficiency: Int? = nil,
                skill: Int? = nil, recommend: Int? = nil) {
        self.responseID = responseID; self.customerID = customerID; self.answeredOn = answeredOn
        self.attitude = attitude; self.online = online; self.efficiency = efficiency
        self.skill = skill; self.recommend = recommend
    }
}

public struct Note: Hashable, Sendable, Codable {
    public var noteID: String
    public var customerID: String
    public var staffID: String?
    public var at: String
    public var text: String
    public init(noteID: String, customerID: String, staffID: String?, at: String, text: String) {
        self.noteID = noteID; self.customerID = customerID; self.staffID = staffID
        self.at = at; self.text = text
    }
}
