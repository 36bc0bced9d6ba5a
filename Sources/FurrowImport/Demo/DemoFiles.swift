/// The 13 files of the extract (docs: extract-format.md), headers in the spec's column order.
enum DemoFile: Int, CaseIterable {
    case customers, relations, products, accounts, monthlyBalances, transactions, loanSchedule,
         staff, assignments, payrollUnits, surveys, complaints, interactions

    var fileName: String {
        switch self {
        case .customers: "customers.csv"
        case .relations: "relations.csv"
        case .products: "products.csv"
        case .accounts: "accounts.csv"
        case .monthlyBalances: "monthly_balances.csv"
        case .transactions: "transactions.csv"
        case .loanSchedule: "loan_schedule.csv"
        case .staff: "staff.csv"
        case .assignments: "assignments.csv"
        case .payrollUnits: "payroll_units.csv"
        case .surveys: "surveys.csv"
        case .complaints: "complaints.csv"
        case .interactions: "interactions.csv"
        }
    }

    var columns: [String] {
        switch self {
        case .customers:
            ["customer_id", "name", "kind", "gender", "birth_date", "id_type", "id_number", "mobile", "address",
             "village", "occupation", "employer", "industry_quality", "risk_level", "risk_assessed_on",
             "acquisition_channel", "referrer_id", "opened_on", "flags"]
        case .relations: ["customer_id", "related_id", "relation"]
        case .products: ["product_code", "name", "type", "risk_level", "term_days"]
        case .accounts: ["account_id", "customer_id", "product_code", "opened_on", "maturity_date", "balance", "status", "rate"]
        case .monthlyBalances: ["customer_id", "month", "aum_avg", "aum_end"]
        case .transactions:
            ["txn_id", "account_id", "posted_at", "amount", "kind", "channel", "counterparty_name",
             "counterparty_bank", "payroll_unit_id", "memo"]
        case .loanSchedule: ["account_id", "due_date", "principal", "interest"]
        case .staff: ["staff_id", "name", "role", "team", "active"]
        case .assignments: ["customer_id", "staff_id", "since"]
        case .payrollUnits: ["unit_id", "name", "uscc", "payroll_day", "contact_name", "contact_mobile"]
        case .surveys: ["response_id", "customer_id", "answered_on", "attitude", "online", "efficiency", "skill", "recommend"]
        case .complaints: ["complaint_id", "customer_id", "received_at", "channel", "category", "severity", "description"]
        case .interactions: ["interaction_id", "customer_id", "staff_id", "at", "channel", "purpose", "notes", "outcome"]
        }
    }

    var header: String { columns.joined(separator: ",") }
}
