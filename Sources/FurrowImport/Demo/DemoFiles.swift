/// The 13 files of the extract in the spec's order (the generator indexes its writers by it);
/// names and columns come from `ExtractFile`, the importer's own definition of the format.
enum DemoFile: Int, CaseIterable {
    case customers, relations, products, accounts, monthlyBalances, transactions, loanSchedule,
         staff, assignments, payrollUnits, surveys, complaints, interactions

    var extractFile: ExtractFile {
        switch self {
        case .customers: .customers
        case .relations: .relations
        case .products: .products
        case .accounts: .accounts
        case .monthlyBalances: .monthlyBalances
        case .transactions: .transactions
        case .loanSchedule: .loanSchedule
        case .staff: .staff
        case .assignments: .assignments
        case .payrollUnits: .payrollUnits
        case .surveys: .surveys
        case .complaints: .complaints
        case .interactions: .interactions
        }
    }

    var fileName: String { extractFile.rawValue }
    var columns: [String] { extractFile.columns }
    var header: String { columns.joined(separator: ",") }
}
