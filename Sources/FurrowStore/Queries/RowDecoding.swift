import FurrowCore
import GRDB

/// Storage detail stays here: how rows become domain values. Codes that the store holds came
/// through validation, so an unknown one means a damaged store and falls back conservatively.
extension Customer {
    static let selection = """
        customer_id, name, kind, gender, birth_date, id_type, id_number, mobile, address, village,
        occupation, employer, industry_quality, risk_level, risk_assessed_on, acquisition_channel,
        referrer_id, opened_on, flags
        """

    init(row: Row) {
        let flags: String? = row["flags"]
        self.init(
            customerID: row["customer_id"],
            name: row["name"],
            kind: CustomerKind(rawValue: row["kind"] ?? "") ?? .individual,
            gender: (row["gender"] as String?).flatMap(Gender.init(rawValue:)),
            birthDate: (row["birth_date"] as String?).flatMap { CalendarDate(iso: $0) },
            idType: (row["id_type"] as String?).flatMap(IDType.init(rawValue:)),
            idNumber: row["id_number"],
            mobile: row["mobile"],
            address: row["address"],
            village: row["village"],
            occupation: row["occupation"],
            employer: row["employer"],
            industryQuality: (row["industry_quality"] as String?).flatMap(IndustryQuality.init(rawValue:)),
            riskLevel: (row["risk_level"] as String?).flatMap(RiskLevel.init(rawValue:)),
            riskAssessedOn: (row["risk_assessed_on"] as String?).flatMap { CalendarDate(iso: $0) },
            acquisitionChannel: (row["acquisition_channel"] as String?).flatMap(AcquisitionChannel.init(rawValue:)),
            referrerID: row["referrer_id"],
            openedOn: (row["opened_on"] as String?).flatMap { CalendarDate(iso: $0) },
            flags: flags.map { $0.split(separator: ";").map(String.init) } ?? [])
    }
}

extension Account {
    init(row: Row) {
        self.init(
            accountID: row["account_id"], customerID: row["customer_id"], productCode: row["product_code"],
            openedOn: (row["opened_on"] as String?).flatMap { CalendarDate(iso: $0) },
            maturityDate: (row["maturity_date"] as String?).flatMap { CalendarDate(iso: $0) },
            balance: Money(fen: row["balance_fen"]),
            status: AccountStatus(rawValue: row["status"] ?? "") ?? .active,
            rate: row["rate"])
    }
}

extension Product {
    init(row: Row, prefix: String = "") {
        self.init(
            productCode: row[prefix + "product_code"], name: row[prefix + "name"],
            type: ProductType(rawValue: row[prefix + "type"] ?? "") ?? .demand,
            riskLevel: (row[prefix + "risk_level"] as String?).flatMap(ProductRiskLevel.init(rawValue:)),
            termDays: row[prefix + "term_days"])
    }
}

extension Transaction {
    init(row: Row) {
        self.init(
            txnID: row["txn_id"], accountID: row["account_id"], postedAt: row["posted_at"],
            amount: Money(fen: row["amount_fen"]),
            kind: TransactionKind(rawValue: row["kind"] ?? "") ?? .deposit,
            channel: (row["channel"] as String?).flatMap(TransactionChannel.init(rawValue:)),
            counterpartyName: row["counterparty_name"], counterpartyBank: row["counterparty_bank"],
            payrollUnitID: row["payroll_unit_id"], memo: row["memo"])
    }
}

extension Interaction {
    init(row: Row) {
        self.init(
            interactionID: row["interaction_id"], customerID: row["customer_id"], staffID: row["staff_id"],
            at: row["at"], channel: InteractionChannel(rawValue: row["channel"] ?? "") ?? .visit,
            purpose: row["purpose"], notes: row["notes"], outcome: row["outcome"], corrects: row["corrects"],
            durationMinutes: row["duration_min"], present: row["present"],
            mood: (row["mood"] as String?).flatMap(CustomerMood.init(rawValue:)), lifeEvents: row["life_events"],
            nextStep: row["next_step"])
    }
}

extension FollowUpTask {
    init(row: Row) {
        self.init(
            taskID: row["task_id"], customerID: row["customer_id"], staffID: row["staff_id"],
            title: row["title"], reason: row["reason"],
            dueOn: CalendarDate(iso: row["due_on"] as String? ?? "") ?? CalendarDate(year: 1970, month: 1, day: 1)!,
            status: TaskStatus(rawValue: row["status"] ?? "") ?? .open, outcome: row["outcome"],
            priority: TaskPriority(rawValue: row["priority"] ?? 2) ?? .normal,
            rule: (row["rule"] as String?).flatMap(ReminderRule.init(rawValue:)))
    }
}

extension Complaint {
    init(row: Row) {
        self.init(
            complaintID: row["complaint_id"], customerID: row["customer_id"], receivedAt: row["received_at"],
            channel: ComplaintChannel(rawValue: row["channel"] ?? "") ?? .other, category: row["category"],
            severity: Severity(rawValue: row["severity"] ?? "") ?? .medium, description: row["description"],
            status: row["status"] ?? "received", deadlineAt: row["deadline_at"])
    }
}

extension Note {
    init(row: Row) {
        self.init(noteID: row["note_id"], customerID: row["customer_id"], staffID: row["staff_id"],
                  at: row["at"], text: row["text"])
    }
}
