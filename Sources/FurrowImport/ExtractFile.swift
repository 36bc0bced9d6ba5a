/// The files of extract format v1 (docs/extract-format.md), in the order they are imported:
/// a file is imported after the files its rows refer to.
public enum ExtractFile: String, CaseIterable, Sendable, Codable {
    case staff = "staff.csv"
    case products = "products.csv"
    case payrollUnits = "payroll_units.csv"
    case customers = "customers.csv"
    case relations = "relations.csv"
    case accounts = "accounts.csv"
    case monthlyBalances = "monthly_balances.csv"
    case transactions = "transactions.csv"
    case loanSchedule = "loan_schedule.csv"
    case assignments = "assignments.csv"
    case surveys = "surveys.csv"
    case complaints = "complaints.csv"
    case interactions = "interactions.csv"

    /// Every column of the file, in the order the format lists them.
    public var columns: [String] {
        switch self {
        case .customers:
            ["customer_id", "name", "kind", "gender", "birth_date", "id_type", "id_number", "mobile", "address",
             "village", "occupation", "employer", "industry_quality", "risk_level", "risk_assessed_on",
             "acquisition_channel", "referrer_id", "opened_on", "flags"]
        case .relations: ["customer_id", "related_id", "relation"]
        case .products: ["product_code", "name", "type", "risk_level", "term_days"]
        case .accounts:
            ["account_id", "customer_id", "product_code", "opened_on", "maturity_date", "balance", "status", "rate"]
        case .monthlyBalances: ["customer_id", "month", "aum_avg", "aum_end"]
        case .transactions:
            ["txn_id", "account_id", "posted_at", "amount", "kind", "channel", "counterparty_name",
             "counterparty_bank", "payroll_unit_id", "memo"]
        case .loanSchedule: ["account_id", "due_date", "principal", "interest"]
        case .staff: ["staff_id", "name", "role", "team", "active"]
        case .assignments: ["customer_id", "staff_id", "since"]
        case .payrollUnits: ["unit_id", "name", "uscc", "payroll_day", "contact_name", "contact_mobile"]
        case .surveys:
            ["response_id", "customer_id", "answered_on", "attitude", "online", "efficiency", "skill", "recommend"]
        case .complaints:
            ["complaint_id", "customer_id", "received_at", "channel", "category", "severity", "description"]
        case .interactions:
            ["interaction_id", "customer_id", "staff_id", "at", "channel", "purpose", "notes", "outcome"]
        }
    }

    /// Columns without which the file cannot be read. The format names them for customers;
    /// for the other files they are the key and what a row means nothing without.
    public var requiredColumns: [String] {
        switch self {
        case .customers: ["customer_id", "name", "kind"]
        case .relations: ["customer_id", "related_id", "relation"]
        case .products: ["product_code", "name", "type"]
        case .accounts: ["account_id", "customer_id", "product_code", "balance", "status"]
        case .monthlyBalances: ["customer_id", "month", "aum_avg", "aum_end"]
        case .transactions: ["txn_id", "account_id", "posted_at", "amount", "kind"]
        case .loanSchedule: ["account_id", "due_date", "principal", "interest"]
        case .staff: ["staff_id", "name", "role"]
        case .assignments: ["customer_id", "staff_id", "since"]
        case .payrollUnits: ["unit_id", "name"]
        case .surveys: ["response_id", "answered_on"]
        case .complaints: ["complaint_id", "customer_id", "received_at", "channel", "severity"]
        case .interactions: ["interaction_id", "customer_id", "at", "channel"]
        }
    }

    /// The columns whose values together identify a row.
    public var keyColumns: [String] {
        switch self {
        case .customers: ["customer_id"]
        case .relations: ["customer_id", "related_id", "relation"]
        case .products: ["product_code"]
        case .accounts: ["account_id"]
        case .monthlyBalances: ["customer_id", "month"]
        case .transactions: ["txn_id"]
        case .loanSchedule: ["account_id", "due_date"]
        case .staff: ["staff_id"]
        case .assignments: ["customer_id", "since"]
        case .payrollUnits: ["unit_id"]
        case .surveys: ["response_id"]
        case .complaints: ["complaint_id"]
        case .interactions: ["interaction_id"]
        }
    }
}
